package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/registry"
	"github.com/gover/gover/store"
	"github.com/gover/gover/store/source"
	"github.com/gover/gover/upgrade"
	"github.com/gover/gover/versions"
	"github.com/gover/gover/versions/spec"
)

func (a *app) outdatedCommand() *cli.Command {
	return &cli.Command{
		Name:  "outdated",
		Usage: "list the Go minors in use that have a newer patch release",
		Description: `For each minor in use (the global default's and every installed SDK's),
shows the newest installed patch and the newest released one.

   $ gover outdated
   1.22  1.22.4 -> 1.22.7
   1.23  1.23.2 (up to date)`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print a JSON array for scripts"},
		},
		Action: func(c *cli.Context) error {
			if err := exactArgs(c, 0, 0); err != nil {
				return err
			}
			_, steps, _, err := a.upgradePlan(c.Context)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				type step struct {
					Minor    string `json:"minor"`
					Current  string `json:"current"`
					Latest   string `json:"latest"`
					Outdated bool   `json:"outdated"`
				}
				out := []step{}
				for _, s := range steps {
					out = append(out, step{s.Minor, s.Current.String(), s.Latest.String(), s.Outdated()})
				}
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			}
			if len(steps) == 0 {
				fmt.Fprintln(a.stdout, "No Go SDKs are installed yet. Install one with:")
				fmt.Fprintln(a.stdout, "  gover install latest")
				return nil
			}
			for _, s := range steps {
				if s.Outdated() {
					fmt.Fprintf(a.stdout, "%-5s %s -> %s\n", s.Minor, s.Current, s.Latest)
				} else {
					fmt.Fprintf(a.stdout, "%-5s %s (up to date)\n", s.Minor, s.Current)
				}
			}
			return nil
		},
	}
}

func (a *app) upgradeCommand() *cli.Command {
	return &cli.Command{
		Name:  "upgrade",
		Usage: "install the newest patch of each Go minor in use and move the global default along",
		Description: `For each minor in use (the global default's and every installed SDK's),
installs its newest patch release. A global default of 1.22.4 becomes 1.22.7;
.go-version files that name a minor (1.22) follow by themselves. Older patches
stay installed unless --prune: then those that nothing pins (the global
default, this folder's version, imported SDKs) are removed.

   gover upgrade --dry-run   # what it would do
   gover upgrade
   gover upgrade --prune`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "print what would change, change nothing"},
			&cli.BoolFlag{Name: "prune", Usage: "remove the superseded patches nothing pins"},
		},
		Action: a.upgrade,
	}
}

// upgradePlan reads the store and the release list (the network, else the
// cache) and plans.
func (a *app) upgradePlan(ctx context.Context) (*source.Installer, []upgrade.Step, []versions.Version, error) {
	in, err := a.installer(false)
	if err != nil {
		return nil, nil, nil, err
	}
	installed, err := in.Store.Installed()
	if err != nil {
		return nil, nil, nil, err
	}
	global, _ := in.Store.Global() // none: only installed minors count
	if len(installed) == 0 {
		return in, nil, nil, nil
	}
	remote, err := in.Remote(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	host := versions.Host()
	var released []versions.Version
	for _, r := range remote.Releases {
		if _, ok := r.Archive(host); ok && r.Stable {
			released = append(released, r.ParsedVersion())
		}
	}
	return in, upgrade.Plan(installed, global, released), installed, nil
}

func (a *app) upgrade(c *cli.Context) error {
	if err := exactArgs(c, 0, 0); err != nil {
		return err
	}
	dry := c.Bool("dry-run")
	in, steps, installed, err := a.upgradePlan(c.Context)
	if err != nil {
		return err
	}
	if len(steps) == 0 {
		return exitcode.NotFound(fmt.Errorf("no Go SDK is installed, so there is nothing to upgrade"), "gover install latest")
	}
	st := in.Store
	defer a.noticeTools(st)()
	would := ""
	if dry {
		would = "would "
	}
	var errs []error
	for _, s := range steps {
		if !s.Outdated() {
			continue
		}
		fmt.Fprintf(a.stdout, "%s: %sinstall %s (from %s)\n", s.Minor, would, s.Latest.Name(), s.Current.Name())
		if dry {
			continue
		}
		sp, _ := spec.Parse(s.Latest.String())
		if _, err := in.Install(c.Context, sp, source.Options{}); err != nil {
			if c.Context.Err() != nil {
				return err
			}
			report(a.stderr, err)
			errs = append(errs, err)
			continue
		}
		installed = append(installed, s.Latest)
	}

	global, _ := st.Global()
	if next := upgrade.Global(global, steps); next != global {
		if _, err := st.Lookup(next); err == nil || dry {
			fmt.Fprintf(a.stdout, "%smove the global default from %s to %s\n", would, global.Name(), next.Name())
			if !dry {
				if err := st.SetGlobal(next); err != nil {
					return err
				}
				if err := a.syncOS(st, registry.Options{}); err != nil {
					return err
				}
			}
			global = next
		}
	}

	if c.Bool("prune") {
		if err := a.pruneSuperseded(c.Context, st, installed, steps, global, dry); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return exitcode.New(exitcode.Code(errs[0]), fmt.Errorf("%d of the upgrades failed", len(errs)), "")
	}
	if !anyOutdated(steps) {
		fmt.Fprintln(a.stdout, "every Go minor in use is on its newest patch")
	}
	return nil
}

func anyOutdated(steps []upgrade.Step) bool {
	for _, s := range steps {
		if s.Outdated() {
			return true
		}
	}
	return false
}

// pruneSuperseded removes older patches of upgraded minors, never one that
// is pinned: the global default, the version this folder runs, an import.
func (a *app) pruneSuperseded(ctx context.Context, st *store.Store, installed []versions.Version, steps []upgrade.Step, global versions.Version, dry bool) error {
	var folder versions.Version
	if f, err := a.folder(st); err == nil {
		folder, _ = versions.Parse(f.name)
	}
	pinned := func(v versions.Version) bool {
		if v == global || v == folder {
			return true
		}
		m, err := st.Lookup(v)
		return err != nil || m.Imported
	}
	var failed []string
	for _, v := range upgrade.Superseded(installed, steps, pinned) {
		if dry {
			fmt.Fprintf(a.stdout, "would remove %s\n", v.Name())
			continue
		}
		if _, err := st.Uninstall(ctx, v, store.UninstallOptions{}); err != nil {
			report(a.stderr, err)
			failed = append(failed, v.String())
			continue
		}
		fmt.Fprintf(a.stdout, "removed %s\n", v.Name())
	}
	if len(failed) > 0 {
		return fmt.Errorf("could not remove %s", strings.Join(failed, ", "))
	}
	return nil
}
