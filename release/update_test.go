package release

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/store/download"
	"github.com/gover/gover/store/verify"
	"github.com/gover/gover/versions"
)

func TestPinnedKeys(t *testing.T) {
	keys, err := PinnedKeys()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) == 0 || keys[0].Fingerprint() != "58F364430250ECCA78733D0D494115D36B790EA8" {
		t.Fatalf("pinned keys: %v", keys)
	}
	// testdata holds a checksums file signed by gpg with the release key,
	// exactly as .goreleaser.yml signs one: the pinned keys must accept it.
	data, err := os.ReadFile("testdata/gover_0.0.0-test_checksums.txt")
	if err != nil {
		t.Fatal(err)
	}
	asc, err := os.ReadFile("testdata/gover_0.0.0-test_checksums.txt.asc")
	if err != nil {
		t.Fatal(err)
	}
	sig, err := verify.VerifyDetachedAny(keys, data, asc)
	if err != nil || sig.Primary != keys[0].Fingerprint() {
		t.Fatalf("the release key's own signature: %+v, %v", sig, err)
	}
	data[0] ^= 1
	if _, err := verify.VerifyDetachedAny(keys, data, asc); exitcode.Code(err) != exitcode.CodeVerify {
		t.Fatalf("a changed checksums file: err = %v, want a verification failure", err)
	}
	// The test key is not one of them.
	if _, err := verify.VerifyDetachedAny(keys, data, testSigner(t).Sign(data)); exitcode.Code(err) != exitcode.CodeVerify {
		t.Fatalf("signed by the test key: err = %v, want a verification failure", err)
	}
}

func TestSourceRefusesPlainHTTP(t *testing.T) {
	ctx := context.Background()
	linux := versions.Platform{OS: "linux", Arch: "amd64"}
	for _, base := range []string{"http://example.com/r", "http://10.0.0.1/r", "ftp://example.com/r", "/just/a/path"} {
		src := Source{BaseURL: base, Keys: testKeys(t)}
		if _, err := src.Latest(ctx); exitcode.Code(err) != exitcode.CodeVerify || !errors.Is(err, download.ErrInsecureURL) {
			t.Errorf("Latest from %s: err = %v, want a refusal", base, err)
		}
		if _, err := src.Fetch(ctx, "1.2.3", linux, tempDir(t)); exitcode.Code(err) != exitcode.CodeVerify || !errors.Is(err, download.ErrInsecureURL) {
			t.Errorf("Fetch from %s: err = %v, want a refusal", base, err)
		}
	}

	// A loopback server redirecting to plain http elsewhere: the redirect
	// is refused before it is followed.
	m := mirror{}
	m.publish(t, "1.2.3", linux)
	src := newSource(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".tar.gz") {
			http.Redirect(w, r, "http://downloads.example.com"+r.URL.Path, http.StatusFound)
			return
		}
		m.ServeHTTP(w, r)
	}))
	dir := tempDir(t)
	_, err := src.Fetch(ctx, "1.2.3", linux, dir)
	if exitcode.Code(err) != exitcode.CodeVerify || !errors.Is(err, download.ErrInsecureURL) {
		t.Fatalf("redirect to http: err = %v, want a refusal", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

// A release whose gover is a shell script that leaves a mark when it runs:
// Install must not run it until the release has been verified.
func markScript(mark string) string {
	return "#!/bin/sh\ntouch '" + mark + "'\necho gover version 1.2.3 test\n"
}

func TestUpdaterVerifiesBeforeRunning(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the release's gover is a shell script")
	}
	ctx := context.Background()
	host := versions.Host()
	cases := []struct {
		name   string
		mutate func(m mirror)
		ok     bool
	}{
		{"signed", nil, true},
		{"unsigned", func(m mirror) { delete(m, "/r/download/v1.2.3/gover_1.2.3_checksums.txt.asc") }, false},
		{"checksums rewritten by the mirror", func(m mirror) {
			p := "/r/download/v1.2.3/gover_1.2.3_checksums.txt"
			m[p] = bytes.Replace(m[p], []byte("gover_"), []byte("gover_"), 1)
			m[p] = append(m[p], '\n')
		}, false},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			mark := filepath.Join(root, "ran")
			script := markScript(mark)
			m := mirror{}
			m.publishFiles(t, "1.2.3", map[versions.Platform]map[string]string{host: {"gover": script}})
			if tt.mutate != nil {
				tt.mutate(m)
			}
			bin := filepath.Join(root, "bin")
			os.Mkdir(bin, 0o755)
			exe := filepath.Join(bin, "gover")
			os.WriteFile(exe, []byte("old"), 0o755)
			u := &Updater{Source: newSource(t, m), Exe: exe, Platform: host, Current: "1.2.0"}
			_, err := u.Install(ctx, "1.2.3")
			_, ranErr := os.Stat(mark)
			got, _ := os.ReadFile(exe)
			if tt.ok {
				if err != nil || ranErr != nil || string(got) != script {
					t.Fatalf("Install = %v; ran: %v; exe now %q", err, ranErr, got)
				}
				return
			}
			if exitcode.Code(err) != exitcode.CodeVerify {
				t.Fatalf("Install = %v, want a verification failure", err)
			}
			if ranErr == nil {
				t.Error("the unverified gover was run")
			}
			if string(got) != "old" {
				t.Errorf("the unverified gover replaced the old one")
			}
			if left, _ := os.ReadDir(bin); len(left) != 1 {
				t.Errorf("left behind in %s: %v", bin, left)
			}
		})
	}
}

func TestUpdaterDowngrade(t *testing.T) {
	ctx := context.Background()
	other := versions.Platform{OS: "linux", Arch: "riscv64"} // not the host: nothing runs
	m := mirror{}
	m.publish(t, "1.2.3", other)
	src := newSource(t, m)
	exe := filepath.Join(tempDir(t), "gover")
	os.WriteFile(exe, []byte("old"), 0o755)

	u := &Updater{Source: src, Exe: exe, Platform: other, Current: "1.3.0"}
	_, err := u.Install(ctx, "1.2.3")
	if !errors.Is(err, ErrDowngrade) || exitcode.Code(err) != exitcode.CodeVerify || !strings.Contains(exitcode.Hint(err), "--allow-downgrade") {
		t.Fatalf("downgrade: err = %v (hint %q), want ErrDowngrade", err, exitcode.Hint(err))
	}
	if got, _ := os.ReadFile(exe); string(got) != "old" {
		t.Fatal("a refused downgrade replaced gover")
	}
	u.AllowDowngrade = true
	if _, err := u.Install(ctx, "1.2.3"); err != nil {
		t.Fatalf("downgrade with AllowDowngrade: %v", err)
	}
	// Reinstalling the same release, or updating a build from source, is
	// not a downgrade.
	for _, cur := range []string{"1.2.3", "devel", ""} {
		u := &Updater{Source: src, Exe: exe, Platform: other, Current: cur}
		if _, err := u.Install(ctx, "1.2.3"); err != nil {
			t.Errorf("from %q: %v", cur, err)
		}
	}
}

func TestUpdaterKeepsCopyCurrent(t *testing.T) {
	ctx := context.Background()
	other := versions.Platform{OS: "linux", Arch: "riscv64"}
	m := mirror{}
	m.publish(t, "1.2.3", other)
	exe := filepath.Join(tempDir(t), "gover")
	os.WriteFile(exe, []byte("old"), 0o755)
	home := tempDir(t)
	cp := filepath.Join(home, "gover")
	os.WriteFile(cp, []byte("old copy"), 0o755)
	missing := filepath.Join(tempDir(t), "gover")

	u := &Updater{Source: newSource(t, m), Exe: exe, Platform: other, Copies: []string{cp, missing, exe}}
	if _, err := u.Install(ctx, "1.2.3"); err != nil {
		t.Fatal(err)
	}
	want := "gover 1.2.3 linux/riscv64"
	for _, p := range []string{exe, cp} {
		if got, _ := os.ReadFile(p); string(got) != want {
			t.Errorf("%s holds %q, want %q", p, got, want)
		}
	}
	if _, err := os.Stat(missing); err == nil {
		t.Errorf("a copy was created where there was none: %s", missing)
	}
	if left, _ := os.ReadDir(home); len(left) != 1 {
		t.Errorf("left behind in %s: %v", home, left)
	}
}
