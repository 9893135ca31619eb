package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/shim"
	"github.com/gover/gover/store"
	"github.com/gover/gover/versions"
)

func (a *app) uninstallCommand() *cli.Command {
	return &cli.Command{
		Name:      "uninstall",
		Aliases:   []string{"rm"},
		Usage:     "remove installed Go SDKs",
		ArgsUsage: "<version>...",
		Description: `Removes each named SDK from the store, with its downloaded archive in the
cache (unless --keep-cache). A minor version (1.22) names the one installed
1.22.x. The global default is kept unless --force is given; forcing it out
leaves no global default. An imported SDK is only forgotten: its folder
stays where it is.

Examples:
   gover uninstall 1.22.5
   gover uninstall 1.21.0 1.21.1
   gover uninstall 1.22
   gover uninstall --force 1.23.0`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "force", Aliases: []string{"f"}, Usage: "also remove the global default (and leave no default)"},
			&cli.BoolFlag{Name: "keep-cache", Usage: "keep the downloaded archive for an offline reinstall"},
		},
		Action: a.uninstall,
	}
}

func (a *app) uninstall(c *cli.Context) error {
	if err := exactArgs(c, 1, -1); err != nil {
		return err
	}
	s, err := a.openStore()
	if err != nil {
		return err
	}
	installed, err := s.Installed()
	if err != nil {
		return err
	}
	// Every argument is checked before anything is removed.
	var vs []versions.Version
	for _, arg := range c.Args().Slice() {
		v, err := installedRelease(arg, installed)
		if err != nil {
			return err
		}
		vs = append(vs, v)
	}
	// The folder's own choice, before anything goes: uninstalling what it
	// pins means the next go here installs it again.
	pinned, pinErr := a.folder(s)
	opts := store.UninstallOptions{Force: c.Bool("force"), KeepCache: c.Bool("keep-cache")}
	var errs []error
	for _, v := range vs {
		res, err := s.Uninstall(c.Context, v, opts)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if m := res.Manifest; m != nil && m.Imported {
			fmt.Fprintf(a.stdout, "forgot %s (imported; %s is untouched)\n", v.Name(), m.GOROOT)
		} else {
			fmt.Fprintf(a.stdout, "removed %s\n", v.Name())
		}
		if res.CacheFreed > 0 {
			fmt.Fprintf(a.stdout, "removed its download (%s) from the cache\n", humanBytes(res.CacheFreed))
		}
		if res.ClearedGlobal {
			fmt.Fprintf(a.stderr, "gover: %s was the global default; there is no global default now (%s and %s are gone)\ngover: hint: gover use --global <version>\n", v.Name(), s.VersionFile(), s.CurrentLink())
		}
		if pinErr == nil && pinned.sel.Source.Kind != shim.FromGlobal && pinned.name == v.Name() {
			fmt.Fprintf(a.stderr, "gover: warning: this folder selects %s (%s); the next go command here installs it again\n", v.Name(), pinned.sel.Source)
		}
	}
	a.syncToolchains(s)
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// installedRelease is the installed SDK arg names: an exact release, or a
// minor version ("1.22") that matches exactly one installed release.
func installedRelease(arg string, installed []versions.Version) (versions.Version, error) {
	v, err := parseReleaseArg(arg)
	if err != nil || !v.IsLang() {
		return v, err
	}
	var matches []string
	var match versions.Version
	for _, iv := range installed {
		if iv.Lang() == v.Lang() {
			matches = append(matches, iv.String())
			match = iv
		}
	}
	switch len(matches) {
	case 1:
		return match, nil
	case 0:
		return v, exitcode.NotFound(fmt.Errorf("no go%s.x is installed", v.Lang()), "gover list")
	}
	return v, exitcode.Usage(fmt.Errorf("%s matches %d installed SDKs (%s); name the one to remove", arg, len(matches), strings.Join(matches, ", ")), "gover uninstall "+matches[0])
}
