package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/registry"
	"github.com/gover/gover/shellrc"
	"github.com/gover/gover/store"
)

// registryConfig says where the store at root lives for the registry
// package.
func (a *app) registryConfig(st *store.Store) registry.Config {
	cfg := registry.Config{
		Root:   st.Root(),
		Home:   registry.HomeDir(a.getenv),
		Keys:   registry.DefaultKeys(),
		Getenv: a.getenv,
	}
	if a.getenv("GOVER_HOME") == "" {
		cfg.PathEntry = registry.DefaultPathEntry()
	}
	return cfg
}

// syncOS brings the OS in step with the store's global default: the
// current link, on Windows the registry and user PATH, and the goX.Y.Z
// links. `gover use --global`, `gover setup` and `gover sync` all end here.
// Without a global default the shims still go first on PATH: folders with
// a .go-version or go.mod need none.
func (a *app) syncOS(st *store.Store, opts registry.Options) error {
	var active registry.SDK
	g, err := st.Global()
	switch {
	case errors.Is(err, store.ErrNoGlobal):
	case err != nil:
		return err
	default:
		goroot, err := st.GOROOT(g)
		if err != nil {
			return exitcode.WithHint(fmt.Errorf("global default %s: %w", g.Name(), err), "gover install "+g.String())
		}
		active = registry.SDK{Name: g.Name(), GOROOT: goroot}
	}
	vs, err := st.Installed()
	if err != nil {
		return err
	}
	var installed []registry.SDK
	for _, v := range vs {
		dir, err := st.GOROOT(v)
		if err != nil {
			continue // a broken SDK is for gover doctor, not a reason to stop
		}
		installed = append(installed, registry.SDK{Name: v.Name(), GOROOT: dir})
	}
	rep, err := registry.Sync(a.registryConfig(st), active, installed, opts)
	if err == nil && active.GOROOT == "" {
		rep.Notes = append(rep.Notes, registry.Note{
			Msg:  "no global default is set: go works in folders with a .go-version, go.work or go.mod, and elsewhere says which version to choose",
			Hint: "gover use --global <version>"})
	}
	a.printReport(rep, opts.Explicit)
	return err
}

// syncToolchains keeps the goX.Y.Z entries in the shims folder in step
// with the installed SDKs (registry.LinkToolchains), so that go's own
// toolchain switch finds them. install, import, uninstall and setup call
// it; a failure is reported as a note, never as the command's failure.
func (a *app) syncToolchains(st *store.Store) {
	vs, err := st.Installed()
	if err != nil {
		return
	}
	sdks := make([]registry.SDK, 0, len(vs))
	for _, v := range vs {
		sdks = append(sdks, registry.SDK{Name: v.Name(), GOROOT: st.FindGOROOT(v)})
	}
	rep := &registry.Report{}
	if err := registry.LinkToolchains(st.BinDir(), sdks, rep); err != nil {
		rep.Notes = append(rep.Notes, registry.Note{Msg: "keeping the goX.Y.Z entries in step: " + err.Error(), Hint: "gover sync"})
	}
	if _, err := os.Stat(registry.ShimPath(st.BinDir(), "go")); err != nil {
		return // no shims yet: nothing to say until gover setup
	}
	printNotes(a.stderr, rep.Notes)
}

// undoOS restores what gover changed in the registry and PATH (Windows)
// and removes the ~/sdk links gover sync --sdk-links made.
func (a *app) undoOS(st *store.Store) error {
	cfg := a.registryConfig(st)
	rep, err := registry.Undo(cfg)
	if err == nil && cfg.Home != "" {
		err = registry.UnlinkSDKs(filepath.Join(cfg.Home, "sdk"), filepath.Join(st.Root(), "sdk"), rep)
	}
	a.printReport(rep, true)
	return err
}

// printReport shows what a sync did (when asked to be verbose) and always
// what stands in the way.
func (a *app) printReport(rep *registry.Report, verbose bool) {
	if rep == nil {
		return
	}
	if verbose {
		for _, d := range rep.Done {
			fmt.Fprintln(a.stdout, d)
		}
	}
	printNotes(a.stderr, rep.Notes)
}

func printNotes(w io.Writer, notes []registry.Note) {
	for _, n := range notes {
		fmt.Fprintf(w, "gover: %s\n", n.Msg)
		if n.Hint != "" {
			fmt.Fprintf(w, "gover: hint: %s\n", n.Hint)
		}
	}
}

// setupShellHook adds the activate hook to the profile of the user's
// shell: $SHELL's when it is one gover has a hook for, else PowerShell on
// Windows and bash elsewhere.
func (a *app) setupShellHook() error {
	shell := strings.TrimSuffix(filepath.Base(a.getenv("SHELL")), ".exe")
	switch {
	case slices.Contains(shellrc.Shells, shell):
	case runtime.GOOS == "windows":
		shell = "pwsh"
	default:
		shell = "bash"
	}
	exe, err := goverExe()
	if err != nil {
		return err
	}
	return a.installHook(shell, exe, false)
}
