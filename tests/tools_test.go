package tests

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/versions"
)

// toolJSON is one entry of gover tools --json.
type toolJSON struct {
	Name      string `json:"name"`
	Path      string `json:"path"`
	Module    string `json:"module"`
	Version   string `json:"version"`
	BuiltWith string `json:"builtWith"`
	Status    string `json:"status"`
	Reason    string `json:"reason"`
}

func (u *user) tools() map[string]toolJSON {
	u.t.Helper()
	r := u.ok("tools", "--json")
	var list []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		u.t.Fatalf("gover tools --json: %v\n%s", err, r.stdout)
	}
	out := map[string]toolJSON{}
	for _, m := range list {
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		if len(keys) != 7 {
			u.t.Errorf("gover tools --json entry has keys %v, want name, path, module, version, builtWith, status, reason", keys)
		}
		b, _ := json.Marshal(m)
		var t toolJSON
		json.Unmarshal(b, &t)
		out[t.Name] = t
	}
	return out
}

// machineGOROOT is the Go running the tests, which builds the test tools.
func machineGOROOT(t *testing.T) string {
	root := runtime.GOROOT()
	if _, err := os.Stat(filepath.Join(root, "bin", "go"+exeSuffix())); err != nil {
		t.Fatalf("no go in %s: %v", root, err)
	}
	return root
}

// TestToolsStatusRebuildNotice: a tool go-installed from a local file://
// proxy, judged against the machine's Go and a newer one, the notice after
// gover use --global, a rebuild with --latest, and a failing rebuild that
// keeps the old binary.
func TestToolsStatusRebuildNotice(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	root := machineGOROOT(t)
	host := strings.TrimPrefix(runtime.Version(), "go")
	u.ok("import", root)
	u.ok("use", "--global", host)
	newer := fake.SDK(t, "1.99.0", versions.Host())
	u.ok("import", newer)

	base := t.TempDir()
	px := fake.NewModProxy(t)
	for _, v := range []string{"v1.0.0", "v1.1.0"} {
		px.Add("example.com/tool", v, map[string]string{
			"go.mod":           "module example.com/tool\n\ngo 1.21\n",
			"cmd/tool/main.go": "package main\n\nfunc main() { println(\"" + v + "\") }\n",
		})
	}
	gobin := filepath.Join(base, "my tools") // a GOBIN with a space
	u.setenv("GOBIN", gobin)
	u.setenv("GOPROXY", px.URL)
	u.setenv("GONOSUMDB", "example.com")
	u.setenv("GOFLAGS", "-mod=mod -modcacherw")
	u.setenv("GOMODCACHE", filepath.Join(base, "modcache"))
	u.setenv("GOPATH", filepath.Join(base, "gopath"))
	goCmd := filepath.Join(root, "bin", "go"+exeSuffix())
	if c, err := exec.Command(goCmd, "env", "GOCACHE").Output(); err == nil {
		u.setenv("GOCACHE", strings.TrimSpace(string(c))) // the runner's build cache: no rebuild of std
	}
	if r := u.run(goCmd, "install", "example.com/tool/cmd/tool@v1.0.0"); r.code != 0 {
		t.Fatalf("go install: %+v", r)
	}
	toolPath := filepath.Join(gobin, "tool"+exeSuffix())

	got := u.tools()["tool"]
	want := toolJSON{Name: "tool", Path: toolPath, Module: "example.com/tool", Version: "v1.0.0", BuiltWith: runtime.Version(), Status: "ok", Reason: "built with " + runtime.Version()}
	if got != want {
		t.Errorf("gover tools --json:\n got %+v\nwant %+v", got, want)
	}
	r := u.ok("tools")
	if !strings.Contains(r.stdout, "tool ") || !strings.Contains(r.stdout, "judged against "+runtime.Version()) {
		t.Errorf("gover tools:\n%s", r.stdout)
	}

	// A newer default: the tool is stale, and use --global says so once.
	r = u.ok("use", "--global", "1.99.0")
	wantNotice := "gover: 1 Go tool was built for " + runtime.Version() + ": gover tools rebuild\n"
	if !strings.Contains(r.stderr, wantNotice) {
		t.Errorf("gover use --global 1.99.0 stderr:\n%s\nwant %q", r.stderr, wantNotice)
	}
	if got := u.tools()["tool"]; got.Status != "stale" || !strings.Contains(got.Reason, "older than go1.99.0") {
		t.Errorf("against go1.99.0: %+v", got)
	}
	if r := u.ok("use", "--global", "1.99.0"); strings.Contains(r.stderr, "Go tool") {
		t.Errorf("the notice repeats when the default did not change:\n%s", r.stderr)
	}

	// Back to the machine's Go (this folder only), then rebuild at --latest.
	u.ok("use", host)
	r = u.ok("tools", "rebuild", "--latest", "tool")
	if !strings.Contains(r.stdout, "tool: rebuilt example.com/tool v1.1.0 with "+runtime.Version()+" (ok)") {
		t.Errorf("gover tools rebuild --latest:\n%s\n%s", r.stdout, r.stderr)
	}
	if out := u.run(goCmd, "version", "-m", toolPath); !strings.Contains(out.stdout, "\tmod\texample.com/tool\tv1.1.0") {
		t.Errorf("go version -m: %s", out.stdout)
	}

	// The version is gone from the proxy and from a fresh module cache:
	// the rebuild fails, exits non-zero, and the old binary stays.
	before, _ := os.ReadFile(toolPath)
	px.Remove("example.com/tool", "v1.1.0")
	u.setenv("GOMODCACHE", filepath.Join(base, "fresh-modcache"))
	r = u.fails(1, "tools", "rebuild", "--all")
	if !strings.Contains(r.stdout, "tool: FAILED, the old binary is kept") || !strings.Contains(r.stderr, "1 of 1 tool was not rebuilt") {
		t.Errorf("failed rebuild:\n%s\n%s", r.stdout, r.stderr)
	}
	if after, _ := os.ReadFile(toolPath); !bytes.Equal(before, after) {
		t.Error("a failed rebuild changed the tool")
	}
	if entries, _ := os.ReadDir(gobin); len(entries) != 1 {
		t.Errorf("the tools folder holds %v after a failed rebuild", entries)
	}
	u.fails(4, "tools", "rebuild", "nosuchtool")

	// This folder asks for 1.98, not installed yet: installing it changes
	// the Go that runs here, and install says the tool is behind.
	srv := newServers(t)
	srv.publish("1.98.0")
	srv.use(u)
	os.WriteFile(filepath.Join(u.dir, ".go-version"), []byte("1.98\n"), 0o644)
	r = u.ok("install", "1.98.0")
	if want := "gover: 1 Go tool was built for " + runtime.Version() + ": gover tools rebuild\n"; !strings.Contains(r.stderr, want) {
		t.Errorf("gover install 1.98.0 stderr:\n%s\nwant %q", r.stderr, want)
	}
}

// TestNetworkTools builds stringer and Delve with go1.22.5 installed from
// the real proxy, makes the machine's Go the default, and checks gover tools
// and gover tools rebuild. GOVER_E2E_NETWORK=1; it builds Delve twice, so
// give it -timeout 30m on a busy machine.
func TestNetworkTools(t *testing.T) {
	t.Parallel()
	if os.Getenv("GOVER_E2E_NETWORK") != "1" {
		t.Skip("set GOVER_E2E_NETWORK=1 to build tools from proxy.golang.org")
	}
	u := newUser(t)
	base := t.TempDir()
	u.setenv("GOPROXY", "https://proxy.golang.org,direct")
	u.setenv("GOSUMDB", "sum.golang.org")
	u.setenv("GOVER_SOURCES", "proxy")
	u.setenv("GOFLAGS", "-modcacherw")
	u.setenv("GOMODCACHE", filepath.Join(base, "modcache"))
	u.setenv("GOPATH", filepath.Join(base, "gopath"))
	u.setenv("GOTOOLCHAIN", "local")
	u.ok("install", "1.22.5")
	go122 := filepath.Join(u.home, "sdk", "go1.22.5", "bin", "go"+exeSuffix())
	for _, pkg := range []string{"golang.org/x/tools/cmd/stringer@v0.30.0", "github.com/go-delve/delve/cmd/dlv@v1.22.1"} {
		if r := u.run(go122, "install", pkg); r.code != 0 {
			t.Fatalf("go1.22.5 install %s: %+v", pkg, r)
		}
	}
	root := machineGOROOT(t)
	u.ok("import", root)
	r := u.ok("use", "--global", strings.TrimPrefix(runtime.Version(), "go"))
	t.Logf("gover use --global:\n%s%s", r.stdout, r.stderr)
	if !strings.Contains(r.stderr, "2 Go tools were built for go1.22.5 (dlv does not work with "+runtime.Version()+"): gover tools rebuild") {
		t.Errorf("no notice after use --global:\n%s", r.stderr)
	}
	list := u.tools()
	if d := list["dlv"]; d.Status != "incompatible" || d.Version != "v1.22.1" || d.BuiltWith != "go1.22.5" || d.Module != "github.com/go-delve/delve" {
		t.Errorf("dlv: %+v", d)
	}
	if s := list["stringer"]; s.Status != "stale" || s.Version != "v0.30.0" || s.BuiltWith != "go1.22.5" || s.Module != "golang.org/x/tools" {
		t.Errorf("stringer: %+v", s)
	}
	t.Logf("gover tools before the rebuild:\n%s", u.ok("tools").stdout)

	r = u.ok("tools", "rebuild", "stringer")
	t.Logf("gover tools rebuild stringer:\n%s%s", r.stdout, r.stderr)
	if s := u.tools()["stringer"]; s.Status != "ok" || s.BuiltWith != runtime.Version() || s.Version != "v0.30.0" {
		t.Errorf("stringer after the rebuild: %+v", s)
	}
	out, err := exec.Command(filepath.Join(root, "bin", "go"+exeSuffix()), "version", "-m", filepath.Join(base, "gopath", "bin", "stringer"+exeSuffix())).Output()
	if err != nil || !strings.Contains(string(out), "\tmod\tgolang.org/x/tools\tv0.30.0") {
		t.Errorf("go version -m stringer: %v\n%s", err, out)
	}
	// No Delve v1.22.x supports the machine's Go: the rebuild says --latest.
	r = u.fails(1, "tools", "rebuild", "dlv")
	if !strings.Contains(r.stdout, "gover tools rebuild --latest dlv") {
		t.Errorf("gover tools rebuild dlv:\n%s%s", r.stdout, r.stderr)
	}
	// --latest moves Delve to a release that supports it.
	r = u.ok("tools", "rebuild", "--latest", "dlv")
	t.Logf("gover tools rebuild --latest dlv:\n%s%s", r.stdout, r.stderr)
	if d := u.tools()["dlv"]; d.Status != "ok" || d.BuiltWith != runtime.Version() {
		t.Errorf("dlv after rebuild --latest: %+v", d)
	}
	t.Logf("gover tools after the rebuilds:\n%s", u.ok("tools").stdout)
}
