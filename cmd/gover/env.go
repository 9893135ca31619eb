package main

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
)

func (a *app) envCommand() *cli.Command {
	return &cli.Command{
		Name:  "env",
		Usage: "print shell commands that put this folder's SDK in the environment",
		Description: `Prints GOROOT and a PATH with the SDK's bin first, for the version this
folder selects, in the syntax of the given shell:

   eval "$(gover env)"                       # bash, zsh
   gover env --shell fish | source
   gover env --shell pwsh | Out-String | Invoke-Expression
   gover env --shell cmd > env.cmd && call env.cmd`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "shell", Usage: "bash, zsh, fish, pwsh or cmd (default: bash, pwsh on Windows)"},
		},
		Action: func(c *cli.Context) error {
			if err := exactArgs(c, 0, 0); err != nil {
				return err
			}
			shell := c.String("shell")
			if shell == "" {
				shell = "bash"
				if runtime.GOOS == "windows" {
					shell = "pwsh"
				}
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			f, err := a.installedFolder(st)
			if err != nil {
				return err
			}
			out, err := envScript(shell, f.goroot)
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(a.stdout, out)
			return err
		},
	}
}

// envScript sets GOROOT and puts goroot/bin first on PATH in shell's
// syntax, quoting the paths so spaces, quotes and $ survive.
func envScript(shell, goroot string) (string, error) {
	bin := filepath.Join(goroot, "bin")
	switch shell {
	case "bash", "zsh", "sh":
		return fmt.Sprintf("export GOROOT=%s\nexport PATH=%s\"${PATH:+:$PATH}\"\n", shQuote(goroot), shQuote(bin)), nil
	case "fish":
		return fmt.Sprintf("set -gx GOROOT %s\nset -gx PATH %s $PATH\n", fishQuote(goroot), fishQuote(bin)), nil
	case "pwsh", "powershell":
		return fmt.Sprintf("$env:GOROOT = %s\n$env:PATH = %s + [IO.Path]::PathSeparator + $env:PATH\n", psQuote(goroot), psQuote(bin)), nil
	case "cmd":
		if strings.ContainsAny(goroot, "\"%\r\n") {
			return "", fmt.Errorf("cannot write %q safely for cmd.exe", goroot)
		}
		return fmt.Sprintf("set \"GOROOT=%s\"\r\nset \"PATH=%s;%%PATH%%\"\r\n", goroot, bin), nil
	}
	return "", exitcode.Usage(fmt.Errorf("unknown shell %q (want bash, zsh, fish, pwsh or cmd)", shell), "gover env --shell bash")
}

func shQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func psQuote(s string) string {
	// PowerShell treats the typographic quotes as quotes too.
	return "'" + strings.NewReplacer("'", "''", "\u2018", "\u2018\u2018", "\u2019", "\u2019\u2019").Replace(s) + "'"
}
