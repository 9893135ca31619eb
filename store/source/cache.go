package source

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fsx"
	"github.com/gover/gover/store"
	"github.com/gover/gover/store/verify"
)

// The download cache: cache/downloads/<file>, its signature <file>.asc when
// it has one, and <file>.json recording where the file came from and how
// it was verified. The record is written last, so a file without one is
// ignored and overwritten.
//
// The cache is a shortcut for the network, never a root of trust: a source
// takes a cached file only when the record names the very URL it would
// download, and the file then goes through the same checks a download
// does (the index's SHA-256 again, the signature, the checksum database).
// A file cached from a mirror is never reused for the official source or
// the proxy, and a cached file is never worth more than its source's
// evidence says today.

type cacheRecord struct {
	Kind     string      `json:"kind"`
	URL      string      `json:"url"`
	Module   string      `json:"module,omitempty"`
	Version  string      `json:"version"`
	Platform string      `json:"platform"`
	Size     int64       `json:"size"`
	SHA256   string      `json:"sha256"`
	H1       string      `json:"h1,omitempty"`
	Checks   []string    `json:"checks"`
	Trust    store.Trust `json:"trust"`
	// ASCURL is where <file>.asc came from, when there is one.
	ASCURL string `json:"ascURL,omitempty"`
}

func (j *job) cachePath(name string) string {
	return filepath.Join(j.in.Store.DownloadsDir(), name)
}

// cached reads the record of cache file name, if it describes a download
// of url for this version and platform.
func (j *job) cached(name, kind, url string) (cacheRecord, bool) {
	if j.noCache {
		return cacheRecord{}, false
	}
	data, err := os.ReadFile(j.cachePath(name) + ".json")
	if err != nil {
		return cacheRecord{}, false
	}
	var rec cacheRecord
	if err := json.Unmarshal(data, &rec); err != nil || rec.Kind != kind || rec.URL != url ||
		rec.Version != j.v.String() || rec.Platform != j.p.String() || !isSHA256Hex(rec.SHA256) {
		return cacheRecord{}, false
	}
	return rec, true
}

// fromCache points a at the cached copy of a.url, if there is one. The
// copy is hashed again against wantSHA256 (the source's evidence) when
// there is one, else against the record, which only catches a damaged
// disk: a module zip's real check is its h1.
func (j *job) fromCache(a *artifact, name, wantSHA256 string) bool {
	rec, ok := j.cached(name, a.kind, a.url)
	if !ok {
		return false
	}
	a.path, a.size, a.cached = j.cachePath(name), rec.Size, true
	want, what := wantSHA256, "cached "+name
	if want == "" {
		want = rec.SHA256
	}
	a.pending = append(a.pending, func(ctx context.Context, a *artifact) (string, error) {
		got, err := verify.SHA256File(a.path)
		if err != nil {
			return "", exitcode.Verify(err, "")
		}
		if err := verify.CheckSHA256(what, got, want); err != nil {
			return "", err
		}
		a.sha256 = got
		return "sha256:cache", nil
	})
	j.in.notef("using %s from the download cache", name)
	j.in.Store.TouchCached(a.path)
	return true
}

// cachedSignature returns the cached signature of the archive at url.
func (j *job) cachedSignature(url string) []byte {
	if j.noCache {
		return nil
	}
	name := filepath.Base(url)
	data, err := os.ReadFile(j.cachePath(name) + ".json")
	if err != nil {
		return nil
	}
	var rec cacheRecord
	if json.Unmarshal(data, &rec) != nil || rec.URL != url || rec.ASCURL != url+".asc" {
		return nil
	}
	asc, err := os.ReadFile(j.cachePath(name) + ".asc")
	if err != nil {
		return nil
	}
	return asc
}

func (j *job) cacheArtifact(a *artifact) error {
	dst := j.cachePath(filepath.Base(a.path))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	// The old record goes first: a file and a record that do not belong
	// together must never be seen.
	os.Remove(dst + ".json")
	if err := os.Rename(a.path, dst); err != nil {
		return err
	}
	rec := cacheRecord{
		Kind: a.kind, URL: a.url, Module: a.module,
		Version: j.v.String(), Platform: j.p.String(),
		Size: a.size, SHA256: a.sha256, H1: a.h1, Checks: a.checks, Trust: a.trust,
	}
	if a.asc != nil {
		if err := fsx.WriteFileAtomic(dst+".asc", a.asc, 0o644); err != nil {
			return err
		}
		rec.ASCURL = a.ascURL
	} else {
		os.Remove(dst + ".asc")
	}
	data, err := json.MarshalIndent(rec, "", "\t")
	if err != nil {
		return err
	}
	if err := fsx.WriteFileAtomic(dst+".json", data, 0o644); err != nil {
		return err
	}
	// The cache keeps to its budget, least recently used first.
	removed, err := j.in.Store.TrimCache()
	for _, e := range removed {
		j.in.notef("note: removed %s from the download cache to keep it under %d MiB (GOVER_CACHE_MAX)", filepath.Base(e.Path), j.in.Store.CacheMax()>>20)
	}
	return err
}

func removeCached(path string) {
	os.Remove(path + ".json")
	os.Remove(path + ".asc")
	os.Remove(path)
}
