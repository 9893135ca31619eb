package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fsx"
	"github.com/gover/gover/registry"
	"github.com/gover/gover/shellrc"
	"github.com/gover/gover/store"
)

func (a *app) setupCommand() *cli.Command {
	return &cli.Command{
		Name:  "setup",
		Usage: "install the go and gofmt shims and gover itself in GOVER_HOME/bin, and put it first on PATH",
		Description: `Creates GOVER_HOME/bin/go and gofmt (go.exe and gofmt.exe on Windows) from the
gover-shim program shipped next to gover, puts a copy of this gover next to
them, then prints the lines that put GOVER_HOME/bin first on PATH. With --yes
it adds them to the startup files your shells read (bash: the login file and
~/.bashrc; zsh: .zprofile and .zshrc; fish: config.fish), once, backing each
file up first. A new shell then has go, gofmt and gover, on this store.
Run it again after upgrading gover.

On Windows setup puts GOVER_HOME/bin first on the user PATH itself (no
--yes needed), with or without a global default: folders with a .go-version
or go.mod work at once. With a global default it also writes the registry
values the Go installer writes, as gover sync does.

--undo takes out every block gover added to startup files and restores each
file byte for byte, removes the ~/sdk links, and on Windows puts back the
registry values and PATH. The store stays; gover implode removes it too.`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "yes", Aliases: []string{"y"}, Usage: "add the PATH lines to the shells' startup files (Unix)"},
			&cli.StringSliceFlag{Name: "shell", Usage: "the shells to write startup files for (bash, zsh, fish, pwsh; default: bash, and zsh and fish when installed)"},
			&cli.BoolFlag{Name: "shell-hook", Usage: "also add the gover activate hook (GOROOT per folder) to the shell's profile"},
			&cli.BoolFlag{Name: "system", Usage: "also the machine-wide registry values and PATH (Windows, elevated)"},
			&cli.BoolFlag{Name: "undo", Usage: "remove what gover setup added to startup files, the registry, PATH and ~/sdk"},
		},
		Action: a.setup,
	}
}

func (a *app) setup(c *cli.Context) error {
	if err := exactArgs(c, 0, 0); err != nil {
		return err
	}
	st, err := a.openStore()
	if err != nil {
		return err
	}
	if c.Bool("undo") {
		return a.undoSetup(st)
	}
	if err := st.Mark(); err != nil {
		return err
	}
	if c.Bool("shell-hook") {
		if err := a.setupShellHook(); err != nil {
			return err
		}
	}
	bin := st.BinDir()
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return err
	}
	src, cleanup, err := a.shimSource(bin)
	if err != nil {
		return err
	}
	defer cleanup()
	placed, err := registry.PlaceShims(bin, src, nil)
	if err != nil {
		return err
	}
	for _, dst := range placed {
		fmt.Fprintf(a.stdout, "installed %s\n", dst)
	}
	more, err := placeGover(bin, src)
	if err != nil {
		return err
	}
	for _, dst := range more {
		fmt.Fprintf(a.stdout, "installed %s\n", dst)
	}
	a.syncToolchains(st)

	if runtime.GOOS == "windows" {
		// The shims go first on the user PATH with or without a global
		// default; syncOS says when there is none.
		return a.syncOS(st, registry.Options{Explicit: true, System: c.Bool("system")})
	}
	shells := c.StringSlice("shell")
	if len(shells) == 0 {
		shells = a.setupShells()
	}
	return a.setupPATH(st, c.Bool("yes"), shells)
}

// placeGover puts a copy of the running gover in bin, and the shim
// program next to it as gover-shim, the layout of a release archive: a
// shell with only bin on PATH has gover, the shim's auto-install finds it
// next to itself, and that gover's own setup and self-update find the shim
// program. It returns the paths it placed; none when this gover is the
// copy in bin.
func placeGover(bin, shimSrc string) ([]string, error) {
	exe, err := goverExe()
	if err != nil {
		return nil, err
	}
	if real, err := filepath.EvalSymlinks(exe); err == nil {
		exe = real
	}
	var placed []string
	for _, c := range []struct{ src, name string }{{exe, "gover"}, {shimSrc, "gover-shim"}} {
		dst := filepath.Join(bin, c.name+exeSuffix())
		if a, err := os.Stat(c.src); err == nil {
			if b, err := os.Stat(dst); err == nil && os.SameFile(a, b) {
				continue
			}
		}
		if err := fsx.Place(c.src, dst); err != nil {
			return placed, fmt.Errorf("putting %s next to the shims: %w", c.name, err)
		}
		placed = append(placed, dst)
	}
	return placed, nil
}

// setupPATH prints, or with yes writes, the block that puts bin first on
// PATH in the startup files of each shell. A store elsewhere than the
// default also gets GOVER_HOME exported, for any other gover the user
// runs.
func (a *app) setupPATH(st *store.Store, yes bool, shells []string) error {
	bin := st.BinDir()
	home := ""
	if def, err := store.DefaultRoot(a.getenv); err != nil || def != st.Root() {
		home = st.Root()
	}
	env := a.shellEnv()
	e := a.editor(st)
	if !yes && pathFirst(a.getenv("PATH"), bin) {
		fmt.Fprintf(a.stdout, "%s is already first on PATH in this shell\n", bin)
	}
	var errs []error
	for _, sh := range shells {
		block, err := shellrc.PathBlock(sh, bin, home)
		if errors.Is(err, shellrc.ErrUnknownShell) {
			return exitcode.Usage(err, "gover setup --yes --shell bash")
		}
		if err != nil {
			return err
		}
		files, err := shellrc.StartupFiles(sh, env)
		if err != nil {
			return exitcode.WithHint(err, "export HOME=/home/<you>")
		}
		if !yes {
			fmt.Fprintf(a.stdout, "\nfor %s, add these lines to %s (or run gover setup --yes):\n\n%s", sh, strings.Join(files, " and "), indent(block))
			continue
		}
		if err := a.setBlock(e, files, shellrc.BlockSetup, block, "gover's PATH lines"); err != nil {
			errs = append(errs, err)
		}
	}
	if yes && len(errs) == 0 {
		fmt.Fprintf(a.stdout, "open a new shell to use go, gofmt and gover from %s\n", bin)
	}
	return joinErrors(errs)
}

// undoSetup removes what setup and activate --install wrote outside the
// store (undoOutside) and says that the store stays.
func (a *app) undoSetup(st *store.Store) error {
	if err := a.undoOutside(st); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "the store in %s stays; gover implode removes it too\n", st.Root())
	return nil
}

// undoOutside removes what gover wrote outside its store: startup-file
// blocks (each file restored byte for byte), ~/sdk links, and on Windows
// the registry values and PATH.
func (a *app) undoOutside(st *store.Store) error {
	res, err := a.editor(st).Undo()
	for _, r := range res {
		switch r.How {
		case "restored":
			fmt.Fprintf(a.stdout, "restored %s as it was before gover\n", r.Path)
		case "removed":
			fmt.Fprintf(a.stdout, "removed %s (gover created it)\n", r.Path)
		case "kept":
			fmt.Fprintf(a.stdout, "took gover's lines out of %s and kept your later changes\n", r.Path)
		case "missing":
			fmt.Fprintf(a.stdout, "%s is gone; nothing to restore\n", r.Path)
		}
	}
	if err != nil {
		return err
	}
	return a.undoOS(st)
}

func pathFirst(path, dir string) bool {
	first, _, _ := strings.Cut(path, string(os.PathListSeparator))
	return first != "" && filepath.Clean(first) == filepath.Clean(dir)
}

// shimSource finds the gover-shim program: next to this gover (a release
// archive, or `go install ./cmd/...`), else, when this gover was built
// from a source checkout (`go run ./cmd/gover setup`), it builds the shim
// from that checkout with the go on PATH.
func (a *app) shimSource(bin string) (string, func(), error) {
	name := "gover-shim" + exeSuffix()
	exe, err := os.Executable()
	if err == nil {
		if p := filepath.Join(filepath.Dir(exe), name); isRegular(p) {
			return p, func() {}, nil
		}
	}
	hint := "put gover-shim" + exeSuffix() + " from the gover release next to gover, or: go install github.com/gover/gover/cmd/...@latest"
	modDir := sourceCheckout()
	if modDir == "" {
		return "", nil, exitcode.NotFound(fmt.Errorf("cannot find %s next to %s", name, exe), hint)
	}
	goExe, err := exec.LookPath("go")
	if err != nil {
		return "", nil, exitcode.NotFound(fmt.Errorf("cannot find %s next to %s, and no go on PATH to build it from %s", name, exe, modDir), hint)
	}
	tmp, err := os.MkdirTemp(bin, ".build-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(tmp) }
	out := filepath.Join(tmp, name)
	fmt.Fprintf(a.stderr, "gover: building %s from %s\n", name, modDir)
	cmd := exec.Command(goExe, "build", "-trimpath", "-o", out, "./cmd/gover-shim")
	cmd.Dir = modDir
	cmd.Stdout, cmd.Stderr = a.stderr, a.stderr
	if err := cmd.Run(); err != nil {
		cleanup()
		return "", nil, exitcode.WithHint(fmt.Errorf("building %s: %w", name, err), hint)
	}
	return out, cleanup, nil
}

// sourceCheckout is the gover module folder this binary was built from,
// when it was built from a checkout that is still there; "" otherwise.
func sourceCheckout() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Path != "github.com/gover/gover" {
		return ""
	}
	// A -trimpath or module-cache build records no usable source path.
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	dir := filepath.Dir(filepath.Dir(filepath.Dir(file))) // <module>/cmd/gover/setup.go
	if !isRegular(filepath.Join(dir, "go.mod")) || !isRegular(filepath.Join(dir, "cmd", "gover-shim", "main.go")) {
		return ""
	}
	return dir
}

func isRegular(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

func exeSuffix() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}
