package shellhint

import (
	"encoding/json"

	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// TestMain makes the test binary an argument printer when asked, so a hint
// can be run in a real shell and what the program got compared.
func TestMain(m *testing.M) {
	switch os.Getenv("SHELLHINT_HELPER") {
	case "args":
		json.NewEncoder(os.Stdout).Encode(os.Args[1:])
		os.Exit(0)
	case "parents":
		json.NewEncoder(os.Stdout).Encode(Parents())
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestDetect(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	tests := []struct {
		name    string
		getenv  func(string) string
		parents []string
		goos    string
		want    Shell
	}{
		{"GOVER_SHELL wins", env("GOVER_SHELL", "cmd", "MSYSTEM", "MINGW64"), []string{"pwsh.exe"}, "windows", Cmd},
		{"unknown GOVER_SHELL is ignored", env("GOVER_SHELL", "tcsh"), []string{"cmd.exe"}, "windows", Cmd},
		{"cmd parent", env(), []string{"cmd.exe"}, "windows", Cmd},
		{"PowerShell through a launcher", env(), []string{"gover.exe", "powershell.exe", "explorer.exe"}, "windows", PowerShell},
		{"pwsh", env(), []string{"pwsh.exe"}, "windows", PowerShell},
		{"Git Bash", env(), []string{"bash.exe", "mintty.exe"}, "windows", POSIX},
		{"Git Bash without parents", env("MSYSTEM", "MINGW64"), nil, "windows", POSIX},
		{"Windows default", env(), []string{"explorer.exe"}, "windows", PowerShell},
		{"Linux", env("SHELL", "/bin/bash"), nil, "linux", POSIX},
		{"pwsh on Linux", env("PSModulePath", "/opt/microsoft/powershell/7/Modules"), nil, "linux", PowerShell},
	}
	for _, tt := range tests {
		if got := Detect(tt.getenv, tt.parents, tt.goos); got != tt.want {
			t.Errorf("%s: Detect = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestCommandText(t *testing.T) {
	args := []string{"gover", "import", `C:\Program Files\Go`}
	for sh, want := range map[Shell]string{
		Cmd:        `gover import "C:\Program Files\Go"`,
		PowerShell: `gover import 'C:\Program Files\Go'`,
		POSIX:      `gover import 'C:\Program Files\Go'`,
	} {
		if got := sh.Command(args...); got != want {
			t.Errorf("%s: %s, want %s", sh, got, want)
		}
		if strings.Contains(sh.Command(args...), `\\`) {
			t.Errorf("%s: doubled backslashes", sh)
		}
	}
	if got := Cmd.RegDelete(`HKCU\Environment`, "GOROOT"); got != `reg delete HKCU\Environment /v GOROOT /f` {
		t.Errorf("cmd reg delete: %s", got)
	}
}

// args are the arguments the hints put in quotes: spaces, quotes,
// parentheses, commas and the other characters a shell would act on.
var args = []string{
	`C:\Program Files\Go`,
	`C:\Users\Ann O'Neil\sdk\go1.22.5`,
	`C:\Program Files (x86)\Go`,
	`GOPROXY=https://proxy.golang.org,direct`,
	`GOFLAGS=-mod=mod -trimpath`,
	`/home/ann/$HOME/go`,
	`a&b`,
	`-w`,
}

// runIn runs a hint's command line in a real shell, with the program it
// names replaced by this test binary, which prints the arguments it got.
func runIn(t *testing.T, sh Shell, line string) []string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var cmd *exec.Cmd
	switch sh {
	case Cmd:
		cmd = cmdLine(`"` + self + `" ` + line)
	case PowerShell:
		pwsh, err := exec.LookPath("pwsh")
		if err != nil {
			t.Skip("no pwsh to run PowerShell hints in")
		}
		cmd = exec.Command(pwsh, "-NoProfile", "-NonInteractive", "-Command", "& "+sh.Quote(self)+" "+line)
	default:
		cmd = exec.Command("sh", "-c", POSIX.Quote(self)+" "+line)
	}
	cmd.Env = append(os.Environ(), "SHELLHINT_HELPER=args")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %s: %v\n%s", sh, line, err, out)
	}
	var got []string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%s: %s: %v\n%s", sh, line, err, out)
	}
	return got
}

// shellsHere are the shells this system can run hints in.
func shellsHere() []Shell {
	if runtime.GOOS == "windows" {
		return []Shell{Cmd, PowerShell}
	}
	return []Shell{POSIX, PowerShell}
}

// TestQuoteRunsInShell runs quoted arguments in cmd.exe (under Windows or
// Wine) and sh (elsewhere), and in pwsh where it is installed: the program
// gets each argument exactly.
func TestQuoteRunsInShell(t *testing.T) {
	for _, sh := range shellsHere() {
		t.Run(sh.String(), func(t *testing.T) {
			for _, a := range args {
				if sh == Cmd && strings.Contains(a, `"`) {
					continue // cmd.exe cannot quote a "
				}
				got := runIn(t, sh, sh.Command("import", a))
				if len(got) != 2 || got[0] != "import" || got[1] != a {
					t.Errorf("%s got %q from %s", sh, got, sh.Command("import", a))
				}
			}
		})
	}
}

// TestUnsetRunsInShell runs the Unset hint after setting the variable.
func TestUnsetRunsInShell(t *testing.T) {
	var cmd *exec.Cmd
	if runtime.GOOS == "windows" {
		cmd = cmdLine(`set GOROOT=C:\Go&` + Cmd.Unset("GOROOT") + `&if defined GOROOT (echo still) else (echo gone)`)
	} else {
		cmd = exec.Command("sh", "-c", `GOROOT=/go; export GOROOT; `+POSIX.Unset("GOROOT")+`; echo "${GOROOT-gone}"`)
	}
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "gone" {
		t.Errorf("after the unset hint: %q, %v", out, err)
	}
}

// TestParents: run from cmd.exe, gover finds cmd.exe among its ancestors.
func TestParents(t *testing.T) {
	if runtime.GOOS != "windows" {
		if Parents() != nil {
			t.Error("parents outside Windows")
		}
		return
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := cmdLine(`"` + self + `"`)
	cmd.Env = append(os.Environ(), "SHELLHINT_HELPER=parents")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(got) == 0 || !strings.EqualFold(got[0], "cmd.exe") {
		t.Errorf("parents %q, want cmd.exe first", got)
	}
	if sh := Detect(func(string) string { return "" }, got, "windows"); sh != Cmd {
		t.Errorf("detected %s", sh)
	}
}
