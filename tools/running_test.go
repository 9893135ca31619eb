package tools

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gover/gover/internal/fake"
)

// The test binary plays two more parts, chosen by GOVER_TOOLS_TEST_ROLE:
// "go", a go command whose install copies the test binary, with a marker
// appended, into GOBIN; and "tool", a running tool that waits for its
// standard input to close. Both work under Wine, where no Windows go
// command exists.
func TestMain(m *testing.M) {
	switch os.Getenv("GOVER_TOOLS_TEST_ROLE") {
	case "go":
		self, _ := os.Executable()
		data, err := os.ReadFile(self)
		if err == nil && len(os.Args) == 3 && os.Args[1] == "install" {
			name := filepath.Base(strings.SplitN(os.Args[2], "@", 2)[0]) + exeSuffix
			err = os.WriteFile(filepath.Join(os.Getenv("GOBIN"), name), append(data, "rebuilt:"+os.Args[2]...), 0o755)
		}
		if err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	case "tool":
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestRebuildRunningTool replaces a tool while it runs: on Windows the
// running .exe is moved aside (fsx.Replace), elsewhere renamed over. It
// also reads a Go binary of this platform (the test binary: a Windows
// executable under Wine) with Read and List.
func TestRebuildRunningTool(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(fake.TempDir(t), "go bin")
	os.MkdirAll(dir, 0o755)
	path := filepath.Join(dir, "tool"+exeSuffix)
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644)
	list, err := List(dir)
	if err != nil || len(list) != 1 {
		t.Fatalf("List = %+v, %v", list, err)
	}
	got := list[0]
	if got.Name != "tool" || got.Module != "github.com/gover/gover" || got.BuiltWith != runtime.Version() || got.Status != "" {
		t.Fatalf("Read(%s) = %+v", path, got)
	}

	run := exec.Command(path)
	run.Env = append(os.Environ(), "GOVER_TOOLS_TEST_ROLE=tool")
	stdin, err := run.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); run.Wait() }()

	tool := Tool{Name: "tool", Path: path, Module: "example.com/tool", Version: "v1.0.0", Package: "example.com/tool/cmd/tool", BuiltWith: runtime.Version()}
	opts := RebuildOptions{Go: self, Selected: runtime.Version(), Env: append(os.Environ(), "GOVER_TOOLS_TEST_ROLE=go"), Out: io.Discard}
	if _, err := Rebuild(context.Background(), tool, opts); err != nil {
		t.Fatalf("Rebuild of a running tool: %v", err)
	}
	now, _ := os.ReadFile(path)
	if !bytes.HasSuffix(now, []byte("rebuilt:example.com/tool/cmd/tool@v1.0.0")) {
		t.Errorf("%s was not replaced", path)
	}
	if l, _ := List(dir); len(l) != 1 || l[0].Name != "tool" {
		t.Errorf("after the rebuild List = %+v", l)
	}
}
