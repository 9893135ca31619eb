package release

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/store/download"
	"github.com/gover/gover/store/verify"
	"github.com/gover/gover/versions"
)

// Size caps: a checksums file and its signature are a few lines, a release
// archive a few megabytes. A server sending more is broken or hostile.
const (
	maxChecksums = 1 << 20
	maxSignature = 64 << 10
	maxLatest    = 4 << 10
	maxArchive   = 256 << 20
)

// Source is a place gover releases are published: GitHub or a mirror with
// the same layout (see the package comment). Every URL it fetches, redirects
// included, must be https (or http on loopback, for tests), and every release
// must carry a signature by one of Keys.
type Source struct {
	BaseURL string // such as DefaultBaseURL; no trailing slash needed
	// Download fetches every file, with retries, resumption, stall
	// detection and progress. It is required, with its Client: the one
	// client main builds (with timeouts), which must follow redirects
	// (GitHub serves downloads from elsewhere).
	Download *download.Downloader
	// Keys are the OpenPGP keys a release's checksums file must be signed
	// with. Nil means [PinnedKeys], the keys built into gover; tests set
	// their own here. No environment variable or flag can change them.
	Keys []*verify.Keyring
}

// Archive is a downloaded release archive whose SHA-256 matched the
// release's checksums file, whose signature verified.
type Archive struct {
	Path    string // the file, named as in the release
	Version string
	SHA256  string // lowercase hex
	// SignedBy is the fingerprint of the release key that signed the
	// checksums file.
	SignedBy string
}

func (s Source) base() string { return strings.TrimSuffix(s.BaseURL, "/") }

// CheckBase refuses a base URL that is not https (or loopback http).
func (s Source) CheckBase() error {
	if err := download.RequireHTTPS(s.base()); err != nil {
		return exitcode.Verify(fmt.Errorf("refusing to update gover from %w", err), "gover self-update --base-url https://...")
	}
	return nil
}

// redirects records where the last request ended up, refusing any redirect
// that leaves https.
type redirects struct {
	mu   sync.Mutex
	last string
}

// downloader returns s.Download with a client that refuses redirects to
// plain http and records the final URL of each request in r.
func (s Source) downloader(r *redirects) *download.Downloader {
	if s.Download == nil || s.Download.Client == nil {
		// A programming error: main builds the one client and hands it on.
		panic("release: Source.Download with a Client is required")
	}
	d := *s.Download
	c := *d.Client
	next := c.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := download.RequireHTTPS(req.URL.String()); err != nil {
			return exitcode.Verify(fmt.Errorf("%s redirected to %w", via[0].URL, err), "")
		}
		if next != nil {
			if err := next(req, via); err != nil {
				return err
			}
		} else if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		r.mu.Lock()
		r.last = req.URL.String()
		r.mu.Unlock()
		return nil
	}
	d.Client = &c
	return &d
}

func (s Source) keys() ([]*verify.Keyring, error) {
	if s.Keys != nil {
		return s.Keys, nil
	}
	return PinnedKeys()
}

// Latest reports the newest released version, without the "v". GitHub
// redirects B/latest to B/tag/v1.2.3 and the tag is read from the final
// URL; a mirror serves a text file whose first line is the tag.
func (s Source) Latest(ctx context.Context) (string, error) {
	if err := s.CheckBase(); err != nil {
		return "", err
	}
	url := s.base() + "/latest"
	var r redirects
	d := s.downloader(&r)
	q := *d
	q.Progress = nil
	data, err := q.GetBytes(ctx, url, maxLatest)
	if _, tag, ok := strings.Cut(r.last, "/tag/"); ok {
		// GitHub's tag page is HTML of any size: the URL says it all.
		v, perr := ParseVersion(tag)
		if perr != nil {
			return "", fmt.Errorf("%s redirected to %s: %w", url, r.last, perr)
		}
		return v, nil
	}
	if err != nil {
		if errors.Is(err, download.ErrNotFound) {
			return "", exitcode.NotFound(fmt.Errorf("no gover release found at %s", s.base()), "")
		}
		return "", fmt.Errorf("finding the latest gover release: %w", err)
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(data)), "\n")
	v, err := ParseVersion(line)
	if err != nil {
		return "", fmt.Errorf("%s does not name a release: %w", url, err)
	}
	return v, nil
}

// Fetch downloads version's archive for p into dir and verifies it before
// anything in it is used: the checksums file must carry a valid signature by
// one of the release keys, and the archive's SHA-256 must be the one it
// lists. On any failure nothing is left in dir. A release that does not
// exist, or has no archive for p, is a not-found error; a missing or bad
// signature and a digest that does not match are verification errors.
func (s Source) Fetch(ctx context.Context, version string, p versions.Platform, dir string) (*Archive, error) {
	version, err := ParseVersion(version)
	if err != nil {
		return nil, exitcode.Usage(err, "")
	}
	if err := s.CheckBase(); err != nil {
		return nil, err
	}
	keys, err := s.keys()
	if err != nil {
		return nil, err
	}
	var r redirects
	d := s.downloader(&r)
	quiet := *d
	quiet.Progress = nil
	name := ArchiveName(version, p)
	sumsName := ChecksumsName(version)
	sigName := SignatureName(version)

	data, err := quiet.GetBytes(ctx, DownloadURL(s.base(), version, sumsName), maxChecksums)
	if err != nil {
		if errors.Is(err, download.ErrNotFound) {
			return nil, exitcode.NotFound(fmt.Errorf("gover %s is not released at %s: %w", version, s.base(), err), "gover self-update --check")
		}
		return nil, fmt.Errorf("downloading the checksums of gover %s: %w", version, err)
	}
	asc, err := quiet.GetBytes(ctx, DownloadURL(s.base(), version, sigName), maxSignature)
	if err != nil {
		if errors.Is(err, download.ErrNotFound) {
			return nil, exitcode.Verify(fmt.Errorf("gover %s at %s is not signed (no %s); refusing it, nothing was changed", version, s.base(), sigName), "")
		}
		return nil, fmt.Errorf("downloading the signature of gover %s: %w", version, err)
	}
	sig, err := verify.VerifyDetachedAny(keys, data, asc)
	if err != nil {
		return nil, exitcode.Verify(fmt.Errorf("%s: %w; nothing was changed", sumsName, err), "")
	}
	sums, err := ParseChecksums(data)
	if err != nil {
		return nil, exitcode.Verify(fmt.Errorf("%s: %w", sumsName, err), "")
	}
	want, ok := sums[name]
	if !ok {
		return nil, exitcode.NotFound(fmt.Errorf("gover %s has no release for %s (%s lists no %s)", version, p, sumsName, name), "")
	}

	path := filepath.Join(dir, name)
	url := DownloadURL(s.base(), version, name)
	res, err := d.Fetch(ctx, url, path, download.Expect{SHA256: want, MaxSize: maxArchive})
	if err != nil {
		os.Remove(path)
		switch {
		case errors.Is(err, download.ErrNotFound):
			return nil, exitcode.NotFound(fmt.Errorf("gover %s for %s is listed but missing: %w", version, p, err), "")
		case errors.Is(err, download.ErrTooLarge):
			return nil, err
		case exitcode.Code(err) == exitcode.CodeVerify:
			return nil, exitcode.Verify(fmt.Errorf("checksum mismatch for %s (%s lists %s): %w; nothing was changed", name, sumsName, want, err), "")
		}
		return nil, fmt.Errorf("downloading gover %s: %w", version, err)
	}
	return &Archive{Path: path, Version: version, SHA256: res.SHA256, SignedBy: sig.Primary}, nil
}
