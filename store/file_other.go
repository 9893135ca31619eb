//go:build !windows

package store

import "os"

func rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }

// removeAll removes path and everything under it; a missing path is fine.
func removeAll(path string) error { return os.RemoveAll(path) }

// syncDir makes a rename or removal in dir durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
