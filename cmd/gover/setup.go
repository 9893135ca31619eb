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
	"github.com/gover/gover/registry"
)

func (a *app) setupCommand() *cli.Command {
	return &cli.Command{
		Name:  "setup",
		Usage: "install the go and gofmt shims and put them first on PATH",
		Description: `Creates GOVER_HOME/bin/go and gofmt (go.exe and gofmt.exe on Windows) from the
gover-shim program shipped next to gover, then prints the line that puts
GOVER_HOME/bin first on PATH. With --yes it adds that line to your shell's
startup file itself, once. Run it again after upgrading gover.

On Windows setup puts GOVER_HOME/bin first on the user PATH itself (no
--yes needed), with or without a global default: folders with a .go-version
or go.mod work at once. With a global default it also writes the registry
values the Go installer writes, as gover sync does.`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "yes", Aliases: []string{"y"}, Usage: "add the PATH line to the shell startup file (Unix)"},
			&cli.BoolFlag{Name: "shell-hook", Usage: "also add the gover activate hook (GOROOT per folder) to the shell's profile"},
			&cli.BoolFlag{Name: "system", Usage: "also the machine-wide registry values and PATH (Windows, elevated)"},
			&cli.BoolFlag{Name: "undo", Usage: "put back the registry values and PATH as they were before gover changed them"},
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
		return a.undoOS(st)
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
	a.syncToolchains(st)

	if runtime.GOOS == "windows" {
		// The shims go first on the user PATH with or without a global
		// default; syncOS says when there is none.
		return a.syncOS(st, registry.Options{Explicit: true, System: c.Bool("system")})
	}
	return a.setupPATH(c.Bool("yes"), bin)
}

// setupPATH prints, or with yes writes, the shell line that puts bin
// first on PATH.
func (a *app) setupPATH(yes bool, bin string) error {
	shell := filepath.Base(a.getenv("SHELL"))
	if shell != "fish" && shell != "zsh" {
		shell = "bash"
	}
	var line string
	if shell == "fish" {
		line = "fish_add_path --move --path " + fishQuote(bin)
	} else {
		line = "export PATH=" + shQuote(bin) + "\":$PATH\""
	}
	if !yes {
		if pathFirst(a.getenv("PATH"), bin) {
			fmt.Fprintf(a.stdout, "%s is already first on PATH\n", bin)
		}
		fmt.Fprintf(a.stdout, "add this line to your shell startup file (or run gover setup --yes):\n\n    %s\n", line)
		return nil
	}
	profile, err := registry.ProfilePath(shell, registry.HomeDir(a.getenv), a.getenv)
	if err != nil {
		return exitcode.WithHint(err, "export HOME=/home/<you>")
	}
	changed, err := setProfileBlock(profile, line)
	if err != nil {
		return err
	}
	if changed {
		fmt.Fprintf(a.stdout, "added the gover PATH line to %s; open a new shell to use it\n", profile)
	} else {
		fmt.Fprintf(a.stdout, "%s already puts %s first on PATH\n", profile, bin)
	}
	return nil
}

func pathFirst(path, dir string) bool {
	first, _, _ := strings.Cut(path, string(os.PathListSeparator))
	return first != "" && filepath.Clean(first) == filepath.Clean(dir)
}

// Marker lines around the PATH block gover setup owns in a shell profile.
// They differ from gover activate's, so each command edits only its own.
const (
	setupBegin = "# >>> gover setup >>>"
	setupEnd   = "# <<< gover setup <<<"
)

// setProfileBlock puts line into profile between gover's markers,
// replacing an earlier block rather than adding another. It reports
// whether the file changed; everything outside the block is kept.
func setProfileBlock(profile, line string) (bool, error) {
	old, err := os.ReadFile(profile)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return false, err
	}
	text := string(old)
	block := setupBegin + "\n" + line + "\n" + setupEnd + "\n"
	updated := ""
	if i := strings.Index(text, setupBegin); i >= 0 {
		if j := strings.Index(text[i:], setupEnd); j >= 0 {
			end := i + j + len(setupEnd)
			if strings.HasPrefix(text[end:], "\n") {
				end++
			}
			updated = text[:i] + block + text[end:]
		}
	}
	if updated == "" {
		if text != "" && !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
		updated = text + block
	}
	if updated == string(old) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(profile), 0o755); err != nil {
		return false, err
	}
	perm := os.FileMode(0o644)
	if fi, err := os.Stat(profile); err == nil {
		perm = fi.Mode().Perm()
	}
	tmp := profile + ".gover-tmp"
	if err := os.WriteFile(tmp, []byte(updated), perm); err != nil {
		return false, err
	}
	if err := os.Rename(tmp, profile); err != nil {
		os.Remove(tmp)
		return false, err
	}
	return true, nil
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
