//go:build !windows

package release

import (
	"fmt"
	"os"
)

// Replace puts the executable src in place of dst, which may be running.
// src must be in dst's folder: the rename is atomic, so every run of dst
// sees either the old binary or the new one, and a running process keeps
// the old file open until it exits.
func Replace(src, dst string) error {
	if !sameDir(src, dst) {
		return fmt.Errorf("replacing %s: %s is not in the same folder", dst, src)
	}
	if err := os.Rename(src, dst); err != nil {
		return fmt.Errorf("replacing %s: %w", dst, err)
	}
	return nil
}

// RemoveOld deletes executables an earlier update set aside. Only Windows
// sets any aside; elsewhere a rename replaces a running binary directly.
func RemoveOld() {}

func removeOld(string) {}
