//go:build !windows

package store

import (
	"errors"
	"io/fs"
	"os"

	"github.com/gofrs/flock"
)

// removeAll removes path and everything under it; a missing path is fine.
func removeAll(path string) error { return os.RemoveAll(path) }

// unlockAndRemove removes the lock file, then lets the lock go: a process
// that opened the file before the removal finds, once it has the lock, that
// the path names another file or none (see tryLock).
func unlockAndRemove(l *flock.Flock) error {
	err := os.Remove(l.Path())
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	if uerr := l.Unlock(); err == nil {
		err = uerr
	}
	return err
}

// lockBusy reports whether opening a lock file failed only because another
// process is removing it; that never happens outside Windows.
func lockBusy(error) bool { return false }
