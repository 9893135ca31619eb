package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/versions"
)

// The download cache: cache/downloads/<archive> with a record
// <archive>.json next to it, written by gover when it keeps a verified
// download. The record is gover's mark: files in the cache without one
// are not gover's and are never removed. The record's modification time
// is when the archive was last used; when the cache outgrows its budget
// the least recently used archives go first.

// DefaultCacheMax is the download cache's default budget.
const DefaultCacheMax int64 = 1 << 30

// recordSuffix ends a cached archive's record.
const recordSuffix = ".json"

// DownloadsDir holds the downloaded archives kept for offline reinstalls.
func (s *Store) DownloadsDir() string { return filepath.Join(s.CacheDir(), "downloads") }

// ListsDir holds the cached release lists (go.dev/dl's JSON index, the
// proxies' golang.org/toolchain version lists), one file per URL, so that
// a list is only ever reused for the URL it came from.
func (s *Store) ListsDir() string { return filepath.Join(s.CacheDir(), "lists") }

// legacyLists are where gover's first versions cached the release lists,
// whatever URL they came from; nothing reads them any more.
func (s *Store) legacyLists() []string {
	return []string{filepath.Join(s.CacheDir(), "index.json"), filepath.Join(s.CacheDir(), "toolchain-list.json")}
}

// SetCacheMax sets the download cache's budget in bytes; 0 keeps nothing.
// The default is DefaultCacheMax.
func (s *Store) SetCacheMax(n int64) { s.cacheMax = n }

// CacheMax is the download cache's budget in bytes.
func (s *Store) CacheMax() int64 { return s.cacheMax }

// CacheEntry is one downloaded archive in the cache.
type CacheEntry struct {
	Path     string // the archive
	Version  string // "1.22.5"
	Platform string // "linux/amd64"
	Size     int64  // archive and record
	LastUsed time.Time
}

// cacheRecordHead is the part of a cache record the store reads.
type cacheRecordHead struct {
	Version  string `json:"version"`
	Platform string `json:"platform"`
}

// CacheEntries lists the cached archives, most recently used first.
func (s *Store) CacheEntries() ([]CacheEntry, error) {
	es, err := os.ReadDir(s.DownloadsDir())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []CacheEntry
	for _, e := range es {
		archive, ok := strings.CutSuffix(e.Name(), recordSuffix)
		if !ok || !e.Type().IsRegular() {
			continue
		}
		rec := filepath.Join(s.DownloadsDir(), e.Name())
		data, err := os.ReadFile(rec)
		if err != nil {
			continue
		}
		var head cacheRecordHead
		if json.Unmarshal(data, &head) != nil || head.Version == "" {
			continue // not a record gover wrote
		}
		p := filepath.Join(s.DownloadsDir(), archive)
		ai, err := os.Lstat(p)
		if err != nil || !ai.Mode().IsRegular() {
			continue
		}
		ri, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, CacheEntry{Path: p, Version: head.Version, Platform: head.Platform, Size: ai.Size() + ri.Size(), LastUsed: ri.ModTime()})
	}
	slices.SortFunc(out, func(a, b CacheEntry) int { return b.LastUsed.Compare(a.LastUsed) })
	return out, nil
}

// removeCacheEntry removes an archive, its signature and then its record.
func removeCacheEntry(e CacheEntry) error {
	if err := ignoreNotExist(os.Remove(e.Path)); err != nil {
		return err
	}
	if err := ignoreNotExist(os.Remove(e.Path + ".asc")); err != nil {
		return err
	}
	return ignoreNotExist(os.Remove(e.Path + recordSuffix))
}

// RemoveCached removes the cached archives of v (every platform) and
// returns the bytes freed.
func (s *Store) RemoveCached(v versions.Version) (int64, error) {
	es, err := s.CacheEntries()
	var freed int64
	errs := []error{err}
	for _, e := range es {
		if e.Version != v.String() {
			continue
		}
		if err := removeCacheEntry(e); err != nil {
			errs = append(errs, err)
			continue
		}
		freed += e.Size
	}
	return freed, errors.Join(errs...)
}

// TouchCached records that the cached archive at path was used now.
func (s *Store) TouchCached(path string) {
	now := s.now()
	os.Chtimes(path+recordSuffix, now, now)
}

// TrimCache removes the least recently used archives until the cache fits
// its budget, and returns what it removed.
func (s *Store) TrimCache() ([]CacheEntry, error) {
	es, err := s.CacheEntries()
	if err != nil {
		return nil, err
	}
	var total int64
	for _, e := range es {
		total += e.Size
	}
	var removed []CacheEntry
	var errs []error
	for i := len(es) - 1; i >= 0 && total > s.cacheMax; i-- {
		if err := removeCacheEntry(es[i]); err != nil {
			errs = append(errs, err)
			continue
		}
		total -= es[i].Size
		removed = append(removed, es[i])
	}
	return removed, errors.Join(errs...)
}

// CleanCache removes every cached archive and the cached release lists,
// and returns the bytes freed. The checksum database's verified tree head
// (cache/sumdb) stays: it is what lets gover notice a database that
// rewrote its history. Files gover did not write stay too.
func (s *Store) CleanCache() (int64, error) {
	es, err := s.CacheEntries()
	var freed int64
	errs := []error{err}
	for _, e := range es {
		if err := removeCacheEntry(e); err != nil {
			errs = append(errs, err)
			continue
		}
		freed += e.Size
	}
	lists := s.legacyLists()
	if es, err := os.ReadDir(s.ListsDir()); err == nil {
		for _, e := range es {
			if strings.HasSuffix(e.Name(), ".json") {
				lists = append(lists, filepath.Join(s.ListsDir(), e.Name()))
			}
		}
	}
	for _, p := range lists {
		if info, err := os.Lstat(p); err == nil && info.Mode().IsRegular() {
			if err := os.Remove(p); err != nil {
				errs = append(errs, err)
				continue
			}
			freed += info.Size()
		}
	}
	return freed, errors.Join(errs...)
}

// ParseSize parses a size such as "1GiB", "500MB", "700M", "0" or a plain
// number of bytes. Units are powers of 1024 (MB means MiB, as people
// usually mean it for disk budgets).
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(strings.ToUpper(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{
		{"TIB", 1 << 40}, {"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10},
		{"TB", 1 << 40}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10},
		{"T", 1 << 40}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1},
	} {
		if rest, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || !(f >= 0 && f*float64(mult) <= 1<<62) {
		return 0, exitcode.Usage(fmt.Errorf("%q is not a size; write it like 1GiB, 500MB or 0", s), "GOVER_CACHE_MAX=1GiB")
	}
	return int64(f * float64(mult)), nil
}
