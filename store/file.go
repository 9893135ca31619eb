package store

import (
	"os"
	"path/filepath"
	"strings"
)

// WriteFileAtomic replaces path with data so that readers, gover processes
// running at the same time among them, see either the old or the new
// content: write a temporary file next to it, fsync, rename (retrying while
// Windows anti-virus holds the old file), then fsync the folder so the
// rename survives a power cut. Every file gover rewrites goes through it.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := rename(f.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// isTempName reports whether name is one of writeFileAtomic's temporary
// files, which a crash can leave behind.
func isTempName(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-")
}
