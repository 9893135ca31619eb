package main

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/shellrc"
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
			out, err := shellrc.EnvScript(shell, f.goroot)
			if errors.Is(err, shellrc.ErrUnknownShell) {
				return exitcode.Usage(err, "gover env --shell bash")
			}
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(a.stdout, out)
			return err
		},
	}
}
