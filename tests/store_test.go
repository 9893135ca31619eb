package tests

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// hostGOROOT is the Go that runs these tests, imported by reference.
func hostGOROOT(t *testing.T) (goroot, version string) {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	goroot = strings.TrimSpace(string(out))
	data, err := os.ReadFile(filepath.Join(goroot, "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(data), "\n")
	return goroot, strings.TrimPrefix(strings.TrimSpace(first), "go")
}

func TestImportListUninstall(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	goroot, version := hostGOROOT(t)

	r := u.ok("list")
	if !strings.Contains(r.stdout, "No Go SDKs are installed") || !strings.Contains(r.stdout, "gover install") {
		t.Errorf("list on an empty store printed %q", r.stdout)
	}
	if r := u.ok("list", "--json"); strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("list --json on an empty store printed %q", r.stdout)
	}

	r = u.ok("import", goroot)
	if !strings.Contains(r.stdout, "go"+version) || !strings.Contains(r.stdout, goroot) {
		t.Errorf("import printed %q", r.stdout)
	}

	r = u.ok("list")
	if !strings.Contains(r.stdout, version) || !strings.Contains(r.stdout, "imported from "+goroot) {
		t.Errorf("list printed %q", r.stdout)
	}

	r = u.ok("list", "--json")
	var entries []struct {
		Version     string `json:"version"`
		GOROOT      string `json:"goroot"`
		Default     bool   `json:"default"`
		Imported    bool   `json:"imported"`
		Trust       string `json:"trust"`
		InstalledAt string `json:"installedAt"`
		Source      struct {
			Kind string `json:"kind"`
		} `json:"source"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &entries); err != nil {
		t.Fatalf("list --json: %v\n%s", err, r.stdout)
	}
	if len(entries) != 1 {
		t.Fatalf("list --json = %s", r.stdout)
	}
	e := entries[0]
	if e.Version != version || e.GOROOT != goroot || e.Default || !e.Imported || e.Trust != "imported" || e.Source.Kind != "import" || e.InstalledAt == "" {
		t.Errorf("list --json entry = %+v", e)
	}

	// Importing again is harmless.
	u.ok("import", goroot)

	r = u.ok("uninstall", version)
	if !strings.Contains(r.stdout, "untouched") {
		t.Errorf("uninstall printed %q", r.stdout)
	}
	if _, err := os.Stat(filepath.Join(goroot, "bin", "go"+exeSuffix())); err != nil {
		t.Fatalf("uninstall of an imported Go removed its files: %v", err)
	}
	if r := u.ok("list", "--json"); strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("list --json after uninstall printed %q", r.stdout)
	}
}

func TestListMarksGlobalDefault(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	goroot, version := hostGOROOT(t)
	u.ok("import", goroot)
	if err := os.WriteFile(filepath.Join(u.home, "version"), []byte(version+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := u.ok("list"); !strings.HasPrefix(r.stdout, "* "+version) {
		t.Errorf("list printed %q, want the default starred", r.stdout)
	}
	r := u.fails(1, "uninstall", version)
	if !strings.Contains(r.stderr, "global default") || !strings.Contains(r.stderr, "gover: hint: gover uninstall --force "+version) {
		t.Errorf("stderr = %q", r.stderr)
	}
	u.ok("uninstall", "--force", version)
}

func TestStoreCommandErrors(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	r := u.fails(2, "uninstall", "1.x")
	if !strings.Contains(r.stderr, `invalid Go version "1.x"`) || !strings.Contains(r.stderr, "gover: hint: ") {
		t.Errorf("bad version: stderr = %q", r.stderr)
	}
	r = u.fails(4, "uninstall", "1.22.5")
	if !strings.Contains(r.stderr, "go1.22.5 is not installed") || !strings.Contains(r.stderr, "gover: hint: gover list") {
		t.Errorf("not installed: stderr = %q", r.stderr)
	}
	u.fails(2, "uninstall")
	u.fails(2, "import")
	r = u.fails(2, "import", u.dir)
	if !strings.Contains(r.stderr, "not a Go installation") || !strings.Contains(r.stderr, "gover: hint: ") {
		t.Errorf("import of a non-GOROOT: stderr = %q", r.stderr)
	}
	u.fails(4, "import", filepath.Join(u.dir, "missing"))
	u.fails(2, "prune", "--keep", "0")
	if r := u.ok("prune", "--dry-run"); !strings.Contains(r.stdout, "nothing to prune") {
		t.Errorf("prune on an empty store printed %q", r.stdout)
	}
}

func TestListReportsCorruptManifest(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	goroot, version := hostGOROOT(t)
	u.ok("import", goroot)
	bad := filepath.Join(u.home, "meta", "go1.22.5.json")
	if err := os.WriteFile(bad, []byte("{oops"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := u.fails(1, "list")
	if !strings.Contains(r.stdout, version) {
		t.Errorf("list hid the good SDK: %q", r.stdout)
	}
	if !strings.Contains(r.stderr, bad) || !strings.Contains(r.stderr, "gover: hint: gover install 1.22.5") {
		t.Errorf("stderr = %q", r.stderr)
	}
	// Uninstalling repairs it.
	u.ok("uninstall", "1.22.5")
	u.ok("list")
}
