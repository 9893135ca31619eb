package download

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gover/gover/internal/exitcode"
)

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
