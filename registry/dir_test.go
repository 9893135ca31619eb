package registry

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gover/gover/internal/fake"
)

// needLinks skips a test on a Windows that can make neither junctions nor
// symbolic links. Wine 8 is one: FSCTL_SET_REPARSE_POINT is "not
// supported", and CreateSymbolicLink and mklink /J report success but
// make nothing.
func needLinks(t *testing.T) {
	t.Helper()
	dir := fake.TempDir(t)
	target := filepath.Join(dir, "target")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := makeDirLink(target, filepath.Join(dir, "link")); err != nil {
		t.Skipf("this system makes no directory links (%v); on Wine 8 that is expected", err)
	}
}
