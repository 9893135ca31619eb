package tools

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/gover/gover/internal/fsx"
)

// RebuildOptions say how to rebuild a tool.
type RebuildOptions struct {
	// Go is the absolute path of the selected SDK's go command.
	Go string
	// Selected is the Go version Go reports ("go1.23.4").
	Selected string
	// Latest installs the module's latest version instead of the same one.
	Latest bool
	// Env is the go command's environment (os.Environ()); GOBIN and
	// GOTOOLCHAIN are set on top of it.
	Env []string
	// Out gets the go command's output.
	Out io.Writer
}

// DevelError is returned for a tool built from a local checkout: the
// version to reinstall is not on any proxy.
type DevelError struct {
	Tool     Tool
	Checkout string // the checkout's folder when the binary records it, else ""
}

func (e *DevelError) Error() string {
	if e.Checkout != "" {
		return fmt.Sprintf("%s was built from the local checkout %s; rebuild it there: cd %s && go install", e.Tool.Name, e.Checkout, e.Checkout)
	}
	return fmt.Sprintf("%s (%s) was built from a local checkout; rebuild it there with go install", e.Tool.Name, e.Tool.Package)
}

// NeedsLatestError is returned for a Delve that no release of its own line
// supports the selected Go with: rebuilding the same version cannot help.
type NeedsLatestError struct {
	Tool     Tool
	Selected string
}

func (e *NeedsLatestError) Error() string {
	return fmt.Sprintf("no Delve %s.x release supports %s; %s needs a newer Delve", semver.MajorMinor(e.Tool.Version), e.Selected, e.Tool.Name)
}

// Rebuild reinstalls t with the selected Go at the same module version
// (opts.Latest: the latest one): `go install <package>@<version>` with
// GOBIN set to a temporary folder inside t's folder, then the new binary
// takes t's place (fsx.Replace: a running .exe on Windows is moved
// aside). On any failure t stays as it was. It returns the rebuilt tool,
// read again and judged against opts.Selected.
func Rebuild(ctx context.Context, t Tool, opts RebuildOptions) (Tool, error) {
	switch {
	case t.Version == Devel:
		return t, &DevelError{Tool: t, Checkout: Checkout(t.Path)}
	case t.Module == "" || t.Package == "":
		return t, fmt.Errorf("%s has no module information to rebuild it from", t.Name)
	}
	version := t.Version
	if opts.Latest {
		version = "latest"
	} else if t.Module == DelveModule && semver.IsValid(t.Version) && opts.Selected != "" {
		if p, _ := DelveProblem(t.Version, opts.Selected, opts.Selected); p != "" && DelveFor(opts.Selected, semver.MajorMinor(t.Version)) == "" {
			return t, &NeedsLatestError{Tool: t, Selected: opts.Selected}
		}
	}
	dir := filepath.Dir(t.Path)
	fsx.RemoveAside(t.Path) // what an earlier rebuild moved aside while it ran
	tmp, err := os.MkdirTemp(dir, ".gover-rebuild-")
	if err != nil {
		return t, fmt.Errorf("rebuilding %s: %w", t.Name, err)
	}
	defer os.RemoveAll(tmp)

	cmd := exec.CommandContext(ctx, opts.Go, "install", t.Package+"@"+version)
	cmd.Env = append(withoutVars(opts.Env, "GOBIN", "GOTOOLCHAIN"), "GOBIN="+tmp, "GOTOOLCHAIN=local")
	cmd.Dir = tmp // outside any module: go install pkg@version ignores go.mod anyway
	cmd.Stdout, cmd.Stderr = opts.Out, opts.Out
	if err := cmd.Run(); err != nil {
		return t, fmt.Errorf("go install %s@%s: %w", t.Package, version, err)
	}
	built, err := onlyFile(tmp)
	if err != nil {
		return t, fmt.Errorf("rebuilding %s: %w", t.Name, err)
	}
	if err := fsx.Replace(built, t.Path); err != nil {
		return t, err
	}
	return Judge(Read(t.Path), opts.Selected), nil
}

// onlyFile returns the one file go install wrote into dir.
func onlyFile(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var files []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			files = append(files, e.Name())
		}
	}
	if len(files) != 1 {
		return "", errors.New("go install wrote " + fmt.Sprint(len(files)) + " files, want 1: " + strings.Join(files, ", "))
	}
	return filepath.Join(dir, files[0]), nil
}

// withoutVars returns env without the named variables.
func withoutVars(env []string, names ...string) []string {
	out := make([]string, 0, len(env))
outer:
	for _, kv := range env {
		for _, n := range names {
			if k, _, _ := strings.Cut(kv, "="); strings.EqualFold(k, n) {
				continue outer
			}
		}
		out = append(out, kv)
	}
	return out
}
