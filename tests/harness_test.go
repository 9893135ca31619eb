// Package tests holds gover's end-to-end tests: they build the real binaries
// and drive them the way a user does, against local fake servers, the real
// module proxy (when GOVER_E2E_NETWORK=1) and, for the Windows build, Wine.
package tests

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// bins holds the binaries built once for the whole run.
var bins struct {
	dir   string
	gover string
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gover-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bins.dir = dir
	bins.gover = filepath.Join(dir, "gover"+exeSuffix())
	// gover-shim next to gover, as a release or `go install ./cmd/...`
	// puts them: built here, once, before tests run in parallel.
	for _, b := range []struct{ out, pkg string }{{bins.gover, "../cmd/gover"}, {filepath.Join(dir, "gover-shim"+exeSuffix()), "../cmd/gover-shim"}} {
		if out, err := exec.Command("go", "build", "-o", b.out, b.pkg).CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "building %s: %v\n%s", b.pkg, err, out)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func exeSuffix() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}

// user is one person at one machine: a GOVER_HOME, a HOME, a working folder
// and an environment that starts clean of the test runner's Go settings.
type user struct {
	t    *testing.T
	home string // GOVER_HOME
	dir  string // working folder
	env  []string
}

func newUser(t *testing.T) *user {
	t.Helper()
	base := t.TempDir()
	u := &user{t: t, home: filepath.Join(base, "gover"), dir: filepath.Join(base, "work")}
	if err := os.MkdirAll(u.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(k) {
		case "GOVER_HOME", "GOVER_VERSION", "GOTOOLCHAIN", "GOROOT", "GOWORK", "GOENV", "GO111MODULE", "HOME", "USERPROFILE", "XDG_CONFIG_HOME", "APPDATA":
			continue
		}
		u.env = append(u.env, kv)
	}
	u.env = append(u.env,
		"GOVER_HOME="+u.home,
		"HOME="+filepath.Join(base, "home"),
		"USERPROFILE="+filepath.Join(base, "home"),
		"XDG_CONFIG_HOME="+filepath.Join(base, "home", ".config"),
		"APPDATA="+filepath.Join(base, "home", "AppData", "Roaming"),
		"NO_COLOR=1",
	)
	// Telemetry off in the user's config folder: with it on (the default,
	// "local"), every real go command may leave a detached child process
	// that writes into HOME after go exits, racing the temp dir's removal
	// ("directory not empty").
	for _, cfg := range []string{filepath.Join(base, "home", ".config"), filepath.Join(base, "home", "AppData", "Roaming")} {
		dir := filepath.Join(cfg, "go", "telemetry")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "mode"), []byte("off"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return u
}

// setenv adds or replaces one variable for later runs.
func (u *user) setenv(k, v string) {
	for i, kv := range u.env {
		if strings.HasPrefix(kv, k+"=") {
			u.env[i] = k + "=" + v
			return
		}
	}
	u.env = append(u.env, k+"="+v)
}

// result is what one run printed and how it ended.
type result struct {
	stdout, stderr string
	code           int
}

// run runs a binary in the user's working folder.
func (u *user) run(bin string, args ...string) result {
	u.t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = u.dir
	cmd.Env = u.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			u.t.Fatalf("running %s %q: %v", bin, args, err)
		}
		r.code = ee.ExitCode()
	}
	return r
}

// gover runs the gover binary.
func (u *user) gover(args ...string) result {
	u.t.Helper()
	return u.run(bins.gover, args...)
}

// ok runs gover and fails the test unless it exits 0.
func (u *user) ok(args ...string) result {
	u.t.Helper()
	r := u.gover(args...)
	if r.code != 0 {
		u.t.Fatalf("gover %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// fails runs gover and fails the test unless it exits with code.
func (u *user) fails(code int, args ...string) result {
	u.t.Helper()
	r := u.gover(args...)
	if r.code != code {
		u.t.Fatalf("gover %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, code, r.stdout, r.stderr)
	}
	return r
}
