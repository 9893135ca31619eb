package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

func (a *app) pruneCommand() *cli.Command {
	return &cli.Command{
		Name:      "prune",
		Usage:     "remove old patch releases and leftovers of interrupted installs",
		ArgsUsage: " ",
		Description: `For each minor version (1.22, 1.23, ...) keeps the newest --keep SDKs and
removes the older patch releases. The global default and imported SDKs are
never removed. Also removes what crashed or killed runs left behind
(half-installed SDKs, unfinished downloads), and says how big it was.

Examples:
   gover prune --dry-run
   gover prune
   gover prune --keep 2`,
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "keep", Value: 1, Usage: "how many of the newest patch releases of each minor to keep"},
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "only print what would be removed"},
		},
		Action: a.prune,
	}
}

func (a *app) prune(c *cli.Context) error {
	if err := exactArgs(c, 0, 0); err != nil {
		return err
	}
	s, err := a.openStore()
	if err != nil {
		return err
	}
	dry := c.Bool("dry-run")
	verb := "removed"
	if dry {
		verb = "would remove"
	}
	// Leftovers first: Prune cleans them up before it removes SDKs.
	leftovers, lerr := s.Leftovers()
	vs, err := s.Prune(c.Context, c.Int("keep"), dry)
	left := map[string]bool{}
	if !dry {
		after, _ := s.Leftovers()
		for _, l := range after {
			left[l.Path] = true
		}
	}
	for _, l := range leftovers {
		if !left[l.Path] {
			fmt.Fprintf(a.stdout, "%s %s (%s, %s)\n", verb, l.Path, l.What, humanBytes(l.Size))
		}
	}
	for _, v := range vs {
		fmt.Fprintf(a.stdout, "%s %s\n", verb, v.Name())
	}
	if err == nil {
		err = lerr
	}
	if len(vs) == 0 && len(leftovers) == 0 && err == nil {
		fmt.Fprintln(a.stdout, "nothing to prune")
	}
	return err
}
