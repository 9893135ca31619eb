package registry

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// testDir is t.TempDir with a cleanup that removes one entry at a time,
// never through links. Under Wine 8, os.RemoveAll in Go 1.26 fails
// ("Invalid function") on the POSIX-semantics delete it uses, and
// t.TempDir's cleanup fails the test with it.
func testDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "gover-registry-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { removeTree(dir) })
	return dir
}

func removeTree(dir string) {
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
}

// needLinks skips a test on a Windows that can make neither junctions nor
// symbolic links. Wine 8 is one: FSCTL_SET_REPARSE_POINT is "not
// supported", and CreateSymbolicLink and mklink /J report success but
// make nothing.
func needLinks(t *testing.T) {
	t.Helper()
	dir := testDir(t)
	target := filepath.Join(dir, "target")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := makeDirLink(target, filepath.Join(dir, "link")); err != nil {
		t.Skipf("this system makes no directory links (%v); on Wine 8 that is expected", err)
	}
}
