package tests

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/versions"
)

// TestGoLandFollowsSelection: gover ide goland sets the project GOROOT in a
// real-shaped CRLF workspace.xml without touching anything else, gover use
// moves it along, a GOROOT the user picked since is left alone, and gover
// ide status says what matches.
func TestGoLandFollowsSelection(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	machine := runtime.GOROOT()
	host := strings.TrimPrefix(runtime.Version(), "go")
	u.ok("import", machine)
	u.ok("use", "--global", host)
	newer := fake.SDK(t, "1.99.0", versions.Host())
	u.ok("import", newer)

	// No .idea: refused, with the hint to create it.
	r := u.fails(4, "ide", "goland")
	if !strings.Contains(r.stderr, "not a GoLand project") || !strings.Contains(r.stderr, "gover ide goland --create") {
		t.Errorf("no .idea:\n%s", r.stderr)
	}

	ws := filepath.Join(u.dir, ".idea", "workspace.xml")
	orig := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<project version=\"4\">\r\n  <component name=\"ChangeListManager\">\r\n    <option name=\"SHOW_DIALOG\" value=\"false\" />\r\n  </component>\r\n  <component name=\"Git.Settings\">\r\n    <option name=\"RECENT_GIT_ROOT_PATH\" value=\"$PROJECT_DIR$\" />\r\n  </component>\r\n</project>\r\n"
	os.MkdirAll(filepath.Dir(ws), 0o755)
	if err := os.WriteFile(ws, []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	r = u.ok("ide", "goland")
	if !strings.Contains(r.stdout, "GOROOT = "+machine) {
		t.Errorf("gover ide goland: %s", r.stdout)
	}
	line := func(goroot string) string {
		return "  <component name=\"GOROOT\" url=\"file://" + filepath.ToSlash(goroot) + "\" />\r\n"
	}
	want := strings.Replace(orig, "  <component name=\"Git.Settings\">", strings.TrimSuffix(line(machine), "\r\n")+"\r\n  <component name=\"Git.Settings\">", 1)
	if got, _ := os.ReadFile(ws); string(got) != want {
		t.Errorf("workspace.xml:\n%q\nwant\n%q", got, want)
	}
	if r := u.ok("ide", "status"); !strings.Contains(r.stdout, "GOROOT = "+machine+": matches the selection") {
		t.Errorf("gover ide status:\n%s", r.stdout)
	}

	// gover use here moves the project, since gover set its GOROOT.
	r = u.ok("use", "1.99.0")
	if !strings.Contains(r.stdout, ws+": GOROOT = "+newer) {
		t.Errorf("gover use 1.99.0 did not move the GoLand project:\n%s", r.stdout)
	}
	want = strings.Replace(orig, "  <component name=\"Git.Settings\">", strings.TrimSuffix(line(newer), "\r\n")+"\r\n  <component name=\"Git.Settings\">", 1)
	if got, _ := os.ReadFile(ws); string(got) != want {
		t.Errorf("after gover use:\n%q\nwant\n%q", got, want)
	}

	// The user picks another SDK in GoLand: gover use leaves it alone, and
	// gover ide status shows the mismatch.
	mine := strings.Replace(want, filepath.ToSlash(newer), "/opt/my-go", 1)
	os.WriteFile(ws, []byte(mine), 0o644)
	if r := u.ok("use", host); strings.Contains(r.stdout, "GOROOT =") {
		t.Errorf("gover use moved a GOROOT the user chose:\n%s", r.stdout)
	}
	if got, _ := os.ReadFile(ws); string(got) != mine {
		t.Errorf("workspace.xml changed:\n%q", got)
	}
	if r := u.ok("ide", "status"); !strings.Contains(r.stdout, "DIFFERS from the selection "+machine) {
		t.Errorf("gover ide status:\n%s", r.stdout)
	}

	// --global: the current link, which follows gover use --global.
	other := t.TempDir()
	u.fails(4, "ide", "goland", other)
	r = u.ok("ide", "goland", "--global", "--create", other)
	cur := filepath.Join(u.home, "current")
	data, _ := os.ReadFile(filepath.Join(other, ".idea", "workspace.xml"))
	if !strings.Contains(string(data), `url="file://`+filepath.ToSlash(cur)+`"`) {
		t.Errorf("--global --create wrote:\n%s\n%s", data, r.stdout)
	}
}
