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
	"github.com/gover/gover/store/download"
	"github.com/gover/gover/versions"
)

func (a *app) selfUpdateCommand() *cli.Command {
	return &cli.Command{
		Name:      "self-update",
		Usage:     "update gover itself to the latest release",
		ArgsUsage: " ",
		Description: `Downloads the latest gover release (or --version), checks that its
checksums file is signed with gover's release key (built into gover; see
SECURITY.md) and that the archive's SHA-256 is the one listed there, and
replaces this gover binary (the gover-shim next to it, and the copy in
GOVER_HOME/bin when there is one) only once everything checked out. Nothing
downloaded runs before that. Then it runs the new gover's setup to refresh
the shims in GOVER_HOME/bin.

An unsigned or wrongly signed release, or an archive that does not match, is
refused with exit code 3. So is a release older than this gover, unless
--allow-downgrade is given.

Releases are read over https from --base-url, else $GOVER_RELEASE_URL, else
` + release.DefaultBaseURL + `. A mirror copies that
layout: <base>/latest holds the newest tag (such as v1.2.3), and
<base>/download/v1.2.3/ holds the archives, gover_1.2.3_checksums.txt and
its signature gover_1.2.3_checksums.txt.asc. A mirror cannot change which
keys are trusted.

Examples:
   gover self-update --check
   gover self-update
   gover self-update --version 1.2.3
   gover self-update --allow-downgrade --version 1.1.0`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "version", Usage: "install this release instead of the latest"},
			&cli.BoolFlag{Name: "allow-downgrade", Usage: "allow --version to name a release older than this gover"},
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
	keys, err := releaseKeys()
	if err != nil {
		return err
	}
	src := release.Source{
		BaseURL: base,
		Download: &download.Downloader{
			Client:   a.http,
			Progress: a.stderr,
			Terminal: isTerminal(a.stderr) && a.getenv("TERM") != "dumb", // NO_COLOR: colour only
		},
		Keys: keys,
	}
	if err := src.CheckBase(); err != nil {
		return err
	}
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

	u := &release.Updater{
		Source:         src,
		Exe:            exe,
		Platform:       versions.Host(),
		Log:            a.stderr,
		Current:        current,
		AllowDowngrade: c.Bool("allow-downgrade"),
		Copies:         a.goverCopies(),
	}
	if _, err := u.Install(ctx, target); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "gover %s installed in %s (was %s)\n", target, exe, current)
	return a.refreshShims(ctx, exe, target)
}

// goverCopies lists where `gover setup` keeps a copy of gover: next to the
// shims in GOVER_HOME/bin. Self-update keeps it current when it exists.
func (a *app) goverCopies() []string {
	st, err := a.openStore()
	if err != nil {
		return nil
	}
	return []string{filepath.Join(st.BinDir(), "gover"+versions.Host().Exe())}
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
