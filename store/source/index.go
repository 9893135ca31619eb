package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gover/gover/internal/fsx"
	"github.com/gover/gover/versions"
	"github.com/gover/gover/versions/index"
)

// Index endpoints of the official release list, tried in order.
var DefaultIndexURLs = []string{
	"https://go.dev/dl/?mode=json&include=all",
	"https://golang.google.cn/dl/?mode=json&include=all",
}

// DefaultDownloadBase is where official archives are downloaded from.
const DefaultDownloadBase = "https://dl.google.com/go/"

// DefaultIndexTTL is how long a cached release index counts as fresh.
const DefaultIndexTTL = time.Hour

// indexLimit caps the index body; the full index is about 1 MB today.
const indexLimit = 64 << 20

// Index is the official release index (go.dev/dl JSON), fetched from the
// first reachable of URLs and cached under CacheDir so that listing and
// resolving versions work offline.
//
// The cache is keyed by URL: a list fetched from one URL is only ever
// reused for that URL, so one run with GOVER_INDEX_URL pointing elsewhere
// cannot change what later runs with other settings believe.
type Index struct {
	// Name says what the list is in messages; "" means "the Go release index".
	Name string
	URLs []string
	Get  func(ctx context.Context, url string, limit int64) ([]byte, error)
	// Parse decodes a fetched body; nil means the go.dev/dl JSON format
	// (versions/index). The proxy's toolchain list uses [ParseToolchainList].
	Parse    func([]byte) ([]versions.Release, error)
	CacheDir string        // "" disables the cache
	TTL      time.Duration // 0 means DefaultIndexTTL
	Now      func() time.Time
}

// IndexResult is a release list and how fresh it is.
type IndexResult struct {
	Releases []versions.Release
	URL      string    // where it was fetched from
	Fetched  time.Time // when it was fetched
	Cached   bool      // read from the cache file
	Stale    bool      // older than the TTL: the network failed and this is the best there is
}

// Age is how old the list is at now.
func (r *IndexResult) Age(now time.Time) time.Duration { return now.Sub(r.Fetched) }

type indexCache struct {
	URL     string    `json:"url"`
	Fetched time.Time `json:"fetched"`
	Body    []byte    `json:"body"`
}

func (ix *Index) parse(data []byte) ([]versions.Release, error) {
	if ix.Parse != nil {
		return ix.Parse(data)
	}
	rs, err := index.Parse(data)
	if err == nil && len(rs) == 0 {
		err = errors.New("the Go release index lists no release")
	}
	return rs, err
}

func (ix *Index) now() time.Time {
	if ix.Now != nil {
		return ix.Now()
	}
	return time.Now()
}

func (ix *Index) ttl() time.Duration {
	if ix.TTL > 0 {
		return ix.TTL
	}
	return DefaultIndexTTL
}

// Releases returns the release list: the cached copy while it is fresh, else
// a fresh download (cached for next time), else a stale cached copy marked
// Stale. The error names every URL that failed when there is nothing at all.
func (ix *Index) Releases(ctx context.Context) (*IndexResult, error) {
	if r := ix.Fresh(); r != nil {
		return r, nil
	}
	r, err := ix.Fetch(ctx)
	if err == nil {
		return r, nil
	}
	if r := ix.Stale(); r != nil {
		return r, nil
	}
	return nil, err
}

// Fresh returns the cached list of the first URL whose copy is younger
// than the TTL, else nil.
func (ix *Index) Fresh() *IndexResult {
	for _, u := range ix.URLs {
		r, _ := ix.readCache(u)
		if r == nil {
			continue
		}
		if age := ix.now().Sub(r.Fetched); age < ix.ttl() && age >= -time.Minute {
			return r
		}
	}
	return nil
}

// Stale returns the cached list of the first URL that has one, whatever
// its age, marked Stale when it is older than the TTL; nil when there is
// none.
func (ix *Index) Stale() *IndexResult {
	for _, u := range ix.URLs {
		r, _ := ix.readCache(u)
		if r == nil {
			continue
		}
		r.Stale = ix.now().Sub(r.Fetched) >= ix.ttl()
		return r
	}
	return nil
}

// CacheFile is where the list fetched from url is cached: a name derived
// from the URL, so that each URL has its own.
func (ix *Index) CacheFile(url string) string {
	if ix.CacheDir == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(url))
	return filepath.Join(ix.CacheDir, hex.EncodeToString(sum[:12])+".json")
}

// Fetch downloads the index from the first URL that answers with a valid
// index and writes it to the cache.
func (ix *Index) Fetch(ctx context.Context) (*IndexResult, error) {
	if len(ix.URLs) == 0 {
		return nil, errors.New("no release index URL configured")
	}
	var errs []string
	for _, u := range ix.URLs {
		data, err := ix.Get(ctx, u, indexLimit)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		rs, err := ix.parse(data)
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", u, err))
			continue
		}
		r := &IndexResult{Releases: rs, URL: u, Fetched: ix.now()}
		// A cache that cannot be written only costs the next run a download.
		_ = ix.writeCache(r.URL, r.Fetched, data)
		return r, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	name := ix.Name
	if name == "" {
		name = "the Go release index"
	}
	return nil, fmt.Errorf("fetching %s: %s", name, strings.Join(errs, "; "))
}

func (ix *Index) readCache(url string) (*IndexResult, error) {
	file := ix.CacheFile(url)
	if file == "" {
		return nil, nil
	}
	data, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var c indexCache
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if c.URL != url {
		return nil, fmt.Errorf("%s: holds the list of %s, not %s", file, c.URL, url)
	}
	rs, err := ix.parse(c.Body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return &IndexResult{Releases: rs, URL: c.URL, Fetched: c.Fetched, Cached: true}, nil
}

func (ix *Index) writeCache(url string, fetched time.Time, raw []byte) error {
	file := ix.CacheFile(url)
	if file == "" {
		return nil
	}
	data, err := json.Marshal(indexCache{URL: url, Fetched: fetched.UTC(), Body: raw})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	return fsx.WriteFileAtomic(file, data, 0o644)
}
