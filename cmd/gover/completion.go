package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/shellrc"
	"github.com/gover/gover/versions"
)

// The completion scripts ask gover itself for candidates (gover __complete
// <words before the cursor> <word at the cursor>), so they never go stale.
// gover answers from the store and the cached release list only: never the
// network on TAB.
const bashCompletion = `# gover bash completion: eval "$(gover completion bash)"
_gover_complete() {
  local IFS=$'\n'
  COMPREPLY=($(gover __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _gover_complete gover
`

const zshCompletion = `#compdef gover
# gover zsh completion: eval "$(gover completion zsh)"
_gover() {
  local -a opts
  opts=("${(@f)$(gover __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ -n "${opts[1]}" ]]; then
    compadd -- "${opts[@]}"
  else
    _files
  fi
}
compdef _gover gover
`

const fishCompletion = `# gover fish completion: gover completion fish | source
complete -c gover -f -a '(gover __complete (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
`

const pwshCompletion = `# gover PowerShell completion: gover completion pwsh | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName gover, gover.exe -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
  if ($wordToComplete -eq '') { $words += '' }
  & gover __complete @words 2>$null | ForEach-Object {
    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
  }
}
`

func (a *app) completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script (bash, zsh, fish, pwsh)",
		ArgsUsage: "bash|zsh|fish|pwsh",
		Description: `Completes commands, flags, installed versions and, for install, the versions
in the cached release list (gover list-remote refreshes it).

   eval "$(gover completion bash)"    # in ~/.bashrc
   eval "$(gover completion zsh)"     # in ~/.zshrc, after compinit
   gover completion fish | source     # in ~/.config/fish/config.fish
   gover completion pwsh | Out-String | Invoke-Expression   # in $PROFILE`,
		Action: func(c *cli.Context) error {
			if err := exactArgs(c, 1, 1); err != nil {
				return err
			}
			switch shell := c.Args().First(); shell {
			case "bash":
				fmt.Fprint(a.stdout, bashCompletion)
			case "zsh":
				fmt.Fprint(a.stdout, zshCompletion)
			case "fish":
				fmt.Fprint(a.stdout, fishCompletion)
			case "pwsh", "powershell":
				fmt.Fprint(a.stdout, pwshCompletion)
			default:
				return exitcode.Usage(fmt.Errorf("unknown shell %q (want bash, zsh, fish or pwsh)", shell), "gover completion bash")
			}
			return nil
		},
	}
}

// completeCommand is the hidden command the completion scripts call.
func (a *app) completeCommand() *cli.Command {
	return &cli.Command{
		Name:            "__complete",
		Hidden:          true,
		SkipFlagParsing: true,
		Action: func(c *cli.Context) error {
			words := c.Args().Slice()
			if len(words) == 0 {
				words = []string{""}
			}
			for _, w := range a.candidates(c.App, words) {
				fmt.Fprintln(a.stdout, w)
			}
			return nil
		},
	}
}

// candidates completes the last of words, the ones before it already typed.
func (a *app) candidates(app *cli.App, words []string) []string {
	cur, typed := words[len(words)-1], words[:len(words)-1]
	var cmd *cli.Command
	flags, cmds := app.Flags, app.Commands
	npos, dashdash := 0, false
	var valueOf cli.Flag // the flag whose value is being typed
	for i := 0; i < len(typed); i++ {
		w := typed[i]
		switch {
		case w == "--":
			dashdash = true
			npos++
		case !dashdash && len(w) > 1 && w[0] == '-':
			name, _, hasValue := strings.Cut(strings.TrimLeft(w, "-"), "=")
			if f := findFlag(flags, name); f != nil && takesValue(f) && !hasValue {
				if i == len(typed)-1 {
					valueOf = f
				}
				i++
			}
		case npos == 0 && findCommand(cmds, w) != nil:
			cmd = findCommand(cmds, w)
			flags, cmds = cmd.Flags, cmd.Subcommands
		default:
			npos++
		}
	}
	var out []string
	switch {
	case valueOf != nil:
		out = a.flagValues(valueOf.Names()[0])
	case strings.HasPrefix(cur, "-") && !dashdash:
		for _, f := range append(slices.Clone(flags), cli.HelpFlag) {
			for _, n := range f.Names() {
				if len(n) > 1 {
					out = append(out, "--"+n)
				}
			}
		}
	case len(cmds) > 0 && npos == 0:
		for _, s := range cmds {
			if !s.Hidden {
				out = append(out, s.Name)
			}
		}
	case cmd != nil:
		out = a.argValues(cmd.Name, npos, dashdash)
	}
	var match []string
	for _, w := range out {
		if strings.HasPrefix(w, cur) && !slices.Contains(match, w) {
			match = append(match, w)
		}
	}
	return match
}

// argValues are the candidates for the n-th argument of command name.
func (a *app) argValues(name string, n int, dashdash bool) []string {
	switch name {
	case "use", "uninstall", "which", "verify":
		return a.installedCandidates()
	case "exec":
		if n == 0 && !dashdash {
			return a.installedCandidates()
		}
	case "install":
		return a.remoteCandidates()
	case "completion", "activate":
		if n == 0 {
			return shellrc.Shells
		}
	}
	return nil
}

func (a *app) flagValues(flag string) []string {
	switch flag {
	case "shell":
		return append(slices.Clone(shellrc.Shells), "cmd")
	case "source":
		return []string{"proxy", "official", "mirror"}
	case "platform":
		return []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"}
	}
	return nil
}

func (a *app) installedCandidates() []string {
	st, err := a.openStore()
	if err != nil {
		return nil
	}
	vs, err := st.Installed()
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(vs))
	for i := len(vs) - 1; i >= 0; i-- {
		out = append(out, vs[i].String())
	}
	slices.SortFunc(out, func(x, y string) int { return versions.Compare(versions.MustParse(y), versions.MustParse(x)) })
	return out
}

// remoteCandidates are the stable releases in the cached release list,
// newest first, and latest; no network.
func (a *app) remoteCandidates() []string {
	out := []string{"latest"}
	in, err := a.installer(true)
	if err != nil {
		return out
	}
	r := in.Cached()
	if r == nil {
		return out
	}
	var vs []versions.Version
	for _, rel := range r.Releases {
		if v := rel.ParsedVersion(); !v.IsZero() && rel.Stable && !v.Prerelease() {
			vs = append(vs, v)
		}
	}
	slices.SortFunc(vs, func(x, y versions.Version) int { return versions.Compare(y, x) })
	for _, v := range vs {
		out = append(out, v.String())
	}
	return out
}
