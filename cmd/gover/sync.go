package main

import (
	"github.com/urfave/cli/v2"

	"github.com/gover/gover/registry"
)

func (a *app) syncCommand() *cli.Command {
	return &cli.Command{
		Name:  "sync",
		Usage: "bring the OS in step with the global default SDK",
		Description: `Points GOVER_HOME/current at the global default SDK, links every installed
SDK as GOVER_HOME/bin/goX.Y.Z (so GOTOOLCHAIN finds it instead of downloading)
and, on Windows, writes the registry values the Go installer writes, puts the
shims first on the user PATH and tells running programs. gover use --global
and gover setup do this too; run it after changing things by hand.

--undo restores the registry values and PATH exactly as they were before
gover first changed them (gover keeps a backup in GOVER_HOME).`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "system", Usage: "also the machine-wide registry values and PATH (Windows, elevated)"},
			&cli.BoolFlag{Name: "sdk-links", Usage: "also link SDKs as ~/sdk/goX.Y.Z, where VS Code looks for them"},
			&cli.BoolFlag{Name: "undo", Usage: "put back the registry values and PATH as they were before gover changed them"},
		},
		Action: func(c *cli.Context) error {
			if err := exactArgs(c, 0, 0); err != nil {
				return err
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			if c.Bool("undo") {
				return a.undoOS(st)
			}
			return a.syncOS(st, registry.Options{
				System:   c.Bool("system"),
				SDKLinks: c.Bool("sdk-links"),
				Explicit: true,
			})
		},
	}
}
