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
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"time"
)

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
