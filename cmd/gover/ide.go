package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/registry"
)

func (a *app) ideCommand() *cli.Command {
	return &cli.Command{
		Name:  "ide",
		Usage: "point an IDE at gover",
		Subcommands: []*cli.Command{
			{
				Name:      "vscode",
				Usage:     "make VS Code's Go extension use the go shim in this workspace",
				ArgsUsage: "[workspace folder]",
				Description: `Merges "go.alternateTools": {"go": "<GOVER_HOME/bin/go>"} into
.vscode/settings.json (comments and other settings are kept) and removes a
"go.goroot" that would pin one SDK for every folder. VS Code then asks the
shim, which follows .go-version, go.work and go.mod.`,
				Action: func(c *cli.Context) error {
					if err := exactArgs(c, 0, 1); err != nil {
						return err
					}
					dir := c.Args().First()
					if dir == "" {
						wd, err := os.Getwd()
						if err != nil {
							return err
						}
						dir = wd
					}
					if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
						// A typo must not create a workspace somewhere new.
						return exitcode.NotFound(fmt.Errorf("no folder %s", dir), "gover ide vscode   (in the workspace folder)")
					}
					st, err := a.openStore()
					if err != nil {
						return err
					}
					goShim := registry.ShimPath(st.BinDir(), "go")
					path, res, err := registry.VSCodeSettings(dir, goShim)
					if err != nil {
						return err
					}
					if res.RemovedGOROOT != "" {
						fmt.Fprintf(a.stdout, "removed \"go.goroot\": %q from %s; it pinned one SDK for every folder\n", res.RemovedGOROOT, path)
					}
					if res.RemovedEnv != "" {
						fmt.Fprintf(a.stdout, "removed GOROOT %q from \"go.toolsEnvVars\" in %s; it pinned one SDK for every folder\n", res.RemovedEnv, path)
					}
					if res.Changed {
						fmt.Fprintf(a.stdout, "%s: go.alternateTools.go = %s\n", path, goShim)
					} else {
						fmt.Fprintf(a.stdout, "%s already uses %s\n", path, goShim)
					}
					if _, err := os.Stat(goShim); err != nil {
						printNotes(a.stderr, []registry.Note{{Msg: fmt.Sprintf("%s does not exist yet", goShim), Hint: "gover setup"}})
					}
					return nil
				},
			},
			a.golandCommand(),
			a.ideStatusCommand(),
		},
	}
}
