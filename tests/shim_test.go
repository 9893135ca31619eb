package tests

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/versions"
)

// buildShimBins makes sure gover-shim is next to the gover binary;
// TestMain built both.
func buildShimBins(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(bins.dir, "gover-shim"+exeSuffix())); err != nil {
		t.Fatal(err)
	}
}

// shimSDK makes a GOROOT outside the store from internal/fake's SDK, whose
// go and gofmt report version and what they were given.
func (u *user) shimSDK(version string) string {
	u.t.Helper()
	goroot := filepath.Join(filepath.Dir(u.home), "sdks", version)
	if err := os.MkdirAll(filepath.Dir(goroot), 0o755); err != nil {
		u.t.Fatal(err)
	}
	if err := os.CopyFS(goroot, os.DirFS(fake.SDK(u.t, version, versions.Host()))); err != nil {
		u.t.Fatal(err)
	}
	return goroot
}

func (u *user) writeFile(name, content string) {
	u.t.Helper()
	p := filepath.Join(u.dir, filepath.FromSlash(name))
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		u.t.Fatal(err)
	}
}

// inFolder runs f with the working folder set to sub (relative to the
// user's folder) and puts it back after.
func (u *user) inFolder(sub string, f func()) {
	old := u.dir
	u.dir = filepath.Join(old, filepath.FromSlash(sub))
	defer func() { u.dir = old }()
	f()
}

func (u *user) shimPath(tool string) string {
	return filepath.Join(u.home, "bin", tool+exeSuffix())
}

func TestShimSwitchesPerFolder(t *testing.T) {
	t.Parallel()
	buildShimBins(t)
	u := newUser(t)
	r := u.ok("setup")
	for _, tool := range []string{"go", "gofmt"} {
		if !strings.Contains(r.stdout, u.shimPath(tool)) {
			t.Errorf("setup did not report the %s shim:\n%s", tool, r.stdout)
		}
	}
	root121 := u.shimSDK("go1.21.6")
	root122 := u.shimSDK("go1.22.5")
	u.ok("import", root121)
	u.ok("import", root122)

	u.writeFile("one/go.mod", "module one\n\ngo 1.21.1\n")
	u.writeFile("one/a/b/c/keep", "")
	u.writeFile("two/keep", "")
	u.inFolder("two", func() { u.ok("use", "1.22.5") })
	if data, _ := os.ReadFile(filepath.Join(u.dir, "two", ".go-version")); string(data) != "1.22.5\n" {
		t.Errorf("two/.go-version = %q", data)
	}

	for dir, want := range map[string]struct{ version, goroot, source string }{
		"one/a/b/c": {"go1.21.6", root121, "go line in " + filepath.Join(u.dir, "one", "go.mod")},
		"two":       {"go1.22.5", root122, filepath.Join(u.dir, "two", ".go-version")},
	} {
		u.inFolder(dir, func() {
			r := u.run(u.shimPath("go"), "version")
			if r.code != 0 || !strings.HasPrefix(r.stdout, "go version "+want.version+" ") {
				t.Errorf("go version in %s: exit %d\n%s%s", dir, r.code, r.stdout, r.stderr)
			}
			r = u.run(u.shimPath("go"), "env")
			if r.code != 0 || !strings.Contains(r.stdout, "GOROOT="+want.goroot+"\n") || !strings.Contains(r.stdout, "GOTOOLCHAIN=path\n") {
				t.Errorf("go env in %s: exit %d\n%s%s", dir, r.code, r.stdout, r.stderr)
			}
			r = u.ok("current")
			if r.stdout != fmt.Sprintf("%s (set by %s)\n", want.version, want.source) {
				t.Errorf("gover current in %s = %q", dir, r.stdout)
			}
			r = u.ok("which", "gofmt")
			if r.stdout != filepath.Join(want.goroot, "bin", "gofmt"+exeSuffix())+"\n" {
				t.Errorf("gover which gofmt in %s = %q", dir, r.stdout)
			}
		})
	}

	// Outside both projects the global default applies, once there is one.
	r = u.run(u.shimPath("go"), "version")
	if r.code != 4 || !strings.Contains(r.stderr, "gover: hint: gover use --global") {
		t.Errorf("no version anywhere: exit %d\n%s", r.code, r.stderr)
	}
	u.ok("use", "--global", "1.21.6")
	r = u.run(u.shimPath("go"), "version")
	if !strings.HasPrefix(r.stdout, "go version go1.21.6 ") {
		t.Errorf("global default: %s%s", r.stdout, r.stderr)
	}
	r = u.ok("current", "--json")
	if !strings.Contains(r.stdout, `"source": "global"`) || !strings.Contains(r.stdout, `"installed": true`) {
		t.Errorf("current --json = %s", r.stdout)
	}

	// Arguments and exit codes pass through the real shim binary.
	r = u.run(u.shimPath("go"), "build", "", "a b", `"q"`, "100%", "ü")
	want := "arg: \"build\"\narg: \"\"\narg: \"a b\"\narg: \"\\\"q\\\"\"\narg: \"100%\"\narg: \"ü\"\n"
	if !strings.HasPrefix(r.stdout, want) {
		t.Errorf("arguments: %q", r.stdout)
	}
	u.setenv("GOVER_FAKE_EXIT", "3")
	if r := u.run(u.shimPath("go"), "vet"); r.code != 3 {
		t.Errorf("exit code through the shim = %d, want 3", r.code)
	}
	u.setenv("GOVER_FAKE_EXIT", "0")

	// A version that is not installed, with auto-install off.
	u.writeFile("three/.go-version", "1.23.4\n")
	u.setenv("GOVER_AUTO_INSTALL", "0")
	u.inFolder("three", func() {
		r := u.run(u.shimPath("go"), "version")
		if r.code != 4 || !strings.Contains(r.stderr, "gover: go1.23.4 is not installed") || !strings.Contains(r.stderr, "gover: hint: gover install 1.23.4") {
			t.Errorf("missing SDK: exit %d\n%s", r.code, r.stderr)
		}
		u.fails(4, "which")
	})

	// gover env and exec use the folder's and the named SDK.
	u.inFolder("two", func() {
		r := u.ok("env", "--shell", "bash")
		if !strings.Contains(r.stdout, "export GOROOT='"+root122+"'") {
			t.Errorf("gover env = %s", r.stdout)
		}
	})
	r = u.ok("exec", "1.22.5", "--", "go", "version")
	if !strings.HasPrefix(r.stdout, "go version go1.22.5 ") {
		t.Errorf("gover exec = %s", r.stdout)
	}
}

func TestSetupIsIdempotent(t *testing.T) {
	t.Parallel()
	buildShimBins(t)
	if runtime.GOOS == "windows" {
		t.Skip("the Windows PATH is gover sync's")
	}
	u := newUser(t)
	u.setenv("SHELL", "/bin/bash")
	u.ok("setup", "--yes")
	u.ok("setup", "--yes")
	data, err := os.ReadFile(filepath.Join(u.home, "..", "home", ".bashrc"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "# >>> gover setup >>>"); n != 1 {
		t.Errorf(".bashrc holds %d gover blocks:\n%s", n, data)
	}
}

// TestSetupBuildsShimFromSource checks the fallback for `go run
// ./cmd/gover setup`: no gover-shim next to gover, but gover was built
// from this checkout.
func TestSetupBuildsShimFromSource(t *testing.T) {
	t.Parallel()
	buildShimBins(t)
	u := newUser(t)
	dir := t.TempDir()
	lone := filepath.Join(dir, "gover"+exeSuffix())
	data, err := os.ReadFile(bins.gover)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(lone, data, 0o755)
	r := u.run(lone, "setup")
	if r.code != 0 || !strings.Contains(r.stderr, "building gover-shim") {
		t.Fatalf("setup: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(u.shimPath("go")); err != nil {
		t.Error(err)
	}
}

// TestShimRealToolchains installs go1.22.5 from the real module proxy and
// imports the machine's own Go, then builds a program in a folder for
// each through the shim.
func TestShimRealToolchains(t *testing.T) {
	t.Parallel()
	if os.Getenv("GOVER_E2E_NETWORK") != "1" {
		t.Skip("set GOVER_E2E_NETWORK=1 to download go1.22.5")
	}
	buildShimBins(t)
	u := newUser(t)
	u.ok("setup")
	u.ok("install", "1.22.5")
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	local := strings.TrimSpace(string(out))
	u.ok("import", local)
	ver, _ := exec.Command("go", "env", "GOVERSION").Output()
	localVer := strings.TrimSpace(string(ver))

	u.setenv("GOFLAGS", "-mod=mod")
	u.setenv("GOCACHE", filepath.Join(u.home, "..", "gocache"))
	u.setenv("GOPATH", filepath.Join(u.home, "..", "gopath"))
	for dir, v := range map[string]string{"old": "go1.22.5", "new": localVer} {
		u.writeFile(dir+"/go.mod", "module example.com/"+dir+"\n\ngo 1.22\n")
		u.writeFile(dir+"/main.go", "package main\n\nimport (\n\t\"fmt\"\n\t\"runtime\"\n)\n\nfunc main() { fmt.Println(runtime.Version()) }\n")
		u.inFolder(dir, func() { u.ok("use", strings.TrimPrefix(v, "go")) })
		u.inFolder(dir, func() {
			r := u.run(u.shimPath("go"), "run", ".")
			if r.code != 0 || strings.TrimSpace(r.stdout) != v {
				t.Errorf("go run in %s: exit %d, printed %q, want %s\n%s", dir, r.code, r.stdout, v, r.stderr)
			}
		})
	}
}

// TestShimAutoInstallsThroughGover runs the shim in folders whose versions
// are not installed: it runs gover install (found on PATH) against local
// servers, keeps stdout for go alone, and then runs the new SDK. gover use
// installs the same way.
func TestShimAutoInstallsThroughGover(t *testing.T) {
	t.Parallel()
	buildShimBins(t)
	s := newServers(t)
	s.publish("1.22.5")
	s.publish("1.21.4")
	u := newUser(t)
	s.use(u)
	for i, kv := range u.env {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.EqualFold(k, "PATH") {
			u.env[i] = k + "=" + bins.dir + string(os.PathListSeparator) + v
		}
	}
	u.ok("setup")

	u.writeFile("app/.go-version", "1.22.5\n")
	u.inFolder("app", func() {
		r := u.run(u.shimPath("go"), "version")
		if r.code != 0 || !strings.HasPrefix(r.stdout, "go version go1.22.5 ") || strings.Contains(r.stdout, "installed") {
			t.Errorf("auto-install: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stderr, "installed go1.22.5") {
			t.Errorf("install report not on stderr:\n%s", r.stderr)
		}
		if !strings.Contains(r.stderr, "go1.22.5 is not installed; installing it now (selected by "+filepath.Join(u.dir, ".go-version")) {
			t.Errorf("the shim did not say what it installs and why:\n%s", r.stderr)
		}
	})

	// gover use with no argument installs what go.mod's go line asks for:
	// the newest 1.21 patch.
	u.writeFile("lib/go.mod", "module lib\n\ngo 1.21.2\n")
	u.inFolder("lib", func() {
		u.ok("use")
		r := u.ok("current")
		if !strings.HasPrefix(r.stdout, "go1.21.4 (set by go line in ") {
			t.Errorf("gover current = %q", r.stdout)
		}
	})
	u.setenv("GOVER_AUTO_INSTALL", "0")
	u.inFolder("lib", func() {
		if r := u.run(u.shimPath("go"), "version"); !strings.HasPrefix(r.stdout, "go version go1.21.4 ") {
			t.Errorf("after gover use: %s%s", r.stdout, r.stderr)
		}
	})
}
