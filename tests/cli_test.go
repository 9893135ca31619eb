package tests

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gover/gover/versions"
)

func TestVersionFlag(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	for _, args := range [][]string{{"--version"}, {"version"}} {
		r := u.ok(args...)
		if !strings.HasPrefix(r.stdout, "gover version ") {
			t.Errorf("gover %s printed %q", args[0], r.stdout)
		}
	}
}

func TestUnknownCommandIsUsageError(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	r := u.fails(2, "frobnicate")
	if !strings.Contains(r.stderr, `gover: unknown command "frobnicate"`) || !strings.Contains(r.stderr, "gover: hint: gover --help") {
		t.Errorf("stderr = %q", r.stderr)
	}
}

// TestCommandsPeopleTypeFirst: help, version, typos and unknown
// subcommands are usage errors (exit 2) whose hint is a command that works.
func TestCommandsPeopleTypeFirst(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	if r := u.ok("help"); !strings.Contains(r.stdout, "install") || !strings.Contains(r.stdout, "USAGE") {
		t.Errorf("gover help printed %q", r.stdout)
	}
	if r := u.ok("help", "install"); !strings.Contains(r.stdout, "gover install") || !strings.Contains(r.stdout, "--force") {
		t.Errorf("gover help install printed %q", r.stdout)
	}
	if r := u.ok("help", "cache", "clean"); !strings.Contains(r.stdout, "gover cache clean") {
		t.Errorf("gover help cache clean printed %q", r.stdout)
	}
	for _, tc := range []struct {
		args       []string
		msg, hint  string
		hintWorks  bool // the hint itself exits 0
		hintOutput string
	}{
		{[]string{"instal", "1.22"}, `unknown command "instal"; did you mean install?`, "gover install 1.22", false, ""},
		{[]string{"lis"}, `unknown command "lis"; did you mean list?`, "gover list", true, "No Go SDKs"},
		{[]string{"cache", "frob"}, `unknown cache command "frob"`, "gover cache --help", true, "clean"},
		{[]string{"ide", "foo"}, `unknown ide command "foo"`, "gover ide --help", true, "vscode"},
		{[]string{"--bogus"}, "flag provided but not defined", "gover --help", true, "COMMANDS"},
		{[]string{"cache", "clean", "--bogus"}, "flag provided but not defined", "gover cache clean --help", true, "cache clean"},
		{[]string{"help", "instal"}, `no command "instal"`, "gover help install", true, "gover install"},
		{[]string{"list", "a", "b"}, "list takes no arguments, got 2", "gover list --help", true, "gover list"},
		{[]string{"use", "1", "2"}, "use takes at most 1 argument, got 2", "gover use --help", true, "gover use"},
	} {
		r := u.fails(2, tc.args...)
		if !strings.Contains(r.stderr, "gover: "+tc.msg) || !strings.Contains(r.stderr, "gover: hint: "+tc.hint+"\n") {
			t.Errorf("gover %s: stderr = %q", strings.Join(tc.args, " "), r.stderr)
		}
		if strings.Contains(r.stderr, "(s)") {
			t.Errorf("gover %s: %q", strings.Join(tc.args, " "), r.stderr)
		}
		if tc.hintWorks {
			words := strings.Fields(tc.hint)[1:]
			if h := u.ok(words...); !strings.Contains(h.stdout, tc.hintOutput) {
				t.Errorf("hint %q printed %q", tc.hint, h.stdout)
			}
		}
	}
}

// TestFlagsAfterArguments: every command reads its flags wherever they are,
// except after "--".
func TestFlagsAfterArguments(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	s.publish("1.22.5")
	u := newUser(t)
	s.use(u)
	if r := u.ok("install", "1.22.5", "-q"); r.stdout != "" || r.stderr != "" {
		t.Errorf("install 1.22.5 -q printed %q %q", r.stdout, r.stderr)
	}
	if r := u.ok("use", "1.22.5", "--global"); !strings.Contains(r.stdout, "go1.22.5 is now the global default") {
		t.Errorf("use 1.22.5 --global printed %q", r.stdout)
	}
	if _, err := os.Stat(filepath.Join(u.dir, ".go-version")); err == nil {
		t.Errorf("use 1.22.5 --global wrote .go-version")
	}
	if r := u.ok("verify", "1.22.5", "--help"); !strings.Contains(r.stdout, "gover verify") {
		t.Errorf("verify 1.22.5 --help printed %q", r.stdout)
	}
	r := u.ok("list", "--json")
	var l []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &l); err != nil || len(l) != 1 {
		t.Errorf("list --json: %v %q", err, r.stdout)
	}
	if r := u.ok("install", "--verbose", "1.22.5", "--quiet"); r.stdout != "" {
		t.Errorf("gover's own --verbose after the command: %q", r.stdout)
	}
	// After "--" a word is an argument even when it looks like a flag.
	if r := u.fails(2, "install", "--", "-q"); !strings.Contains(r.stderr, `"-q"`) {
		t.Errorf("install -- -q: %q", r.stderr)
	}
}

// TestInstallEachAndFolder: install with no argument installs what the
// folder selects; several versions are all tried; --force repairs.
func TestInstallEachAndFolder(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	s.publish("1.22.5")
	s.publish("1.23.1")
	u := newUser(t)
	s.use(u)
	if err := os.WriteFile(filepath.Join(u.dir, ".go-version"), []byte("1.22.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := u.ok("install")
	if !strings.Contains(r.stdout, "installed go1.22.5") || !strings.Contains(r.stderr, ".go-version") {
		t.Errorf("install in a folder with .go-version:\n%s%s", r.stdout, r.stderr)
	}
	r = u.fails(4, "install", "1.99.0", "1.23.1")
	if !strings.Contains(r.stdout, "installed go1.23.1") || !strings.Contains(r.stderr, "1 of 2 versions failed: 1.99.0") {
		t.Errorf("install 1.99.0 1.23.1:\n%s%s", r.stdout, r.stderr)
	}
	// Damage the SDK, then repair it.
	goroot := filepath.Dir(filepath.Dir(u.sdkGo("1.22.5")))
	if err := os.WriteFile(filepath.Join(goroot, "VERSION"), []byte("go1.22.5-evil\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	u.fails(3, "verify", "1.22.5")
	if r := u.ok("install", "1.22.5"); !strings.Contains(r.stdout, "gover install --force 1.22.5") {
		t.Errorf("install of an installed SDK does not say how to repair it: %q", r.stdout)
	}
	if r := u.ok("install", "--force", "1.22.5"); !strings.Contains(r.stdout, "installed go1.22.5") {
		t.Errorf("install --force printed %q", r.stdout)
	}
	u.ok("verify", "1.22.5")
}

// TestExitCodesAndNoise: a version no source has is "not found" (4), with
// one line per source and a hint that works; the same code with --json;
// malformed input is a usage error (2) in words a Go user knows.
func TestExitCodesAndNoise(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	s.publish("1.22.5")
	u := newUser(t)
	s.use(u)
	r := u.fails(4, "install", "1.99.0")
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) > 5 || strings.Contains(r.stderr, "note:") {
		t.Errorf("install 1.99.0 printed %d lines:\n%s", len(lines), r.stderr)
	}
	for _, src := range []string{"proxy:", "official:", "mirror:"} {
		if !strings.Contains(r.stderr, src) {
			t.Errorf("install 1.99.0 does not say what %s answered:\n%s", src, r.stderr)
		}
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "gover: ") {
			t.Errorf("line without the gover: prefix: %q", l)
		}
	}
	if !strings.Contains(r.stderr, "gover: hint: gover list-remote 1.99\n") {
		t.Errorf("hint:\n%s", r.stderr)
	}
	u.fails(4, "list-remote", "1.99")
	if r := u.fails(4, "install", "--verbose", "1.99.0"); !strings.Contains(r.stderr, "gover: note: ") {
		t.Errorf("--verbose shows no notes:\n%s", r.stderr)
	}
	u.fails(4, "use", "1.99.0")
	u.fails(4, "list-remote", "9.9")
	if r := u.fails(4, "list-remote", "--json", "9.9"); strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("list-remote --json 9.9 printed %q", r.stdout)
	}
	archive := filepath.Join(u.dir, "go1.22.5.tar.gz")
	os.WriteFile(archive, []byte("x"), 0o644)
	if r := u.fails(2, "install", "--archive", archive, "--sha256", "0000"); !strings.Contains(r.stderr, "64 hexadecimal digits") {
		t.Errorf("--sha256 0000: %q", r.stderr)
	}
	if r := u.fails(2, "install", "banana"); !strings.Contains(r.stderr, `"banana": not a Go version`) {
		t.Errorf("install banana: %q", r.stderr)
	}
	if r := u.fails(2, "install", ">=1.21 <"); strings.Contains(r.stderr, "improper") || !strings.Contains(r.stderr, "not a version range") {
		t.Errorf("install '>=1.21 <': %q", r.stderr)
	}
	if r := u.ok("install", "1.22.5"); strings.Contains(r.stderr, "note:") {
		t.Errorf("a good install prints notes:\n%s", r.stderr)
	}
}

// TestHintsWork: a hint is a command that works where it is printed.
func TestHintsWork(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	s.publish("1.22.5")
	u := newUser(t)
	s.use(u)
	u.ok("list-remote") // caches the release list

	// A module from the future: installing it cannot work; listing can.
	os.WriteFile(filepath.Join(u.dir, "go.mod"), []byte("module x\n\ngo 1.99\n"), 0o644)
	r := u.fails(4, "which")
	if !strings.Contains(r.stderr, "gover: hint: gover list-remote --all") {
		t.Errorf("which in a go 1.99 module: %q", r.stderr)
	}
	u.ok("list-remote", "--all")
	os.Remove(filepath.Join(u.dir, "go.mod"))

	// GOSUMDB=off in the environment: go env -u cannot undo that.
	u.setenv("GOSUMDB", "off")
	r = u.fails(2, "install", "1.22.5")
	if strings.Contains(r.stderr, "go env -u") || !strings.Contains(r.stderr, "GOSUMDB gover install 1.22.5") {
		t.Errorf("GOSUMDB=off: %q", r.stderr)
	}
}

// TestSmallerCases: list shows what runs here; list-remote --platform marks
// only installs for that platform; ide vscode refuses a folder that is not
// there; use 1.22.x writes what use 1.22 writes.
func TestSmallerCases(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	s.publish("1.22.5")
	s.publish("1.21.0")
	other := versions.Platform{OS: "linux", Arch: "arm64"}
	if s.plat == other {
		other = versions.Platform{OS: "linux", Arch: "amd64"}
	}
	s.dl.Add("1.22.5", other, []byte("listed, never downloaded"))
	u := newUser(t)
	s.use(u)
	u.ok("install", "1.22.5", "1.21.0")
	u.ok("use", "--global", "1.22.5")
	if err := os.WriteFile(filepath.Join(u.dir, ".go-version"), []byte("1.21.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := u.ok("list")
	if !strings.Contains(r.stdout, "* 1.22.5") || !strings.Contains(r.stdout, "<- runs here ("+filepath.Join(u.dir, ".go-version")+")") {
		t.Errorf("list printed:\n%s", r.stdout)
	}
	for _, l := range strings.Split(r.stdout, "\n") {
		if strings.Contains(l, "runs here") && !strings.Contains(l, "1.21.0") {
			t.Errorf("list marks the wrong version: %q", l)
		}
	}
	if r := u.ok("list-remote", "--platform", other.String(), "1.22"); strings.Contains(r.stdout, "installed") {
		t.Errorf("list-remote --platform %s marks this machine's install:\n%s", other, r.stdout)
	}
	if r := u.ok("list-remote", "1.22"); !strings.Contains(r.stdout, "1.22.5  (installed)") {
		t.Errorf("list-remote printed:\n%s", r.stdout)
	}
	missing := filepath.Join(u.dir, "nonexistent")
	u.fails(4, "ide", "vscode", missing)
	if _, err := os.Stat(missing); err == nil {
		t.Errorf("ide vscode created %s", missing)
	}
	for _, arg := range []string{"1.22.x", "~1.22", "1.22"} {
		u.ok("use", arg)
		if data, _ := os.ReadFile(filepath.Join(u.dir, ".go-version")); string(data) != "1.22\n" {
			t.Errorf("use %s wrote %q", arg, data)
		}
	}
}
