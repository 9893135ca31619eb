package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUpgradeAndOutdated: the newest patch of each minor in use, the global
// default moved along, and --prune never removing a pinned version.
func TestUpgradeAndOutdated(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	for _, v := range []string{"1.21.0", "1.22.4", "1.22.5"} {
		s.publish(v)
	}
	u := newUser(t)
	s.use(u)
	u.ok("install", "1.21.0", "1.22.4")
	u.ok("use", "--global", "1.22.4")

	if r := u.ok("outdated"); r.stdout != "1.21  1.21.0 (up to date)\n1.22  1.22.4 -> 1.22.5\n" {
		t.Errorf("outdated printed %q", r.stdout)
	}
	r := u.ok("upgrade", "--dry-run", "--prune")
	if !strings.Contains(r.stdout, "would install go1.22.5") || !strings.Contains(r.stdout, "would move the global default from go1.22.4 to go1.22.5") {
		t.Errorf("upgrade --dry-run printed %q", r.stdout)
	}
	if _, err := os.Stat(u.sdkGo("1.22.5")); err == nil {
		t.Fatal("--dry-run installed go1.22.5")
	}

	// This folder pins 1.22.4: upgrade --prune keeps it.
	pin := filepath.Join(u.dir, ".go-version")
	os.WriteFile(pin, []byte("1.22.4\n"), 0o644)
	r = u.ok("upgrade", "--prune")
	if !strings.Contains(r.stdout, "install go1.22.5") || strings.Contains(r.stdout, "removed go1.22.4") {
		t.Errorf("upgrade --prune printed %q", r.stdout)
	}
	if g, _ := os.ReadFile(filepath.Join(u.home, "version")); strings.TrimSpace(string(g)) != "1.22.5" {
		t.Errorf("global default is %q, want 1.22.5", g)
	}
	if _, err := os.Stat(u.sdkGo("1.22.4")); err != nil {
		t.Errorf("the pinned go1.22.4 was removed")
	}
	os.Remove(pin)
	r = u.ok("upgrade", "--prune")
	if !strings.Contains(r.stdout, "removed go1.22.4") || !strings.Contains(r.stdout, "newest patch") {
		t.Errorf("second upgrade --prune printed %q", r.stdout)
	}
	if _, err := os.Stat(u.sdkGo("1.21.0")); err != nil {
		t.Errorf("go1.21.0, the newest of its minor, was removed")
	}
	if r := u.ok("outdated"); strings.Contains(r.stdout, "->") {
		t.Errorf("outdated after upgrade printed %q", r.stdout)
	}
}
