package fsx

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/gover/gover/internal/fake"
)

func TestPlace(t *testing.T) {
	dir := fake.TempDir(t)
	src := filepath.Join(dir, "gover-shim")
	os.WriteFile(src, []byte("new shim"), 0o755)
	dst := filepath.Join(dir, "bin", "go")
	os.MkdirAll(filepath.Dir(dst), 0o755)
	os.WriteFile(dst, []byte("old shim"), 0o755)
	// What older setups and Replace leave aside while a shim runs.
	os.WriteFile(filepath.Join(dir, "bin", ".go.old-123"), []byte("left over"), 0o755)
	os.WriteFile(filepath.Join(dir, "bin", "go.old-456"), []byte("left over"), 0o755)
	for range 2 {
		if err := Place(src, dst); err != nil {
			t.Fatal(err)
		}
		if data, _ := os.ReadFile(dst); string(data) != "new shim" {
			t.Errorf("dst holds %q", data)
		}
	}
	if got := names(t, filepath.Dir(dst)); len(got) != 1 {
		t.Errorf("bin holds %q, want only go", got)
	}
	// A copy in a folder that does not exist yet.
	if err := Place(src, filepath.Join(dir, "new", "gofmt")); err != nil {
		t.Fatal(err)
	}
}

// TestPlaceOverRunning replaces a program while it runs, as gover setup
// does after an upgrade while an editor holds go.exe open. Windows refuses
// to overwrite or delete a running .exe but lets it be renamed.
func TestPlaceOverRunning(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := fake.TempDir(t)
	dst := filepath.Join(dir, "go"+Exe)
	if err := Place(self, dst); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(dst, "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "GOVER_FSX_HELPER=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	buf := make([]byte, 7)
	if n, err := stdout.Read(buf); err != nil || string(buf[:n]) != "running" {
		t.Fatalf("helper did not start: %q, %v", buf[:n], err)
	}
	src := filepath.Join(fake.TempDir(t), "gover-shim"+Exe)
	os.WriteFile(src, []byte("new shim"), 0o755)
	if err := Place(src, dst); err != nil {
		t.Fatalf("replacing a running program: %v", err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "new shim" {
		t.Errorf("dst holds %d bytes, not the new shim", len(got))
	}
}

// TestPlacedCopiesAreSeparateFiles: on Windows, making one shim read-only
// (attrib +r) leaves the other shims and their source alone, which hard
// links, sharing their attributes, would not.
func TestPlacedCopiesAreSeparateFiles(t *testing.T) {
	if runtime.GOOS != "windows" {
		t.Skip("hard links elsewhere are intended: permissions there are the file's, shared by design")
	}
	dir := fake.TempDir(t)
	src := filepath.Join(dir, "gover-shim.exe")
	if err := os.WriteFile(src, []byte("shim"), 0o755); err != nil {
		t.Fatal(err)
	}
	goShim, gofmtShim := filepath.Join(dir, "bin", "go.exe"), filepath.Join(dir, "bin", "gofmt.exe")
	for _, dst := range []string{goShim, gofmtShim} {
		if err := Place(src, dst); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command("attrib", "+r", goShim).CombinedOutput(); err != nil {
		t.Fatalf("attrib +r: %v\n%s", err, out)
	}
	t.Cleanup(func() { os.Chmod(goShim, 0o644) })
	if fi, err := os.Stat(goShim); err != nil || fi.Mode().Perm()&0o200 != 0 {
		t.Fatalf("attrib +r did not make %s read-only: %v", goShim, err)
	}
	for _, p := range []string{gofmtShim, src} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm()&0o200 == 0 {
			t.Errorf("%s became read-only with go.exe (%v)", p, err)
		}
	}
}
