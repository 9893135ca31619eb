package tools

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gover/gover/internal/fake"
)

func TestFolder(t *testing.T) {
	base := fake.TempDir(t)
	home := filepath.Join(base, "home")
	cfg := filepath.Join(base, "config")
	envFile := func(content string) {
		os.MkdirAll(filepath.Join(cfg, "go"), 0o755)
		if err := os.WriteFile(filepath.Join(cfg, "go", "env"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gp1, gp2 := filepath.Join(base, "gp 1"), filepath.Join(base, "gp2")
	for _, tc := range []struct {
		name string
		vars map[string]string
		file string
		want string
	}{
		{"default", nil, "", filepath.Join(home, "go", "bin")},
		{"GOBIN", map[string]string{"GOBIN": filepath.Join(base, "my bin")}, "GOBIN=" + filepath.Join(base, "other") + "\n", filepath.Join(base, "my bin")},
		{"GOBIN from go env -w", nil, "GOBIN=" + filepath.Join(base, "other") + "\n", filepath.Join(base, "other")},
		{"GOPATH first entry", map[string]string{"GOPATH": gp1 + string(os.PathListSeparator) + gp2}, "", filepath.Join(gp1, "bin")},
		{"GOPATH from go env -w", nil, "GOPATH=" + gp2 + "\r\n", filepath.Join(gp2, "bin")},
		{"GOENV=off ignores the file", map[string]string{"GOENV": "off"}, "GOBIN=" + filepath.Join(base, "other") + "\n", filepath.Join(home, "go", "bin")},
	} {
		envFile(tc.file) // rewritten each time: os.RemoveAll fails under Wine 8
		got, err := Folder(Env{Getenv: func(k string) string { return tc.vars[k] }, Home: home, ConfigDir: cfg})
		if err != nil || got != tc.want {
			t.Errorf("%s: Folder = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

func TestJudge(t *testing.T) {
	tool := func(module, version, built string) Tool {
		return Tool{Name: "x", Module: module, Version: version, BuiltWith: built, Package: module}
	}
	for _, tc := range []struct {
		name     string
		t        Tool
		selected string
		want     Status
		reason   string
	}{
		{"same Go", tool("example.com/t", "v1.0.0", "go1.22.5"), "go1.22.5", OK, "built with go1.22.5"},
		{"newer Go", tool("example.com/t", "v1.0.0", "go1.23.1"), "go1.22.5", OK, "built with go1.23.1"},
		{"older patch", tool("example.com/t", "v1.0.0", "go1.22.1"), "go1.22.5", Stale, "older than go1.22.5"},
		{"older minor", tool("golang.org/x/tools", "v0.30.0", "go1.22.5"), "go1.26.8", Stale, "built with go1.22.5, older than go1.26.8"},
		{"boringcrypto suffix", tool("example.com/t", "v1.0.0", "go1.22.5 X:boringcrypto"), "go1.22.5", OK, "built with go1.22.5"},
		{"gopls older minor", tool("golang.org/x/tools/gopls", "v0.16.0", "go1.22.5"), "go1.23.0", Incompatible, "go/types refuses code for Go 1.23"},
		{"gopls older patch", tool("golang.org/x/tools/gopls", "v0.16.0", "go1.23.0"), "go1.23.4", Stale, "older than go1.23.4"},
		{"staticcheck older minor", tool("honnef.co/go/tools", "v0.5.1", "go1.22.5"), "go1.23.0", Incompatible, "go/types"},
		{"dlv too old", tool(DelveModule, "v1.22.1", "go1.22.5"), "go1.26.8", Incompatible, "no v1.22.x release supports it: gover tools rebuild --latest dlv"},
		{"dlv fixed by a patch", tool(DelveModule, "v1.25.0", "go1.24.5"), "go1.25.1", Incompatible, "1.21 to 1.24"},
		{"dlv ok but stale", tool(DelveModule, "v1.26.2", "go1.26.0"), "go1.26.8", Stale, "older than go1.26.8"},
		{"dlv unknown release", tool(DelveModule, "v1.99.0", "go1.26.8"), "go1.26.8", OK, "not in gover's table"},
		{"devel tool", tool("example.com/t", Devel, "go1.26.8"), "go1.26.8", OK, "local checkout"},
		{"not Go", Tool{Name: "x", Status: Unknown, Reason: "not a Go program"}, "go1.22.5", Unknown, "not a Go program"},
		{"devel Go", tool("example.com/t", "v1.0.0", "devel go1.27-abc"), "go1.26.8", OK, "devel go1.27-abc"},
	} {
		got := Judge(tc.t, tc.selected)
		if got.Status != tc.want || !strings.Contains(got.Reason, tc.reason) {
			t.Errorf("%s: %s, %q; want %s, %q", tc.name, got.Status, got.Reason, tc.want, tc.reason)
		}
	}
	if strings.Contains(Judge(tool(DelveModule, "v1.25.0", "go1.24.5"), "go1.25.1").Reason, "--latest") {
		t.Error("Delve v1.25.0 got --latest, but v1.25.1 supports go1.25")
	}
}

func TestNotice(t *testing.T) {
	list := []Tool{
		{Name: "dlv", BuiltWith: "go1.22.5", Status: Incompatible},
		{Name: "stringer", BuiltWith: "go1.22.5", Status: Stale},
		{Name: "gofmt", Status: Unknown},
		{Name: "ok", BuiltWith: "go1.26.8", Status: OK},
	}
	want := "2 Go tools were built for go1.22.5 (dlv does not work with go1.26.8): gover tools rebuild"
	if got := Notice(list, "go1.26.8"); got != want {
		t.Errorf("Notice = %q\nwant     %q", got, want)
	}
	if got := Notice(list[2:], "go1.26.8"); got != "" {
		t.Errorf("Notice without outdated tools = %q", got)
	}
}

// goTool is the machine's go command, which builds the test tools.
func goTool(t *testing.T) string {
	t.Helper()
	p := filepath.Join(runtime.GOROOT(), "bin", "go"+exeSuffix)
	if _, err := os.Stat(p); err != nil {
		if p, err = exec.LookPath("go"); err != nil {
			// The Windows build under Wine has no go.exe; TestRebuildRunningTool
			// covers rebuilding there with a stand-in go.
			t.Skipf("no go command for %s/%s here: %v", runtime.GOOS, runtime.GOARCH, err)
		}
	}
	return p
}

var exeSuffix = map[bool]string{true: ".exe"}[runtime.GOOS == "windows"]

// toolProxy serves example.com/tool at v1.0.0 and v1.1.0 from a folder.
func toolProxy(t *testing.T) *fake.ModProxy {
	px := fake.NewModProxy(t)
	for _, v := range []string{"v1.0.0", "v1.1.0"} {
		px.Add("example.com/tool", v, map[string]string{
			"go.mod":           "module example.com/tool\n\ngo 1.21\n",
			"cmd/tool/main.go": "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"tool " + v + "\") }\n",
		})
	}
	return px
}

// goEnv is the environment for the go command in these tests: the local
// proxy for example.com only, and a module cache of the test's own.
func goEnv(t *testing.T, px *fake.ModProxy, base string) []string {
	return append(withoutVars(os.Environ(), "GOFLAGS", "GOPROXY", "GONOSUMDB", "GOMODCACHE", "GOTOOLCHAIN", "GOBIN", "GOPATH", "GOENV"),
		"GOPROXY="+px.URL, "GONOSUMDB=example.com", "GONOSUMCHECK=1", "GOFLAGS=-mod=mod -modcacherw",
		"GOMODCACHE="+filepath.Join(base, "modcache"), "GOPATH="+filepath.Join(base, "gopath"),
		"GOENV=off", "GOTOOLCHAIN=local")
}

func TestListJudgeRebuild(t *testing.T) {
	base := fake.TempDir(t)
	px := toolProxy(t)
	env := goEnv(t, px, base)
	gobin := filepath.Join(base, "go bin") // a GOBIN with a space
	goCmd := goTool(t)
	install := func(version string) {
		t.Helper()
		cmd := exec.Command(goCmd, "install", "example.com/tool/cmd/tool@"+version)
		cmd.Env = append(env, "GOBIN="+gobin)
		cmd.Dir = base
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go install: %v\n%s", err, out)
		}
	}
	install("v1.0.0")
	if err := os.WriteFile(filepath.Join(gobin, "script"+exeSuffix), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	list, err := List(gobin)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[1].Name != "tool" || list[0].Name != "script" {
		t.Fatalf("List = %+v", list)
	}
	tool := list[1]
	built := goName(tool.BuiltWith)
	if tool.Module != "example.com/tool" || tool.Version != "v1.0.0" || tool.Package != "example.com/tool/cmd/tool" || built != runtime.Version() {
		t.Fatalf("tool = %+v", tool)
	}
	if s := Judge(list[0], built); s.Status != Unknown || s.Reason != "not a Go program" {
		t.Errorf("script: %s %q", s.Status, s.Reason)
	}
	// Judged against a newer and an older selected Go than the one that built it.
	if s := Judge(tool, "go1.99.0"); s.Status != Stale {
		t.Errorf("against go1.99.0: %s %q", s.Status, s.Reason)
	}
	if s := Judge(tool, "go1.21.0"); s.Status != OK {
		t.Errorf("against go1.21.0: %s %q", s.Status, s.Reason)
	}

	opts := RebuildOptions{Go: goCmd, Selected: built, Env: env, Out: &bytes.Buffer{}}
	// Same version: rebuilt in place at v1.0.0.
	got, err := Rebuild(context.Background(), tool, opts)
	if err != nil {
		t.Fatalf("Rebuild: %v\n%s", err, opts.Out)
	}
	if got.Version != "v1.0.0" || got.Status != OK || got.Path != tool.Path {
		t.Errorf("rebuilt = %+v", got)
	}
	goVersionM(t, goCmd, tool.Path, "example.com/tool\tv1.0.0")
	// --latest: moves to v1.1.0.
	opts.Latest = true
	if got, err = Rebuild(context.Background(), tool, opts); err != nil || got.Version != "v1.1.0" {
		t.Fatalf("Rebuild --latest = %+v, %v\n%s", got, err, opts.Out)
	}
	goVersionM(t, goCmd, tool.Path, "example.com/tool\tv1.1.0")

	// A failing rebuild (the version is gone from the proxy, the module
	// cache is empty) keeps the old binary and leaves nothing behind.
	before, _ := os.ReadFile(tool.Path)
	px.Remove("example.com/tool", "v1.1.0")
	opts.Latest = false
	opts.Env = goEnv(t, px, filepath.Join(base, "fresh"))
	tool = Read(tool.Path)
	if _, err := Rebuild(context.Background(), tool, opts); err == nil {
		t.Fatal("Rebuild of a version the proxy no longer has succeeded")
	}
	after, _ := os.ReadFile(tool.Path)
	if !bytes.Equal(before, after) {
		t.Error("a failed rebuild changed the tool")
	}
	entries, _ := os.ReadDir(gobin)
	if len(entries) != 2 {
		t.Errorf("after a failed rebuild the folder holds %v", entries)
	}
}

func goVersionM(t *testing.T, goCmd, path, want string) {
	t.Helper()
	out, err := exec.Command(goCmd, "version", "-m", path).Output()
	if err != nil || !strings.Contains(string(out), "\tmod\t"+want) {
		t.Errorf("go version -m %s: %v\n%s\nwant mod %s", path, err, out, want)
	}
}

func TestRebuildDevelAndDelve(t *testing.T) {
	base := fake.TempDir(t)
	src := filepath.Join(base, "src", "devtool")
	os.MkdirAll(src, 0o755)
	os.WriteFile(filepath.Join(src, "go.mod"), []byte("module example.com/devtool\n\ngo 1.21\n"), 0o644)
	os.WriteFile(filepath.Join(src, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
	gobin := filepath.Join(base, "bin")
	cmd := exec.Command(goTool(t), "install", ".")
	cmd.Dir = src
	cmd.Env = append(withoutVars(os.Environ(), "GOBIN", "GOFLAGS"), "GOBIN="+gobin, "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install: %v\n%s", err, out)
	}
	tool := Read(filepath.Join(gobin, "devtool"+exeSuffix))
	if j := Judge(tool, runtime.Version()); !strings.HasSuffix(j.Reason, "; built from a local checkout") {
		t.Errorf("reason for a (devel) tool: %q", j.Reason)
	}
	_, err := Rebuild(context.Background(), tool, RebuildOptions{Go: "/nonexistent/go", Selected: runtime.Version()})
	var de *DevelError
	if !errors.As(err, &de) || de.Checkout != src {
		t.Errorf("Rebuild of a (devel) tool = %v; want a DevelError naming %s", err, src)
	}

	// Build info and checkout of a Windows tool (PE) and a Linux one (ELF),
	// whatever runs the test.
	for _, goos := range []string{"windows", "linux"} {
		out := filepath.Join(base, "cross", goos, "devtool")
		cmd := exec.Command(goTool(t), "build", "-o", out, ".")
		cmd.Dir = src
		cmd.Env = append(withoutVars(os.Environ(), "GOOS", "GOARCH", "GOFLAGS", "CGO_ENABLED"), "GOOS="+goos, "GOARCH=amd64", "CGO_ENABLED=0", "GOTOOLCHAIN=local")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("GOOS=%s go build: %v\n%s", goos, err, b)
		}
		got := Read(out)
		if got.Module != "example.com/devtool" || got.Version != Devel || Checkout(out) != src {
			t.Errorf("GOOS=%s: Read = %+v, Checkout = %q; want checkout %s", goos, got, Checkout(out), src)
		}
	}

	dlv := Tool{Name: "dlv", Path: filepath.Join(gobin, "dlv"), Module: DelveModule, Version: "v1.22.1", BuiltWith: "go1.22.5", Package: DelveModule + "/cmd/dlv"}
	_, err = Rebuild(context.Background(), dlv, RebuildOptions{Go: "/nonexistent/go", Selected: "go1.26.8"})
	var nl *NeedsLatestError
	if !errors.As(err, &nl) {
		t.Errorf("Rebuild of Delve v1.22.1 for go1.26.8 = %v; want a NeedsLatestError", err)
	}
}
