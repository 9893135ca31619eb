package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/versions"
)

// tempDir is t.TempDir removed with the store's own removeAll, which also
// works where os.RemoveAll does not (Wine, FAT volumes).
func tempDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.MkdirTemp("", "gover-store-test-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := removeAll(dir); err != nil {
			tb.Errorf("removing %s: %v", dir, err)
		}
	})
	return dir
}

func newStore(t testing.TB) *Store {
	t.Helper()
	return New(tempDir(t))
}

// install puts a small fake SDK for v into s through a real transaction.
func install(t testing.TB, s *Store, v string) *Manifest {
	t.Helper()
	tx, err := s.Begin(context.Background(), versions.MustParse(v))
	if err != nil {
		t.Fatalf("Begin(%s): %v", v, err)
	}
	defer tx.Abort()
	writeFakeGOROOT(t, tx.Dir(), "go"+v)
	m := &Manifest{Source: Source{Kind: SourceProxy, URL: "https://proxy.golang.org/x.zip"}, Trust: TrustSumDB, Checks: []string{"sumdb:sum.golang.org"}}
	if err := tx.Commit(m); err != nil {
		t.Fatalf("Commit(%s): %v", v, err)
	}
	return m
}

// writeFakeGOROOT builds the smallest tree gover treats as a GOROOT.
func writeFakeGOROOT(t testing.TB, dir, version string) {
	t.Helper()
	for _, d := range []string{"bin", "src", filepath.Join("pkg", "tool", runtime.GOOS+"_"+runtime.GOARCH)} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		"bin/go" + exeSuffix: "#!/bin/sh\necho not a real go\n",
		"src/go.mod":         "module std\n",
	}
	if version != "" {
		files["VERSION"] = version + "\ntime 2024-07-02T15:38:40Z\n"
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

func names(vs []versions.Version) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.String())
	}
	return out
}

func TestLocate(t *testing.T) {
	abs := tempDir(t)
	homeVar := "HOME"
	if runtime.GOOS == "windows" {
		homeVar = "USERPROFILE"
	}
	// A store made by gover (with its marker) and a folder that only looks
	// like one.
	marked := filepath.Join(abs, "marked")
	if err := New(marked).Mark(); err != nil {
		t.Fatal(err)
	}
	unmarked := filepath.Join(abs, "unmarked")
	os.MkdirAll(filepath.Join(unmarked, "bin"), 0o755)
	sep := string(filepath.Separator)
	tests := []struct {
		name  string
		env   map[string]string
		exe   string
		want  string
		usage bool // a relative GOVER_HOME is a usage error
		err   bool
	}{
		{"GOVER_HOME absolute", map[string]string{"GOVER_HOME": abs, homeVar: "/elsewhere"}, "", abs, false, false},
		{"GOVER_HOME wins over the exe's store", map[string]string{"GOVER_HOME": abs}, filepath.Join(marked, "bin", "go"), abs, false, false},
		{"GOVER_HOME relative", map[string]string{"GOVER_HOME": "ux-rel", homeVar: abs}, "", "", true, true},
		{"GOVER_HOME dot-relative", map[string]string{"GOVER_HOME": "." + sep + "x", homeVar: abs}, "", "", true, true},
		{"GOVER_HOME ~", map[string]string{"GOVER_HOME": "~", homeVar: abs}, "", abs, false, false},
		{"GOVER_HOME ~/x", map[string]string{"GOVER_HOME": "~" + sep + "x", homeVar: abs}, "", filepath.Join(abs, "x"), false, false},
		{"GOVER_HOME ~x is not a home", map[string]string{"GOVER_HOME": "~x", homeVar: abs}, "", "", true, true},
		{"GOVER_HOME ~ without a home", map[string]string{"GOVER_HOME": "~/x"}, "", "", true, true},
		{"GOVER_HOME %USERPROFILE%", map[string]string{"GOVER_HOME": "%userprofile%" + sep + "g", "USERPROFILE": abs}, "", filepath.Join(abs, "g"), false, false},
		{"home", map[string]string{homeVar: abs}, "", filepath.Join(abs, ".gover"), false, false},
		{"the store around the exe", map[string]string{homeVar: abs}, filepath.Join(marked, "bin", "gover"), marked, false, false},
		{"a bin/ without the marker", map[string]string{homeVar: abs}, filepath.Join(unmarked, "bin", "gover"), filepath.Join(abs, ".gover"), false, false},
		{"an exe in the store root", map[string]string{homeVar: abs}, filepath.Join(marked, "gover"), filepath.Join(abs, ".gover"), false, false},
		{"nothing set", nil, "", "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Locate(func(k string) string { return tt.env[k] }, tt.exe)
			if (err != nil) != tt.err {
				t.Fatalf("Locate = %q, %v; want error %v", got, err, tt.err)
			}
			if err != nil {
				if exitcode.Hint(err) == "" {
					t.Errorf("error %q has no hint", err)
				}
				if tt.usage != (exitcode.Code(err) == exitcode.CodeUsage) {
					t.Errorf("exit code %d for %q; usage error wanted: %v", exitcode.Code(err), err, tt.usage)
				}
				if tt.usage && !errors.Is(err, ErrRelativeHome) && tt.env[homeVar] != "" {
					t.Errorf("error %q is not ErrRelativeHome", err)
				}
				return
			}
			if got != tt.want {
				t.Errorf("root = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestLocateThroughLink finds the store from a link to its shim, as when a
// user links ~/bin/go to GOVER_HOME/bin/go.
func TestLocateThroughLink(t *testing.T) {
	dir := tempDir(t)
	root := filepath.Join(dir, "store")
	if err := New(root).Mark(); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(root, "bin"), 0o755)
	os.WriteFile(filepath.Join(root, "bin", "go"), nil, 0o755)
	link := filepath.Join(dir, "go")
	if err := os.Symlink(filepath.Join(root, "bin", "go"), link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Skipf("this system makes no working symbolic links (Wine 8): %v", err)
	}
	got, err := Locate(func(string) string { return "" }, link)
	if real, _ := filepath.EvalSymlinks(root); err != nil || got != real && got != root {
		t.Errorf("Locate from a link = %q, %v; want %q", got, err, root)
	}
}

// TestWritesMarkTheStore checks that the commands that create a store
// leave its marker, which Locate needs.
func TestWritesMarkTheStore(t *testing.T) {
	root := filepath.Join(tempDir(t), "g")
	if err := New(root).SetGlobal(versions.MustParse("1.22.5")); err != nil {
		t.Fatal(err)
	}
	if !IsStore(root) {
		t.Errorf("SetGlobal left no %s in %s", MarkerName, root)
	}
}

func TestPaths(t *testing.T) {
	root := filepath.Join(tempDir(t), "g")
	s := New(root)
	v := versions.MustParse("1.22.5")
	for got, want := range map[string]string{
		s.Root():                             root,
		s.SDKDir(v):                          filepath.Join(root, "sdk", "go1.22.5"),
		s.PartialMarker(v):                   filepath.Join(root, "sdk", "go1.22.5.partial"),
		s.ManifestPath(v):                    filepath.Join(root, "meta", "go1.22.5.json"),
		s.BinDir():                           filepath.Join(root, "bin"),
		s.CacheDir():                         filepath.Join(root, "cache"),
		s.TmpDir():                           filepath.Join(root, "tmp"),
		s.VersionFile():                      filepath.Join(root, "version"),
		s.CurrentLink():                      filepath.Join(root, "current"),
		s.SDKDir(versions.MustParse("1.20")): filepath.Join(root, "sdk", "go1.20"),
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	if exists(root) {
		t.Errorf("New created %s", root)
	}
}

func TestLookupNotInstalled(t *testing.T) {
	s := newStore(t)
	v := versions.MustParse("1.22.5")
	for _, f := range []func() error{
		func() error { _, err := s.Lookup(v); return err },
		func() error { _, err := s.GOROOT(v); return err },
	} {
		err := f()
		if !errors.Is(err, ErrNotInstalled) {
			t.Fatalf("err = %v, want ErrNotInstalled", err)
		}
		if exitcode.Code(err) != exitcode.CodeNotFound || exitcode.Hint(err) != "gover install 1.22.5" {
			t.Errorf("code %d hint %q", exitcode.Code(err), exitcode.Hint(err))
		}
		if err.Error() != "go1.22.5 is not installed" {
			t.Errorf("message %q", err)
		}
	}
	if vs, err := s.Installed(); err != nil || len(vs) != 0 {
		t.Errorf("Installed() = %v, %v on an empty store", vs, err)
	}
	if ms, err := s.List(); err != nil || len(ms) != 0 {
		t.Errorf("List() = %v, %v on an empty store", ms, err)
	}
}

func TestCommit(t *testing.T) {
	s := newStore(t)
	v := versions.MustParse("1.22.5")
	tx, err := s.Begin(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	if tx.Dir() != s.SDKDir(v) || !exists(tx.Dir()) || !exists(s.PartialMarker(v)) {
		t.Fatalf("Begin did not create dir and marker")
	}
	scratch, err := tx.Scratch()
	if err != nil || !strings.HasPrefix(scratch, s.TmpDir()) {
		t.Fatalf("Scratch() = %q, %v", scratch, err)
	}
	if again, _ := tx.Scratch(); again != scratch {
		t.Errorf("Scratch changed from %q to %q", scratch, again)
	}
	writeFakeGOROOT(t, tx.Dir(), "go1.22.5")

	// Extracted but not committed: invisible.
	if _, err := s.Lookup(v); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("Lookup during install: %v", err)
	}
	if vs, _ := s.Installed(); len(vs) != 0 {
		t.Errorf("Installed during install: %v", vs)
	}

	m := &Manifest{Trust: TrustSumDB, Source: Source{Kind: SourceProxy}}
	if err := tx.Commit(m); err != nil {
		t.Fatal(err)
	}
	if m.Schema != 1 || m.Version != "1.22.5" || m.GOROOT != s.SDKDir(v) || m.Platform != versions.Host().String() || m.InstalledAt.IsZero() {
		t.Errorf("Commit filled in %+v", m)
	}
	if exists(s.PartialMarker(v)) || exists(scratch) {
		t.Errorf("marker or scratch left after Commit")
	}
	got, err := s.Lookup(v)
	if err != nil {
		t.Fatal(err)
	}
	if got.Trust != TrustSumDB || got.Source.Kind != SourceProxy || !got.InstalledAt.Equal(m.InstalledAt) {
		t.Errorf("Lookup = %+v, want %+v", got, m)
	}
	if gr, err := s.GOROOT(v); err != nil || gr != s.SDKDir(v) {
		t.Errorf("GOROOT = %q, %v", gr, err)
	}
	if err := tx.Abort(); err != nil || !exists(s.SDKDir(v)) {
		t.Errorf("Abort after Commit: %v; tree exists %v", err, exists(s.SDKDir(v)))
	}
	if err := tx.Commit(m); err == nil {
		t.Error("second Commit succeeded")
	}
	// The lock is free again.
	tx2, err := s.Begin(context.Background(), v)
	if !errors.Is(err, ErrAlreadyInstalled) || tx2 != nil {
		t.Errorf("Begin after Commit = %v, %v; want ErrAlreadyInstalled", tx2, err)
	}
}

func TestCommitRejectsOtherVersion(t *testing.T) {
	s := newStore(t)
	tx, err := s.Begin(context.Background(), versions.MustParse("1.22.5"))
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Abort()
	if err := tx.Commit(&Manifest{Version: "1.22.4"}); err == nil {
		t.Fatal("Commit accepted a manifest for another version")
	}
	if err := tx.Commit(nil); err == nil {
		t.Fatal("Commit accepted a nil manifest")
	}
}

func TestAbort(t *testing.T) {
	s := newStore(t)
	v := versions.MustParse("1.23.0")
	tx, err := s.Begin(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	scratch, _ := tx.Scratch()
	writeFakeGOROOT(t, tx.Dir(), "go1.23.0")
	os.WriteFile(filepath.Join(scratch, "dl.zip"), []byte("zip"), 0o644)
	if err := tx.Abort(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{s.SDKDir(v), s.PartialMarker(v), scratch, s.ManifestPath(v)} {
		if exists(p) {
			t.Errorf("%s left after Abort", p)
		}
	}
	if err := tx.Abort(); err != nil {
		t.Errorf("second Abort: %v", err)
	}
	if err := tx.Commit(&Manifest{}); err == nil {
		t.Error("Commit after Abort succeeded")
	}
	if _, err := tx.Scratch(); err == nil {
		t.Error("Scratch after Abort succeeded")
	}
	// Lock released: a new transaction starts at once.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	tx, err = s.Begin(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	tx.Abort()
}

func TestBeginRejectsLanguageVersion(t *testing.T) {
	s := newStore(t)
	_, err := s.Begin(context.Background(), versions.MustParse("1.22"))
	if exitcode.Code(err) != exitcode.CodeUsage {
		t.Errorf("Begin(1.22) = %v, want a usage error", err)
	}
}

func TestBeginLocked(t *testing.T) {
	s := newStore(t)
	v := versions.MustParse("1.22.5")
	holder, err := s.Begin(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Abort()
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	tx, err := s.Begin(ctx, v)
	if tx != nil || exitcode.Code(err) != exitcode.CodeLocked {
		t.Fatalf("Begin while locked = %v, %v; want a Locked error", tx, err)
	}
	if !strings.Contains(err.Error(), s.lockPath(v)) || !strings.Contains(err.Error(), "wait for it to finish") {
		t.Errorf("error %q does not name the lock file and what to do", err)
	}
	// Other versions are not blocked.
	ctx2, cancel2 := context.WithTimeout(context.Background(), time.Second)
	defer cancel2()
	other, err := s.Begin(ctx2, versions.MustParse("1.22.4"))
	if err != nil {
		t.Fatalf("Begin of another version: %v", err)
	}
	other.Abort()
}

func TestBeginRemovesCrashedAttempt(t *testing.T) {
	s := newStore(t)
	v := versions.MustParse("1.21.0")
	tx, err := s.Begin(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	writeFakeGOROOT(t, tx.Dir(), "go1.21.0")
	stale := filepath.Join(tx.Dir(), "stale-file")
	os.WriteFile(stale, nil, 0o644)
	tx.lock.fl.Unlock() // the process died: the lock goes, the files stay

	tx, err = s.Begin(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Abort()
	if exists(stale) {
		t.Error("Begin kept the crashed attempt's files")
	}
	if !exists(s.PartialMarker(v)) || !exists(tx.Dir()) {
		t.Error("Begin did not recreate marker and dir")
	}
}

func TestCorruptManifest(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"garbage", "{not json", "invalid character"},
		{"empty", "", "unexpected end of JSON input"},
		{"no schema", `{"version":"1.22.5","goroot":"/x"}`, "no schema"},
		{"other version", `{"schema":1,"version":"1.22.4","goroot":"/x"}`, `"1.22.4"`},
		{"relative goroot", `{"schema":1,"version":"1.22.5","goroot":"sdk/go1.22.5"}`, "absolute"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			install(t, s, "1.23.1")
			v := versions.MustParse("1.22.5")
			os.MkdirAll(filepath.Dir(s.ManifestPath(v)), 0o755)
			if err := os.WriteFile(s.ManifestPath(v), []byte(tt.data), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := s.Lookup(v)
			if err == nil || errors.Is(err, ErrNotInstalled) {
				t.Fatalf("Lookup = %v, want a corrupt-manifest error", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, s.ManifestPath(v)) || !strings.Contains(msg, tt.want) {
				t.Errorf("error %q should name the file and contain %q", msg, tt.want)
			}
			if exitcode.Hint(err) != "gover install 1.22.5" {
				t.Errorf("hint %q", exitcode.Hint(err))
			}

			// List still shows the good SDK, and reports the bad one.
			ms, err := s.List()
			if len(ms) != 1 || ms[0].Version != "1.23.1" || err == nil || !strings.Contains(err.Error(), s.ManifestPath(v)) {
				t.Errorf("List() = %v, %v", ms, err)
			}

			// The hint works: installing again replaces the manifest.
			install(t, s, "1.22.5")
			if _, err := s.Lookup(v); err != nil {
				t.Errorf("after reinstall: %v", err)
			}
		})
	}
}

// TestNewerManifestLeftAlone is issue 10's "manifests from a newer gover":
// such an SDK is not corrupt, and nothing this gover does deletes, replaces
// or reinstalls it.
func TestNewerManifestLeftAlone(t *testing.T) {
	s := newStore(t)
	install(t, s, "1.22.5")
	v := versions.MustParse("1.22.5")
	// Schema 2 may change any field's meaning or type.
	newer := []byte(`{"schema":2,"version":{"major":1},"goroot":7,"trust":{"level":"sumdb"}}`)
	if err := os.WriteFile(s.ManifestPath(v), newer, 0o644); err != nil {
		t.Fatal(err)
	}
	untouched := func(what string, err error) {
		t.Helper()
		var ne *NewerManifestError
		if what != "Clean" && (!errors.Is(err, ErrNewerManifest) || !errors.As(err, &ne) || ne.Schema != 2) {
			t.Errorf("%s: err = %v, want a NewerManifestError", what, err)
		}
		if err != nil && (!strings.Contains(err.Error(), "written by a newer gover") || exitcode.Hint(err) != "gover self-update") {
			t.Errorf("%s: %q, hint %q", what, err, exitcode.Hint(err))
		}
		if data, _ := os.ReadFile(s.ManifestPath(v)); string(data) != string(newer) {
			t.Errorf("%s changed the manifest", what)
		}
		if !exists(filepath.Join(s.SDKDir(v), "VERSION")) {
			t.Errorf("%s removed the SDK", what)
		}
	}
	_, err := s.Lookup(v)
	untouched("Lookup", err)
	_, err = s.GOROOT(v)
	untouched("GOROOT", err)
	_, err = s.Begin(context.Background(), v)
	untouched("Begin", err)
	_, err = s.Uninstall(context.Background(), v, UninstallOptions{Force: true})
	untouched("Uninstall", err)
	other := filepath.Join(tempDir(t), "go")
	writeFakeGOROOT(t, other, "go1.22.5")
	_, err = s.Import(context.Background(), other)
	untouched("Import", err)
	if err := s.Clean(); err != nil {
		t.Errorf("Clean: %v", err)
	}
	untouched("Clean", nil)
	ms, err := s.List()
	if len(ms) != 0 {
		t.Errorf("List shows %v", ms)
	}
	untouched("List", err)
}

func TestPartialIsInvisibleAndCleaned(t *testing.T) {
	s := newStore(t)
	install(t, s, "1.22.5")

	// A crash between manifest and marker removal, a crash mid-extraction,
	// scratch files, a half-written manifest; and a tree gover did not
	// create, which must stay.
	crashed := func(v string, manifest bool) {
		ver := versions.MustParse(v)
		tx, err := s.Begin(context.Background(), ver)
		if err != nil {
			t.Fatal(err)
		}
		writeFakeGOROOT(t, tx.Dir(), "go"+v)
		if _, err := tx.Scratch(); err != nil {
			t.Fatal(err)
		}
		if manifest {
			data, _ := encodeManifest(&Manifest{Schema: 1, Version: v, GOROOT: tx.Dir()})
			os.WriteFile(s.ManifestPath(ver), data, 0o644)
		}
		tx.lock.fl.Unlock()
	}
	crashed("1.21.3", false)
	crashed("1.20.1", true)
	orphan := s.SDKDir(versions.MustParse("1.19.2"))
	writeFakeGOROOT(t, orphan, "go1.19.2")
	halfManifest := filepath.Join(s.metaRoot(), ".go1.18.json.tmp-123")
	os.WriteFile(halfManifest, []byte("{"), 0o644)
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(halfManifest, old, old)
	foreign := filepath.Join(s.sdkRoot(), "README")
	os.WriteFile(foreign, nil, 0o644)

	// A live transaction that Clean must leave alone.
	live, err := s.Begin(context.Background(), versions.MustParse("1.24.0"))
	if err != nil {
		t.Fatal(err)
	}
	defer live.Abort()
	liveScratch, _ := live.Scratch()

	vs, err := s.Installed()
	if err != nil || !slices.Equal(names(vs), []string{"1.22.5"}) {
		t.Errorf("Installed() = %v, %v", names(vs), err)
	}
	if ms, err := s.List(); err != nil || len(ms) != 1 {
		t.Errorf("List() = %v, %v", ms, err)
	}

	if err := s.Clean(); err != nil {
		t.Fatal(err)
	}
	tmps, _ := os.ReadDir(s.TmpDir())
	if len(tmps) != 1 || filepath.Join(s.TmpDir(), tmps[0].Name()) != liveScratch {
		t.Errorf("tmp after Clean: %v", tmps)
	}
	if !exists(filepath.Join(orphan, "VERSION")) {
		t.Error("Clean removed an SDK folder gover did not mark as its own")
	}
	for _, v := range []string{"1.21.3", "1.20.1"} {
		ver := versions.MustParse(v)
		for _, p := range []string{s.SDKDir(ver), s.PartialMarker(ver), s.ManifestPath(ver)} {
			if exists(p) {
				t.Errorf("Clean left %s", p)
			}
		}
	}
	if exists(halfManifest) {
		t.Error("Clean left a half-written manifest")
	}
	if !exists(foreign) {
		t.Error("Clean removed a file that is not gover's")
	}
	if !exists(live.Dir()) || !exists(s.PartialMarker(live.v)) {
		t.Error("Clean removed a live transaction's files")
	}
	if _, err := s.GOROOT(versions.MustParse("1.22.5")); err != nil {
		t.Errorf("Clean broke an installed SDK: %v", err)
	}
}

func TestGlobal(t *testing.T) {
	s := newStore(t)
	if _, err := s.Global(); !errors.Is(err, ErrNoGlobal) || exitcode.Hint(err) == "" {
		t.Errorf("Global() on a new store = %v", err)
	}
	v := versions.MustParse("go1.22.5")
	if err := s.SetGlobal(v); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(s.VersionFile()); string(data) != "1.22.5\n" {
		t.Errorf("version file = %q", data)
	}
	if g, err := s.Global(); err != nil || g != v {
		t.Errorf("Global() = %v, %v", g, err)
	}
	for data, wantNoGlobal := range map[string]bool{"\n": true, "  \n": true, "1.22.x\n": false, "../../etc\n": false} {
		os.WriteFile(s.VersionFile(), []byte(data), 0o644)
		_, err := s.Global()
		if err == nil || errors.Is(err, ErrNoGlobal) != wantNoGlobal {
			t.Errorf("Global() with %q = %v", data, err)
		}
	}
}

func TestUninstall(t *testing.T) {
	s := newStore(t)
	install(t, s, "1.22.5")
	install(t, s, "1.22.4")
	v5, v4 := versions.MustParse("1.22.5"), versions.MustParse("1.22.4")
	if err := s.SetGlobal(v5); err != nil {
		t.Fatal(err)
	}

	_, err := s.Uninstall(context.Background(), v5, UninstallOptions{})
	if err == nil || exitcode.Hint(err) != "gover uninstall --force 1.22.5" {
		t.Fatalf("Uninstall of the global default = %v (hint %q)", err, exitcode.Hint(err))
	}
	if _, err := s.Lookup(v5); err != nil {
		t.Fatalf("refused Uninstall removed something: %v", err)
	}

	if err := os.WriteFile(s.FileListPath(v4), []byte("x  VERSION\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Uninstall(context.Background(), v4, UninstallOptions{}); err != nil {
		t.Fatal(err)
	}
	if exists(s.SDKDir(v4)) || exists(s.ManifestPath(v4)) || exists(s.FileListPath(v4)) {
		t.Error("Uninstall left files")
	}
	_, err = s.Uninstall(context.Background(), v4, UninstallOptions{})
	if !errors.Is(err, ErrNotInstalled) || exitcode.Code(err) != exitcode.CodeNotFound || exitcode.Hint(err) != "gover list" {
		t.Errorf("second Uninstall = %v (code %d, hint %q)", err, exitcode.Code(err), exitcode.Hint(err))
	}

	if _, err := s.Uninstall(context.Background(), v5, UninstallOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	if vs, _ := s.Installed(); len(vs) != 0 {
		t.Errorf("Installed() = %v after uninstalling everything", vs)
	}
}

func TestUninstallCorruptManifest(t *testing.T) {
	s := newStore(t)
	install(t, s, "1.21.5")
	v := versions.MustParse("1.21.5")
	// Every install writes the tree's file list, which imports never have:
	// with it, a corrupt manifest still tells gover the tree is its own.
	os.WriteFile(s.FileListPath(v), nil, 0o644)
	os.WriteFile(s.ManifestPath(v), []byte("garbage"), 0o644)
	if _, err := s.Uninstall(context.Background(), v, UninstallOptions{}); err != nil {
		t.Fatal(err)
	}
	if exists(s.SDKDir(v)) || exists(s.ManifestPath(v)) {
		t.Error("Uninstall of a corrupt SDK left files")
	}
}

func TestUninstallImportedKeepsFolder(t *testing.T) {
	s := newStore(t)
	goroot := filepath.Join(tempDir(t), "go")
	writeFakeGOROOT(t, goroot, "go1.21.0")
	m, err := s.Import(context.Background(), goroot)
	if err != nil {
		t.Fatal(err)
	}
	v := versions.MustParse(m.Version)
	if _, err := s.Uninstall(context.Background(), v, UninstallOptions{}); err != nil {
		t.Fatal(err)
	}
	if !exists(filepath.Join(goroot, "bin", "go"+exeSuffix)) || !exists(filepath.Join(goroot, "VERSION")) {
		t.Error("Uninstall of an imported SDK touched its folder")
	}
	if exists(s.ManifestPath(v)) {
		t.Error("manifest left")
	}
}

func TestPlanPrune(t *testing.T) {
	items := func(vs ...string) []pruneItem {
		var out []pruneItem
		for _, v := range vs {
			it := pruneItem{v: versions.MustParse(strings.TrimSuffix(v, "!"))}
			it.imported = strings.HasSuffix(v, "!")
			out = append(out, it)
		}
		return out
	}
	tests := []struct {
		name   string
		items  []pruneItem
		global string
		keep   int
		want   []string
	}{
		{"empty", nil, "", 1, nil},
		{"one per minor", items("1.22.5", "1.23.1"), "", 1, nil},
		{"old patches go", items("1.22.3", "1.22.5", "1.22.4", "1.23.0", "1.23.1"), "", 1, []string{"1.23.0", "1.22.4", "1.22.3"}},
		{"keep 2", items("1.22.3", "1.22.5", "1.22.4"), "", 2, []string{"1.22.3"}},
		{"keep more than there are", items("1.22.3", "1.22.5"), "", 5, nil},
		{"global spared, not counted", items("1.22.3", "1.22.4", "1.22.5"), "1.22.3", 1, []string{"1.22.4"}},
		{"imported spared, not counted", items("1.22.3!", "1.22.4", "1.22.5"), "", 1, []string{"1.22.4"}},
		{"imported newest", items("1.22.5!", "1.22.4", "1.22.3"), "", 1, []string{"1.22.3"}},
		{"prereleases belong to their minor", items("1.23rc1", "1.23beta1", "1.23.0"), "", 1, []string{"1.23rc1", "1.23beta1"}},
		{"old names", items("1.20", "1.20.1", "1.19.13"), "", 1, []string{"1.20"}},
		{"global is newest", items("1.21.0", "1.21.1"), "1.21.1", 1, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var global versions.Version
			if tt.global != "" {
				global = versions.MustParse(tt.global)
			}
			got := names(planPrune(tt.items, global, tt.keep))
			if len(got) != 0 || len(tt.want) != 0 {
				if !slices.Equal(got, tt.want) {
					t.Errorf("planPrune = %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestPrune(t *testing.T) {
	for _, dry := range []bool{true, false} {
		s := newStore(t)
		for _, v := range []string{"1.21.0", "1.21.1", "1.22.3", "1.22.4", "1.22.5"} {
			install(t, s, v)
		}
		s.SetGlobal(versions.MustParse("1.22.3"))
		goroot := filepath.Join(tempDir(t), "go")
		writeFakeGOROOT(t, goroot, "go1.21.2")
		if _, err := s.Import(context.Background(), goroot); err != nil {
			t.Fatal(err)
		}
		got, err := s.Prune(context.Background(), 1, dry)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"1.22.4", "1.21.0"}; !slices.Equal(names(got), want) {
			t.Errorf("Prune(1, %v) = %v, want %v", dry, names(got), want)
		}
		vs, _ := s.Installed()
		want := []string{"1.22.5", "1.22.3", "1.21.2", "1.21.1"}
		if dry {
			want = []string{"1.22.5", "1.22.4", "1.22.3", "1.21.2", "1.21.1", "1.21.0"}
		}
		if !slices.Equal(names(vs), want) {
			t.Errorf("after Prune(1, %v): installed %v, want %v", dry, names(vs), want)
		}
	}
	if _, err := newStore(t).Prune(context.Background(), 0, true); exitcode.Code(err) != exitcode.CodeUsage {
		t.Errorf("Prune(0) = %v, want a usage error", err)
	}
}

func TestInstalledOrderAndGarbage(t *testing.T) {
	s := newStore(t)
	for _, v := range []string{"1.21.0", "1.23rc1", "1.20", "1.22.5", "1.23.0"} {
		install(t, s, v)
	}
	for _, name := range []string{"notes.txt", "go1.22.json", "go01.22.5.json", "go1.22.9.lock", ".go1.22.6.json.tmp-1"} {
		os.WriteFile(filepath.Join(s.metaRoot(), name), []byte("{}"), 0o644)
	}
	vs, err := s.Installed()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"1.23.0", "1.23rc1", "1.22.5", "1.21.0", "1.20"}; !slices.Equal(names(vs), want) {
		t.Errorf("Installed() = %v, want %v", names(vs), want)
	}
	ms, err := s.List()
	if err != nil || len(ms) != 5 || ms[0].Version != "1.23.0" || ms[4].Version != "1.20" {
		t.Errorf("List() = %v, %v", ms, err)
	}
}

func TestBeginCanceled(t *testing.T) {
	s := newStore(t)
	v := versions.MustParse("1.22.5")
	holder, err := s.Begin(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Abort()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err = s.Begin(ctx, v)
	if !errors.Is(err, context.Canceled) || exitcode.Code(err) == exitcode.CodeLocked {
		t.Errorf("Begin canceled while waiting = %v (code %d)", err, exitcode.Code(err))
	}
}

// TestCheckDrive: a store on a drive that does not exist is an error that
// names the drive (Q:\gover under Wine and on most Windows machines); a
// store folder that does not exist yet on a drive that does is fine.
func TestCheckDrive(t *testing.T) {
	if err := New(filepath.Join(os.TempDir(), fmt.Sprintf("gover-not-yet-%d", os.Getpid()))).CheckDrive(); err != nil {
		t.Errorf("missing folder on an existing drive: %v", err)
	}
	if runtime.GOOS != "windows" {
		return // no drives
	}
	if _, err := os.Stat(`Q:\`); err == nil {
		t.Skip(`this machine has a Q: drive`)
	}
	err := New(`Q:\gover`).CheckDrive()
	var md *MissingDriveError
	if !errors.As(err, &md) || md.Volume != "Q:" || exitcode.Code(err) != exitcode.CodeNotFound || !strings.Contains(err.Error(), `Q:\gover is on Q:, which does not exist`) {
		t.Errorf("store on Q:: %v (code %d)", err, exitcode.Code(err))
	}
}
