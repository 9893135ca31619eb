package doctor

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/internal/shellhint"
	"github.com/gover/gover/registry"
	"github.com/gover/gover/store"
	"github.com/gover/gover/store/verify"
	"github.com/gover/gover/versions"
)

// testEnv is a planted machine: a GOVER_HOME with current shims and one
// installed, global SDK, a home folder, a tools folder with gopls, and a
// PATH with the shims first.
type testEnv struct {
	t     testing.TB
	base  string
	root  string
	home  string
	work  string
	tools string
	shim  string // the shim source
	// noLinks is set on a system that makes no directory links (Wine 8):
	// the current link is then missing.
	noLinks bool
	st      *store.Store
	vars    map[string]string
	env     Env
}

func exeName(name string) string { return name + exe }

func writeExec(t testing.TB, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o755); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t testing.TB, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fakeGOROOT makes a folder that looks like a Go installation of version.
func fakeGOROOT(t testing.TB, dir, version string) {
	writeExec(t, filepath.Join(dir, "bin", exeName("go")), "#!/bin/sh\necho go version "+version+"\n")
	writeExec(t, filepath.Join(dir, "bin", exeName("gofmt")), "#!/bin/sh\n")
	writeFile(t, filepath.Join(dir, "VERSION"), version+"\ntime 2024-01-01T00:00:00Z\n")
	writeFile(t, filepath.Join(dir, "src", "runtime", "runtime.go"), "package runtime\n")
}

func newTestEnv(t testing.TB) *testEnv {
	t.Helper()
	base := fake.TempDir(t)
	e := &testEnv{
		t:     t,
		base:  base,
		root:  filepath.Join(base, "gover"),
		home:  filepath.Join(base, "home"),
		work:  filepath.Join(base, "work"),
		tools: filepath.Join(base, "home", "go", "bin"),
		shim:  filepath.Join(base, "dist", exeName("gover-shim")),
	}
	e.st = store.New(e.root)
	writeExec(t, e.shim, "shim build 1")
	for _, tool := range registry.ShimTools {
		writeExec(t, registry.ShimPath(e.st.BinDir(), tool), "shim build 1")
	}
	writeExec(t, filepath.Join(e.tools, exeName("gopls")), "gopls")
	if err := os.MkdirAll(e.work, 0o755); err != nil {
		t.Fatal(err)
	}
	v := e.install("1.22.5")
	if err := e.st.SetGlobal(v); err != nil {
		t.Fatal(err)
	}
	if err := registry.SetCurrent(e.st.CurrentLink(), e.st.SDKDir(v)); err != nil {
		t.Logf("no current link: %v", err)
		e.noLinks = true
	}
	procVersion := filepath.Join(base, "proc-version")
	writeFile(t, procVersion, "Linux version 6.1.0 (gcc)\n")
	e.vars = map[string]string{
		"PATH": strings.Join([]string{e.st.BinDir(), e.tools}, string(os.PathListSeparator)),
		"HOME": e.home, "USERPROFILE": e.home,
	}
	if runtime.GOOS == "windows" {
		e.vars["PATHEXT"] = ".COM;.EXE;.BAT;.CMD"
	}
	e.env = Env{
		Getenv:      func(k string) string { return e.vars[k] },
		Root:        e.root,
		Dir:         e.work,
		Home:        e.home,
		ConfigDir:   filepath.Join(e.home, ".config"),
		Offline:     true,
		Timeout:     500 * time.Millisecond,
		ShimSource:  e.shim,
		ProcVersion: procVersion,
		// One shell everywhere, so hints compare as text; the Windows
		// tests and internal/shellhint run each shell's hints for real.
		Shell: shellhint.POSIX,
		Run: func(ctx context.Context, name string, args ...string) ([]byte, error) {
			return nil, os.ErrNotExist
		},
	}
	windowsSetup(e)
	return e
}

// removeBin removes the shims folder one file at a time (os.RemoveAll
// fails under Wine 8).
func removeBin(e *testEnv) {
	for _, tool := range registry.ShimTools {
		os.Remove(registry.ShimPath(e.st.BinDir(), tool))
	}
	if err := os.Remove(e.st.BinDir()); err != nil {
		e.t.Fatal(err)
	}
}

// install puts a fake SDK into the store through a real transaction, with
// its file list.
func (e *testEnv) install(version string) versions.Version {
	e.t.Helper()
	v := versions.MustParse(version)
	tx, err := e.st.Begin(context.Background(), v)
	if err != nil {
		e.t.Fatal(err)
	}
	defer tx.Abort()
	fakeGOROOT(e.t, tx.Dir(), v.Name())
	if _, err := verify.WriteFileList(tx.Dir(), e.st.FileListPath(v)); err != nil {
		e.t.Fatal(err)
	}
	if err := tx.Commit(&store.Manifest{Source: store.Source{Kind: store.SourceFile}, Trust: store.TrustIndex}); err != nil {
		e.t.Fatal(err)
	}
	return v
}

func (e *testEnv) prependPath(dir string) {
	e.vars["PATH"] = dir + string(os.PathListSeparator) + e.vars["PATH"]
}

func (e *testEnv) run() *Report {
	e.t.Helper()
	return Run(context.Background(), e.env)
}

func dump(r *Report) string {
	var b strings.Builder
	r.WriteText(&b, false)
	return b.String()
}

func TestCleanEnvironmentPasses(t *testing.T) {
	e := newTestEnv(t)
	r := e.run()
	for _, c := range r.Checks {
		if c.ID == "shims.current" && e.noLinks {
			continue
		}
		if c.Status != OK {
			t.Errorf("clean environment: %s is %s: %s (hint: %s)", c.ID, c.Status, c.Finding, c.Hint)
		}
	}
	for _, id := range []string{"shims.bin", "shims.current", "shims.selection", "shims.sdk", "path.shims", "path.go", "path.other-go", "goroot.exported", "gopath.dir", "download.goproxy", "download.gosumdb", "download.gotoolchain", "ide.gopls"} {
		if r.Find(id) == nil {
			t.Errorf("check %s did not run", id)
		}
	}
	if t.Failed() {
		t.Log(dump(r))
	}
}

// planted is one problem in the environment and what doctor must say.
type planted struct {
	name    string
	plant   func(e *testEnv)
	id      string
	status  Status
	finding []string
	hint    string
	fixable bool
}

func TestPlantedProblems(t *testing.T) {
	cases := []planted{
		{
			name: "leftovers of a killed install",
			plant: func(e *testEnv) {
				sdk := filepath.Join(e.st.Root(), "sdk", "go1.19.1")
				os.MkdirAll(filepath.Join(sdk, "bin"), 0o755)
				os.WriteFile(filepath.Join(sdk, "bin", "half"), make([]byte, 3<<20), 0o644)
				os.WriteFile(sdk+".partial", []byte("gover: installing go1.19.1 (pid 1)\n"), 0o644)
			},
			id: "store.leftovers", status: Warning, finding: []string{"1 item(s), 3.0 MB", "go1.19.1"}, hint: "gover prune",
		},
		{
			name: "fake go ahead of the shims",
			plant: func(e *testEnv) {
				other := filepath.Join(e.base, "usr-local-go")
				fakeGOROOT(e.t, other, "go1.21.0")
				e.prependPath(filepath.Join(other, "bin"))
			},
			id: "path.go", status: Error,
			finding: []string{filepath.Join("usr-local-go", "bin", exeName("go")), "go1.21.0", "shadows the gover shim"},
			hint:    "from PATH",
		},
		{
			name: "other go after the shims",
			plant: func(e *testEnv) {
				other := filepath.Join(e.base, "old-go")
				fakeGOROOT(e.t, other, "go1.20")
				e.vars["PATH"] += string(os.PathListSeparator) + filepath.Join(other, "bin")
			},
			id: "path.other-go", status: Warning, finding: []string{"after the shims", "old-go"}, hint: "gover import",
		},
		{
			name:  "shims not on PATH",
			plant: func(e *testEnv) { e.vars["PATH"] = e.tools },
			id:    "path.shims", status: Error, finding: []string{"is not on PATH"},
			// Outside Windows the fix writes gover setup's PATH lines.
			fixable: runtime.GOOS != "windows",
		},
		{
			name: "shims not first",
			plant: func(e *testEnv) {
				writeExec(e.t, filepath.Join(e.tools, exeName("gofmt")), "gofmt")
				e.vars["PATH"] = e.tools + string(os.PathListSeparator) + e.st.BinDir()
			},
			id: "path.shims", status: Warning, finding: []string{"entry 2"},
			fixable: runtime.GOOS != "windows",
		},
		{
			name: "duplicate PATH entries",
			plant: func(e *testEnv) {
				e.vars["PATH"] += string(os.PathListSeparator) + e.tools
			},
			id: "path.duplicates", status: Warning, finding: []string{filepath.Join("go", "bin")},
		},
		{
			name:  "relative PATH entry",
			plant: func(e *testEnv) { e.vars["PATH"] += string(os.PathListSeparator) + "node_modules" },
			id:    "path.relative", status: Warning, finding: []string{"node_modules"},
		},
		{
			name:  "missing PATH entry",
			plant: func(e *testEnv) { e.vars["PATH"] += string(os.PathListSeparator) + filepath.Join(e.base, "gone") },
			id:    "path.missing", status: Warning, finding: []string{"gone"},
		},
		{
			name: "shims missing",
			plant: func(e *testEnv) {
				os.Remove(registry.ShimPath(e.st.BinDir(), "gofmt"))
			},
			id: "shims.bin", status: Error, finding: []string{"missing shim", exeName("gofmt")}, hint: "gover setup", fixable: true,
		},
		{
			name:  "shims stale",
			plant: func(e *testEnv) { writeExec(e.t, e.shim, "shim build 2") },
			id:    "shims.bin", status: Warning, finding: []string{"differ from the shim"}, hint: "gover setup", fixable: true,
		},
		{
			name:  "bin folder missing",
			plant: removeBin,
			id:    "shims.bin", status: Error, finding: []string{"does not exist"}, hint: "gover setup", fixable: true,
		},
		{
			name:  "current link points elsewhere",
			plant: func(e *testEnv) { registry.SetCurrent(e.st.CurrentLink(), e.base) },
			id:    "shims.current", status: Warning, finding: []string{"not at the global default"}, hint: "gover sync", fixable: true,
		},
		{
			name:  "no global default",
			plant: func(e *testEnv) { os.Remove(e.st.VersionFile()) },
			id:    "shims.selection", status: Error, finding: []string{"no Go version is selected"}, hint: "gover use --global",
		},
		{
			name:  "selected version not installed",
			plant: func(e *testEnv) { writeFile(e.t, filepath.Join(e.work, ".go-version"), "1.23.4\n") },
			id:    "shims.selection", status: Warning, finding: []string{"go1.23.4", ".go-version", "not installed"}, hint: "gover install 1.23.4",
		},
		{
			// Issue 12 case 2: a pin below the module's requirement.
			name: "pin below go.mod",
			plant: func(e *testEnv) {
				writeFile(e.t, filepath.Join(e.work, ".go-version"), "1.22.5\n")
				writeFile(e.t, filepath.Join(e.work, "go.mod"), "module m\n\ngo 1.27.4\n")
			},
			id: "shims.pin", status: Warning, finding: []string{".go-version asks for go1.22.5", "go.mod requires go1.27.4 or later", "go runs go1.27 instead"}, hint: "gover use 1.27.4",
		},
		{
			// Issue 12 case 1: toolchain older than go is no longer "ok".
			name: "pin below go.mod, switching forbidden",
			plant: func(e *testEnv) {
				writeFile(e.t, filepath.Join(e.work, ".go-version"), "1.22.5\n")
				writeFile(e.t, filepath.Join(e.work, "go.mod"), "module m\n\ngo 1.22.9\ntoolchain go1.21.13\n")
				e.vars["GOTOOLCHAIN"] = "local"
			},
			id: "shims.pin", status: Warning, finding: []string{"requires go1.22.9 or later", "GOTOOLCHAIN=local forbids switching"}, hint: "gover use 1.22.9",
		},
		{
			name: "selected version not installed, no auto install",
			plant: func(e *testEnv) {
				writeFile(e.t, filepath.Join(e.work, "go.mod"), "module m\n\ngo 1.23.1\n")
				e.vars["GOVER_AUTO_INSTALL"] = "0"
			},
			id: "shims.selection", status: Error, finding: []string{"go1.23", "GOVER_AUTO_INSTALL=0"}, hint: "gover install 1.23",
		},
		{
			name: "SDK tampered with",
			plant: func(e *testEnv) {
				writeExec(e.t, filepath.Join(e.st.SDKDir(versions.MustParse("1.22.5")), "bin", exeName("go")), "evil")
			},
			id: "shims.sdk", status: Error, finding: []string{"changed bin/" + exeName("go")}, hint: "gover uninstall --force 1.22.5 && gover install 1.22.5",
		},
		{
			name: "SDK go binary gone",
			plant: func(e *testEnv) {
				os.Remove(filepath.Join(e.st.SDKDir(versions.MustParse("1.22.5")), "bin", exeName("go")))
			},
			id: "shims.sdk", status: Error, finding: []string{"is missing"}, hint: "gover install 1.22.5",
		},
		{
			name: "GOROOT exported",
			plant: func(e *testEnv) {
				e.vars["GOROOT"] = e.st.SDKDir(versions.MustParse("1.22.5"))
			},
			id: "goroot.exported", status: Warning, finding: []string{"exported for every folder"}, hint: "GOROOT",
		},
		{
			name: "GOROOT at bin",
			plant: func(e *testEnv) {
				e.vars["GOROOT"] = filepath.Join(e.st.SDKDir(versions.MustParse("1.22.5")), "bin")
			},
			id: "goroot.exported", status: Error, finding: []string{"points at a bin folder"}, hint: "GOROOT",
		},
		{
			name:  "GOROOT not a Go install",
			plant: func(e *testEnv) { e.vars["GOROOT"] = e.home },
			id:    "goroot.exported", status: Error, finding: []string{"not a Go installation", "src"},
		},
		{
			name: "GOROOT of another version",
			plant: func(e *testEnv) {
				other := filepath.Join(e.base, "go121")
				fakeGOROOT(e.t, other, "go1.21.0")
				e.vars["GOROOT"] = other
			},
			id: "goroot.exported", status: Error, finding: []string{"is go1.21.0", "runs go1.22.5"},
		},
		{
			name: "GOROOT of the go that shadows the shims",
			plant: func(e *testEnv) {
				other := filepath.Join(e.base, "go121")
				fakeGOROOT(e.t, other, "go1.21.0")
				e.prependPath(filepath.Join(other, "bin"))
				e.vars["GOROOT"] = other
			},
			id: "goroot.exported", status: Warning, finding: []string{"exported for every folder"},
		},
		{
			name: "GOPATH inside an SDK",
			plant: func(e *testEnv) {
				e.vars["GOPATH"] = filepath.Join(e.st.SDKDir(versions.MustParse("1.22.5")), "gopath")
			},
			id: "gopath.dir", status: Error, finding: []string{"inside the Go installation"}, hint: "go env -w ",
		},
		{
			name:  "GOPATH missing",
			plant: func(e *testEnv) { e.vars["GOPATH"] = filepath.Join(e.base, "nogopath") },
			id:    "gopath.dir", status: Warning, finding: []string{"does not exist"}, hint: "mkdir",
		},
		{
			name:  "GOPATH relative",
			plant: func(e *testEnv) { e.vars["GOPATH"] = "gopath" },
			id:    "gopath.dir", status: Error, finding: []string{"relative"},
		},
		{
			name:  "GOPATH/bin not on PATH",
			plant: func(e *testEnv) { e.vars["PATH"] = e.st.BinDir() },
			id:    "gopath.bin", status: Warning, finding: []string{"is not on PATH", "gopls, dlv"},
		},
		{
			name:  "GOBIN relative",
			plant: func(e *testEnv) { e.vars["GOBIN"] = "bin" },
			id:    "gopath.bin", status: Error, finding: []string{"GOBIN=bin (environment) is relative"}, hint: "go env -u GOBIN",
		},
		{
			name:  "GOPROXY off",
			plant: func(e *testEnv) { e.vars["GOPROXY"] = "off" },
			id:    "download.goproxy", status: Error, finding: []string{"GOPROXY=off (environment)", "cannot download"},
			hint: "go env -w GOPROXY=https://proxy.golang.org,direct",
		},
		{
			name:  "GOPROXY direct only",
			plant: func(e *testEnv) { e.vars["GOPROXY"] = "direct" },
			id:    "download.goproxy", status: Warning, finding: []string{"GOPROXY=direct"},
		},
		{
			name:  "GOPROXY malformed",
			plant: func(e *testEnv) { e.vars["GOPROXY"] = "ftp://example.com" },
			id:    "download.goproxy", status: Error, finding: []string{"is not valid"},
		},
		{
			name:  "GOSUMDB off",
			plant: func(e *testEnv) { e.vars["GOSUMDB"] = "off" },
			id:    "download.gosumdb", status: Error, finding: []string{"GOSUMDB=off", "not verified", "toolchain downloads are impossible"},
			hint: "GOSUMDB=sum.golang.org",
		},
		{
			name: "GOSUMDB off in the go env file",
			plant: func(e *testEnv) {
				writeFile(e.t, filepath.Join(e.env.ConfigDir, "go", "env"), "GOSUMDB=off\n")
			},
			id: "download.gosumdb", status: Error, finding: []string{"GOSUMDB=off (go env -w)"}, hint: "go env -w GOSUMDB=sum.golang.org",
		},
		{
			name:  "GOSUMDB unknown without key",
			plant: func(e *testEnv) { e.vars["GOSUMDB"] = "sum.example.com" },
			id:    "download.gosumdb", status: Error, finding: []string{"not a database go knows"},
		},
		{
			name: "environment and go env file disagree",
			plant: func(e *testEnv) {
				writeFile(e.t, filepath.Join(e.env.ConfigDir, "go", "env"), "GOPROXY=https://goproxy.cn,direct\n")
				e.vars["GOPROXY"] = "https://proxy.golang.org,direct"
			},
			id: "download.override", status: Warning, finding: []string{"GOPROXY", "environment, which wins", "goproxy.cn"}, hint: "go env -u GOPROXY",
		},
		{
			name:  "GOFLAGS not flags",
			plant: func(e *testEnv) { e.vars["GOFLAGS"] = "-mod=mod vendor" },
			id:    "download.goflags", status: Error, finding: []string{"not flags", "vendor"},
		},
		{
			name:  "GOPRIVATE malformed",
			plant: func(e *testEnv) { e.vars["GOPRIVATE"] = "github.com/corp/[x" },
			id:    "download.patterns", status: Error, finding: []string{"malformed", "[x"},
		},
		{
			name: "private paths through the public proxy",
			plant: func(e *testEnv) {
				e.vars["GOPRIVATE"] = "corp.example.com,github.com/corp"
				e.vars["GONOPROXY"] = "corp.example.com"
			},
			id: "download.private", status: Warning, finding: []string{"github.com/corp", "proxy.golang.org"}, hint: "GONOPROXY=corp.example.com,github.com/corp",
		},
		{
			name:  "GOTOOLCHAIN auto exported",
			plant: func(e *testEnv) { e.vars["GOTOOLCHAIN"] = "auto" },
			id:    "download.gotoolchain", status: Warning, finding: []string{"GOTOOLCHAIN=auto", "downloads it"}, hint: "GOTOOLCHAIN",
		},
		{
			name:  "GOTOOLCHAIN path exported",
			plant: func(e *testEnv) { e.vars["GOTOOLCHAIN"] = "path" },
			id:    "download.gotoolchain", status: OK, finding: []string{"GOTOOLCHAIN=path", "only to SDKs gover installed"},
		},
		{
			name:  "GOTOOLCHAIN pinned",
			plant: func(e *testEnv) { e.vars["GOTOOLCHAIN"] = "go1.21.3" },
			id:    "download.gotoolchain", status: Warning, finding: []string{"in every folder"}, hint: "gover use --global 1.21.3",
		},
		{
			name:  "GOTOOLCHAIN invalid",
			plant: func(e *testEnv) { e.vars["GOTOOLCHAIN"] = "newest" },
			id:    "download.gotoolchain", status: Error, finding: []string{"not valid"},
		},
		{
			name: "GOTOOLCHAIN in the go env file",
			plant: func(e *testEnv) {
				writeFile(e.t, filepath.Join(e.env.ConfigDir, "go", "env"), "GOTOOLCHAIN=auto\n")
			},
			id: "download.gotoolchain", status: Warning, finding: []string{"GOTOOLCHAIN=auto in", "downloads it"}, hint: "go env -u GOTOOLCHAIN",
		},
		{
			name: "VS Code go.goroot",
			plant: func(e *testEnv) {
				writeFile(e.t, filepath.Join(e.env.ConfigDir, "Code", "User", "settings.json"), "{\n  // mine\n  \"go.goroot\": \"/usr/local/go\",\n  \"editor.tabSize\": 4,\n}\n")
			},
			id: "ide.vscode-user", status: Warning, finding: []string{`"go.goroot": "/usr/local/go"`}, hint: "gover doctor --fix", fixable: true,
		},
		{
			name: "VS Code workspace alternateTools",
			plant: func(e *testEnv) {
				writeFile(e.t, filepath.Join(e.work, ".vscode", "settings.json"), `{"go.alternateTools": {"go": "/opt/go/bin/go"}, "go.toolsEnvVars": {"GOROOT": "/opt/go"}}`)
			},
			id: "ide.vscode-workspace", status: Warning, finding: []string{"/opt/go/bin/go", "go.toolsEnvVars"}, fixable: true,
		},
		{
			name: "VS Code settings that do not parse",
			plant: func(e *testEnv) {
				writeFile(e.t, filepath.Join(e.env.ConfigDir, "Code", "User", "settings.json"), "{ \"go.goroot\": ")
			},
			id: "ide.vscode-user", status: Warning, finding: []string{"does not parse"},
		},
		{
			name: "dlv too old",
			plant: func(e *testEnv) {
				writeExec(e.t, filepath.Join(e.tools, exeName("dlv")), "dlv")
				e.env.Run = func(ctx context.Context, name string, args ...string) ([]byte, error) {
					return []byte("Delve Debugger\nVersion: 1.21.2\nBuild: $Id: abc $\n"), nil
				}
			},
			id: "ide.dlv", status: Warning, finding: []string{"dlv 1.21.2", "supports Go 1.19 to 1.21", "go1.22.5"},
			hint: "go install github.com/go-delve/delve/cmd/dlv@v1.22.0",
		},
		{
			name: "dlv new enough",
			plant: func(e *testEnv) {
				writeExec(e.t, filepath.Join(e.tools, exeName("dlv")), "dlv")
				e.env.Run = func(ctx context.Context, name string, args ...string) ([]byte, error) {
					return []byte("Delve Debugger\nVersion: 1.22.1\n"), nil
				}
			},
			id: "ide.dlv", status: OK, finding: []string{"supports go1.22.5"},
		},
		{
			name:  "gopls missing",
			plant: func(e *testEnv) { os.Remove(filepath.Join(e.tools, exeName("gopls"))) },
			id:    "ide.gopls", status: Warning, hint: "go install golang.org/x/tools/gopls@latest",
		},
	}
	if hostGo() != "" { // not under Wine, which has no go.exe to build a gopls with
		cases = append(cases,
			planted{
				name: "gopls built with an older Go than the selected one",
				plant: func(e *testEnv) {
					buildTool(e.t, "golang.org/x/tools/gopls", filepath.Join(e.tools, exeName("gopls")))
					e.install("1.99.0")
					e.vars["GOVER_VERSION"] = "1.99.0"
				},
				id: "ide.gopls", status: Warning, finding: []string{"go/types refuses code for Go 1.99"},
				hint: "gover tools rebuild gopls",
			},
			planted{
				name: "gopls built with the selected Go",
				plant: func(e *testEnv) {
					buildTool(e.t, "golang.org/x/tools/gopls", filepath.Join(e.tools, exeName("gopls")))
				},
				id: "ide.gopls", status: OK, finding: []string{"built with " + runtime.Version()},
			},
		)
	}
	if runtime.GOOS == "windows" {
		cases = append(cases, planted{
			name:  "machine PATH without Go before the shims",
			plant: func(e *testEnv) { e.vars["PATH"] = e.tools + string(os.PathListSeparator) + e.st.BinDir() },
			id:    "path.shims", status: OK, finding: []string{"entry 2", "nothing before it has go or gofmt"},
		})
	}
	if runtime.GOOS != "windows" {
		cases = append(cases, planted{
			name: "WSL leaks Windows Go",
			plant: func(e *testEnv) {
				writeFile(e.t, e.env.ProcVersion, "Linux version 5.15.153.1-microsoft-standard-WSL2\n")
				e.env.WindowsMounts = filepath.Join(e.base, "mnt") + "/"
				dir := filepath.Join(e.base, "mnt", "c", "Program Files", "Go", "bin")
				writeExec(e.t, filepath.Join(dir, "go.exe"), "MZ")
				e.vars["PATH"] += ":" + dir
			},
			id: "path.wsl", status: Warning, finding: []string{"go.exe"}, hint: "appendWindowsPath = false",
		})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t)
			if tc.id == "shims.current" && e.noLinks {
				t.Skip("this system makes no directory links")
			}
			tc.plant(e)
			checkFinding(t, e.run(), tc.id, tc.status, tc.finding, tc.hint, tc.fixable)
		})
	}
}

// proxyServer is a module proxy that serves toolchains and the checksum
// database, after delay.
func proxyServer(t testing.TB, delay time.Duration) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
		}
		switch r.URL.Path {
		case "/golang.org/toolchain/@v/list":
			w.Write([]byte("v0.0.1-go1.22.5.linux-amd64\n"))
		case "/sumdb/sum.golang.org/supported":
		case "/latest":
			w.Write([]byte("go.sum database tree\n1\nhash\n"))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// closedPort returns a local URL nothing listens on.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func TestProbes(t *testing.T) {
	good := proxyServer(t, 0)
	slow := proxyServer(t, 5*time.Second)
	closed := closedPort(t)
	sumdbKey := verify.GoSumDBKey

	cases := []struct {
		name    string
		goproxy string
		gosumdb string
		want    map[string]Status // first check of each id
		finding map[string]string
	}{
		{
			name: "reachable proxy serving the checksum database", goproxy: good.URL,
			gosumdb: sumdbKey + " " + closed,
			want:    map[string]Status{"download.proxy": OK, "download.sumdb": OK},
			finding: map[string]string{"download.proxy": "serves the checksum database: yes", "download.sumdb": "reached through " + good.URL},
		},
		{
			name: "checksum database reached directly", goproxy: good.URL,
			gosumdb: sumdbKey + " " + good.URL,
			want:    map[string]Status{"download.proxy": OK, "download.sumdb": OK},
			finding: map[string]string{"download.sumdb": "answers in"},
		},
		{
			name: "proxy on a closed port", goproxy: closed,
			gosumdb: sumdbKey + " " + closed,
			want:    map[string]Status{"download.proxy": Error, "download.sumdb": Error},
			finding: map[string]string{"download.proxy": "unreachable", "download.sumdb": "no proxy serves it"},
		},
		{
			name: "slow proxy exceeding the timeout", goproxy: slow.URL,
			gosumdb: sumdbKey + " " + slow.URL,
			want:    map[string]Status{"download.proxy": Error, "download.sumdb": Error},
			finding: map[string]string{"download.proxy": "no answer within"},
		},
		{
			name: "second proxy unreachable is a warning", goproxy: good.URL + "," + closed,
			gosumdb: sumdbKey + " " + good.URL,
			want:    map[string]Status{"download.sumdb": OK},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t)
			e.env.Offline = false
			e.env.Client = &http.Client{}
			e.env.Timeout = 300 * time.Millisecond
			e.vars["GOPROXY"] = tc.goproxy
			e.vars["GOSUMDB"] = tc.gosumdb
			r := e.run()
			for id, st := range tc.want {
				c := r.Find(id)
				if c == nil {
					t.Fatalf("no %s\n%s", id, dump(r))
				}
				if c.Status != st {
					t.Errorf("%s: %s, want %s: %s", id, c.Status, st, c.Finding)
				}
				if f := tc.finding[id]; f != "" && !strings.Contains(c.Finding, f) {
					t.Errorf("%s finding %q lacks %q", id, c.Finding, f)
				}
			}
			if strings.Contains(tc.goproxy, ",") {
				var sts []Status
				for _, c := range r.Checks {
					if c.ID == "download.proxy" {
						sts = append(sts, c.Status)
					}
				}
				if len(sts) != 2 || sts[0] != OK || sts[1] != Warning {
					t.Errorf("proxy statuses %v, want [ok warning]\n%s", sts, dump(r))
				}
			}
		})
	}
}

func TestOfflineSkipsProbes(t *testing.T) {
	e := newTestEnv(t)
	e.vars["GOPROXY"] = closedPort(t)
	r := e.run()
	if c := r.Find("download.proxy"); c != nil {
		t.Errorf("offline run probed: %s", c.Finding)
	}
}

// checkFinding asserts that report r has check id with this status, a
// finding holding every string in finding, a hint holding hint, and a fix
// offered exactly when fixable.
func checkFinding(t *testing.T, r *Report, id string, status Status, finding []string, hint string, fixable bool) {
	t.Helper()
	c := r.Find(id)
	if c == nil {
		t.Fatalf("no %s check\n%s", id, dump(r))
	}
	if c.Status != status {
		t.Errorf("%s: status %s, want %s: %s", id, c.Status, status, c.Finding)
	}
	for _, f := range finding {
		if !strings.Contains(c.Finding, f) {
			t.Errorf("%s finding %q lacks %q", id, c.Finding, f)
		}
	}
	if !strings.Contains(c.Hint, hint) {
		t.Errorf("%s hint %q lacks %q", id, c.Hint, hint)
	}
	if got := c.apply != nil; got != fixable {
		t.Errorf("%s fixable = %v, want %v", id, got, fixable)
	}
}

// buildTool builds a main package of module path with the machine's Go
// into out: a real Go program with build information.
func buildTool(t testing.TB, module, out string) {
	t.Helper()
	src := filepath.Join(fake.TempDir(t), "src")
	writeFile(t, filepath.Join(src, "go.mod"), "module "+module+"\n\ngo 1.21\n")
	writeFile(t, filepath.Join(src, "main.go"), "package main\n\nfunc main() {}\n")
	os.Remove(out) // go build refuses to overwrite what it did not build
	cmd := exec.Command(hostGo(), "build", "-o", out, ".")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
}

// hostGo is the go command of the Go that built the tests, "" when it is
// not on this machine (the Windows build under Wine).
func hostGo() string {
	p := filepath.Join(runtime.GOROOT(), "bin", exeName("go"))
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}
