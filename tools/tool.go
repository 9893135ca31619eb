package tools

import (
	"debug/buildinfo"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/gover/gover/registry"
	"github.com/gover/gover/store/source"
)

// Status is how a tool stands against the selected Go.
type Status string

const (
	OK           Status = "ok"           // built with the selected Go or a newer one
	Stale        Status = "stale"        // built with an older Go
	Incompatible Status = "incompatible" // known not to work with the selected Go
	Unknown      Status = "unknown"      // not a Go program, or no module information
)

// Devel is the version the go command records for a main module built from
// a local checkout.
const Devel = "(devel)"

// Tool is one executable in the tools folder, as `gover tools --json`
// prints it.
type Tool struct {
	Name      string `json:"name"`      // "dlv", without .exe
	Path      string `json:"path"`      // the executable
	Module    string `json:"module"`    // main module path: "github.com/go-delve/delve"
	Version   string `json:"version"`   // main module version: "v1.22.1", or "(devel)"
	BuiltWith string `json:"builtWith"` // the Go that built it: "go1.22.5"
	Status    Status `json:"status"`
	Reason    string `json:"reason"`

	// Package is the main package's import path, what go install takes:
	// "github.com/go-delve/delve/cmd/dlv".
	Package string `json:"-"`
}

// Env is what finding the tools folder reads. Zero fields get the defaults
// named.
type Env struct {
	Getenv func(string) string // required
	// GOOS picks the default folder's form (default runtime.GOOS).
	GOOS string
	// Home is the user's home folder (default registry.HomeDir).
	Home string
	// ConfigDir holds the go env -w file go/env (default
	// source.UserConfigDir); GOENV overrides the file as in go.
	ConfigDir string
}

// Folder returns the folder where `go install` puts tools, the way the go
// command decides: GOBIN, else the first GOPATH entry's bin, else
// $HOME/go/bin (%USERPROFILE%\go\bin on Windows). Each setting comes from
// the environment first, then from the go env -w file.
func Folder(env Env) (string, error) {
	if env.GOOS == "" {
		env.GOOS = runtime.GOOS
	}
	if env.Home == "" {
		env.Home = registry.HomeDir(env.Getenv)
	}
	if env.ConfigDir == "" {
		env.ConfigDir = source.UserConfigDir(env.GOOS, env.Getenv)
	}
	var file map[string]string
	if s, err := source.LoadSettings(env.Getenv, env.ConfigDir); err != nil {
		return "", err
	} else if s.EnvFile != "" {
		if data, err := os.ReadFile(s.EnvFile); err == nil {
			file = source.ParseEnvFile(data)
		}
	}
	get := func(name string) string {
		if v := env.Getenv(name); v != "" {
			return v
		}
		return file[name]
	}
	if gb := get("GOBIN"); gb != "" {
		return gb, nil
	}
	for _, gp := range filepath.SplitList(get("GOPATH")) {
		if gp != "" {
			return filepath.Join(gp, "bin"), nil
		}
	}
	if env.Home == "" {
		return "", fmt.Errorf("no GOBIN, GOPATH or home folder to find the Go tools in")
	}
	return filepath.Join(env.Home, "go", "bin"), nil
}

// Read reads one executable's build information. A file that is not a Go
// program, or has no module information, comes back with status Unknown.
func Read(path string) Tool {
	name := filepath.Base(path)
	if strings.EqualFold(filepath.Ext(name), ".exe") {
		name = name[:len(name)-len(".exe")]
	}
	t := Tool{Name: name, Path: path}
	f, err := os.Open(path)
	if err != nil {
		t.Status, t.Reason = Unknown, "cannot be read: "+shortErr(err)
		return t
	}
	defer f.Close()
	bi, err := buildinfo.Read(f)
	if err != nil {
		t.Status, t.Reason = Unknown, "not a Go program"
		return t
	}
	t.BuiltWith = bi.GoVersion
	t.Module, t.Version, t.Package = bi.Main.Path, bi.Main.Version, bi.Path
	if bi.Main.Path == "" {
		t.Status, t.Reason = Unknown, "no module information"
	}
	return t
}

func shortErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// List reads every executable in dir, sorted by name. A missing dir is an
// empty list. Leftovers of a rebuild (names starting with "." and files set
// aside as *.old) are skipped.
func List(dir string) ([]Tool, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Tool
	for _, e := range entries {
		if !isExecutable(dir, e) {
			continue
		}
		out = append(out, Read(filepath.Join(dir, e.Name())))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func isExecutable(dir string, e fs.DirEntry) bool {
	n := e.Name()
	if strings.HasPrefix(n, ".") || strings.Contains(n, ".old") {
		return false
	}
	fi, err := os.Stat(filepath.Join(dir, n))
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	if runtime.GOOS == "windows" {
		return strings.EqualFold(filepath.Ext(n), ".exe")
	}
	return fi.Mode().Perm()&0o111 != 0
}
