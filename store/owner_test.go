package store

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/versions"
)

// dirLink makes link a symbolic link to the folder target, or skips the
// test on a system that makes none (Wine 8 reports success and makes
// nothing, so the link is checked).
func dirLink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("this system makes no directory links: %v", err)
	}
	if _, err := os.Stat(link); err != nil {
		t.Skipf("this system makes no working directory links: %v", err)
	}
}

// foreignSDK writes a Go installation gover did not create at dir.
func foreignSDK(t *testing.T, dir, version string) {
	t.Helper()
	writeFakeGOROOT(t, dir, version)
}

// TestCleanKeepsForeignEntriesInLinkedFolders links sdk/ and tmp/ to
// folders other tools use (golang.org/dl's ~/sdk): installing and cleaning
// up work inside them and never remove what gover did not create.
func TestCleanKeepsForeignEntriesInLinkedFolders(t *testing.T) {
	s := newStore(t)
	userSDK := tempDir(t) // ~/sdk
	userTmp := tempDir(t)
	dirLink(t, userSDK, s.sdkRoot())
	dirLink(t, userTmp, s.TmpDir())
	foreignSDK(t, filepath.Join(userSDK, "go1.23.0"), "go1.23.0")
	foreignTmp := filepath.Join(userTmp, "go1.22.5-12345")
	os.MkdirAll(foreignTmp, 0o755)
	os.WriteFile(filepath.Join(foreignTmp, "notes.txt"), []byte("mine"), 0o644)
	old := time.Now().Add(-48 * time.Hour)
	os.Chtimes(foreignTmp, old, old)
	otherOld := filepath.Join(userTmp, "build-cache")
	os.MkdirAll(otherOld, 0o755)
	os.Chtimes(otherOld, old, old)

	install(t, s, "1.22.5")
	if err := s.Clean(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(userSDK, "go1.23.0", "VERSION"), filepath.Join(foreignTmp, "notes.txt"), otherOld} {
		if !exists(p) {
			t.Errorf("%s is gone: gover removed what it did not create", p)
		}
	}
	if _, err := s.GOROOT(versions.MustParse("1.22.5")); err != nil {
		t.Errorf("the SDK installed into the linked sdk/: %v", err)
	}
	if !exists(filepath.Join(userSDK, "go1.22.5", "VERSION")) {
		t.Error("the SDK was not installed inside the linked folder")
	}
}

// TestCleanRemovesLinksNotTargets: a marked SDK entry that is a link (to a
// user's folder) is removed as a link; the folder it pointed at stays.
func TestCleanRemovesLinksNotTargets(t *testing.T) {
	s := newStore(t)
	v := versions.MustParse("1.20.1")
	user := filepath.Join(tempDir(t), "go")
	foreignSDK(t, user, "go1.20.1")
	dirLink(t, user, s.SDKDir(v))
	if err := s.markPartial(v, opInstall); err != nil {
		t.Fatal(err)
	}
	if err := s.Clean(); err != nil {
		t.Fatal(err)
	}
	if exists(s.SDKDir(v)) || exists(s.PartialMarker(v)) {
		t.Error("Clean left the marked link")
	}
	if !exists(filepath.Join(user, "VERSION")) || !exists(filepath.Join(user, "bin", "go"+exeSuffix)) {
		t.Error("Clean followed the link and removed the user's files")
	}
}

// TestBeginRefusesForeignFolder: a folder at sdk/<v> that gover did not
// create is neither removed nor installed over.
func TestBeginRefusesForeignFolder(t *testing.T) {
	s := newStore(t)
	v := versions.MustParse("1.23.0")
	foreignSDK(t, s.SDKDir(v), "go1.23.0")
	tx, err := s.Begin(context.Background(), v)
	if err == nil {
		tx.Abort()
		t.Fatal("Begin installed over a folder gover did not create")
	}
	if !strings.Contains(err.Error(), "did not create") || exitcode.Hint(err) != "gover import "+s.SDKDir(v) {
		t.Errorf("error %q, hint %q", err, exitcode.Hint(err))
	}
	if !exists(filepath.Join(s.SDKDir(v), "VERSION")) || exists(s.PartialMarker(v)) {
		t.Error("the refused Begin touched the folder")
	}
	if exists(s.lockPath(v)) {
		t.Error("the refused Begin left its lock file")
	}
}

// TestImportInPlace: a folder already where the store keeps its version
// (directly, or through a linked sdk/) is adopted, and neither import,
// clean-up nor uninstall removes it.
func TestImportInPlace(t *testing.T) {
	for _, linked := range []bool{false, true} {
		name := "direct"
		if linked {
			name = "linked sdk"
		}
		t.Run(name, func(t *testing.T) {
			s := newStore(t)
			v := versions.MustParse("1.21.0")
			dir := s.SDKDir(v)
			if linked {
				userSDK := tempDir(t)
				dirLink(t, userSDK, s.sdkRoot())
				dir = filepath.Join(userSDK, "go1.21.0")
			}
			foreignSDK(t, dir, "go1.21.0")
			m, err := s.Import(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			if !m.Imported || m.Version != "1.21.0" {
				t.Errorf("manifest %+v", m)
			}
			if g, err := s.GOROOT(v); err != nil || !sameFile(g, dir) {
				t.Errorf("GOROOT = %q, %v", g, err)
			}
			if err := s.Clean(); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Uninstall(context.Background(), v, UninstallOptions{}); err != nil {
				t.Fatal(err)
			}
			if !exists(filepath.Join(dir, "VERSION")) || !exists(filepath.Join(dir, "bin", "go"+exeSuffix)) {
				t.Error("the imported folder was removed")
			}
			if _, err := s.Lookup(v); err == nil {
				t.Error("still installed after uninstall")
			}
		})
	}
}

// TestUninstallCrashLeavesMarkedTree: an uninstall that stops after the
// manifest went leaves a marked tree, which Clean finishes.
func TestUninstallCrashLeavesMarkedTree(t *testing.T) {
	s := newStore(t)
	install(t, s, "1.22.1")
	v := versions.MustParse("1.22.1")
	// What Uninstall does before it removes the tree.
	if err := s.markPartial(v, opUninstall); err != nil {
		t.Fatal(err)
	}
	os.Remove(s.ManifestPath(v))
	if err := s.Clean(); err != nil {
		t.Fatal(err)
	}
	if exists(s.SDKDir(v)) || exists(s.PartialMarker(v)) {
		t.Error("Clean left the half-removed SDK")
	}
}

func TestLockFilesLiveOnlyWhileHeld(t *testing.T) {
	s := newStore(t)
	v := versions.MustParse("1.99.1")
	tx, err := s.Begin(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	if !exists(s.lockPath(v)) {
		t.Fatal("no lock file while installing")
	}
	tx.Abort() // the download failed
	if exists(s.lockPath(v)) {
		t.Error("a failed install left meta/go1.99.1.lock")
	}

	install(t, s, "1.22.5")
	v5 := versions.MustParse("1.22.5")
	if _, err := s.Uninstall(context.Background(), v5, UninstallOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Uninstall(context.Background(), versions.MustParse("1.22.6"), UninstallOptions{}); err == nil {
		t.Fatal("uninstalled a version that is not installed")
	}
	// Stale lock files an older gover left are removed by Clean.
	stale := filepath.Join(s.metaRoot(), "go1.20.3.lock")
	os.WriteFile(stale, nil, 0o644)
	if err := s.Clean(); err != nil {
		t.Fatal(err)
	}
	es, _ := os.ReadDir(s.metaRoot())
	for _, e := range es {
		if strings.HasSuffix(e.Name(), lockSuffix) {
			t.Errorf("meta/ holds %s", e.Name())
		}
	}
}

// TestLockReplacedWhileWaiting: a waiter that opened a lock file the holder
// then removed must not count a lock on the removed file as the lock.
func TestLockReplacedWhileWaiting(t *testing.T) {
	s := newStore(t)
	v := versions.MustParse("1.22.5")
	a, err := s.lock(context.Background(), v, opInstall)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan *heldLock)
	go func() {
		b, err := s.lock(context.Background(), v, opInstall)
		if err != nil {
			t.Error(err)
		}
		got <- b
	}()
	a.unlock()
	b := <-got
	defer b.unlock()
	// Whoever comes next must wait for b.
	if c, err := s.lock(tryOnce(), v, opInstall); err == nil {
		c.unlock()
		t.Fatal("two holders of one version's lock")
	}
}

type syncBuffer struct {
	mu chan struct{}
	b  bytes.Buffer
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{mu: make(chan struct{}, 1)} }

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu <- struct{}{}
	defer func() { <-b.mu }()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu <- struct{}{}
	defer func() { <-b.mu }()
	return b.b.String()
}

// TestLockWaitSaysWho: a gover waiting for a lock says which process holds
// it and what that process is doing.
func TestLockWaitSaysWho(t *testing.T) {
	s := newStore(t)
	v := versions.MustParse("1.22.5")
	holder, err := s.Begin(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	waiter := New(s.Root())
	notes := newSyncBuffer()
	waiter.SetNotes(notes)
	done := make(chan error)
	go func() {
		tx, err := waiter.Begin(context.Background(), v)
		if err == nil {
			tx.Abort()
		}
		done <- err
	}()
	want := "pid " + strconv.Itoa(os.Getpid()) + ", installing go1.22.5"
	for !strings.Contains(notes.String(), want) {
		select {
		case err := <-done:
			t.Fatalf("the waiter finished (%v) before saying whom it waits for: %q", err, notes.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	holder.Abort()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(notes.String(), s.lockPath(v)) {
		t.Errorf("the note %q does not name the lock file", notes.String())
	}
}

func TestUninstallForcedGlobalClearsDefault(t *testing.T) {
	s := newStore(t)
	install(t, s, "1.22.5")
	v := versions.MustParse("1.22.5")
	if err := s.SetGlobal(v); err != nil {
		t.Fatal(err)
	}
	linked := os.Symlink(s.SDKDir(v), s.CurrentLink()) == nil
	res, err := s.Uninstall(context.Background(), v, UninstallOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.ClearedGlobal {
		t.Error("ClearedGlobal not set")
	}
	if _, err := s.Global(); err == nil {
		t.Error("the version file still names the removed SDK")
	}
	if linked && exists(s.CurrentLink()) {
		t.Error("the current link still points at the removed SDK")
	}
}

func TestLeftoversAndClean(t *testing.T) {
	s := newStore(t)
	v := versions.MustParse("1.22.5")
	tx, err := s.Begin(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	writeFakeGOROOT(t, tx.Dir(), "go1.22.5")
	dir, _ := tx.Scratch()
	os.WriteFile(filepath.Join(dir, "go1.22.5.zip"), make([]byte, 4096), 0o644)
	tx.lock.fl.Unlock() // killed: the lock goes, the files stay

	ls, err := s.Leftovers()
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, l := range ls {
		if l.Size <= 0 {
			t.Errorf("%s: size %d", l.Path, l.Size)
		}
		paths = append(paths, l.Path)
	}
	if len(ls) != 2 || !strings.Contains(strings.Join(paths, " "), dir) || !strings.Contains(strings.Join(paths, " "), s.SDKDir(v)) {
		t.Fatalf("Leftovers() = %v", paths)
	}
	if !exists(dir) || !exists(s.SDKDir(v)) {
		t.Fatal("Leftovers removed something")
	}
	if err := s.Clean(); err != nil {
		t.Fatal(err)
	}
	if ls, _ := s.Leftovers(); len(ls) != 0 {
		t.Errorf("after Clean: %v", ls)
	}
	if exists(dir) || exists(s.SDKDir(v)) || exists(s.PartialMarker(v)) {
		t.Error("Clean left the killed install's files")
	}
}
