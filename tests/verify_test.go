package tests

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// editManifest changes fields of version's manifest by hand, as someone
// with write access to the store could.
func (u *user) editManifest(version string, change func(m map[string]any)) {
	u.t.Helper()
	m := u.manifest(version)
	change(m)
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		u.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(u.home, "meta", "go"+version+".json"), data, 0o644); err != nil {
		u.t.Fatal(err)
	}
}

// copyTree copies the regular files and folders under src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(out, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestVerifyBlindSpots is issue 10 item 6: each way around `gover verify`
// that worked before is a finding now, exit 3.
func TestVerifyBlindSpots(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	s.publish("1.22.5")
	install := func(t *testing.T) (*user, string) { return installOne(t, s) }

	t.Run("goroot pointed at a clean copy", func(t *testing.T) {
		u, sdk := install(t)
		clean := filepath.Join(u.dir, "clean")
		copyTree(t, sdk, clean)
		u.editManifest("1.22.5", func(m map[string]any) { m["goroot"] = clean })
		os.WriteFile(filepath.Join(sdk, "bin", "go"+exeSuffix()), []byte("trojan"), 0o755)
		expect(t, u, "changed  bin/go"+exeSuffix(), "is not used: the go shim runs "+sdk)
	})

	t.Run("imported true by hand", func(t *testing.T) {
		u, sdk := install(t)
		u.editManifest("1.22.5", func(m map[string]any) { m["imported"] = true })
		os.WriteFile(filepath.Join(sdk, "bin", "go"+exeSuffix()), []byte("trojan"), 0o755)
		r := u.fails(3, "verify")
		if strings.Contains(r.stdout, "not checked") {
			t.Errorf("a store SDK marked imported by hand is not checked:\n%s", r.stdout)
		}
		for _, want := range []string{"the manifest was edited", "changed  bin/go"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("verify output lacks %q:\n%s", want, r.stdout)
			}
		}
	})

	t.Run("installed with --insecure-skip-verify", func(t *testing.T) {
		u, _ := install(t)
		u.editManifest("1.22.5", func(m map[string]any) { m["insecure"] = true })
		expect(t, u, "go1.22.5: UNVERIFIED: installed with --insecure-skip-verify")
	})

}

// installOne installs 1.22.5 from s for a new user and returns the user and
// the SDK's folder.
func installOne(t *testing.T, s *servers) (*user, string) {
	u := newUser(t)
	s.use(u)
	u.ok("install", "1.22.5")
	return u, filepath.Join(u.home, "sdk", "go1.22.5")
}

// expect runs gover verify, which must exit 3 and say each of wants.
func expect(t *testing.T, u *user, wants ...string) {
	t.Helper()
	r := u.fails(3, "verify")
	for _, want := range wants {
		if !strings.Contains(r.stdout+r.stderr, want) {
			t.Errorf("verify output lacks %q:\n%s%s", want, r.stdout, r.stderr)
		}
	}
}

// TestNewerManifest: an SDK a newer gover installed is left alone, with an
// error that says so and points at gover self-update.
func TestNewerManifest(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	s.publish("1.22.5")
	u, sdk := installOne(t, s)
	u.editManifest("1.22.5", func(m map[string]any) {
		m["schema"] = 99
		m["trust"] = map[string]any{"level": "sumdb"} // a newer schema may change any field
	})
	before, _ := os.ReadFile(filepath.Join(u.home, "meta", "go1.22.5.json"))
	for _, args := range [][]string{{"install", "1.22.5"}, {"install", "--force", "1.22.5"}, {"uninstall", "--force", "1.22.5"}, {"list"}} {
		r := u.fails(1, args...)
		if !strings.Contains(r.stderr, "written by a newer gover") || !strings.Contains(r.stderr, "gover: hint: gover self-update") {
			t.Errorf("gover %s:\n%s", strings.Join(args, " "), r.stderr)
		}
		if after, _ := os.ReadFile(filepath.Join(u.home, "meta", "go1.22.5.json")); string(after) != string(before) {
			t.Fatalf("gover %s changed the manifest", strings.Join(args, " "))
		}
		if _, err := os.Stat(filepath.Join(sdk, "VERSION")); err != nil {
			t.Fatalf("gover %s removed the SDK: %v", strings.Join(args, " "), err)
		}
	}
}

// TestUnverifiedInstall: an SDK installed with --insecure-skip-verify is
// flagged by list, current and doctor (verify: TestVerifyBlindSpots), and a
// plain install of it downloads and verifies it again.
func TestUnverifiedInstall(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	s.publish("1.22.5")
	u, _ := installOne(t, s)
	u.editManifest("1.22.5", func(m map[string]any) {
		m["insecure"] = true
		m["trust"] = "insecure"
		m["checks"] = nil
	})
	u.setenv("GOVER_VERSION", "1.22.5")
	if r := u.ok("list"); !strings.Contains(r.stdout, "UNVERIFIED") {
		t.Errorf("list:\n%s", r.stdout)
	}
	if r := u.ok("current"); !strings.Contains(r.stdout, "UNVERIFIED (installed with --insecure-skip-verify), verify it with: gover install 1.22.5") {
		t.Errorf("current:\n%s", r.stdout)
	}
	if r := u.gover("current", "--json"); !strings.Contains(r.stdout, `"unverified": true`) {
		t.Errorf("current --json:\n%s", r.stdout)
	}
	if r := u.gover("doctor", "--offline"); !strings.Contains(r.stdout+r.stderr, "go1.22.5 was installed with --insecure-skip-verify: it is UNVERIFIED") {
		t.Errorf("doctor:\n%s%s", r.stdout, r.stderr)
	}

	r := u.ok("install", "1.22.5")
	if strings.Contains(r.stdout, "already installed") || !strings.Contains(r.stderr, "downloading and verifying it again") {
		t.Errorf("install of an unverified SDK:\n%s%s", r.stdout, r.stderr)
	}
	if m := u.manifest("1.22.5"); m["insecure"] == true || m["trust"] != "sumdb" {
		t.Errorf("after the install, manifest %v", m)
	}
	if r := u.ok("verify"); !strings.Contains(r.stdout, "go1.22.5: ok") {
		t.Errorf("verify after the install:\n%s", r.stdout)
	}
	if r := u.ok("install", "1.22.5"); !strings.Contains(r.stdout, "already installed") {
		t.Errorf("second install:\n%s", r.stdout)
	}
}
