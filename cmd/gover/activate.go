package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/shellrc"
)

func (a *app) activateCommand() *cli.Command {
	return &cli.Command{
		Name:      "activate",
		Usage:     "print a shell hook that exports GOROOT for the current folder",
		ArgsUsage: "[--install|--uninstall] " + strings.Join(shellrc.Shells, "|"),
		Description: `The go shim on PATH already follows each folder; the hook is for tools that
read GOROOT themselves. It runs one selection on every directory change (no
network) and unsets GOROOT again where nothing is selected.

  bash:  eval "$(gover activate bash)"      in ~/.bashrc
  zsh:   eval "$(gover activate zsh)"       in ~/.zshrc
  fish:  gover activate fish | source       in ~/.config/fish/config.fish
  pwsh:  gover activate pwsh | Out-String | Invoke-Expression   in $PROFILE

With --install, gover adds that line to the shell's profile itself, once.`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "install", Usage: "add the hook to the shell's profile (idempotent)"},
			&cli.BoolFlag{Name: "uninstall", Usage: "remove the hook from the shell's profile"},
		},
		Action: func(c *cli.Context) error {
			if err := exactArgs(c, 1, 1); err != nil {
				return err
			}
			shell := c.Args().First()
			exe, err := goverExe()
			if err != nil {
				return err
			}
			if c.Bool("install") || c.Bool("uninstall") {
				return a.installHook(shell, exe, c.Bool("uninstall"))
			}
			hook, err := shellrc.Hook(shell, exe)
			if err != nil {
				return exitcode.Usage(err, "gover activate --help")
			}
			_, err = fmt.Fprint(a.stdout, hook)
			return err
		},
	}
}

// installHook adds (or removes) the activation line in the files the
// shell reads when it starts interactively, through the startup-file
// editor (backed up, undone by gover setup --undo).
func (a *app) installHook(shell, exe string, remove bool) error {
	files, err := shellrc.HookFiles(shell, a.shellEnv())
	if errors.Is(err, shellrc.ErrUnknownShell) {
		return exitcode.Usage(err, "gover activate --help")
	}
	if err != nil {
		return exitcode.WithHint(err, "export HOME=/home/<you>")
	}
	st, err := a.openStore()
	if err != nil {
		return err
	}
	e := a.editor(st)
	if !remove {
		line, err := shellrc.HookLine(shell, exe)
		if err != nil {
			return err
		}
		if err := st.Mark(); err != nil {
			return err
		}
		return a.setBlock(e, files, shellrc.BlockActivate, line+"\n", "the gover hook")
	}
	for _, f := range files {
		changed, err := e.Remove(f, shellrc.BlockActivate)
		if err != nil {
			return err
		}
		if changed {
			fmt.Fprintf(a.stdout, "removed the gover hook from %s\n", f)
		} else {
			fmt.Fprintf(a.stdout, "no gover hook in %s\n", f)
		}
	}
	return nil
}

// hookEnvCommand is what the activate hooks run on every directory change.
// It must stay cheap: one selection, no network, no install.
func (a *app) hookEnvCommand() *cli.Command {
	return &cli.Command{
		Name:   "hook-env",
		Hidden: true,
		Usage:  "print shell commands that set GOROOT for the current folder",
		Action: func(c *cli.Context) error {
			if err := exactArgs(c, 1, 1); err != nil {
				return err
			}
			goroot, _ := a.folderGOROOT()
			out, err := shellrc.HookEnv(c.Args().First(), goroot, a.getenv)
			if err != nil {
				return exitcode.Usage(err, "gover activate --help")
			}
			_, err = fmt.Fprint(a.stdout, out)
			return err
		},
	}
}

// folderGOROOT is the GOROOT of the installed SDK the working folder
// selects and what selected it, or "" when it selects none or that SDK is
// not installed: a prompt hook reports nothing and installs nothing.
func (a *app) folderGOROOT() (goroot, source string) {
	st, err := a.openStore()
	if err != nil {
		return "", ""
	}
	f, err := a.folder(st)
	if err != nil || f.goroot == "" {
		return "", ""
	}
	return f.goroot, f.sel.Source.String()
}

// goverExe is this program's absolute path, for hooks and shims that must
// find it without PATH.
func goverExe() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("finding the gover executable: %w", err)
	}
	return exe, nil
}
