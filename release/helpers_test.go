package release

import (
	"os"
	"testing"
)

// tempDir is t.TempDir for the flat folders these tests use, cleaned up with
// removeFlat so the Windows build of the tests also runs under Wine.
func tempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "gover-release-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { removeFlat(dir) })
	return dir
}
