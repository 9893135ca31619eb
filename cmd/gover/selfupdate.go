package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/buildinfo"
	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/release"
	"github.com/gover/gover/store"
)

func (a *app) selfUpdateCommand() *cli.Command {
	return &cli.Command{
		Name:      "self-update",
		Usage:     "update gover itself to the latest release",
		ArgsUsage: " ",
		Description: `Downloads the latest gover release (or --version), checks its SHA-256
against the release's checksums file, and replaces this gover binary (and
the gover-shim next to it) only once everything checked out. Then it runs
the new gover's setup to refresh the shims in GOVER_HOME/bin.

Releases are read from --base-url, else $GOVER_RELEASE_URL, else
` + release.DefaultBaseURL + `. A mirror copies that
layout: <base>/latest holds the newest tag (such as v1.2.3), and
<base>/download/v1.2.3/ holds the archives and gover_1.2.3_checksums.txt.

Examples:
   gover self-update --check
   gover self-update
   gover self-update --version 1.2.3`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "version", Usage: "install this release, newer or older, instead of the latest"},
			&cli.StringFlag{Name: "base-url", Usage: "where releases live (default: $GOVER_RELEASE_URL, else GitHub)"},
			&cli.BoolFlag{Name: "check", Usage: "only report whether a newer release exists; change nothing"},
		},
		Action: a.selfUpdate,
	}
}

func (a *app) selfUpdate(c *cli.Context) error {
	if err := exactArgs(c, 0, 0); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Context, 15*time.Minute)
	defer cancel()

	base := c.String("base-url")
	if base == "" {
		base = a.getenv("GOVER_RELEASE_URL")
	}
	if base == "" {
		base = release.DefaultBaseURL
	}
	src := release.Source{BaseURL: base, Client: a.http}
	current := buildinfo.Get().Version

	var target string
	if v := c.String("version"); v != "" {
		var err error
		if target, err = release.ParseVersion(v); err != nil {
			return exitcode.Usage(err, "gover self-update --version 1.2.3")
		}
	} else {
		var err error
		if target, err = src.Latest(ctx); err != nil {
			return err
		}
		if !release.Newer(target, current) {
			fmt.Fprintf(a.stdout, "gover %s is up to date (the latest release is %s)\n", current, target)
			return nil
		}
	}
	if c.Bool("check") {
		fmt.Fprintf(a.stdout, "gover %s is available (this is %s); run: gover self-update", target, current)
		if c.String("version") != "" {
			fmt.Fprintf(a.stdout, " --version %s", target)
		}
		fmt.Fprintln(a.stdout)
		return nil
	}

	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		return fmt.Errorf("cannot find the running gover binary: %w", err)
	}
	if manager, update := release.ManagedBy(exe); manager != "" {
		return exitcode.Usage(fmt.Errorf("%s installed this gover (%s); update it there", manager, exe), update)
	}

	u := &release.Updater{Source: src, Exe: exe, Platform: release.Host(), Log: a.stderr}
	if _, err := u.Install(ctx, target); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "gover %s installed in %s (was %s)\n", target, exe, current)
	return a.refreshShims(ctx, exe, target)
}

// refreshShims runs the new gover's setup when a store with shims exists, so
// the shims match the new release. A fresh machine without GOVER_HOME/bin
// has nothing to refresh.
func (a *app) refreshShims(ctx context.Context, exe, version string) error {
	root, err := store.Locate(a.getenv, exe)
	if err != nil {
		return nil
	}
	bin := store.New(root).BinDir()
	if _, err := os.Stat(bin); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	cmd := exec.CommandContext(ctx, exe, "setup")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, a.stdout, a.stderr
	if err := cmd.Run(); err != nil {
		return exitcode.WithHint(fmt.Errorf("gover %s is installed, but refreshing the shims in %s failed: %w", version, bin, err), "gover setup")
	}
	return nil
}
