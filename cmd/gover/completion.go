package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
)

// Completion scripts ask gover itself for candidates through urfave/cli's
// hidden --generate-bash-completion flag, so they never go stale.
const bashCompletion = `# gover bash completion: eval "$(gover completion bash)"
_gover_complete() {
  local cur words
  cur="${COMP_WORDS[COMP_CWORD]}"
  words=("${COMP_WORDS[@]:1:COMP_CWORD-1}")
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(gover "${words[@]}" "$cur" --generate-bash-completion 2>/dev/null)" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(gover "${words[@]}" --generate-bash-completion 2>/dev/null)" -- "$cur"))
  fi
}
complete -o bashdefault -o default -F _gover_complete gover
`

const zshCompletion = `#compdef gover
# gover zsh completion: eval "$(gover completion zsh)"
_gover() {
  local -a opts
  local cur="${words[-1]}"
  if [[ "$cur" == -* ]]; then
    opts=("${(@f)$(gover ${words[@]:1:#words[@]-2} "$cur" --generate-bash-completion 2>/dev/null)}")
  else
    opts=("${(@f)$(gover ${words[@]:1:#words[@]-2} --generate-bash-completion 2>/dev/null)}")
  fi
  if [[ -n "${opts[1]}" ]]; then
    _describe 'values' opts
  else
    _files
  fi
}
compdef _gover gover
`

const pwshCompletion = `# gover PowerShell completion: gover completion pwsh | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName gover, gover.exe -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
  if ($wordToComplete -ne '' -and $words.Count -gt 0) { $words = $words[0..($words.Count - 2)] }
  & gover @words --generate-bash-completion 2>$null | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
  }
}
`

func (a *app) completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script (bash, zsh, fish, pwsh)",
		ArgsUsage: "bash|zsh|fish|pwsh",
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
				script, err := c.App.ToFishCompletion()
				if err != nil {
					return fmt.Errorf("generating fish completion: %w", err)
				}
				fmt.Fprint(a.stdout, script)
			case "pwsh", "powershell":
				fmt.Fprint(a.stdout, pwshCompletion)
			default:
				return exitcode.Usage(fmt.Errorf("unknown shell %q", shell), "gover completion bash")
			}
			return nil
		},
	}
}
