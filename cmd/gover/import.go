package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

func (a *app) importCommand() *cli.Command {
	return &cli.Command{
		Name:      "import",
		Usage:     "use a Go installation that is already on this machine",
		ArgsUsage: "<goroot>",
		Description: `Records an existing Go installation (a folder with bin/go and src/) in the
store by reference: gover runs it from where it is, and never modifies or
removes it. The version comes from its VERSION file. A folder that already
sits where the store keeps that version (sdk/go1.21.0, for example when
sdk/ links to ~/sdk) is adopted in place and stays yours.

Examples:
   gover import /usr/local/go
   gover import "C:\Program Files\Go"
   gover import "$(go env GOROOT)"      (sh, bash, zsh, PowerShell)
   for /f "delims=" %d in ('go env GOROOT') do gover import "%d"      (cmd)`,
		Action: a.importGOROOT,
	}
}

func (a *app) importGOROOT(c *cli.Context) error {
	if err := exactArgs(c, 1, 1); err != nil {
		return err
	}
	s, err := a.openStore()
	if err != nil {
		return err
	}
	m, err := s.Import(c.Context, c.Args().First())
	if err != nil {
		return err
	}
	a.syncToolchains(s)
	fmt.Fprintf(a.stdout, "imported go%s (%s) from %s\n", m.Version, m.Platform, m.GOROOT)
	return nil
}
