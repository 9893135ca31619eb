package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/gover/gover/versions"
)

// cacheArchive puts an archive of size bytes for version into the cache, as
// the installer does, last used at used.
func cacheArchive(t *testing.T, s *Store, version string, size int, used time.Time) string {
	t.Helper()
	p := filepath.Join(s.DownloadsDir(), "go"+version+".linux-amd64.tar.gz")
	if err := os.MkdirAll(s.DownloadsDir(), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, make([]byte, size), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := fmt.Sprintf(`{"kind":"official","version":%q,"platform":"linux/amd64","sha256":"%064d"}`, version, 0)
	if err := os.WriteFile(p+recordSuffix, []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p+recordSuffix, used, used); err != nil {
		t.Fatal(err)
	}
	return p
}

func cachedVersions(t *testing.T, s *Store) []string {
	t.Helper()
	es, err := s.CacheEntries()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Version)
	}
	return out
}

func TestTrimCacheLeastRecentlyUsedFirst(t *testing.T) {
	s := newStore(t)
	now := time.Now()
	cacheArchive(t, s, "1.21.0", 4000, now.Add(-3*time.Hour))
	p22 := cacheArchive(t, s, "1.22.0", 4000, now.Add(-2*time.Hour))
	cacheArchive(t, s, "1.23.0", 4000, now.Add(-1*time.Hour))
	// 1.22.0 is used again: it is now the most recent.
	s.TouchCached(p22)
	foreign := filepath.Join(s.DownloadsDir(), "notes.txt")
	os.WriteFile(foreign, make([]byte, 100000), 0o644)

	if got := cachedVersions(t, s); !slices.Equal(got, []string{"1.22.0", "1.23.0", "1.21.0"}) {
		t.Fatalf("CacheEntries order %v", got)
	}
	s.SetCacheMax(9000) // room for two
	removed, err := s.TrimCache()
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 1 || removed[0].Version != "1.21.0" {
		t.Errorf("TrimCache removed %v", removed)
	}
	if got := cachedVersions(t, s); !slices.Equal(got, []string{"1.22.0", "1.23.0"}) {
		t.Errorf("after TrimCache: %v", got)
	}
	s.SetCacheMax(0) // keep nothing
	if _, err := s.TrimCache(); err != nil {
		t.Fatal(err)
	}
	if got := cachedVersions(t, s); len(got) != 0 {
		t.Errorf("budget 0 kept %v", got)
	}
	if !exists(foreign) {
		t.Error("TrimCache removed a file gover did not write")
	}
}

func TestUninstallDropsCachedArchive(t *testing.T) {
	s := newStore(t)
	install(t, s, "1.22.5")
	install(t, s, "1.22.4")
	p5 := cacheArchive(t, s, "1.22.5", 1000, time.Now())
	p4 := cacheArchive(t, s, "1.22.4", 1000, time.Now())
	res, err := s.Uninstall(context.Background(), versions.MustParse("1.22.5"), UninstallOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if exists(p5) || exists(p5+recordSuffix) || res.CacheFreed <= 1000 {
		t.Errorf("the archive of the uninstalled SDK stayed (freed %d)", res.CacheFreed)
	}
	if _, err := s.Uninstall(context.Background(), versions.MustParse("1.22.4"), UninstallOptions{KeepCache: true}); err != nil {
		t.Fatal(err)
	}
	if !exists(p4) {
		t.Error("KeepCache dropped the archive")
	}
}

func TestCleanCacheKeepsForeignFiles(t *testing.T) {
	s := newStore(t)
	cacheArchive(t, s, "1.22.5", 1000, time.Now())
	list := filepath.Join(s.ListsDir(), "0123456789abcdef01234567.json")
	os.MkdirAll(s.ListsDir(), 0o755)
	os.WriteFile(list, []byte("[]"), 0o644)
	foreign := filepath.Join(s.CacheDir(), "someone-elses")
	os.WriteFile(foreign, []byte("x"), 0o644)
	sumdb := filepath.Join(s.CacheDir(), "sumdb", "latest")
	os.MkdirAll(filepath.Dir(sumdb), 0o755)
	os.WriteFile(sumdb, []byte("tree"), 0o644)
	freed, err := s.CleanCache()
	if err != nil {
		t.Fatal(err)
	}
	if freed < 1002 || exists(list) || len(cachedVersions(t, s)) != 0 {
		t.Errorf("CleanCache freed %d", freed)
	}
	if !exists(foreign) || !exists(sumdb) {
		t.Error("CleanCache removed a foreign file or the sumdb tree head")
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "1GiB": 1 << 30, "500MB": 500 << 20, "700m": 700 << 20, "1.5G": 3 << 29, "2048": 2048, "64 KiB": 64 << 10} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "lots", "-1G", "NaN", "1XB"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) succeeded", in)
		}
	}
}
