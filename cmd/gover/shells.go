package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/registry"
	"github.com/gover/gover/shellrc"
	"github.com/gover/gover/store"
)

// editor is the one editor of startup files, keeping its backups and
// record in st.
func (a *app) editor(st *store.Store) *shellrc.Editor {
	return &shellrc.Editor{BackupDir: filepath.Join(st.Root(), "backup", "startup")}
}

// shellEnv is where the user's startup files are.
func (a *app) shellEnv() shellrc.Env {
	return shellrc.Env{Home: registry.HomeDir(a.getenv), Getenv: a.getenv, GOOS: runtime.GOOS}
}

// loginShell is the user's shell, from $SHELL, when gover writes for it.
func (a *app) loginShell() string {
	sh := strings.TrimSuffix(filepath.Base(a.getenv("SHELL")), ".exe")
	if slices.Contains(shellrc.Shells, sh) {
		return sh
	}
	return ""
}

// setupShells are the shells gover setup writes startup files for when
// none are named: bash (every Unix has it), plus zsh and fish when they
// are the login shell, are installed, or already have a startup file.
func (a *app) setupShells() []string {
	shells := []string{"bash"}
	env := a.shellEnv()
	for _, sh := range []string{"zsh", "fish"} {
		has := a.loginShell() == sh
		if !has {
			_, err := exec.LookPath(sh)
			has = err == nil
		}
		if !has {
			if files, err := shellrc.HookFiles(sh, env); err == nil {
				for _, f := range files {
					if _, err := os.Stat(f); err == nil {
						has = true
					}
				}
			}
		}
		if has {
			shells = append(shells, sh)
		}
	}
	return shells
}

// setBlock writes the block called name into each file through the
// editor and says what it did. A read-only file is reported with the
// lines to add by hand, and the others are still written.
func (a *app) setBlock(e *shellrc.Editor, files []string, name, body, what string) error {
	var errs []error
	for _, f := range files {
		changed, err := e.Set(f, name, body)
		var ro *shellrc.ReadOnlyError
		switch {
		case errors.As(err, &ro):
			fmt.Fprintf(a.stderr, "gover: %s is read-only; add these lines to it yourself:\n\n%s\n", ro.Path, indent(body))
			errs = append(errs, err)
		case err != nil:
			errs = append(errs, fmt.Errorf("editing %s: %w", f, err))
		case changed:
			fmt.Fprintf(a.stdout, "added %s to %s\n", what, f)
		default:
			fmt.Fprintf(a.stdout, "%s already has %s\n", f, what)
		}
	}
	return joinErrors(errs)
}

// joinErrors joins errs keeping the first one's exit code and hint.
func joinErrors(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return exitcode.New(exitcode.Code(errs[0]), errors.Join(errs...), exitcode.Hint(errs[0]))
}

func indent(s string) string {
	var b strings.Builder
	for l := range strings.Lines(s) {
		b.WriteString("    " + l)
	}
	return b.String()
}
