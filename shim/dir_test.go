package shim

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// testDir is t.TempDir with a cleanup that removes one entry at a time.
// Under Wine 8, os.RemoveAll in Go 1.26 fails ("Invalid function") on the
// POSIX-semantics delete it uses, and t.TempDir's cleanup fails the test.
func testDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "gover-shim-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		var all []string
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil {
				all = append(all, p)
			}
			return nil
		})
		for i := len(all) - 1; i >= 0; i-- {
			os.Remove(all[i])
		}
	})
	return dir
}
