package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/note"

	"github.com/gover/gover/internal/exitcode"
)

// DefaultGOSUMDB is the checksum database go itself trusts by default.
const DefaultGOSUMDB = "sum.golang.org"

// GoSumDBKey is the verifier key of sum.golang.org, which go knows by heart
// (cmd/go/internal/modfetch/key.go).
const GoSumDBKey = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"

const (
	// remoteTimeout bounds one request to the database or a proxy, on top of
	// whatever the caller's context and client allow: a stalled server must
	// not hang an install forever.
	remoteTimeout = 2 * time.Minute
	// maxRemoteBody bounds what one database answer may weigh; real tiles
	// and records are a few kilobytes.
	maxRemoteBody = 16 << 20
)

// SumDBConfig says which checksum database to trust and how to reach it.
type SumDBConfig struct {
	// GOSUMDB is the database as go's GOSUMDB spells it: "sum.golang.org"
	// (also the default when empty), "sum.golang.google.cn",
	// "<name>+<hash>+<key>", or either followed by a space and the URL to
	// reach it at. "off" is refused: toolchain downloads need the database.
	GOSUMDB string
	// Proxies are the GOPROXY URLs in order. The first that answers 200 for
	// <proxy>/sumdb/<name>/supported serves the database; 404 and 410 move
	// on to the next; "direct" or "off", or the end of the list, means the
	// database's own URL. A URL in GOSUMDB bypasses proxies.
	Proxies []string
	// Client makes the requests; nil means a client with default settings.
	Client *http.Client
	// CacheDir keeps the latest verified tree head and the tiles and records
	// already checked, shared by concurrent gover processes.
	CacheDir string
}

// A SumDB checks module zips against a Go checksum database, with the
// transparency log proofs of golang.org/x/mod/sumdb.
type SumDB struct {
	key      string   // verifier key
	name     string   // database name, host[/path]
	direct   string   // https://<name>
	explicit string   // URL given in GOSUMDB, bypassing proxies
	proxies  []string // GOPROXY entries
	client   *http.Client
	cacheDir string

	mu   sync.Mutex
	base string // resolved URL prefix of the database, once known
}

// NewSumDB parses cfg. It does no I/O.
func NewSumDB(cfg SumDBConfig) (*SumDB, error) {
	gosumdb := strings.TrimSpace(cfg.GOSUMDB)
	switch gosumdb {
	case "":
		gosumdb = DefaultGOSUMDB
	case "off":
		return nil, exitcode.Usage(errors.New("GOSUMDB=off: toolchain downloads need the checksum database (go itself refuses them too)"), "unset GOSUMDB")
	}
	db, err := ParseGOSUMDB(gosumdb)
	if err != nil {
		return nil, exitcode.Usage(err, "")
	}
	key, name := db.Key, db.Name
	explicit := ""
	if db.Explicit {
		explicit = db.URL
	}
	direct, err := url.Parse("https://" + name)
	if err != nil || strings.HasSuffix(name, "/") || direct.Host == "" || direct.RawPath != "" ||
		*direct != (url.URL{Scheme: "https", Host: direct.Host, Path: direct.Path}) {
		return nil, exitcode.Usage(fmt.Errorf("invalid GOSUMDB %q: database name %q must be host[/path]", cfg.GOSUMDB, name), "")
	}
	// The name becomes a folder under CacheDir: no way out of it.
	for _, elem := range strings.Split(name, "/") {
		if elem == "" || elem == "." || elem == ".." || strings.ContainsAny(elem, `\`) {
			return nil, exitcode.Usage(fmt.Errorf("invalid GOSUMDB %q: database name %q must be host[/path]", cfg.GOSUMDB, name), "")
		}
	}
	if cfg.CacheDir == "" {
		return nil, errors.New("checksum database needs a cache folder")
	}
	client := cfg.Client
	if client == nil {
		return nil, errors.New("checksum database needs an HTTP client")
	}
	var proxies []string
	for _, p := range cfg.Proxies {
		if p = strings.TrimSpace(p); p != "" {
			proxies = append(proxies, strings.TrimRight(p, "/"))
		}
	}
	return &SumDB{
		key:      key,
		name:     name,
		direct:   direct.String(),
		explicit: explicit,
		proxies:  proxies,
		client:   client,
		cacheDir: cfg.CacheDir,
	}, nil
}

// Database is a checksum database as a GOSUMDB value names it.
type Database struct {
	Name     string // "sum.golang.org"
	Key      string // its verifier key, checked with note.NewVerifier
	URL      string // where it answers directly: GOSUMDB's URL, else https://<name>
	Explicit bool   // GOSUMDB gave the URL, so proxies are not asked for it
}

// ParseGOSUMDB reads a GOSUMDB value the way cmd/go/internal/modfetch does:
// "name+hash+key", or a name go knows (sum.golang.org, and
// sum.golang.google.cn, which serves sum.golang.org's database), optionally
// followed by the URL to reach it at. An empty value and "off" are errors
// here: what they mean is the caller's to say.
func ParseGOSUMDB(gosumdb string) (Database, error) {
	gosumdb = strings.TrimSpace(gosumdb)
	switch gosumdb {
	case "", "off":
		return Database{}, fmt.Errorf("GOSUMDB=%q names no checksum database", gosumdb)
	case "sum.golang.google.cn":
		gosumdb = DefaultGOSUMDB + " https://sum.golang.google.cn"
	}
	f := strings.Fields(gosumdb)
	if len(f) > 2 {
		return Database{}, fmt.Errorf("invalid GOSUMDB %q: want a name, a name+key, and optionally a URL", gosumdb)
	}
	key := f[0]
	if key == DefaultGOSUMDB {
		key = GoSumDBKey
	}
	if !strings.Contains(key, "+") {
		return Database{}, fmt.Errorf("invalid GOSUMDB %q: %s is not a database go knows by name; give its key as name+hash+key", gosumdb, key)
	}
	v, err := note.NewVerifier(key)
	if err != nil {
		return Database{}, fmt.Errorf("invalid GOSUMDB %q: the key is not valid: %w", gosumdb, err)
	}
	db := Database{Name: v.Name(), Key: key, URL: "https://" + v.Name()}
	if len(f) == 2 {
		u, err := url.Parse(f[1])
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return Database{}, fmt.Errorf("invalid GOSUMDB %q: %s is not an http or https URL", gosumdb, f[1])
		}
		db.URL, db.Explicit = strings.TrimRight(u.String(), "/"), true
	}
	return db, nil
}

// Name reports the database name, such as "sum.golang.org".
func (s *SumDB) Name() string { return s.name }

// Lookup returns the go.sum lines the database holds for module@version,
// each checked against the signed, append-only log. A version the database
// does not know is a not-found error, an unreachable database a plain error,
// and an answer that fails its proofs a verification error.
func (s *SumDB) Lookup(ctx context.Context, module, version string) ([]string, error) {
	ops := &clientOps{db: s, ctx: ctx}
	lines, err := sumdb.NewClient(ops).Lookup(module, version)
	if err != nil {
		return nil, ops.classify(module, version, err)
	}
	if len(lines) == 0 {
		return nil, exitcode.NotFound(fmt.Errorf("%s@%s: the checksum database %s has no hash for it", module, version, s.name), "")
	}
	return lines, nil
}

// CheckZip checks the module zip at zipPath against the database's h1 hash
// for module@version and returns that hash. The zip is hashed while the
// database answers.
func (s *SumDB) CheckZip(ctx context.Context, module, version, zipPath string) (h1 string, err error) {
	type result struct {
		h1  string
		err error
	}
	hashed := make(chan result, 1)
	go func() {
		h, err := HashZip(zipPath)
		hashed <- result{h, err}
	}()
	lines, lerr := s.Lookup(ctx, module, version)
	got := <-hashed
	if got.err != nil {
		if corruptZip(got.err) {
			return "", exitcode.Verify(fmt.Errorf("module zip %s for %s@%s is corrupt: %w", zipPath, module, version, got.err), "")
		}
		return "", fmt.Errorf("hashing module zip for %s@%s: %w", module, version, got.err)
	}
	if lerr != nil {
		return "", lerr
	}
	want := ""
	for _, line := range lines {
		f := strings.Fields(line)
		if len(f) == 3 && f[0] == module && f[1] == version && strings.HasPrefix(f[2], "h1:") {
			want = f[2]
			break
		}
	}
	if want == "" {
		return "", exitcode.NotFound(fmt.Errorf("%s@%s: the checksum database %s has no h1 hash for it", module, version, s.name), "")
	}
	if got.h1 != want {
		return "", exitcode.Verify(fmt.Errorf("checksum MISMATCH for %s@%s:\n\tchecksum database %s: %s\n\tdownloaded zip:    %s\nthe download is corrupt or was tampered with",
			module, version, s.name, want, got.h1), "")
	}
	return got.h1, nil
}

// resolveBase finds where the database is served, probing the proxies as
// cmd/go does, and remembers the answer. Failures are not remembered: the
// next lookup probes again.
func (s *SumDB) resolveBase(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.base != "" {
		return s.base, nil
	}
	if s.explicit != "" {
		s.base = s.explicit
		return s.base, nil
	}
	base := s.direct
	for _, p := range s.proxies {
		if p == "direct" || p == "off" {
			break
		}
		if !strings.HasPrefix(p, "https://") && !strings.HasPrefix(p, "http://") {
			continue
		}
		prefix := p + "/sumdb/" + s.name
		_, status, err := s.get(ctx, prefix+"/supported")
		if err == nil {
			base = prefix
			break
		}
		if status == http.StatusNotFound || status == http.StatusGone {
			continue
		}
		return "", err
	}
	s.base = base
	return s.base, nil
}

// get fetches u, returning the HTTP status alongside any error so callers
// can tell "not here" from "broken".
func (s *SumDB) get(ctx context.Context, u string) ([]byte, int, error) {
	ctx, cancel := context.WithTimeout(ctx, remoteTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("checksum database unreachable: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRemoteBody+1))
	if err != nil {
		return nil, resp.StatusCode, fmt.Errorf("checksum database: reading %s: %w", u, err)
	}
	if len(body) > maxRemoteBody {
		return nil, resp.StatusCode, fmt.Errorf("checksum database: %s: answer larger than %d bytes", u, maxRemoteBody)
	}
	if resp.StatusCode != http.StatusOK {
		msg := strings.TrimSpace(string(body))
		if len(msg) > 200 {
			msg = msg[:200] + "..."
		}
		return nil, resp.StatusCode, fmt.Errorf("checksum database: GET %s: %s: %s", u, resp.Status, msg)
	}
	return body, resp.StatusCode, nil
}
