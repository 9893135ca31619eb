package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/store"
	"github.com/gover/gover/store/extract"
	"github.com/gover/gover/store/verify"
)

func (a *app) verifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "check installed SDKs against the file hashes recorded at install time",
		ArgsUsage: "[version...]",
		Description: `Hashes every file of each installed SDK (all of them when no version is
given), in the folder the go shim runs, and compares it with the list
recorded when it was installed. It reports changed, added and missing files,
permissions gover never gives (setuid, an exec bit gained or lost, group or
world write), symbolic links, FIFOs and devices (never followed or opened),
SDKs installed with --insecure-skip-verify, and manifests that contradict
the store. It checks every SDK even when one fails, and the exit code is 3
when anything was found. Imported SDKs are the user's own folders and are
not checked.

   gover verify
   gover verify 1.22.5`,
		Action: a.verify,
	}
}

func (a *app) verify(c *cli.Context) error {
	st, err := a.openStore()
	if err != nil {
		return err
	}
	var (
		ms      []*store.Manifest
		listErr error // manifests that cannot be read: findings too
	)
	if c.NArg() == 0 {
		ms, listErr = st.List()
		if len(ms) == 0 && listErr == nil {
			fmt.Fprintln(a.stdout, "no Go SDK is installed")
			return nil
		}
	}
	var lookupErrs []error
	for _, arg := range c.Args().Slice() {
		v, err := parseReleaseArg(arg)
		if err != nil {
			return err
		}
		m, err := st.Lookup(v)
		if errors.Is(err, store.ErrNotInstalled) {
			return exitcode.WithHint(err, "gover list")
		}
		if err != nil {
			lookupErrs = append(lookupErrs, err)
			continue
		}
		ms = append(ms, m)
	}
	var bad []string
	for _, m := range ms {
		r := verify.CheckInstalled(st, m, extract.Mode)
		a.printVerify(r)
		if !r.OK() {
			bad = append(bad, r.Version.String())
		}
	}
	hint := ""
	if len(bad) > 0 {
		hint = "gover install --force " + bad[0] // a repair: downloaded or from the cache, verified again
	}
	if err := errors.Join(append([]error{listErr}, lookupErrs...)...); err != nil {
		fmt.Fprintf(a.stdout, "unreadable manifests:\n\t%s\n", strings.ReplaceAll(err.Error(), "\n", "\n\t"))
		bad = append(bad, "unreadable manifests")
		if hint == "" {
			hint = exitcode.Hint(err)
		}
	}
	if len(bad) > 0 {
		return exitcode.Verify(fmt.Errorf("%s could not be vouched for: %s", count(len(bad), "SDK"), strings.Join(bad, ", ")), hint)
	}
	return nil
}

// printVerify prints one SDK's result: "go1.22.5: ok", or what was found.
func (a *app) printVerify(r *verify.Installed) {
	name := r.Version.Name()
	for _, n := range r.Notes {
		fmt.Fprintf(a.stdout, "%s: note: %s\n", name, n)
	}
	if r.Imported {
		fmt.Fprintf(a.stdout, "%s: imported from %s; not checked\n", name, r.Dir)
		return
	}
	for _, p := range r.Problems {
		fmt.Fprintf(a.stdout, "%s: %s\n", name, p)
	}
	if r.Err != nil {
		fmt.Fprintf(a.stdout, "%s: CANNOT CHECK %s: %v\n", name, r.Dir, r.Err)
	}
	d := r.Diff
	if !d.Empty() {
		fmt.Fprintf(a.stdout, "%s: MODIFIED since install (%d changed, %d added, %d missing, %d with wrong permissions, %d not regular files)\n",
			name, len(d.Changed), len(d.Added), len(d.Missing), len(d.Modes), len(d.Special))
		report := func(what string, names []string) {
			for _, n := range names {
				fmt.Fprintf(a.stdout, "\t%-8s %s\n", what, n)
			}
		}
		report("changed", d.Changed)
		report("added", d.Added)
		report("missing", d.Missing)
		for _, m := range d.Modes {
			report("mode", []string{m.String()})
		}
		for _, s := range d.Special {
			report("special", []string{s.String() + " (not followed)"})
		}
	}
	if r.OK() {
		fmt.Fprintf(a.stdout, "%s: ok\n", name)
	}
}
