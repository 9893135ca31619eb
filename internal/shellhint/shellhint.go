// Package shellhint writes the commands gover suggests (the "gover: hint:"
// lines and gover doctor's fixes) in the syntax of the shell the user will
// type them into: cmd.exe, PowerShell, or a POSIX shell (sh, bash, zsh, and
// Git Bash or MSYS on Windows). A hint that only works in another shell is
// worse than none: cmd has no $(...) and no single quotes, PowerShell
// splits a bare a,b into two arguments, and Git Bash rewrites /v into a
// path.
//
// The shell is found by [Detect], in this order:
//
//  1. GOVER_SHELL, when set: cmd, powershell (or pwsh), or posix (or sh,
//     bash, zsh, fish);
//
//  2. the nearest ancestor process that is a shell: cmd.exe, powershell.exe
//     or pwsh.exe, bash, sh, zsh, fish (ancestors are only looked up on
//     Windows; see [Parents]);
//
//  3. on Windows, MSYSTEM or SHELL (set by Git Bash and MSYS) means POSIX,
//     and otherwise PowerShell, the default shell of Windows Terminal;
//     elsewhere, PSModulePath (set only inside pwsh there) means
//     PowerShell, and otherwise POSIX.
//
//     sh := shellhint.Detect(os.Getenv, shellhint.Parents(), runtime.GOOS)
//     hint := sh.Command("gover", "import", `C:\Program Files\Go`)
//     // cmd:        gover import "C:\Program Files\Go"
//     // PowerShell: gover import 'C:\Program Files\Go'
//     // POSIX:      gover import 'C:\Program Files\Go'
package shellhint

import (
	"path/filepath"
	"strings"

	"github.com/gover/gover/shellrc"
)

// Shell is the syntax a hint is written in.
type Shell int

const (
	// POSIX is sh, bash and zsh (and Git Bash on Windows).
	POSIX Shell = iota + 1
	// PowerShell is Windows PowerShell 5.1 and PowerShell 7 (pwsh).
	PowerShell
	// Cmd is cmd.exe.
	Cmd
)

func (s Shell) String() string {
	switch s {
	case PowerShell:
		return "PowerShell"
	case Cmd:
		return "cmd"
	case POSIX:
		return "POSIX shell"
	}
	return "unknown shell"
}

// Parse reads a shell name as GOVER_SHELL gives it; ok is false for a
// name it does not know.
func Parse(name string) (Shell, bool) {
	name = strings.ToLower(strings.TrimSuffix(strings.ToLower(filepath.Base(name)), ".exe"))
	switch name {
	case "cmd":
		return Cmd, true
	case "powershell", "pwsh", "powershell_ise":
		return PowerShell, true
	case "posix", "sh", "bash", "zsh", "fish", "dash", "ksh", "ash", "mintty":
		return POSIX, true
	}
	return 0, false
}

// Detect says which shell the user is typing into, by the rule in the
// package documentation. parents are the names of the ancestor processes,
// nearest first ([Parents]); goos is runtime.GOOS.
func Detect(getenv func(string) string, parents []string, goos string) Shell {
	if s, ok := Parse(getenv("GOVER_SHELL")); ok && getenv("GOVER_SHELL") != "" {
		return s
	}
	for _, p := range parents {
		if s, ok := Parse(p); ok && !strings.EqualFold(p, "mintty") {
			return s
		}
	}
	if goos == "windows" {
		if getenv("MSYSTEM") != "" || getenv("SHELL") != "" {
			return POSIX
		}
		return PowerShell
	}
	if getenv("PSModulePath") != "" {
		return PowerShell
	}
	return POSIX
}

// Windows reports whether s is typed into on Windows (cmd, PowerShell)
// rather than a POSIX shell.
func (s Shell) Windows() bool { return s == Cmd || s == PowerShell }

// Quote writes arg as one word for s, leaving it bare when nothing in it
// needs quoting; the quoting itself is shellrc's, the one set gover uses
// for every shell.
func (s Shell) Quote(arg string) string {
	switch s {
	case Cmd:
		// cmd.exe has no escape inside quotes; arguments with spaces or
		// &|<>^(), go in double quotes, and a " cannot be written at all.
		if arg != "" && !strings.ContainsAny(arg, " \t&|<>^(),;=\"") {
			return arg
		}
		return `"` + arg + `"`
	case PowerShell:
		// A bare a,b is an array of two; $ expands; @ and # start
		// splatting and comments.
		if arg != "" && !strings.ContainsAny(arg, " \t'\"`$,;(){}@#&|<>\u2018\u2019\u201a\u201b") {
			return arg
		}
		return shellrc.PowerShell(arg)
	default:
		if arg != "" && !strings.ContainsAny(arg, " \t\n'\"\\$`!*?[]{}()<>|&;#") && !strings.HasPrefix(arg, "~") {
			return arg
		}
		return shellrc.Posix(arg)
	}
}

// Command writes a command line for s, each argument quoted as needed.
func (s Shell) Command(args ...string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = s.Quote(a)
	}
	return strings.Join(q, " ")
}

// Unset is the command that removes the environment variable name from
// the current terminal.
func (s Shell) Unset(name string) string {
	switch s {
	case Cmd:
		return "set " + name + "="
	case PowerShell:
		return "Remove-Item Env:" + name
	default:
		return "unset " + name
	}
}

// RegDelete is the reg.exe command that deletes the value name under key
// (HKCU\Environment, HKLM\SYSTEM\...). Git Bash would turn /v and /f into
// paths, so there it runs with MSYS2_ARG_CONV_EXCL.
func (s Shell) RegDelete(key, name string) string {
	cmd := s.Command("reg", "delete", key, "/v", name, "/f")
	if s == POSIX {
		cmd = "MSYS2_ARG_CONV_EXCL='*' " + cmd
	}
	return cmd
}
