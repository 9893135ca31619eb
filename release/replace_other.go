//go:build !windows

package release

import (
	"fmt"
	"os"
)

// Replace puts the executable src in place of dst, which may be running.
// src must be inside dst's folder (a staging folder there is fine) so the
// rename is atomic: every run of dst sees either the old binary or the new
// one, and a running process keeps the old file open until it exits.
func Replace(src, dst string) error {
	if !besideDst(src, dst) {
		return fmt.Errorf("replacing %s: %s is not inside its folder", dst, src)
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
