package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strings"

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
		ArgsUsage: "<version>...",
		Description: `Installs each version side by side in the store. A version is exact (1.22.5),
a minor (1.22: its newest patch), latest, or a constraint (~1.22, >=1.21 <1.23).

Sources are tried in order: proxy (the golang.org/toolchain module from GOPROXY,
checked against GOSUMDB), official (go.dev/dl, SHA-256 and signature), mirror
(flat mirrors such as mirrors.aliyun.com/golang/). GOVER_SOURCES or --source
change the order.

Every archive needs a minimum trust (--min-trust or GOVER_MIN_TRUST; default
index): sumdb > signature > index > mirror. An archive whose only evidence is
a mirror's own .sha256 is refused unless you opt in with --min-trust mirror.

   gover install 1.22.5 1.23
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
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but errors"},
		},
		Action: a.install,
	}
}

func (a *app) install(c *cli.Context) error {
	archive := c.String("archive")
	if archive == "" {
		if err := exactArgs(c, 1, -1); err != nil {
			return err
		}
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
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt)
	defer stop()

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
	}
	for _, arg := range args {
		s, err := spec.Parse(arg)
		if err != nil {
			return exitcode.Usage(err, "gover list-remote")
		}
		specs = append(specs, s)
	}
	for _, s := range specs {
		res, err := in.Install(ctx, s, opts)
		if err != nil {
			return err
		}
		if c.Bool("quiet") {
			continue
		}
		m := res.Manifest
		if res.AlreadyInstalled {
			fmt.Fprintf(a.stdout, "go%s is already installed in %s\n", m.Version, m.GOROOT)
			continue
		}
		how := strings.Join(m.Checks, ", ")
		if m.Insecure {
			how = "NOT VERIFIED (--insecure-skip-verify)"
		}
		fmt.Fprintf(a.stdout, "installed go%s (%s) in %s\n\tsource: %s %s\n\tverified: %s (trust: %s)\n", m.Version, m.Platform, m.GOROOT, m.Source.Kind, m.Source.URL, how, m.Trust)
	}
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
	if !quiet {
		in.Out = a.stderr
		in.Downloader.Progress = a.stderr
		in.Downloader.Terminal = isTerminal(a.stderr) && a.getenv("NO_COLOR") == "" && a.getenv("TERM") != "dumb"
	}
	return in, nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w any) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}
