package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fsx"
)

// MarkerName is the file in a store's root that makes the folder a gover
// store. It is written when the store is created, so a bin/ folder whose
// parent holds it is that store's shims folder: gover and the shim running
// from there find their store without GOVER_HOME ([Locate]).
const MarkerName = ".gover-store"

const markerText = `This folder is a gover store (GOVER_HOME): Go SDKs installed side by side,
the go and gofmt shims in bin/, and gover itself next to them.
gover and the shims running from bin/ use this store when GOVER_HOME is not set.
Remove it with: gover implode
`

// ErrRelativeHome is the error [Locate] returns for a GOVER_HOME that is
// not an absolute path.
var ErrRelativeHome = errors.New("GOVER_HOME must be an absolute path")

// Locate finds the store's root, the same way for gover and for the shim:
//
//  1. GOVER_HOME, when set. It must be absolute after a leading ~ or
//     %USERPROFILE% is expanded; a relative one is a usage error (exit 2),
//     since the store would move with the working folder.
//  2. The store exe lives in: exe in <root>/bin, with <root>/.gover-store
//     present (gover and the shims that `gover setup` placed there).
//  3. The default, ~/.gover (%USERPROFILE%\.gover on Windows).
//
// exe is the running program's path (os.Executable), or "" to skip step 2.
// The environment is read through getenv only. Nothing is created.
func Locate(getenv func(string) string, exe string) (string, error) {
	if h := getenv("GOVER_HOME"); h != "" {
		return absHome(h, getenv)
	}
	if root := storeOf(exe); root != "" {
		return root, nil
	}
	return DefaultRoot(getenv)
}

// DefaultRoot is the store's root when neither GOVER_HOME nor the running
// program's folder names one: ~/.gover (%USERPROFILE%\.gover on Windows).
// gover setup exports GOVER_HOME in startup files only for other stores.
func DefaultRoot(getenv func(string) string) (string, error) {
	home := getenv(homeVar)
	if home == "" {
		return "", exitcode.WithHint(fmt.Errorf("cannot find the gover store: neither GOVER_HOME nor %s is set", homeVar), homeHint)
	}
	return filepath.Abs(filepath.Join(home, ".gover"))
}

// absHome expands a leading ~ or %USERPROFILE% in h and insists on an
// absolute result.
func absHome(h string, getenv func(string) string) (string, error) {
	p := h
	rest, tilde := cutHome(p, "~")
	if !tilde {
		rest, tilde = cutHomeFold(p, "%USERPROFILE%")
		if tilde {
			home := getenv("USERPROFILE")
			if home == "" {
				home = getenv(homeVar)
			}
			if home == "" {
				return "", exitcode.Usage(fmt.Errorf("GOVER_HOME=%s names %%USERPROFILE%%, which is not set", h), homeHint)
			}
			p = home + rest
		}
	} else {
		home := getenv(homeVar)
		if home == "" {
			return "", exitcode.Usage(fmt.Errorf("GOVER_HOME=%s starts with ~, but %s is not set", h, homeVar), homeHint)
		}
		p = home + rest
	}
	if !filepath.IsAbs(p) {
		return "", exitcode.Usage(fmt.Errorf("%w: GOVER_HOME=%s would move with the working folder", ErrRelativeHome, h), homeHint)
	}
	return filepath.Clean(p), nil
}

// cutHome reports whether p is prefix alone or prefix followed by a path
// separator, and what follows prefix.
func cutHome(p, prefix string) (string, bool) {
	rest, ok := strings.CutPrefix(p, prefix)
	if !ok || rest != "" && !os.IsPathSeparator(rest[0]) {
		return "", false
	}
	return rest, true
}

func cutHomeFold(p, prefix string) (string, bool) {
	if len(p) < len(prefix) || !strings.EqualFold(p[:len(prefix)], prefix) {
		return "", false
	}
	return cutHome(p[len(prefix):], "")
}

// storeOf is the root of the store whose bin/ holds exe, or "".
func storeOf(exe string) string {
	if exe == "" {
		return ""
	}
	if root := binParent(exe); root != "" {
		return root
	}
	// A symbolic link to the shim (~/bin/go -> ~/.gover/bin/go) counts
	// as the shim. os.Executable resolves links on Linux but not on macOS.
	if real, err := filepath.EvalSymlinks(exe); err == nil && real != exe {
		return binParent(real)
	}
	return ""
}

func binParent(exe string) string {
	dir := filepath.Dir(exe)
	if !strings.EqualFold(filepath.Base(dir), "bin") {
		return ""
	}
	root := filepath.Dir(dir)
	if fi, err := os.Stat(filepath.Join(root, MarkerName)); err != nil || !fi.Mode().IsRegular() {
		return ""
	}
	if abs, err := filepath.Abs(root); err == nil {
		return abs
	}
	return ""
}

// IsStore reports whether dir holds a gover store's marker.
func IsStore(dir string) bool {
	fi, err := os.Stat(filepath.Join(dir, MarkerName))
	return err == nil && fi.Mode().IsRegular()
}

// Mark creates the store's root, when missing, and its marker file, so
// gover and the shims in its bin/ find it from there. Every command that
// writes to the store calls it first; it is cheap when both exist.
func (s *Store) Mark() error {
	p := filepath.Join(s.root, MarkerName)
	if _, err := os.Stat(p); err == nil {
		return nil
	}
	err := os.MkdirAll(s.root, 0o755)
	if err == nil {
		err = fsx.WriteFileAtomic(p, []byte(markerText), 0o644)
	}
	if err != nil {
		return exitcode.WithHint(fmt.Errorf("cannot write the gover store %s: %w", s.root, err), homeHint)
	}
	return nil
}

// HintUnwritable gives err the hint for a store gover cannot write (a
// GOVER_HOME owned by someone else, or made read-only) when err is a
// permission error on a path inside the store and carries no hint yet.
// Other errors come back unchanged.
func (s *Store) HintUnwritable(err error) error {
	var pe *fs.PathError
	if err == nil || exitcode.Hint(err) != "" || !errors.Is(err, fs.ErrPermission) || !errors.As(err, &pe) {
		return err
	}
	if rel, rerr := filepath.Rel(s.root, pe.Path); rerr != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return err
	}
	return exitcode.WithHint(fmt.Errorf("%w (you cannot write the gover store %s)", err, s.root), homeHint)
}

// MissingDriveError is the error [CheckDrive] returns for a store on a
// drive (or network share) that does not exist: a GOVER_HOME such as
// Q:\gover after the drive was unplugged or unmapped.
type MissingDriveError struct {
	Root   string // the store's root
	Volume string // Q: or \\server\share
}

func (e *MissingDriveError) Error() string {
	return fmt.Sprintf("the gover store %s is on %s, which does not exist", e.Root, e.Volume)
}

// CheckDrive reports a store whose drive or network share does not exist,
// so a command says so instead of finding nothing installed. A missing
// root folder on a drive that exists is fine: the first install makes it.
func (s *Store) CheckDrive() error {
	vol := filepath.VolumeName(s.root)
	if vol == "" {
		return nil
	}
	if _, err := os.Stat(s.root); err == nil {
		return nil
	}
	if _, err := os.Stat(vol + string(filepath.Separator)); err == nil {
		return nil
	}
	return exitcode.NotFound(&MissingDriveError{Root: s.root, Volume: vol},
		"connect "+vol+" again, or set GOVER_HOME to a folder on a drive that exists")
}
