package download

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gover/gover/internal/exitcode"
)

// ErrNotFound reports that the server does not have the file: HTTP 404 or
// 410, or 403, which module proxies answer for a toolchain they refuse to
// serve ("not available"). It is never retried; a source falls back to the
// next one on errors.Is(err, ErrNotFound).
var ErrNotFound = errors.New("not found")

// ErrHTML reports that a server answered with an HTML page where a file was
// expected: a captive portal, a proxy's login page, an error page served
// with status 200. It is never retried, and it is not a verification
// failure: the caller moves on to its next source.
var ErrHTML = errors.New("an HTML page answered instead of the file")

// ErrTooLarge reports a file larger than Expect.MaxSize allows. It carries
// exit code 3: the answer cannot be what was asked for.
var ErrTooLarge = errors.New("too large")

var (
	errConsumed = errors.New("stream consumer finished")
	errStalled  = errors.New("stalled")
	errTrickle  = errors.New("too slow")
)

// temporaryError is a failure worth retrying.
type temporaryError struct{ err error }

func (e *temporaryError) Error() string { return e.err.Error() }
func (e *temporaryError) Unwrap() error { return e.err }

type retryAfterError struct {
	temporaryError
	after time.Duration
}

func retryable(err error) bool {
	var t *temporaryError
	var ra *retryAfterError
	return errors.As(err, &t) || errors.As(err, &ra)
}

// netError classifies a transport error: everything is worth retrying
// except the caller's own cancellation.
func netError(ctx context.Context, err error) error {
	switch cause := context.Cause(ctx); cause {
	case errStalled:
		return &temporaryError{fmt.Errorf("no data for too long: %w", errStalled)}
	case errTrickle:
		return &temporaryError{fmt.Errorf("data arrives too slowly (under the minimum rate for too long): %w", errTrickle)}
	}
	if ctx.Err() != nil {
		return err
	}
	return &temporaryError{err}
}

// statusError turns an unexpected HTTP status into an error, with the
// start of the body when it is short text (proxies explain themselves).
func statusError(url string, resp *http.Response) error {
	msg := fmt.Sprintf("GET %s: %s", url, resp.Status)
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if text := strings.TrimSpace(string(b)); text != "" && !strings.ContainsAny(text, "<\x00") {
		text, _, _ = strings.Cut(text, "\n")
		msg += ": " + text
	}
	switch code := resp.StatusCode; {
	case code == http.StatusNotFound || code == http.StatusGone || code == http.StatusForbidden:
		return exitcode.NotFound(notFoundError(msg), "")
	case code == http.StatusTooManyRequests || code >= 500:
		after := retryAfter(resp.Header.Get("Retry-After"))
		return &retryAfterError{temporaryError{errors.New(msg)}, after}
	}
	return errors.New(msg)
}

func retryAfter(v string) time.Duration {
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second
	}
	return 0
}

// looksHTML reports whether the first bytes of a body are an HTML page:
// "<!DOCTYPE html" or "<html" whatever the Content-Type, or any markup
// under a text/html one. No file gover downloads starts with "<".
func looksHTML(first []byte, htmlType bool) bool {
	t := strings.ToLower(strings.TrimLeft(string(first[:min(len(first), 512)]), " \t\r\n\ufeff"))
	if htmlType && strings.HasPrefix(t, "<") {
		return true
	}
	return strings.HasPrefix(t, "<!doctype html") || strings.HasPrefix(t, "<html")
}

func htmlError(url string) error {
	return fmt.Errorf("%s: %w (a captive portal or a login page? sign in to the network in a browser, or check HTTPS_PROXY)", url, ErrHTML)
}

// TooLarge is the error for a file at url over max bytes: [ErrTooLarge]
// with exit code 3.
func TooLarge(url string, max int64) error {
	return exitcode.Verify(fmt.Errorf("%s is larger than the limit of %d bytes (%w); it cannot be a Go release", url, max, ErrTooLarge), "")
}

type notFoundError string

func (e notFoundError) Error() string        { return string(e) }
func (e notFoundError) Is(target error) bool { return target == ErrNotFound }
