//go:build !windows

package fsx

import "os"

const exeSuffix = ""

// placeLink makes dst a hard link to src for [Place]: the shims are the
// same file, which costs no space.
func placeLink(src, dst string) error { return os.Link(src, dst) }

// Retry runs op once: only Windows has transient sharing violations.
func Retry(op func() error) error { return op() }

// Rename renames oldpath to newpath, replacing it.
func Rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }

// SyncDir makes a rename or removal in dir durable.
func SyncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// replace renames src over dst: rename(2) replaces even a running
// executable, whose process keeps the old file open until it exits.
func replace(src, dst string) error { return os.Rename(src, dst) }
