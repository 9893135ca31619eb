//go:build !windows

package store

import (
	"errors"
	"path/filepath"

	"github.com/gover/gover/internal/exitcode"
)

// exeSuffix is what executables' names end with on this platform.
const exeSuffix = ""

// DefaultRoot is the store's root: GOVER_HOME when set (made absolute),
// else $HOME/.gover. The environment is read through getenv only.
func DefaultRoot(getenv func(string) string) (string, error) {
	if h := getenv("GOVER_HOME"); h != "" {
		return filepath.Abs(h)
	}
	home := getenv("HOME")
	if home == "" {
		return "", exitcode.WithHint(errors.New("cannot find the gover store: neither GOVER_HOME nor HOME is set"), "export GOVER_HOME=\"$PWD/.gover\"")
	}
	return filepath.Abs(filepath.Join(home, ".gover"))
}
