package source

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

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
