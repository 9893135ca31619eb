package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gover/gover/internal/fake"
)

// TestReadmeQuickStart runs README.md's Quick start as written, in a fresh
// home folder with nothing but Go and the system's own tools on PATH, then
// checks that a new login shell runs the Go version the README promises.
// The README and this test change together. It needs the network (the real
// module proxy and checksum database): GOVER_E2E_NETWORK=1.
func TestReadmeQuickStart(t *testing.T) {
	if os.Getenv("GOVER_E2E_NETWORK") != "1" {
		t.Skip("set GOVER_E2E_NETWORK=1 to run the README's Quick start against proxy.golang.org")
	}
	if runtime.GOOS == "windows" {
		t.Skip("the Quick start is written for a Unix shell")
	}
	t.Parallel()
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	script, promised := quickStart(t, filepath.Join(repo, "README.md"))
	t.Logf("Quick start:\n%s", script)

	goExe, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	home := fake.TempDir(t)
	env := []string{
		"HOME=" + home,
		"PATH=" + filepath.Dir(goExe) + ":/usr/bin:/bin",
		"SHELL=/bin/bash",
		"LANG=C.UTF-8",
		// The runner's build and module caches: a new user downloads the
		// same modules, only slower.
		"GOCACHE=" + goEnv(t, "GOCACHE"),
		"GOMODCACHE=" + goEnv(t, "GOMODCACHE"),
	}
	start := time.Now()
	cmd := exec.Command("bash", "-e", "-c", script)
	cmd.Dir = repo
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	t.Logf("Quick start output (%s):\n%s", time.Since(start).Round(time.Second), out)
	if err != nil {
		t.Fatalf("the Quick start failed: %v", err)
	}
	want := "go version " + promised + " "
	if !strings.Contains(string(out), want) {
		t.Errorf("the Quick start's go version did not print %q", want)
	}

	// A new login shell: PATH comes from the startup files setup wrote.
	login := exec.Command("bash", "-l", "-c", "cd ~ && go version")
	login.Dir = repo
	login.Env = env
	out, err = login.CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), want) {
		t.Errorf("go version in a new login shell: %v\n%s", err, out)
	}
	t.Logf("README test ran in %s", time.Since(start).Round(time.Second))
}

// quickStart returns the first shell block of README.md's "## Quick start"
// section (the rest are examples for later) and the version its
// "# go version goX.Y.Z" comment promises.
func quickStart(t *testing.T, readme string) (script, version string) {
	t.Helper()
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(data), "\n## Quick start\n")
	section, _, _ = strings.Cut(section, "\n## ")
	_, block, _ := strings.Cut(section, "\n```sh\n")
	script, _, _ = strings.Cut(block, "\n```\n")
	m := regexp.MustCompile(`# go version (go1\.[0-9]+\.[0-9]+)`).FindStringSubmatch(script)
	if script == "" || m == nil {
		t.Fatalf("README.md has no Quick start block promising a go version:\n%s", script)
	}
	return script + "\n", m[1]
}

func goEnv(t *testing.T, name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}
