package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/goland"
	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/registry"
	"github.com/gover/gover/store"
)

func (a *app) golandCommand() *cli.Command {
	return &cli.Command{
		Name:      "goland",
		Usage:     "set a GoLand project's GOROOT to the folder's SDK",
		ArgsUsage: "[project folder]",
		Description: `Sets the project GOROOT in .idea/workspace.xml (component "GOROOT") to the
SDK the folder selects, keeping every other byte of the file. With --global
it points at GOVER_HOME/current instead, which follows gover use --global.
After gover ide goland, gover use in that folder moves the project along.
GoLand reads the file when it opens the project: reopen an open project.

   gover ide goland              # this folder's SDK
   gover ide goland --global     # follow the global default
   gover ide goland --create .   # a folder GoLand has not opened yet`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "global", Usage: "point at the current link, which follows gover use --global"},
			&cli.BoolFlag{Name: "create", Usage: "create .idea when the folder has none"},
		},
		Action: func(c *cli.Context) error {
			if err := exactArgs(c, 0, 1); err != nil {
				return err
			}
			dir, err := argFolder(c)
			if err != nil {
				return err
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			goroot, what := st.CurrentLink(), "the global default"
			if !c.Bool("global") {
				f, err := a.folderAt(st, dir)
				if err == nil && f.goroot == "" {
					err = exitcode.NotFound(fmt.Errorf("%s is not installed (selected by %s)", f.name, f.sel.Source), a.installHint(st, f.sel.Spec()))
				}
				if err != nil {
					return err
				}
				goroot, what = f.goroot, fmt.Sprintf("%s, selected by %s", f.name, f.sel.Source)
			} else if _, err := os.Stat(goroot); err != nil {
				return exitcode.NotFound(fmt.Errorf("%s does not exist: no global default yet", goroot), "gover use --global latest")
			}
			p := a.golandProject(dir)
			changed, err := p.SetGOROOT(goroot, c.Bool("create"))
			if errors.Is(err, goland.ErrNoProject) {
				return exitcode.NotFound(err, "gover ide goland --create "+strconv.Quote(dir))
			}
			if err != nil {
				return err
			}
			a.golandMemory(st).Remember(p.WorkspaceFile(), goroot)
			if changed {
				fmt.Fprintf(a.stdout, "%s: GOROOT = %s (%s)\n", p.WorkspaceFile(), goroot, what)
			} else {
				fmt.Fprintf(a.stdout, "%s already uses %s (%s)\n", p.WorkspaceFile(), goroot, what)
			}
			return nil
		},
	}
}

func argFolder(c *cli.Context) (string, error) {
	dir := c.Args().First()
	if dir == "" {
		return os.Getwd()
	}
	return filepath.Abs(dir)
}

func (a *app) golandProject(dir string) goland.Project {
	return goland.Project{Dir: dir, Home: registry.HomeDir(a.getenv)}
}

func (a *app) golandMemory(st *store.Store) goland.Memory {
	return goland.Memory{File: filepath.Join(st.Root(), "goland.json")}
}

// followGoLand moves the GoLand project in dir to the SDK dir now selects,
// when its GOROOT is the one gover set last time (never one the user chose
// in GoLand since). It prints what it changed and fails silently: the
// command it follows has done its work.
func (a *app) followGoLand(st *store.Store, dir string) {
	p := a.golandProject(dir)
	cur, ok, err := p.GOROOT()
	if err != nil || !ok || !a.golandMemory(st).SetByGover(p.WorkspaceFile(), cur) {
		return
	}
	f, err := a.folderAt(st, dir)
	if err != nil || f.goroot == "" || cur == st.CurrentLink() {
		return
	}
	if changed, err := p.SetGOROOT(f.goroot, false); err == nil && changed {
		a.golandMemory(st).Remember(p.WorkspaceFile(), f.goroot)
		fmt.Fprintf(a.stdout, "%s: GOROOT = %s\n", p.WorkspaceFile(), f.goroot)
	}
}

func (a *app) ideStatusCommand() *cli.Command {
	return &cli.Command{
		Name:      "status",
		Usage:     "show which Go the VS Code and GoLand settings in a folder use",
		ArgsUsage: "[folder]",
		Action: func(c *cli.Context) error {
			if err := exactArgs(c, 0, 1); err != nil {
				return err
			}
			dir, err := argFolder(c)
			if err != nil {
				return err
			}
			st, err := a.openStore()
			if err != nil {
				return err
			}
			f, err := a.folderAt(st, dir)
			if err != nil {
				return err
			}
			sel := f.goroot
			if sel == "" {
				sel = "not installed"
			}
			fmt.Fprintf(a.stdout, "folder   %s selects %s (set by %s): %s\n", dir, f.name, f.sel.Source, sel)
			shimGo := registry.ShimPath(st.BinDir(), "go")
			fmt.Fprintf(a.stdout, "VS Code  %s\n", a.vscodeStatus(dir, shimGo, f.goroot))
			fmt.Fprintf(a.stdout, "GoLand   %s\n", a.golandStatus(st, dir, f.goroot))
			return nil
		},
	}
}

// vscodeStatus is one line on dir/.vscode/settings.json.
func (a *app) vscodeStatus(dir, shimGo, selected string) string {
	path := filepath.Join(dir, ".vscode", "settings.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "no .vscode/settings.json: the Go extension runs the go on PATH (gover ide vscode pins it to the shim)"
	}
	if err != nil {
		return fmt.Sprintf("%s: %v", path, err)
	}
	s, err := registry.ReadVSCodeGo(data)
	if err != nil {
		return fmt.Sprintf("%s does not parse: %v", path, err)
	}
	switch {
	case s.GOROOT != "":
		return fmt.Sprintf("%s: go.goroot = %s: %s", path, s.GOROOT, match(s.GOROOT, selected))
	case s.HasEnvGOROOT:
		return fmt.Sprintf("%s: go.toolsEnvVars.GOROOT = %s: %s", path, s.EnvGOROOT, match(s.EnvGOROOT, selected))
	case s.AlternateGo != "" && samePath(s.AlternateGo, shimGo):
		return fmt.Sprintf("%s: go.alternateTools.go = the gover shim: follows the selection", path)
	case s.AlternateGo != "" && s.AlternateGo != "go":
		return fmt.Sprintf("%s: go.alternateTools.go = %s: %s (gover ide vscode)", path, s.AlternateGo, match(filepath.Dir(filepath.Dir(s.AlternateGo)), selected))
	}
	return fmt.Sprintf("%s sets no Go: the Go extension runs the go on PATH (gover ide vscode pins it to the shim)", path)
}

// golandStatus is one line on dir/.idea/workspace.xml.
func (a *app) golandStatus(st *store.Store, dir, selected string) string {
	p := a.golandProject(dir)
	goroot, ok, err := p.GOROOT()
	switch {
	case err != nil:
		return err.Error()
	case !ok:
		if _, err := os.Stat(filepath.Join(dir, goland.Dir)); err != nil {
			return "no .idea: not a GoLand project"
		}
		return p.WorkspaceFile() + " sets no GOROOT: GoLand uses its default SDK (gover ide goland)"
	case goroot == st.CurrentLink():
		return fmt.Sprintf("%s: GOROOT = %s (follows the global default): %s", p.WorkspaceFile(), goroot, match(goroot, selected))
	}
	return fmt.Sprintf("%s: GOROOT = %s: %s", p.WorkspaceFile(), goroot, match(goroot, selected))
}

// match says whether the SDK folder goroot is the selected one.
func match(goroot, selected string) string {
	if selected == "" {
		return "the selected version is not installed"
	}
	if samePath(realPath(goroot), realPath(selected)) {
		return "matches the selection"
	}
	return "DIFFERS from the selection " + selected
}

func realPath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return filepath.Clean(p)
}

func samePath(a, b string) bool {
	a, b = filepath.Clean(a), filepath.Clean(b)
	if runtime.GOOS == "windows" {
		return strings.EqualFold(a, b)
	}
	return a == b
}
