package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/store"
	"github.com/gover/gover/store/source"
	"github.com/gover/gover/versions"
	"github.com/gover/gover/versions/spec"
)

func (a *app) installCommand() *cli.Command {
	return &cli.Command{
		Name:      "install",
		Usage:     "download, verify and install Go SDKs",
		ArgsUsage: "[version]...",
		Description: `Installs each version side by side in the store. A version is exact (1.22.5),
a minor (1.22: its newest patch), latest, or a constraint (~1.22, >=1.21 <1.23).

Sources are tried in order: proxy (the golang.org/toolchain module from GOPROXY,
checked against GOSUMDB), official (go.dev/dl, SHA-256 and signature), mirror
(flat mirrors such as mirrors.aliyun.com/golang/). GOVER_SOURCES or --source
change the order. A download that stays under 1 KiB/s for GOVER_STALL_TIMEOUT
(30s) is dropped and resumed. Ctrl+C, SIGTERM and SIGHUP stop an install and
remove what it wrote.

Every archive needs a minimum trust (--min-trust or GOVER_MIN_TRUST; default
index): sumdb > signature > index > mirror. An archive whose only evidence is
a mirror's own .sha256 is refused unless you opt in with --min-trust mirror.

   gover install              # the version this folder selects (gover current)
   gover install 1.22.5 1.23
   gover install --force 1.22.5   # repair: download and verify it again
   gover install --source mirror --mirror https://mirrors.ustc.edu.cn/golang/ 1.22
   gover install --archive ./go1.22.5.linux-amd64.tar.gz --sha256 <hash>`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "source", Usage: "sources to try, in order: proxy, official, mirror (comma-separated)"},
			&cli.StringFlag{Name: "platform", Usage: "install for `os/arch` instead of this machine"},
			&cli.StringFlag{Name: "archive", Usage: "install a local archive `file` (.tar.gz, .zip, or a toolchain module zip)"},
			&cli.StringFlag{Name: "version", Usage: "the Go version inside --archive, when its name does not say"},
			&cli.StringFlag{Name: "sha256", Usage: "the expected SHA-256 of --archive"},
			&cli.StringSliceFlag{Name: "mirror", Usage: "mirror base `URL` to use instead of the built-in list (repeatable)"},
			&cli.StringFlag{Name: "min-trust", Usage: "the `trust` an install needs: sumdb, signature, index (default) or mirror (also GOVER_MIN_TRUST)"},
			&cli.BoolFlag{Name: "insecure-skip-verify", Usage: "install even when verification fails or is impossible (recorded in the manifest)"},
			&cli.BoolFlag{Name: "force", Aliases: []string{"f"}, Usage: "install again even when installed: repairs a damaged SDK"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but errors"},
		},
		Action: a.install,
	}
}

func (a *app) install(c *cli.Context) error {
	archive := c.String("archive")
	if archive == "" {
		for _, f := range []string{"version", "sha256"} {
			if c.IsSet(f) {
				return exitcode.Usage(fmt.Errorf("--%s goes with --archive", f), "gover install --archive <file> --"+f+" <value>")
			}
		}
	} else if err := exactArgs(c, 0, 1); err != nil {
		return err
	}
	opts, err := installOptions(c)
	if err != nil {
		return err
	}
	in, err := a.installer(c.Bool("quiet"))
	if err != nil {
		return err
	}
	// Ctrl+C, SIGTERM and SIGHUP cancel c.Context (see signal.go); the
	// transaction then removes what it wrote.
	ctx := c.Context
	defer a.noticeTools(in.Store)()

	var specs []spec.Spec
	args := c.Args().Slice()
	if archive != "" {
		if v := c.String("version"); v != "" {
			if len(args) > 0 {
				return exitcode.Usage(fmt.Errorf("give the version once: --version or an argument"), "gover install --archive "+archive+" --version <version>")
			}
			args = []string{v}
		}
		if len(args) == 0 {
			specs = append(specs, spec.Spec{})
		}
	} else if len(args) == 0 {
		// No version: the one this folder selects, as the go shim would.
		f, err := a.folder(in.Store)
		if errors.Is(err, errNothingSelected) {
			return exitcode.Usage(fmt.Errorf("install needs a version: %w", err), "gover install latest")
		}
		if err != nil {
			return err
		}
		args = []string{f.sel.Spec()}
		fmt.Fprintf(a.stderr, "gover: installing %s (set by %s)\n", f.sel.Spec(), f.sel.Source)
	}
	for _, arg := range args {
		s, err := spec.Parse(arg)
		if err != nil {
			return exitcode.Usage(err, "gover list-remote")
		}
		specs = append(specs, s)
	}
	// Each version is tried even when an earlier one failed, as uninstall
	// does; the exit code is the failures' own when they agree.
	var failed []string
	code := exitcode.CodeOK
	for i, s := range specs {
		err := a.installOne(ctx, c, in, s, opts)
		if err == nil {
			continue
		}
		if len(specs) == 1 || ctx.Err() != nil {
			return err
		}
		report(a.stderr, err)
		name := s.String()
		if name == "" {
			name = args[i]
		}
		failed = append(failed, name)
		if code == exitcode.CodeOK || code == exitcode.Code(err) {
			code = exitcode.Code(err)
		} else {
			code = exitcode.CodeError
		}
	}
	if len(failed) > 0 {
		return exitcode.New(code, fmt.Errorf("%d of %d versions failed: %s", len(failed), len(specs), strings.Join(failed, ", ")), "")
	}
	return nil
}

// installOne installs one version and says what it did.
func (a *app) installOne(ctx context.Context, c *cli.Context, in *source.Installer, s spec.Spec, opts source.Options) error {
	if c.String("archive") == "" {
		// --force repairs; a plain install replaces an SDK that was
		// installed with --insecure-skip-verify by a verified one.
		v, m := installedFor(in.Store, s)
		unverified := m != nil && m.Insecure && !m.Imported && !opts.InsecureSkipVerify
		if unverified {
			fmt.Fprintf(a.stderr, "gover: %s was installed with --insecure-skip-verify and is UNVERIFIED; downloading and verifying it again\n", v.Name())
		}
		if m != nil && (c.Bool("force") || unverified) {
			if err := a.removeForRepair(ctx, in, v, m); err != nil {
				return err
			}
		}
	}
	res, err := in.Install(ctx, s, opts)
	if err != nil {
		return err
	}
	a.syncToolchains(in.Store)
	if c.Bool("quiet") {
		return nil
	}
	m := res.Manifest
	if res.AlreadyInstalled {
		fmt.Fprintf(a.stdout, "go%s is already installed in %s (repair it with: gover install --force %s)\n", m.Version, m.GOROOT, m.Version)
		return nil
	}
	how := strings.Join(m.Checks, ", ")
	if m.Insecure {
		how = "NOT VERIFIED (--insecure-skip-verify)"
	}
	fmt.Fprintf(a.stdout, "installed go%s (%s) in %s\n\tsource: %s %s\n\tverified: %s (trust: %s)\n", m.Version, m.Platform, m.GOROOT, m.Source.Kind, m.Source.URL, how, m.Trust)
	return nil
}

// installedFor returns the installed SDK that s names, and its manifest, or
// a nil manifest when there is none (or it cannot be read: install anyway).
func installedFor(st *store.Store, s spec.Spec) (versions.Version, *store.Manifest) {
	v, ok := s.Exact()
	if !ok {
		names, err := installedNames(st)
		if err != nil {
			return v, nil
		}
		var vs []versions.Version
		for _, n := range names {
			if x, err := versions.Parse(n); err == nil {
				vs = append(vs, x)
			}
		}
		if v, ok = s.Resolve(vs); !ok {
			return v, nil
		}
	}
	m, err := st.Lookup(v)
	if err != nil {
		return v, nil
	}
	return v, m
}

// removeForRepair uninstalls installed SDK v, so that the install that
// follows downloads (or takes from the cache) and verifies it afresh. An
// imported SDK is not gover's to replace.
func (a *app) removeForRepair(ctx context.Context, in *source.Installer, v versions.Version, m *store.Manifest) error {
	if m.Imported {
		return exitcode.Usage(fmt.Errorf("%s is imported from %s; gover does not replace a folder it did not create", v.Name(), m.GOROOT), "gover uninstall --force "+v.String())
	}
	if _, err := in.Store.Uninstall(ctx, v, store.UninstallOptions{Reinstall: true}); err != nil {
		return err
	}
	if !a.verbose {
		return nil
	}
	fmt.Fprintf(a.stderr, "gover: removed %s to install it again\n", v.Name())
	return nil
}

func installOptions(c *cli.Context) (source.Options, error) {
	opts := source.Options{
		Archive:            c.String("archive"),
		SHA256:             c.String("sha256"),
		InsecureSkipVerify: c.Bool("insecure-skip-verify"),
	}
	if t := c.String("min-trust"); t != "" {
		mt, err := store.ParseMinTrust(t)
		if err != nil {
			return opts, exitcode.Usage(err, "gover install --min-trust index <version>")
		}
		opts.MinTrust = mt
	}
	if h := opts.SHA256; h != "" && !isSHA256(h) {
		return opts, exitcode.Usage(fmt.Errorf("--sha256 %q is not a SHA-256: want 64 hexadecimal digits", h), "gover install --archive "+opts.Archive+" --sha256 <64 hex digits from the download page>")
	}
	if p := c.String("platform"); p != "" {
		plat, err := versions.ParsePlatform(p)
		if err != nil {
			return opts, exitcode.Usage(err, "gover install --platform linux/amd64 <version>")
		}
		opts.Platform = plat
	}
	if s := c.String("source"); s != "" {
		l, err := source.ParseSources(s)
		if err != nil {
			return opts, exitcode.Usage(err, "gover install --source proxy,official,mirror <version>")
		}
		opts.Sources = l
	}
	if m := c.StringSlice("mirror"); len(m) > 0 {
		l, err := source.ParseMirrors(strings.Join(m, ","))
		if err != nil {
			return opts, exitcode.Usage(err, "gover install --mirror https://mirrors.aliyun.com/golang/ <version>")
		}
		opts.Mirrors = l
		if opts.Sources == nil {
			opts.Sources = []string{source.KindMirror}
		}
	}
	return opts, nil
}

func isSHA256(s string) bool {
	_, err := hex.DecodeString(s)
	return len(s) == 64 && err == nil
}

// settings reads the download settings from the environment and the user's
// go env file.
func (a *app) settings() (*source.Settings, error) {
	return source.LoadSettings(a.getenv, source.UserConfigDir(runtime.GOOS, a.getenv))
}

// installer builds the installer the install, list-remote and auto-install
// paths share. Notes and progress go to stderr; a bar only on a terminal.
func (a *app) installer(quiet bool) (*source.Installer, error) {
	st, err := a.openStore()
	if err != nil {
		return nil, err
	}
	return a.installerFor(st, quiet)
}

func (a *app) installerFor(st *store.Store, quiet bool) (*source.Installer, error) {
	settings, err := a.settings()
	if err != nil {
		return nil, err
	}
	in, err := source.NewInstaller(st, a.http, settings)
	if err != nil {
		return nil, exitcode.Usage(err, "gover doctor")
	}
	if v := a.getenv("GOVER_STALL_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return nil, exitcode.Usage(fmt.Errorf("GOVER_STALL_TIMEOUT=%q is not a positive duration", v), "GOVER_STALL_TIMEOUT=30s")
		}
		in.Downloader.Stall = d
	}
	if !quiet {
		in.Out = &noteWriter{w: a.stderr, verbose: a.verbose}
		// NO_COLOR turns off colour only; the bar has none.
		in.Downloader.Terminal = isTerminal(a.stderr) && a.getenv("TERM") != "dumb"
		in.Downloader.Progress = in.Out
		if in.Downloader.Terminal {
			in.Downloader.Progress = a.stderr
		}
	}
	return in, nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w any) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}
