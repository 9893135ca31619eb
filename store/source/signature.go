package source

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/store/download"
	"github.com/gover/gover/store/verify"
)

// SignatureError is a .tar.gz whose .asc could not be fetched for a reason
// other than "not found": a server error or a network failure that outlived
// the retries. The install fails closed rather than settling for less.
type SignatureError struct {
	URL string
	Err error
}

func (e *SignatureError) Error() string {
	return fmt.Sprintf("cannot fetch the signature %s: %v; refusing to install without it", e.URL, e.Err)
}

func (e *SignatureError) Unwrap() error { return e.Err }

// signature fetches url.asc, before the archive so that the signature can
// be checked on the download stream. It comes from the download cache when
// the cached archive of url came with it. missing reports a 404 (the caller
// decides what that is worth); an HTML page is "this source failed"; any
// other failure is a [SignatureError] with exit code 3.
func (j *job) signature(ctx context.Context, url string) (asc []byte, missing bool, err error) {
	if asc := j.cachedSignature(url); asc != nil {
		return asc, false, nil
	}
	asc, err = listDownloader(j.in.Downloader).GetBytes(ctx, url+".asc", 64<<10)
	switch {
	case err == nil:
		return asc, false, nil
	case notFound(err):
		return nil, true, nil
	case ctx.Err() != nil:
		return nil, false, ctx.Err()
	case errors.Is(err, download.ErrHTML):
		return nil, false, err
	}
	return nil, false, exitcode.Verify(&SignatureError{URL: url + ".asc", Err: err}, "gover install "+j.v.String()+" again once the server answers, or gover install --source proxy "+j.v.String())
}

// keyring is the key release signatures are checked against.
func (j *job) keyring() (*verify.Keyring, error) {
	if j.in.Keyring != nil {
		return j.in.Keyring, nil
	}
	return verify.GoogleKeyring()
}

// streamedSignature reports a signature checked on the download stream.
func (j *job) streamedSignature(sig verify.Signature, err error, what string) check {
	return func(ctx context.Context, a *artifact) (string, error) {
		if err != nil {
			return "", fmt.Errorf("%s: %w", what, err)
		}
		return "pgp:" + sig.Fingerprint, nil
	}
}

// signatureCheck checks asc over the archive on disk.
func (j *job) signatureCheck(asc []byte, what string) check {
	return func(ctx context.Context, a *artifact) (string, error) {
		kr, err := j.keyring()
		if err != nil {
			return "", err
		}
		f, err := os.Open(a.path)
		if err != nil {
			return "", err
		}
		defer f.Close()
		sig, err := kr.VerifyDetached(f, asc)
		if err != nil {
			return "", fmt.Errorf("%s: %w", what, err)
		}
		return "pgp:" + sig.Fingerprint, nil
	}
}
