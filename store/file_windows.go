package store

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gofrs/flock"

	"github.com/gover/gover/internal/fsx"
)

// removeAll removes path and everything under it; a missing path is fine.
// Read-only files and folders are made writable first when a plain removal
// is refused.
func removeAll(path string) error {
	return fsx.Retry(func() error {
		err := os.RemoveAll(path)
		switch {
		case err == nil:
			return nil
		case fsx.IsTransient(err):
			clearReadOnly(path)
			return err
		}
		// os.RemoveAll deletes with POSIX semantics, which FAT volumes,
		// some network shares and Wine refuse (ERROR_INVALID_FUNCTION).
		// Plain deletes, one entry at a time, work everywhere.
		return removeTree(path)
	})
}

// removeTree removes path bottom-up with os.Remove. It never follows a
// junction or symlink out of the tree: those are removed as links.
func removeTree(path string) error {
	info, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var first error
	if info.Mode().Type() == fs.ModeDir {
		entries, err := os.ReadDir(path)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := removeTree(filepath.Join(path, e.Name())); err != nil && first == nil {
				first = err
			}
		}
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) && first == nil {
		first = err
	}
	return first
}

func clearReadOnly(root string) {
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if info, err := d.Info(); err == nil && info.Mode().Perm()&0o200 == 0 {
			os.Chmod(p, info.Mode().Perm()|0o200)
		}
		return nil
	})
}

// unlockAndRemove lets the lock go, then removes the lock file. Windows
// cannot delete a file any process has open (gover opens lock files
// without FILE_SHARE_DELETE), so the removal succeeds only when nobody else
// holds or waits on the file; when someone does, the file stays for them.
func unlockAndRemove(l *flock.Flock) error {
	err := l.Unlock()
	os.Remove(l.Path())
	return err
}

// lockBusy reports whether opening a lock file failed only because another
// process is opening, locking or removing it at that moment: then the lock
// is not free yet, and the caller tries again.
func lockBusy(err error) bool { return fsx.IsTransient(err) }
