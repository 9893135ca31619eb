package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/shim"
	"github.com/gover/gover/store"
	"github.com/gover/gover/versions"
	"github.com/gover/gover/versions/spec"
)

func (a *app) currentCommand() *cli.Command {
	return &cli.Command{
		Name:  "current",
		Usage: "print the Go version this folder selects and what selected it",
		Description: `Runs the same selection as the go shim, which follows cmd/go's own rules:
the pin (GOVER_VERSION, else the nearest .go-version or .tool-versions, else
the global default), replaced by a GOTOOLCHAIN naming a release, and raised
to what the go.work or go.mod requires unless GOTOOLCHAIN forbids switching.
When the result is not simply the pin, a second line says why, and a third
names every file that took part.

   $ gover current
   go1.26.8 (set by go line in /home/me/src/app/go.mod)
     /home/me/src/app/go.mod requires go1.26.8 or later (its go line); /home/me/src/app/.go-version asks for go1.22.5
     files: /home/me/src/app/.go-version, /home/me/src/app/go.mod`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print a JSON object for scripts"},
		},
		Action: func(c *cli.Context) error {
			if err := exactArgs(c, 0, 0); err != nil {
				return err
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			f, err := a.folder(st)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(currentJSON{
					Version:    strings.TrimPrefix(f.name, "go"),
					Name:       f.name,
					Requested:  strings.TrimPrefix(f.sel.Version, "go"),
					Minimum:    strings.TrimPrefix(f.sel.Min, "go"),
					Source:     f.sel.Source.Kind,
					File:       f.sel.Source.Path,
					Installed:  f.goroot != "",
					GOROOT:     f.goroot,
					Pin:        strings.TrimPrefix(f.sel.Pin.Version, "go"),
					PinSource:  f.sel.Pin.Source.Kind,
					PinFile:    f.sel.Pin.Source.Path,
					Why:        f.sel.Why,
					Files:      f.sel.Files,
					Unverified: f.unverified,
				})
			}
			line := fmt.Sprintf("%s (set by %s)", f.name, f.sel.Source)
			if f.goroot == "" {
				line += "; not installed, run: " + a.installHint(st, f.sel.Spec())
			}
			if f.unverified {
				line += "; UNVERIFIED (installed with --insecure-skip-verify), verify it with: gover install " + strings.TrimPrefix(f.name, "go")
			}
			if f.sel.Why != "" {
				line += "\n  " + f.sel.Why
				if len(f.sel.Files) > 0 {
					line += "\n  files: " + strings.Join(f.sel.Files, ", ")
				}
			}
			_, err = fmt.Fprintln(a.stdout, line)
			return err
		},
	}
}

type currentJSON struct {
	Version   string   `json:"version"`           // "1.22.5", or "1.22" when a minor is asked for and none is installed
	Name      string   `json:"name"`              // "go1.22.5"
	Requested string   `json:"requested"`         // what the source asked for: "1.22"
	Minimum   string   `json:"minimum,omitempty"` // from a go line: the lowest acceptable version
	Source    string   `json:"source"`            // GOVER_VERSION, GOTOOLCHAIN, .go-version, toolchain, go, global
	File      string   `json:"file,omitempty"`
	Installed bool     `json:"installed"`
	GOROOT    string   `json:"goroot,omitempty"`
	Pin       string   `json:"pin,omitempty"`       // what gover's own settings ask for, before GOTOOLCHAIN and go.mod
	PinSource string   `json:"pinSource,omitempty"` // GOVER_VERSION, .go-version, .tool-versions, global
	PinFile   string   `json:"pinFile,omitempty"`
	Why       string   `json:"why,omitempty"`   // why the result is not the pin
	Files     []string `json:"files,omitempty"` // every file that took part
	// Unverified: installed with --insecure-skip-verify.
	Unverified bool `json:"unverified,omitempty"`
}

// folderChoice is what the shim would run in the working folder.
type folderChoice struct {
	sel    shim.Selection
	name   string // the version to run, or to install when goroot is ""
	goroot string // "" when not installed
	// unverified: installed with --insecure-skip-verify.
	unverified bool
}

// errNothingSelected: no GOVER_VERSION, file or global default names a
// version for the folder.
var errNothingSelected = errors.New("no Go version selected")

// folder runs the shim's selection for the working folder against the
// store, without installing anything.
func (a *app) folder(st *store.Store) (folderChoice, error) {
	wd, err := os.Getwd()
	if err != nil {
		return folderChoice{}, err
	}
	return a.folderAt(st, wd)
}

// folderAt is folder for the folder wd.
func (a *app) folderAt(st *store.Store, wd string) (folderChoice, error) {
	env := shim.NewEnv(st, a.getenv, wd)
	sel, err := shim.Select(env, nil)
	if errors.Is(err, shim.ErrNoVersion) {
		return folderChoice{}, exitcode.NotFound(fmt.Errorf("%w for %s", errNothingSelected, wd), "gover use --global latest")
	}
	if err != nil {
		return folderChoice{}, exitcode.WithHint(err, "gover use <version>")
	}
	f := folderChoice{sel: sel}
	f.name, _ = shim.Resolve(sel.Request, env.Installed())
	if v, err := versions.Parse(f.name); err == nil {
		f.goroot = st.FindGOROOT(v)
		if f.goroot != "" {
			m, err := st.Lookup(v)
			f.unverified = err == nil && m.Insecure
		}
	}
	return f, nil
}

// installedFolder is folder for commands that need the selected SDK on
// disk: a selection that is not installed is an error naming the install.
func (a *app) installedFolder(st *store.Store) (folderChoice, error) {
	f, err := a.folder(st)
	if err == nil && f.goroot == "" {
		err = exitcode.NotFound(fmt.Errorf("%s is not installed (selected by %s)", f.name, f.sel.Source), a.installHint(st, f.sel.Spec()))
	}
	return f, err
}

// installHint is the command that installs what spec names, or, when the
// cached release list knows of no such release (a go.mod from the future),
// the one that lists what exists. It never uses the network.
func (a *app) installHint(st *store.Store, arg string) string {
	s, err := spec.Parse(arg)
	if err != nil {
		return "gover list-remote"
	}
	in, err := a.installerFor(st, true)
	if err != nil {
		return "gover install " + arg
	}
	r := in.Cached()
	if r == nil {
		return "gover install " + arg
	}
	for _, rel := range r.Releases {
		if v := rel.ParsedVersion(); !v.IsZero() && s.Match(v) {
			return "gover install " + arg
		}
	}
	return "gover list-remote --all   (no Go " + arg + " is known yet)"
}

func installedNames(st *store.Store) ([]string, error) {
	vs, err := st.Installed()
	if err != nil {
		return nil, err
	}
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = v.Name()
	}
	return names, nil
}
