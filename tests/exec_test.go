package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExec: gover exec runs the folder's version without one named, and
// exits with the command's code without adding words of its own.
func TestExec(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	s.publish("1.22.5")
	s.publish("1.23.1")
	u := newUser(t)
	s.use(u)
	u.ok("install", "1.22.5", "1.23.1")
	if err := os.WriteFile(filepath.Join(u.dir, ".go-version"), []byte("1.23.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"exec", "--", "go", "version"}, {"exec", "go", "version"}} {
		if r := u.ok(args...); !strings.HasPrefix(r.stdout, "go version go1.23.1 ") {
			t.Errorf("gover %s printed %q", strings.Join(args, " "), r.stdout)
		}
	}
	if r := u.ok("exec", "1.22.5", "--", "go", "version"); !strings.HasPrefix(r.stdout, "go version go1.22.5 ") {
		t.Errorf("exec 1.22.5 printed %q", r.stdout)
	}
	// The command's flags are its own, after the version too.
	if r := u.ok("exec", "1.22.5", "go", "build", "-v", "--help"); !strings.Contains(r.stdout, `arg: "-v"`) || !strings.Contains(r.stdout, `arg: "--help"`) {
		t.Errorf("exec passed %q", r.stdout)
	}
	u.setenv("GOVER_FAKE_EXIT", "3")
	if r := u.fails(3, "exec", "--", "go", "version"); r.stderr != "" {
		t.Errorf("a failing command gets gover's words too: %q", r.stderr)
	}
	u.setenv("GOVER_FAKE_EXIT", "")
	if r := u.fails(2, "exec", "1.22.5"); !strings.Contains(r.stderr, "gover: hint: gover exec -- go version") {
		t.Errorf("exec without a command: %q", r.stderr)
	}
	if r := u.ok("exec", "--help"); !strings.Contains(r.stdout, "gover exec") {
		t.Errorf("exec --help printed %q", r.stdout)
	}
}
