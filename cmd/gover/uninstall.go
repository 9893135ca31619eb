package main

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"
)

func (a *app) uninstallCommand() *cli.Command {
	return &cli.Command{
		Name:      "uninstall",
		Aliases:   []string{"rm"},
		Usage:     "remove installed Go SDKs",
		ArgsUsage: "<version>...",
		Description: `Removes each named SDK from the store. The global default is kept
unless --force is given. An imported SDK is only forgotten: its folder
stays where it is.

Examples:
   gover uninstall 1.22.5
   gover uninstall 1.21.0 1.21.1
   gover uninstall --force 1.23.0`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "force", Aliases: []string{"f"}, Usage: "also remove the global default"},
		},
		Action: a.uninstall,
	}
}

func (a *app) uninstall(c *cli.Context) error {
	if err := exactArgs(c, 1, -1); err != nil {
		return err
	}
	// Every argument is checked before anything is removed.
	args := c.Args().Slice()
	for _, arg := range args {
		if _, err := parseReleaseArg(arg); err != nil {
			return err
		}
	}
	s, err := a.openStore()
	if err != nil {
		return err
	}
	global, _ := s.Global()
	var errs []error
	for _, arg := range args {
		v, _ := parseReleaseArg(arg)
		m, _ := s.Lookup(v)
		if err := s.Uninstall(v, c.Bool("force")); err != nil {
			errs = append(errs, err)
			continue
		}
		if m != nil && m.Imported {
			fmt.Fprintf(a.stdout, "forgot %s (imported; %s is untouched)\n", v.Name(), m.GOROOT)
		} else {
			fmt.Fprintf(a.stdout, "removed %s\n", v.Name())
		}
		if v == global {
			fmt.Fprintf(a.stderr, "gover: %s was the global default; choose another with: gover use --global <version>\n", v.Name())
		}
	}
	a.syncToolchains(s)
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}
