package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gover/gover/store/download"
	"github.com/gover/gover/store/extract"
	"github.com/gover/gover/store/verify"
)

func (j *job) scratch(name string) (string, error) {
	dir, err := j.tx.Scratch()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, name), nil
}

// get brings a's archive to disk: from the download cache when it holds a
// copy of this very URL, else from the network, checked against want
// either way (a cached copy is hashed again while it is unpacked).
func (j *job) get(ctx context.Context, a *artifact, filename string, want download.Expect) error {
	if j.fromCache(a, filename, want.SHA256) {
		if a.asc != nil {
			a.pending = append(a.pending, j.signatureCheck(a.asc, a.ascURL))
		}
		return nil
	}
	dst, err := j.scratch(filename)
	if err != nil {
		return err
	}
	res, err := j.fetch(ctx, a.url, dst, want, a)
	if err != nil {
		return err
	}
	a.path, a.size, a.sha256 = res.Path, res.Size, res.SHA256
	return nil
}

// discard drops a downloaded archive that will not be installed, and what
// was extracted of it.
func (j *job) discard(a *artifact) {
	if !a.cached && a.path != "" {
		os.Remove(a.path)
	}
	resetDir(j.tx.Dir())
}

// fetch downloads url into dst. A .tar.gz is extracted into the
// transaction's folder while it downloads, so inflating and writing the
// tree overlap with the transfer and its hashing; a.extracted says so. The
// tree stays hidden under the partial marker, and every check still has to
// pass before Commit: a hash mismatch is known at the end of the stream.
// On failure dst and anything extracted are removed.
//
// The archive is written to dst, and its signature (a.asc) checked, by a
// side goroutine fed from the stream: the file is kept for the cache, and
// neither writing it nor hashing it for the signature delays inflating,
// which bounds how fast a .tar.gz installs.
func (j *job) fetch(ctx context.Context, url, dst string, want download.Expect, a *artifact) (download.Result, error) {
	if !strings.HasSuffix(dst, ".tar.gz") {
		res, err := j.in.Downloader.Fetch(ctx, url, dst, want)
		if err != nil {
			os.Remove(dst)
		}
		if err == nil && a.asc != nil {
			a.pending = append(a.pending, j.signatureCheck(a.asc, a.ascURL))
		}
		return res, err
	}
	f, err := os.Create(dst)
	if err != nil {
		return download.Result{}, err
	}
	var sv *verify.StreamVerifier
	out := io.Writer(f)
	if a.asc != nil {
		if kr, kerr := j.keyring(); kerr == nil {
			sv = kr.StreamVerifier(a.asc)
			out = io.MultiWriter(f, sv)
		}
	}
	side := newSideWriter(out)
	var xerr error
	res, err := j.in.Downloader.Stream(ctx, url, want, func(r io.Reader) error {
		var st extract.Stats
		st, xerr = extract.TarGz(ctx, io.TeeReader(r, side), j.tx.Dir(), extractOptions(a))
		a.sums = fileSums(st.Sums)
		// The rest of the file (what follows the tar end-of-archive
		// marker, or all that follows a broken entry) is still read:
		// a corrupt download must end as a checksum mismatch, the
		// verification failure it is, not as a tar error.
		_, err := io.Copy(side, r)
		return err
	})
	// A failed archive write (a full disk) stopped the stream with
	// errSideWriter; say what actually failed.
	if cerr := side.Close(); cerr != nil && (err == nil || errors.Is(err, errSideWriter) || errors.Is(xerr, errSideWriter)) {
		err, xerr = cerr, nil
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case sv != nil && err == nil:
		sig, serr := sv.Finish()
		a.pending = append(a.pending, j.streamedSignature(sig, serr, a.ascURL))
	case sv != nil:
		sv.Abort()
	case a.asc != nil && err == nil:
		a.pending = append(a.pending, j.signatureCheck(a.asc, a.ascURL))
	}
	if err == nil && xerr != nil {
		err = fmt.Errorf("extracting %s: %w", filepath.Base(dst), xerr)
	}
	if err != nil {
		os.Remove(dst)
		if rerr := resetDir(j.tx.Dir()); rerr != nil {
			return download.Result{}, rerr
		}
		return download.Result{}, err
	}
	res.Path = dst
	a.extracted = true
	return res, nil
}

// fetchSHA256 reads a .sha256 file: the hex digest, optionally followed by a
// file name as sha256sum writes it.
func (j *job) fetchSHA256(ctx context.Context, url string) (string, error) {
	data, err := listDownloader(j.in.Downloader).GetBytes(ctx, url, 4096)
	if err != nil {
		return "", err
	}
	return parseSHA256File(data)
}

func parseSHA256File(data []byte) (string, error) {
	f := strings.Fields(string(data))
	if len(f) == 0 || !isSHA256Hex(f[0]) {
		return "", errors.New("malformed .sha256 file")
	}
	return strings.ToLower(f[0]), nil
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
