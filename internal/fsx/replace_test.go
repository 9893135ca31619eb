package fsx

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gover/gover/internal/fake"
)

func exe(name string) string {
	if runtime.GOOS == "windows" {
		return name + ".exe"
	}
	return name
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func TestReplace(t *testing.T) {
	dir := fake.TempDir(t)
	dst := filepath.Join(dir, exe("gover"))
	src := filepath.Join(dir, ".new")
	os.WriteFile(dst, []byte("old"), 0o755)
	os.WriteFile(src, []byte("new"), 0o755)
	if err := Replace(src, dst); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "new" {
		t.Errorf("dst = %q", got)
	}
	// Nothing was running, so nothing is left aside.
	if got := names(t, dir); len(got) != 1 {
		t.Errorf("dir holds %v", got)
	}
}

func TestReplaceInstallsMissing(t *testing.T) {
	dir := fake.TempDir(t)
	dst := filepath.Join(dir, exe("gover-shim"))
	src := filepath.Join(dir, ".new")
	os.WriteFile(src, []byte("new"), 0o755)
	if err := Replace(src, dst); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "new" {
		t.Errorf("dst = %q", got)
	}
}

func TestReplaceFromStagingFolder(t *testing.T) {
	dir := fake.TempDir(t)
	stage := filepath.Join(dir, ".stage")
	os.Mkdir(stage, 0o755)
	dst := filepath.Join(dir, exe("gover"))
	src := filepath.Join(stage, exe("gover"))
	os.WriteFile(dst, []byte("old"), 0o755)
	os.WriteFile(src, []byte("new"), 0o755)
	if err := Replace(src, dst); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "new" {
		t.Errorf("dst = %q", got)
	}
}

func TestReplaceRefusesOtherFolder(t *testing.T) {
	dir := fake.TempDir(t)
	for _, src := range []string{
		filepath.Join(fake.TempDir(t), "new"),
		filepath.Join(filepath.Dir(dir), "new"),
		dir,
	} {
		if err := Replace(src, filepath.Join(dir, "gover")); err == nil || !strings.Contains(err.Error(), "not inside") {
			t.Errorf("Replace(%s) = %v; want a refusal: only a rename within one folder is atomic", src, err)
		}
	}
}

// TestHelperProcess is the running program TestReplaceRunning replaces: a
// copy of this test binary that waits until its stdin closes.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("GOVER_FSX_HELPER") != "1" {
		t.Skip("run by TestReplaceRunning and TestPlaceOverRunning")
	}
	os.Stdout.WriteString("running")
	io.Copy(io.Discard, os.Stdin)
	os.Exit(0)
}

func TestReplaceRunning(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := fake.TempDir(t)
	dst := filepath.Join(dir, exe("gover"))
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(dst, "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "GOVER_FSX_HELPER=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	exited := false
	defer func() {
		if !exited {
			cmd.Process.Kill()
			<-done
		}
	}()
	time.Sleep(200 * time.Millisecond) // let the image be mapped

	src := filepath.Join(dir, ".new")
	os.WriteFile(src, []byte("new"), 0o755)
	if err := Replace(src, dst); err != nil {
		t.Fatalf("replacing a running executable: %v", err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "new" {
		t.Errorf("dst = %.20q", got)
	}

	stdin.Close()
	select {
	case err := <-done:
		exited = true
		if err != nil {
			t.Errorf("the replaced program did not keep running to a clean exit: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the replaced program did not exit")
	}
	RemoveAside(dst)
	if got := names(t, dir); len(got) != 1 || got[0] != exe("gover") {
		t.Errorf("after the old program exited and RemoveAside ran, dir holds %v", got)
	}
}
