package goland

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gover/gover/internal/fsx"
)

// ErrNoProject is returned (wrapped) for a folder without .idea: GoLand
// has not opened it as a project.
var ErrNoProject = errors.New("not a GoLand project (no .idea folder)")

// Project is a GoLand project on disk.
type Project struct {
	Dir  string // the folder holding .idea
	Home string // the user's home folder, for $USER_HOME$
}

// WorkspaceFile is the project's .idea/workspace.xml.
func (p Project) WorkspaceFile() string { return filepath.Join(p.Dir, Dir, File) }

func (p Project) workspace() Workspace { return Workspace{ProjectDir: p.Dir, Home: p.Home} }

// GOROOT returns the SDK the project names; ok is false when it names none
// (no .idea, no workspace.xml, or no GOROOT component).
func (p Project) GOROOT() (goroot string, ok bool, err error) {
	data, err := os.ReadFile(p.WorkspaceFile())
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	goroot, ok = p.workspace().GOROOT(data)
	return goroot, ok, nil
}

// SetGOROOT points the project at goroot, keeping the rest of
// workspace.xml byte for byte. A folder without .idea is refused with
// ErrNoProject unless create is set.
func (p Project) SetGOROOT(goroot string, create bool) (changed bool, err error) {
	if fi, err := os.Stat(filepath.Join(p.Dir, Dir)); err != nil || !fi.IsDir() {
		if !create {
			return false, fmt.Errorf("%s: %w", p.Dir, ErrNoProject)
		}
		if err := os.MkdirAll(filepath.Join(p.Dir, Dir), 0o755); err != nil {
			return false, err
		}
	}
	path := p.WorkspaceFile()
	perm := fs.FileMode(0o644)
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		if fi, err := os.Stat(path); err == nil {
			perm = fi.Mode().Perm()
		}
	case !errors.Is(err, fs.ErrNotExist):
		return false, err
	}
	out, changed := p.workspace().SetGOROOT(data, goroot)
	if !changed {
		return false, nil
	}
	return true, fsx.WriteFileAtomic(path, out, perm)
}

// Memory remembers which workspace files gover pointed at which SDK, so
// that `gover use` moves only the projects whose GOROOT gover set, never
// one the user picked in GoLand since.
type Memory struct {
	File string // GOVER_HOME/goland.json
}

func (m Memory) load() map[string]string {
	set := map[string]string{}
	if data, err := os.ReadFile(m.File); err == nil {
		json.Unmarshal(data, &set)
	}
	return set
}

// Remember records that gover set workspace's GOROOT to goroot.
func (m Memory) Remember(workspace, goroot string) error {
	set := m.load()
	set[workspace] = goroot
	data, err := json.MarshalIndent(set, "", "  ")
	if err != nil {
		return err
	}
	return fsx.WriteFileAtomic(m.File, append(data, '\n'), 0o644)
}

// SetByGover reports whether goroot is what gover last wrote to workspace.
func (m Memory) SetByGover(workspace, goroot string) bool {
	last, ok := m.load()[workspace]
	return ok && samePath(last, goroot, goosOf())
}
