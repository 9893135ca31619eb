package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/store"
	"github.com/gover/gover/store/verify"
	"github.com/gover/gover/versions"
)

func (a *app) verifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "check installed SDKs against the file hashes recorded at install time",
		ArgsUsage: "[version...]",
		Description: `Hashes every file of each installed SDK (all of them when no version is
given) and compares it with the list recorded when it was installed. Changed,
added and missing files are reported, and the exit code is 3 when any SDK
differs. Imported SDKs are not gover's to check and are skipped.

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
	var ms []*store.Manifest
	if c.NArg() == 0 {
		if ms, err = st.List(); err != nil {
			return err
		}
		if len(ms) == 0 {
			fmt.Fprintln(a.stdout, "no Go SDK is installed")
			return nil
		}
	}
	for _, arg := range c.Args().Slice() {
		v, err := parseReleaseArg(arg)
		if err != nil {
			return err
		}
		m, err := st.Lookup(v)
		if err != nil {
			return exitcode.WithHint(err, "gover list")
		}
		ms = append(ms, m)
	}
	var bad []string
	for _, m := range ms {
		v, err := versions.Parse(m.Version)
		if err != nil {
			return err
		}
		if m.Imported {
			fmt.Fprintf(a.stdout, "%s: imported from %s; not checked\n", v.Name(), m.GOROOT)
			continue
		}
		diff, err := verify.CompareFileList(m.GOROOT, st.FileListPath(v))
		if errors.Is(err, fs.ErrNotExist) {
			// No list (an older gover): the tree hash still tells whether
			// anything changed, just not what.
			if m.TreeHash == "" {
				fmt.Fprintf(a.stdout, "%s: no file hashes were recorded at install time; not checked\n", v.Name())
				continue
			}
			h, err := verify.TreeHash(m.GOROOT)
			if err != nil {
				return err
			}
			if h != m.TreeHash {
				fmt.Fprintf(a.stdout, "%s: MODIFIED: the tree hash is %s, %s at install time\n", v.Name(), h, m.TreeHash)
				bad = append(bad, v.String())
				continue
			}
			fmt.Fprintf(a.stdout, "%s: ok\n", v.Name())
			continue
		}
		if err != nil {
			if _, serr := os.Stat(m.GOROOT); serr != nil {
				fmt.Fprintf(a.stdout, "%s: MISSING: %s is gone\n", v.Name(), m.GOROOT)
				bad = append(bad, v.String())
				continue
			}
			return fmt.Errorf("checking %s: %w", v.Name(), err)
		}
		if diff.Empty() {
			fmt.Fprintf(a.stdout, "%s: ok\n", v.Name())
			continue
		}
		fmt.Fprintf(a.stdout, "%s: MODIFIED since install (%d changed, %d added, %d missing)\n", v.Name(), len(diff.Changed), len(diff.Added), len(diff.Missing))
		report := func(what string, names []string) {
			for _, n := range names {
				fmt.Fprintf(a.stdout, "\t%-8s %s\n", what, n)
			}
		}
		report("changed", diff.Changed)
		report("added", diff.Added)
		report("missing", diff.Missing)
		bad = append(bad, v.String())
	}
	if len(bad) > 0 {
		hint := "gover uninstall --force " + bad[0] + " && gover install " + bad[0]
		return exitcode.Verify(fmt.Errorf("%s not as installed: %s", count(len(bad), "SDK"), strings.Join(bad, ", ")), hint)
	}
	return nil
}
