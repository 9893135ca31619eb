package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fsx"
	"github.com/gover/gover/registry"
	"github.com/gover/gover/shim"
	"github.com/gover/gover/store"
	"github.com/gover/gover/store/source"
	"github.com/gover/gover/versions"
	"github.com/gover/gover/versions/spec"
)

func (a *app) useCommand() *cli.Command {
	return &cli.Command{
		Name:      "use",
		Usage:     "select a Go version for this folder (.go-version) or, with --global, everywhere else",
		ArgsUsage: "[version]",
		Description: `Installs the version if needed, then writes it to .go-version in the current
folder, where the go shim finds it for this folder and every folder below.

   gover use 1.22.5          # exactly 1.22.5 here
   gover use 1.22            # the newest installed 1.22.x here (so do 1.22.x and ~1.22)
   gover use '>=1.21 <1.23'  # a range: pinned to the patch it picks today
   gover use --global 1.23   # the default where nothing else selects one
   gover use                 # install whatever this folder already selects`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "global", Aliases: []string{"g"}, Usage: "set the global default instead of writing .go-version"},
		},
		Action: a.use,
	}
}

func (a *app) use(c *cli.Context) error {
	if err := exactArgs(c, 0, 1); err != nil {
		return err
	}
	st, err := a.openStore()
	if err != nil {
		return err
	}
	ctx := c.Context

	if !c.Args().Present() {
		if c.Bool("global") {
			return exitcode.Usage(fmt.Errorf("gover use --global needs a version"), "gover use --global 1.22.5")
		}
		f, err := a.folder(st)
		if err != nil {
			return err
		}
		if f.goroot == "" {
			if _, err := a.ensureInstalled(ctx, st, f.sel.Spec()); err != nil {
				return err
			}
			if f, err = a.folder(st); err != nil {
				return err
			}
		}
		_, err = fmt.Fprintf(a.stdout, "%s (set by %s) is installed in %s\n", f.name, f.sel.Source, f.goroot)
		return err
	}

	arg := c.Args().First()
	v, err := a.ensureInstalled(ctx, st, arg)
	if err != nil {
		return err
	}
	if c.Bool("global") {
		defer a.noticeTools(st)()
		if err := st.SetGlobal(v); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "%s is now the global default\n", v.Name())
		return a.syncOS(st, registry.Options{})
	}

	// Write what the user asked for when a .go-version can hold it ("1.22"
	// keeps following 1.22's newest patch); a constraint or "latest" is
	// pinned to the version it chose today.
	content := v.String()
	if name, err := shim.ParseSpec(arg); err == nil {
		content = strings.TrimPrefix(name, "go")
	} else if minor, ok := anyPatchOf(arg); ok {
		content = minor // 1.22.x and ~1.22 mean what 1.22 means
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	path := filepath.Join(wd, ".go-version")
	if err := writeGoVersion(path, content); err != nil {
		return err
	}
	if _, err = fmt.Fprintf(a.stdout, "wrote %s to %s\n", content, path); err != nil {
		return err
	}
	a.followGoLand(st, wd)
	return nil
}

// anyPatchOf reports whether arg asks for any patch of one minor, the way
// "1.22" does, in range syntax: 1.22.x, 1.22.*, ~1.22, ~1.22.0.
func anyPatchOf(arg string) (string, bool) {
	t := strings.TrimPrefix(strings.TrimSpace(arg), "go")
	tilde := strings.HasPrefix(t, "~")
	t = strings.TrimPrefix(strings.TrimPrefix(t, "~"), "go")
	switch {
	case strings.HasSuffix(t, ".x"), strings.HasSuffix(t, ".X"), strings.HasSuffix(t, ".*"):
		t = t[:len(t)-2]
	case tilde && strings.HasSuffix(t, ".0") && strings.Count(t, ".") == 2:
		t = strings.TrimSuffix(t, ".0")
	case !tilde:
		return "", false
	}
	v, err := versions.Parse(t)
	if err != nil || !v.IsLang() || strings.Count(t, ".") != 1 {
		return "", false
	}
	return v.Lang(), true
}

// writeGoVersion replaces a .go-version file, keeping any comment lines
// the user wrote in it.
func writeGoVersion(path, version string) error {
	var keep []string
	if old, err := os.ReadFile(path); err == nil {
		for line := range strings.Lines(string(old)) {
			if t := strings.TrimSpace(line); strings.HasPrefix(t, "#") {
				keep = append(keep, strings.TrimRight(line, "\r\n"))
			}
		}
	}
	data := strings.Join(append(keep, version), "\n") + "\n"
	return fsx.WriteFileAtomic(path, []byte(data), 0o644)
}

// ensureInstalled returns the installed version arg names, installing it
// through the same installer `gover install` uses when nothing installed
// matches. arg is anything gover install takes: 1.22.5, 1.22, latest,
// ~1.22.
func (a *app) ensureInstalled(ctx context.Context, st *store.Store, arg string) (versions.Version, error) {
	if name, err := shim.ParseSpec(arg); err == nil {
		names, err := installedNames(st)
		if err != nil {
			return versions.Version{}, err
		}
		if got, ok := shim.Resolve(shim.Request{Version: name}, names); ok {
			return versions.Parse(got)
		}
	}
	s, err := spec.Parse(arg)
	if err != nil {
		return versions.Version{}, exitcode.Usage(err, "gover list-remote")
	}
	in, err := a.installerFor(st, false)
	if err != nil {
		return versions.Version{}, err
	}
	res, err := in.Install(ctx, s, source.Options{})
	if err == nil {
		a.syncToolchains(st)
	}
	if err != nil {
		return versions.Version{}, err
	}
	return versions.Parse(res.Manifest.Version)
}
