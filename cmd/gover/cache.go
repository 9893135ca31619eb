package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
)

func (a *app) cacheCommand() *cli.Command {
	return &cli.Command{
		Name:  "cache",
		Usage: "manage the download cache",
		Subcommands: []*cli.Command{{
			Name:  "clean",
			Usage: "delete cached downloads and release lists, and leftovers of interrupted installs",
			Description: `Deletes the archives kept for offline reinstalls, the cached release lists
and anything interrupted installs left behind. Installed SDKs are untouched.
The checksum database's verified tree head is kept: it is what lets gover
notice a database that rewrote its history.`,
			Action: a.cacheClean,
		}},
	}
}

func (a *app) cacheClean(c *cli.Context) error {
	if c.NArg() > 0 {
		return exitcode.Usage(fmt.Errorf("cache clean takes no arguments, got %d", c.NArg()), "gover cache clean")
	}
	st, err := a.openStore()
	if err != nil {
		return err
	}
	dir := st.CacheDir()
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	var freed int64
	var errs []error
	for _, e := range entries {
		if e.Name() == "sumdb" {
			continue
		}
		p := filepath.Join(dir, e.Name())
		freed += du(p)
		if err := os.RemoveAll(p); err != nil {
			errs = append(errs, err)
		}
	}
	if err := st.Clean(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("cleaning the cache: %w", err)
	}
	fmt.Fprintf(a.stdout, "removed %s from %s\n", humanBytes(freed), dir)
	return nil
}

// du is the size of the files under p.
func du(p string) int64 {
	var n int64
	filepath.WalkDir(p, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
