package release

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/gover/gover/internal/exitcode"
)

// Size caps: a checksums file is a few lines, a release archive a few
// megabytes. A server sending more is broken or hostile.
const (
	maxChecksums = 1 << 20
	maxLatest    = 4 << 10
	maxArchive   = 256 << 20
)

// Source is a place gover releases are published: GitHub or a mirror with
// the same layout (see the package comment).
type Source struct {
	BaseURL string       // such as DefaultBaseURL; no trailing slash needed
	Client  *http.Client // follows redirects (GitHub serves downloads from elsewhere)
}

// Archive is a downloaded release archive whose SHA-256 matched the
// release's checksums file.
type Archive struct {
	Path    string // the file, named as in the release
	Version string
	SHA256  string // lowercase hex
}

func (s Source) base() string { return strings.TrimSuffix(s.BaseURL, "/") }

// errNotFound is what get returns for an HTTP 404.
var errNotFound = errors.New("not found")

// get fetches url and returns the response with a 200 status, or an error.
// The caller closes the body.
func (s Source) get(ctx context.Context, url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		if resp.StatusCode == http.StatusNotFound {
			return nil, fmt.Errorf("%s: %w", url, errNotFound)
		}
		return nil, fmt.Errorf("%s: %s", url, resp.Status)
	}
	return resp, nil
}

// readAll reads at most limit bytes of a response body, failing beyond it.
func readAll(resp *http.Response, limit int64) ([]byte, error) {
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", resp.Request.URL, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", resp.Request.URL, limit)
	}
	return data, nil
}

// Latest reports the newest released version, without the "v". GitHub
// redirects B/latest to B/tag/v1.2.3 and the tag is read from the final
// URL; a mirror serves a text file whose first line is the tag.
func (s Source) Latest(ctx context.Context) (string, error) {
	url := s.base() + "/latest"
	resp, err := s.get(ctx, url)
	if err != nil {
		if errors.Is(err, errNotFound) {
			return "", exitcode.NotFound(fmt.Errorf("no gover release found at %s", s.base()), "")
		}
		return "", fmt.Errorf("finding the latest gover release: %w", err)
	}
	if _, tag, ok := strings.Cut(resp.Request.URL.Path, "/tag/"); ok {
		resp.Body.Close()
		v, err := ParseVersion(tag)
		if err != nil {
			return "", fmt.Errorf("%s redirected to %s: %w", url, resp.Request.URL, err)
		}
		return v, nil
	}
	data, err := readAll(resp, maxLatest)
	if err != nil {
		return "", fmt.Errorf("finding the latest gover release: %w", err)
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(data)), "\n")
	v, err := ParseVersion(line)
	if err != nil {
		return "", fmt.Errorf("%s does not name a release: %w", url, err)
	}
	return v, nil
}

// Fetch downloads version's archive for p into dir and checks its SHA-256
// against the release's checksums file. On any failure nothing is left in
// dir. A release that does not exist, or has no archive for p, is a
// not-found error; a digest that does not match is a verification error.
func (s Source) Fetch(ctx context.Context, version string, p Platform, dir string) (*Archive, error) {
	version, err := ParseVersion(version)
	if err != nil {
		return nil, exitcode.Usage(err, "")
	}
	name := ArchiveName(version, p)
	sumsName := ChecksumsName(version)

	resp, err := s.get(ctx, DownloadURL(s.base(), version, sumsName))
	if err != nil {
		if errors.Is(err, errNotFound) {
			return nil, exitcode.NotFound(fmt.Errorf("gover %s is not released at %s: %w", version, s.base(), err), "gover self-update --check")
		}
		return nil, fmt.Errorf("downloading the checksums of gover %s: %w", version, err)
	}
	data, err := readAll(resp, maxChecksums)
	if err != nil {
		return nil, fmt.Errorf("downloading the checksums of gover %s: %w", version, err)
	}
	sums, err := ParseChecksums(data)
	if err != nil {
		return nil, exitcode.Verify(fmt.Errorf("%s: %w", sumsName, err), "")
	}
	want, ok := sums[name]
	if !ok {
		return nil, exitcode.NotFound(fmt.Errorf("gover %s has no release for %s (%s lists no %s)", version, p, sumsName, name), "")
	}

	url := DownloadURL(s.base(), version, name)
	resp, err = s.get(ctx, url)
	if err != nil {
		if errors.Is(err, errNotFound) {
			return nil, exitcode.NotFound(fmt.Errorf("gover %s for %s is listed but missing: %w", version, p, err), "")
		}
		return nil, fmt.Errorf("downloading gover %s: %w", version, err)
	}
	defer resp.Body.Close()

	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(resp.Body, maxArchive+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > maxArchive {
		err = fmt.Errorf("larger than %d bytes", maxArchive)
	}
	if err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("downloading %s: %w", url, err)
	}
	got := hex.EncodeToString(h.Sum(nil))
	if got != want {
		os.Remove(path)
		return nil, exitcode.Verify(fmt.Errorf("checksum mismatch for %s: downloaded sha256 %s, %s lists %s; nothing was changed", name, got, sumsName, want), "")
	}
	return &Archive{Path: path, Version: version, SHA256: got}, nil
}
