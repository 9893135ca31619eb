// Package download fetches release archives and their small companions
// (index JSON, .sha256, .asc) over HTTP, with the checks a verified install
// needs: SHA-256 and size computed on the fly, resumption with HTTP Range
// after a dropped connection, retries with backoff, and a stall detector in
// place of an overall timeout, so a slow but moving download is never
// killed.
//
//	d := &download.Downloader{Client: client, Progress: os.Stderr, Terminal: isTTY}
//	res, err := d.Fetch(ctx, url, filepath.Join(tmp, "go1.22.5.linux-amd64.tar.gz"),
//		download.Expect{Size: 68_000_000, SHA256: "904b92..."})
//	if errors.Is(err, download.ErrNotFound) {
//		// try the next source
//	}
//
// Extracting while downloading:
//
//	res, err := d.Stream(ctx, url, want, func(r io.Reader) error {
//		_, err := extract.TarGz(ctx, r, partial, opt)
//		return err
//	})
//
// A mismatch in size or hash is a verification failure
// (internal/exitcode.CodeVerify) that names the URL and both values.
// Proxy settings are the client's: gover's client uses
// http.ProxyFromEnvironment.
package download

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
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

// Defaults for a zero Downloader.
const (
	DefaultRetries = 4
	DefaultStall   = 30 * time.Second
	// DefaultMinRate is the slowest transfer, in bytes per second averaged
	// over a Stall window, that is not a stall: 1 KiB/s, 30 KiB per 30 s.
	DefaultMinRate = 1 << 10
)

// Downloader downloads files. Client is required; the rest may be left
// zero.
type Downloader struct {
	Client *http.Client
	// Retries is how many times a failed attempt is retried: network
	// errors, stalls, HTTP 5xx and 429. Zero means DefaultRetries, negative
	// means none. An attempt that moved the download forward resets the
	// count, so a long download on a flaky line keeps going.
	Retries int
	// Backoff is the wait before retry number attempt (1, 2, ...). Nil
	// means exponential from 500ms up to 10s, with jitter.
	Backoff func(attempt int) time.Duration
	// Stall is how long a transfer may go without a byte (or without a
	// response) before the connection is dropped and the transfer
	// resumed. Zero means DefaultStall.
	Stall time.Duration
	// MinRate is in bytes per second: a transfer that delivers fewer than
	// MinRate × Stall bytes within a Stall window is trickling (a proxy
	// sending a byte now and then) and is treated as stalled. Zero means
	// DefaultMinRate; negative means only silence is a stall.
	MinRate int64
	// Progress receives progress output; nil keeps the Downloader silent.
	Progress io.Writer
	// Terminal draws a progress bar on Progress instead of plain lines.
	Terminal bool
	// ProgressEvery is how often a plain line tells how far a download
	// got when Progress is not a terminal (a CI log). Zero means
	// DefaultProgressEvery.
	ProgressEvery time.Duration
}

// DefaultProgressEvery spaces the plain progress lines of a long download.
const DefaultProgressEvery = 5 * time.Second

// Expect is what the caller knows about a file; zero fields are not checked.
// SHA256 is hex.
type Expect struct {
	Size   int64
	SHA256 string
	// MaxSize refuses a file larger than this many bytes, as soon as the
	// server announces it or the bytes arrive ([ErrTooLarge]).
	MaxSize int64
}

// Result describes a completed download. Path is empty for Stream.
type Result struct {
	Path   string
	Size   int64
	SHA256 string
}

// Fetch downloads url into the file dst, which it creates or truncates, and
// checks it against want. On any failure dst is removed.
func (d *Downloader) Fetch(ctx context.Context, url, dst string, want Expect) (res Result, err error) {
	f, err := os.OpenFile(dst, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return Result{}, err
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			os.Remove(dst)
			res = Result{}
		}
	}()
	s := &fileSink{f: f}
	res, err = d.transfer(ctx, url, want, s)
	res.Path = dst
	return res, err
}

// Stream downloads url and hands the body to consume as one continuous
// reader, checking it against want. consume runs on its own goroutine.
//
// A dropped connection is resumed with HTTP Range behind consume's back: it
// sees one unbroken stream. If the server cannot resume, the body is fetched
// again and the part consume already has is read past, after checking that
// it is the same bytes. If consume returns before the end, the rest is still
// downloaded so that the hash covers the whole file.
//
// A size or hash mismatch is only known at the end, after consume has seen
// everything: the caller must treat what consume produced as unverified
// until Stream returns nil.
func (d *Downloader) Stream(ctx context.Context, url string, want Expect, consume func(r io.Reader) error) (Result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := consume(pr)
		if err != nil {
			cancel()
		}
		// Later writes are hashed and dropped (see pipeSink).
		pr.CloseWithError(errConsumed)
		done <- err
	}()
	s := &pipeSink{w: pw}
	res, err := d.transfer(ctx, url, want, s)
	pw.CloseWithError(err) // nil: consume sees io.EOF
	cerr := <-done
	switch {
	case err != nil && (cerr == nil || errors.Is(cerr, err)):
		// The transfer failed first, and consume saw it.
		return Result{}, err
	case cerr != nil:
		// consume failed first and cancelled the transfer.
		return Result{}, cerr
	}
	return res, nil
}

// GetBytes downloads a small file (an index, a checksum, a signature) into
// memory, refusing more than limit bytes. The same retry and resume rules
// apply; it prints no progress.
func (d *Downloader) GetBytes(ctx context.Context, url string, limit int64) ([]byte, error) {
	s := &memSink{limit: limit, url: url}
	quiet := *d
	quiet.Progress = nil
	if _, err := quiet.transfer(ctx, url, Expect{}, s); err != nil {
		return nil, err
	}
	return s.buf, nil
}

var (
	errConsumed = errors.New("stream consumer finished")
	errStalled  = errors.New("stalled")
	errTrickle  = errors.New("too slow")
)

// sink receives the body. reset starts over from byte 0 (a server that
// cannot resume); it reports false if the sink cannot go back.
type sink interface {
	io.Writer
	reset() bool
}

type fileSink struct{ f *os.File }

func (s *fileSink) Write(p []byte) (int, error) { return s.f.Write(p) }
func (s *fileSink) reset() bool {
	if err := s.f.Truncate(0); err != nil {
		return false
	}
	_, err := s.f.Seek(0, io.SeekStart)
	return err == nil
}

type pipeSink struct {
	w        *io.PipeWriter
	consumed bool
}

func (s *pipeSink) Write(p []byte) (int, error) {
	if s.consumed {
		return len(p), nil
	}
	n, err := s.w.Write(p)
	if errors.Is(err, errConsumed) {
		s.consumed = true
		return len(p), nil
	}
	return n, err
}
func (s *pipeSink) reset() bool { return false }

type memSink struct {
	buf   []byte
	limit int64
	url   string
}

func (s *memSink) Write(p []byte) (int, error) {
	if int64(len(s.buf)+len(p)) > s.limit {
		return 0, fmt.Errorf("%s is larger than %d bytes", s.url, s.limit)
	}
	s.buf = append(s.buf, p...)
	return len(p), nil
}
func (s *memSink) reset() bool { s.buf = s.buf[:0]; return true }

// sinkError marks a failure of the sink (disk full, consumer gone), which
// retrying the network cannot fix.
type sinkError struct{ err error }

func (e sinkError) Error() string { return e.err.Error() }
func (e sinkError) Unwrap() error { return e.err }

// state is a transfer in progress.
type state struct {
	url  string
	want Expect
	sink sink

	h         hash.Hash
	offset    int64  // bytes delivered to the sink
	total     int64  // full size when the server said, else -1
	validator string // ETag or Last-Modified of what we have, for If-Range
	skip      int64  // bytes of a restarted body to read past (Stream)
	prefixSum []byte // hash of the first skip bytes, to check them again
	skipHash  hash.Hash
}

func (d *Downloader) transfer(ctx context.Context, url string, want Expect, sk sink) (Result, error) {
	st := &state{url: url, want: want, sink: sk, h: sha256.New(), total: -1}
	p := d.newProgress(url)
	failures := 0
	for {
		before := st.offset
		err := d.attempt(ctx, st, p)
		if err == nil {
			break
		}
		if !retryable(err) || ctx.Err() != nil {
			p.abort()
			return Result{}, err
		}
		if st.offset-before >= d.window() {
			failures = 0 // real progress, not a trickle
		}
		failures++
		if failures > d.retries() {
			p.abort()
			return Result{}, fmt.Errorf("%w (gave up after %d attempts)", err, failures)
		}
		wait := d.backoff(failures)
		if err == errRetryNow {
			wait = 0
		}
		var ra *retryAfterError
		if errors.As(err, &ra) && ra.after > wait {
			wait = min(ra.after, time.Minute)
		}
		p.retry(err, wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			p.abort()
			return Result{}, ctx.Err()
		case <-t.C:
		}
	}
	sum := hex.EncodeToString(st.h.Sum(nil))
	if want.Size > 0 && st.offset != want.Size {
		p.abort()
		return Result{}, sizeMismatch(url, want.Size, st.offset)
	}
	if want.SHA256 != "" && !strings.EqualFold(want.SHA256, sum) {
		p.abort()
		return Result{}, exitcode.Verify(fmt.Errorf("sha256 mismatch for %s: expected %s, got %s", url, strings.ToLower(want.SHA256), sum), "")
	}
	p.done(st.offset)
	return Result{Size: st.offset, SHA256: sum}, nil
}

func sizeMismatch(url string, want, got int64) error {
	return exitcode.Verify(fmt.Errorf("size mismatch for %s: expected %d bytes, got %d", url, want, got), "")
}

// attempt makes one request and copies what it gets into the sink. It
// returns nil once the whole body has arrived.
func (d *Downloader) attempt(ctx context.Context, st *state, p *progress) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stall, window := d.stall(), d.window()
	var moved atomic.Int64 // bytes since the watchdog was last reset
	watchdog := time.AfterFunc(stall, func() {
		if moved.Load() > 0 {
			cancel(errTrickle)
		} else {
			cancel(errStalled)
		}
	})
	defer watchdog.Stop()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, st.url, nil)
	if err != nil {
		return err
	}
	// Byte offsets must mean the same thing in every request: no
	// transparent decompression.
	req.Header.Set("Accept-Encoding", "identity")
	if st.skip > 0 {
		// A restarted body broke off again: read past the prefix anew.
		st.skip = st.offset
		st.skipHash.Reset()
	}
	ranged := st.offset > 0 && st.skip == 0
	if ranged {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", st.offset))
		if st.validator != "" {
			req.Header.Set("If-Range", st.validator)
		}
	}
	resp, err := d.client().Do(req)
	if err != nil {
		return netError(ctx, err)
	}
	defer resp.Body.Close()

	switch {
	case resp.StatusCode == http.StatusOK:
		if st.offset > 0 && st.skip == 0 {
			// The server ignored our Range, or the file changed (If-Range).
			if err := st.restart(); err != nil {
				return err
			}
		}
		st.total = resp.ContentLength
		st.validator = validator(resp)
	case resp.StatusCode == http.StatusPartialContent && ranged:
		start, total, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if !ok || start != st.offset {
			// Not the range we asked for: start over without one.
			if err := st.restart(); err != nil {
				return err
			}
			return errRetryNow
		}
		st.total = total
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable && ranged:
		if err := st.restart(); err != nil {
			return err
		}
		return errRetryNow
	default:
		return statusError(st.url, resp)
	}
	if st.want.Size > 0 && st.total >= 0 && st.total != st.want.Size {
		return sizeMismatch(st.url, st.want.Size, st.total)
	}
	if st.want.MaxSize > 0 && st.total > st.want.MaxSize {
		return TooLarge(st.url, st.want.MaxSize)
	}
	fresh := st.offset == 0 && st.skip == 0
	html := strings.HasPrefix(strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Type"))), "text/html")
	p.start(st.total, st.offset)

	buf := make([]byte, 128<<10)
	for {
		n, rerr := resp.Body.Read(buf)
		if n > 0 && fresh {
			fresh = false
			if looksHTML(buf[:n], html) {
				return htmlError(st.url)
			}
		}
		if n > 0 {
			if moved.Add(int64(n)) >= window {
				moved.Store(0)
				watchdog.Reset(stall)
			}
			if err := st.deliver(buf[:n]); err != nil {
				return err
			}
			p.add(st.offset)
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return netError(ctx, rerr)
		}
	}
	if st.skip > 0 {
		return fmt.Errorf("%s: body ended before the %d bytes already received", st.url, st.skip)
	}
	if st.total >= 0 && st.offset < st.total {
		return netError(ctx, io.ErrUnexpectedEOF)
	}
	return nil
}

// errRetryNow asks for another attempt straight away, without backoff.
var errRetryNow = &temporaryError{errors.New("server did not resume; starting over")}

// restart prepares for a body from byte 0: a file sink starts over; a
// stream, which cannot take back what its consumer read, reads past it.
func (st *state) restart() error {
	if st.sink.reset() {
		st.offset = 0
		st.h.Reset()
		return nil
	}
	st.skip = st.offset
	st.prefixSum = st.h.Sum(nil)
	st.skipHash = sha256.New()
	return nil
}

// deliver passes body bytes on, first reading past (and checking) any
// prefix the sink already has.
func (st *state) deliver(b []byte) error {
	if st.skip > 0 {
		n := int64(len(b))
		if n > st.skip {
			n = st.skip
		}
		st.skipHash.Write(b[:n])
		st.skip -= n
		b = b[n:]
		if st.skip == 0 && string(st.skipHash.Sum(nil)) != string(st.prefixSum) {
			return exitcode.Verify(fmt.Errorf("%s changed while it was downloading", st.url), "")
		}
		if len(b) == 0 {
			return nil
		}
	}
	if st.want.Size > 0 && st.offset+int64(len(b)) > st.want.Size {
		return sizeMismatch(st.url, st.want.Size, st.offset+int64(len(b)))
	}
	if st.want.MaxSize > 0 && st.offset+int64(len(b)) > st.want.MaxSize {
		return TooLarge(st.url, st.want.MaxSize)
	}
	if _, err := st.sink.Write(b); err != nil {
		return sinkError{err}
	}
	st.h.Write(b)
	st.offset += int64(len(b))
	return nil
}

func validator(resp *http.Response) string {
	// A weak ETag cannot be used with If-Range.
	if etag := resp.Header.Get("ETag"); etag != "" && !strings.HasPrefix(etag, "W/") {
		return etag
	}
	return resp.Header.Get("Last-Modified")
}

// parseContentRange parses "bytes start-end/total"; total is -1 for "*".
func parseContentRange(s string) (start, total int64, ok bool) {
	rest, ok := strings.CutPrefix(s, "bytes ")
	if !ok {
		return 0, 0, false
	}
	rng, tot, ok := strings.Cut(rest, "/")
	if !ok {
		return 0, 0, false
	}
	first, last, ok := strings.Cut(rng, "-")
	if !ok {
		return 0, 0, false
	}
	start, err1 := strconv.ParseInt(first, 10, 64)
	end, err2 := strconv.ParseInt(last, 10, 64)
	if err1 != nil || err2 != nil || start < 0 || end < start {
		return 0, 0, false
	}
	total = -1
	if tot != "*" {
		t, err := strconv.ParseInt(tot, 10, 64)
		if err != nil || t <= end {
			return 0, 0, false
		}
		total = t
	}
	return start, total, true
}

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

func (d *Downloader) client() *http.Client {
	if d.Client == nil {
		// A programming error: main builds the one client and hands it on.
		panic("download: Downloader.Client is nil")
	}
	return d.Client
}

func (d *Downloader) retries() int {
	switch {
	case d.Retries < 0:
		return 0
	case d.Retries == 0:
		return DefaultRetries
	}
	return d.Retries
}

func (d *Downloader) stall() time.Duration {
	if d.Stall > 0 {
		return d.Stall
	}
	return DefaultStall
}

// window is how many bytes a Stall window must deliver: at least one.
func (d *Downloader) window() int64 {
	rate := d.MinRate
	switch {
	case rate < 0:
		return 1
	case rate == 0:
		rate = DefaultMinRate
	}
	return max(1, int64(float64(rate)*d.stall().Seconds()))
}

func (d *Downloader) backoff(attempt int) time.Duration {
	if d.Backoff != nil {
		return d.Backoff(attempt)
	}
	wait := min(500*time.Millisecond<<min(attempt-1, 5), 10*time.Second)
	return wait/2 + rand.N(wait/2+1)
}

type notFoundError string

func (e notFoundError) Error() string        { return string(e) }
func (e notFoundError) Is(target error) bool { return target == ErrNotFound }
