package source

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// tempDir is t.TempDir with a cleanup that also works under Wine, whose
// emulation lacks the calls os.RemoveAll makes on Windows: files are
// removed one by one, deepest first.
func tempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "gover-source-")
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
			os.Chmod(all[i], 0o755)
			os.Remove(all[i])
		}
	})
	return dir
}

// needGoTool skips tests that build fake SDKs where no Go toolchain can
// run, as in a Windows test binary under Wine.
func needGoTool(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(runtime.GOROOT(), "bin", "go"+exe())); err == nil {
		return
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no Go toolchain to build fake SDKs with")
	}
}

func exe() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}
