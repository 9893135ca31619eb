package main

import (
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/store"
	"github.com/gover/gover/versions"
)

func (a *app) cacheCommand() *cli.Command {
	return &cli.Command{
		Name:  "cache",
		Usage: "list and clean the download cache",
		Description: `gover keeps each verified download in GOVER_HOME/cache/downloads, so a
reinstall needs no network. The cache keeps to a budget of 1 GiB by default
(GOVER_CACHE_MAX=500MB, or 0 to keep nothing), removing the archives used
least recently first. Uninstalling an SDK removes its archive too, unless
--keep-cache is given.`,
		Subcommands: []*cli.Command{{
			Name:      "list",
			Aliases:   []string{"ls"},
			Usage:     "list cached downloads with their sizes",
			ArgsUsage: " ",
			Action:    a.cacheList,
		}, {
			Name:      "clean",
			Usage:     "delete cached downloads (all, or those of the versions given)",
			ArgsUsage: "[<version>...]",
			Description: `Without arguments, deletes every archive kept for offline reinstalls, the
cached release lists and anything interrupted installs left behind. With
versions, deletes only their archives. Installed SDKs are untouched. The
checksum database's verified tree head is kept: it is what lets gover
notice a database that rewrote its history.

Examples:
   gover cache clean
   gover cache clean 1.22.5 1.21.0`,
			Action: a.cacheClean,
		}},
	}
}

func (a *app) cacheList(c *cli.Context) error {
	if err := exactArgs(c, 0, 0); err != nil {
		return err
	}
	st, err := a.openStore()
	if err != nil {
		return err
	}
	es, err := st.CacheEntries()
	if err != nil {
		return err
	}
	var total int64
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	for _, e := range es {
		total += e.Size
		fmt.Fprintf(tw, "go%s\t%s\t%s\tlast used %s\t%s\n", e.Version, e.Platform, humanBytes(e.Size), e.LastUsed.Local().Format("2006-01-02 15:04"), e.Path)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s, %s of %s (GOVER_CACHE_MAX) in %s\n", count(len(es), "download"), humanBytes(total), humanBytes(st.CacheMax()), st.DownloadsDir())
	return nil
}

func (a *app) cacheClean(c *cli.Context) error {
	st, err := a.openStore()
	if err != nil {
		return err
	}
	if c.NArg() > 0 {
		return a.cacheCleanVersions(st, c.Args().Slice())
	}
	freed, err := st.CleanCache()
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	if err := st.Clean(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("cleaning the cache: %w", err)
	}
	fmt.Fprintf(a.stdout, "removed %s from %s\n", humanBytes(freed), st.CacheDir())
	return nil
}

func (a *app) cacheCleanVersions(st *store.Store, args []string) error {
	var vs []versions.Version
	for _, arg := range args {
		v, err := parseReleaseArg(arg)
		if err != nil {
			return err
		}
		if v.IsLang() {
			return exitcode.Usage(fmt.Errorf("%q is a minor version; name a release such as %s.0", arg, v.Lang()), "gover cache list")
		}
		vs = append(vs, v)
	}
	var errs []error
	for _, v := range vs {
		freed, err := st.RemoveCached(v)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if freed == 0 {
			errs = append(errs, exitcode.NotFound(fmt.Errorf("no download of %s is cached", v.Name()), "gover cache list"))
			continue
		}
		fmt.Fprintf(a.stdout, "removed the download of %s (%s)\n", v.Name(), humanBytes(freed))
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
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
