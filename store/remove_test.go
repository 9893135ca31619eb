package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gover/gover/internal/exitcode"

	"github.com/gover/gover/versions"
)

// TestRemoveAllKeepsForeignEntries: with sdk/ and cache/ links to folders
// other tools share (~/sdk), RemoveAll removes gover's SDK inside the
// link, then the link, and never the foreign SDK next to it or the folder
// the link points at. The root stays while foreign entries are left, and
// they are listed.
func TestRemoveAllKeepsForeignEntries(t *testing.T) {
	s := newStore(t)
	if err := s.Mark(); err != nil {
		t.Fatal(err)
	}
	userSDK := tempDir(t)
	userCache := tempDir(t)
	dirLink(t, userSDK, s.sdkRoot())
	dirLink(t, userCache, s.CacheDir())
	foreignSDK(t, filepath.Join(userSDK, "go1.23.0"), "go1.23.0")
	os.WriteFile(filepath.Join(userCache, "theirs.bin"), []byte("x"), 0o644)
	install(t, s, "1.22.5")
	if err := s.SetGlobal(versions.MustParse("1.22.5")); err != nil {
		t.Fatal(err)
	}
	imported := filepath.Join(tempDir(t), "go")
	writeFakeGOROOT(t, imported, "go1.21.0")
	if _, err := s.Import(context.Background(), imported); err != nil {
		t.Skipf("import needs a runnable go: %v", err)
	}
	os.MkdirAll(s.BinDir(), 0o755)
	for _, n := range []string{"go", "gofmt", "gover", "go1.22.5", "my-tool"} {
		os.WriteFile(filepath.Join(s.BinDir(), n+exeSuffix), []byte("x"), 0o755)
	}

	res, err := s.RemoveAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.SDKs) != 1 || res.SDKs[0] != "go1.22.5" || len(res.Imported) != 1 {
		t.Errorf("removed %v, forgot %v", res.SDKs, res.Imported)
	}
	for _, p := range []string{filepath.Join(userSDK, "go1.23.0", "bin"), filepath.Join(userCache, "theirs.bin"), filepath.Join(imported, "bin")} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("RemoveAll deleted %s, which gover did not create: %v", p, err)
		}
	}
	if _, err := os.Stat(filepath.Join(userSDK, "go1.22.5")); !os.IsNotExist(err) {
		t.Errorf("gover's SDK inside the linked sdk/ is still there: %v", err)
	}
	for _, p := range []string{s.sdkRoot(), s.CacheDir(), s.VersionFile(), filepath.Join(s.root, MarkerName), filepath.Join(s.BinDir(), "go"+exeSuffix), filepath.Join(s.BinDir(), "go1.22.5"+exeSuffix)} {
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Errorf("%s is still there: %v", p, err)
		}
	}
	if len(res.Unlinked) != 2 {
		t.Errorf("Unlinked = %v, want sdk and cache", res.Unlinked)
	}
	mine := filepath.Join(s.BinDir(), "my-tool"+exeSuffix)
	if len(res.Kept) != 1 || res.Kept[0] != mine {
		t.Errorf("Kept = %v, want only %s", res.Kept, mine)
	}
	if _, err := os.Stat(mine); err != nil {
		t.Errorf("the user's tool in bin/ is gone: %v", err)
	}
}

// TestRemoveAllRemovesReleaseLists: the release lists gover caches in
// cache/lists (list-remote, outdated) are gover's own, so implode removes
// them and their folder and, with nothing foreign left, the root; it never
// reports cache/lists as something gover did not create.
func TestRemoveAllRemovesReleaseLists(t *testing.T) {
	s := newStore(t)
	if err := s.Mark(); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(s.ListsDir(), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.ListsDir(), "index.json"), []byte("[]"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := s.RemoveAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Kept) != 0 {
		t.Errorf("Kept = %v, want nothing: cache/lists is gover's", res.Kept)
	}
	if _, err := os.Lstat(s.Root()); !os.IsNotExist(err) {
		t.Errorf("the store root %s is still there: %v", s.Root(), err)
	}
}

// TestMarkUnwritableRoot: a store root gover cannot create or write
// (GOVER_HOME on a read-only folder, or under a file) fails with one error
// naming the store and a hint that points GOVER_HOME at a writable folder,
// not a bare "open .../..gover-store.tmp-123: permission denied". The root
// here is under a regular file, so the test holds for root users too.
func TestMarkUnwritableRoot(t *testing.T) {
	file := filepath.Join(tempDir(t), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(file, "store")
	err := New(root).Mark()
	if err == nil {
		t.Fatal("Mark under a regular file succeeded")
	}
	if !strings.Contains(err.Error(), "cannot write the gover store "+root) {
		t.Errorf("err = %q, want it to name the store %s", err, root)
	}
	if h := exitcode.Hint(err); !strings.Contains(h, "GOVER_HOME") {
		t.Errorf("hint = %q, want one that sets GOVER_HOME", h)
	}
}

// TestHintUnwritable: a permission error on a path inside the store gets
// the GOVER_HOME hint and names the store; one outside the store, one that
// already has a hint, and other errors come back unchanged.
func TestHintUnwritable(t *testing.T) {
	s := newStore(t)
	inside := fmt.Errorf("locking: %w", &fs.PathError{Op: "open", Path: filepath.Join(s.Root(), "meta", "go1.22.5.lock"), Err: fs.ErrPermission})
	got := s.HintUnwritable(inside)
	if h := exitcode.Hint(got); !strings.Contains(h, "GOVER_HOME") {
		t.Errorf("hint = %q, want one that sets GOVER_HOME", h)
	}
	if !errors.Is(got, fs.ErrPermission) || !strings.Contains(got.Error(), s.Root()) {
		t.Errorf("err = %v, want the permission error naming the store %s", got, s.Root())
	}
	outside := &fs.PathError{Op: "open", Path: filepath.Join(filepath.Dir(s.Root()), "elsewhere"), Err: fs.ErrPermission}
	hinted := exitcode.WithHint(inside, "gover doctor")
	for _, err := range []error{nil, outside, hinted, errors.New("other")} {
		if got := s.HintUnwritable(err); got != err {
			t.Errorf("HintUnwritable(%v) = %v, want it unchanged", err, got)
		}
	}
}
