package download

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/store/extract"
	"github.com/gover/gover/versions"
)

func payload(n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(7, uint64(n)))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// server serves body at /file. Every request goes through misbehave first,
// which may answer on its own and return true. It counts requests and body
// bytes sent.
type server struct {
	*httptest.Server
	body      []byte
	etag      string
	requests  atomic.Int64
	sent      atomic.Int64
	misbehave func(n int64, w http.ResponseWriter, r *http.Request) bool
}

func newServer(t *testing.T, body []byte, misbehave func(n int64, w http.ResponseWriter, r *http.Request) bool) *server {
	s := &server{body: body, etag: `"` + sum(body)[:16] + `"`, misbehave: misbehave}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.requests.Add(1)
		cw := &countingWriter{ResponseWriter: w, n: &s.sent}
		if r.URL.Path != "/file" {
			http.NotFound(w, r)
			return
		}
		if s.misbehave != nil && s.misbehave(n, cw, r) {
			return
		}
		w.Header().Set("ETag", s.etag)
		http.ServeContent(cw, r, "file", time.Unix(1700000000, 0), bytes.NewReader(s.body))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) url() string { return s.URL + "/file" }

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w *countingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.n.Add(int64(n))
	return n, err
}

func (w *countingWriter) Flush() { w.ResponseWriter.(http.Flusher).Flush() }

// cut sends the headers for the whole body and the first n bytes of it, then
// drops the connection.
func cut(w http.ResponseWriter, body []byte, n int) {
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body[:n])
	w.(http.Flusher).Flush()
	panic(http.ErrAbortHandler)
}

func noWait(int) time.Duration { return 0 }

func testDownloader() *Downloader {
	return &Downloader{Client: &http.Client{}, Backoff: noWait, Stall: 10 * time.Second}
}

func TestFetch(t *testing.T) {
	body := payload(300_000)
	s := newServer(t, body, nil)
	var out bytes.Buffer
	d := testDownloader()
	d.Progress = &out
	dst := filepath.Join(fake.TempDir(t), "a.tar.gz")
	res, err := d.Fetch(context.Background(), s.url(), dst, Expect{Size: int64(len(body)), SHA256: strings.ToUpper(sum(body))})
	if err != nil {
		t.Fatal(err)
	}
	if res.Path != dst || res.Size != int64(len(body)) || res.SHA256 != sum(body) {
		t.Errorf("result = %+v", res)
	}
	got, _ := os.ReadFile(dst)
	if !bytes.Equal(got, body) {
		t.Error("file content differs")
	}
	lines := out.String()
	if !strings.HasPrefix(lines, "downloading "+s.url()+" (300.0 kB)\n") || !strings.Contains(lines, "downloaded in ") {
		t.Errorf("progress output:\n%s", lines)
	}
}

func TestFetchResume(t *testing.T) {
	body := payload(1 << 20)
	s := newServer(t, body, func(n int64, w http.ResponseWriter, r *http.Request) bool {
		if n == 1 {
			w.Header().Set("ETag", `"`+sum(body)[:16]+`"`)
			cut(w, body, 700_000)
			return true
		}
		if r.Header.Get("Range") != "bytes=700000-" || r.Header.Get("If-Range") == "" {
			t.Errorf("resume request has Range %q, If-Range %q", r.Header.Get("Range"), r.Header.Get("If-Range"))
		}
		return false
	})
	d := testDownloader()
	dst := filepath.Join(fake.TempDir(t), "a")
	res, err := d.Fetch(context.Background(), s.url(), dst, Expect{SHA256: sum(body)})
	if err != nil {
		t.Fatal(err)
	}
	if res.SHA256 != sum(body) {
		t.Errorf("sha256 = %s", res.SHA256)
	}
	if s.requests.Load() != 2 {
		t.Errorf("%d requests, want 2", s.requests.Load())
	}
	if extra := s.sent.Load() - int64(len(body)); extra > 0 {
		t.Errorf("%d bytes sent twice, want none", extra)
	}
}

func TestFetchNoRangeSupport(t *testing.T) {
	body := payload(500_000)
	s := newServer(t, body, func(n int64, w http.ResponseWriter, r *http.Request) bool {
		if n == 1 {
			cut(w, body, 200_000)
			return true
		}
		// Ignore Range: always the whole body.
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.Write(body)
		return true
	})
	dst := filepath.Join(fake.TempDir(t), "a")
	res, err := testDownloader().Fetch(context.Background(), s.url(), dst, Expect{Size: int64(len(body)), SHA256: sum(body)})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(dst)
	if !bytes.Equal(got, body) || res.Size != int64(len(body)) {
		t.Errorf("file differs (%d bytes, want %d)", len(got), len(body))
	}
}

func TestFetchChangedOnServer(t *testing.T) {
	// The file changed between attempts: If-Range makes the server send the
	// new one whole, and the download starts over.
	old, body := payload(400_000), payload(400_001)
	var srv *server
	srv = newServer(t, body, func(n int64, w http.ResponseWriter, r *http.Request) bool {
		if n == 1 {
			w.Header().Set("ETag", `"old"`)
			cut(w, old, 100_000)
			return true
		}
		return false
	})
	dst := filepath.Join(fake.TempDir(t), "a")
	res, err := testDownloader().Fetch(context.Background(), srv.url(), dst, Expect{})
	if err != nil {
		t.Fatal(err)
	}
	if res.SHA256 != sum(body) {
		t.Error("got a mix of the old and the new file")
	}
}

func TestFetchRetry(t *testing.T) {
	body := payload(1000)
	for _, status := range []int{500, 502, 503, 429} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			s := newServer(t, body, func(n int64, w http.ResponseWriter, r *http.Request) bool {
				if n <= 2 {
					w.Header().Set("Retry-After", "0")
					http.Error(w, "try later", status)
					return true
				}
				return false
			})
			var out bytes.Buffer
			d := testDownloader()
			d.Progress = &out
			var waits []int
			d.Backoff = func(attempt int) time.Duration { waits = append(waits, attempt); return 0 }
			if _, err := d.Fetch(context.Background(), s.url(), filepath.Join(fake.TempDir(t), "a"), Expect{SHA256: sum(body)}); err != nil {
				t.Fatal(err)
			}
			if s.requests.Load() != 3 || fmt.Sprint(waits) != "[1 2]" {
				t.Errorf("%d requests, backoff calls %v; want 3 requests, [1 2]", s.requests.Load(), waits)
			}
			if strings.Count(out.String(), "retrying ") != 2 {
				t.Errorf("progress output:\n%s", out.String())
			}
		})
	}
}

func TestFetchGiveUp(t *testing.T) {
	s := newServer(t, nil, func(n int64, w http.ResponseWriter, r *http.Request) bool {
		http.Error(w, "broken", http.StatusInternalServerError)
		return true
	})
	d := testDownloader()
	d.Retries = 2
	dst := filepath.Join(fake.TempDir(t), "a")
	_, err := d.Fetch(context.Background(), s.url(), dst, Expect{})
	if err == nil || !strings.Contains(err.Error(), "500 Internal Server Error: broken") || !strings.Contains(err.Error(), "3 attempts") {
		t.Errorf("err = %v", err)
	}
	if s.requests.Load() != 3 {
		t.Errorf("%d requests, want 3", s.requests.Load())
	}
	if _, err := os.Stat(dst); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("dst left behind: %v", err)
	}
}

func TestFetchNotFound(t *testing.T) {
	for _, status := range []int{404, 410, 403} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			s := newServer(t, nil, func(n int64, w http.ResponseWriter, r *http.Request) bool {
				http.Error(w, "not available", status)
				return true
			})
			dst := filepath.Join(fake.TempDir(t), "a")
			_, err := testDownloader().Fetch(context.Background(), s.url(), dst, Expect{})
			if !errors.Is(err, ErrNotFound) || exitcode.Code(err) != exitcode.CodeNotFound {
				t.Errorf("err = %v (code %d), want ErrNotFound", err, exitcode.Code(err))
			}
			if !strings.Contains(err.Error(), s.url()) || !strings.Contains(err.Error(), "not available") {
				t.Errorf("err = %v, want the URL and the server's reason", err)
			}
			if s.requests.Load() != 1 {
				t.Errorf("%d requests, want 1 (no retry)", s.requests.Load())
			}
			if _, err := os.Stat(dst); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("dst left behind: %v", err)
			}
		})
	}
}

func TestFetchOtherClientError(t *testing.T) {
	s := newServer(t, nil, func(n int64, w http.ResponseWriter, r *http.Request) bool {
		http.Error(w, "<html>who are you</html>", http.StatusUnauthorized)
		return true
	})
	_, err := testDownloader().Fetch(context.Background(), s.url(), filepath.Join(fake.TempDir(t), "a"), Expect{})
	if err == nil || errors.Is(err, ErrNotFound) || strings.Contains(err.Error(), "html") || s.requests.Load() != 1 {
		t.Errorf("err = %v after %d requests; want one 401 error without the HTML", err, s.requests.Load())
	}
}

func TestFetchMismatch(t *testing.T) {
	body := payload(5000)
	tests := []struct {
		name string
		want Expect
		// a server that sends no Content-Length, so the size is only
		// known at the end
		chunked bool
		msg     string
	}{
		{"sha256", Expect{SHA256: sum(payload(10))}, false, "sha256 mismatch for %s: expected " + sum(payload(10)) + ", got " + sum(body)},
		{"announced size", Expect{Size: 4000}, false, "size mismatch for %s: expected 4000 bytes, got 5000"},
		{"short", Expect{Size: 6000}, true, "size mismatch for %s: expected 6000 bytes, got 5000"},
		{"long", Expect{Size: 4000}, true, "size mismatch for %s: expected 4000 bytes, got"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, body, func(n int64, w http.ResponseWriter, r *http.Request) bool {
				if tt.chunked {
					w.WriteHeader(200)
					w.Write(body)
					return true
				}
				return false
			})
			dst := filepath.Join(fake.TempDir(t), "a")
			_, err := testDownloader().Fetch(context.Background(), s.url(), dst, tt.want)
			if exitcode.Code(err) != exitcode.CodeVerify {
				t.Errorf("err = %v (code %d), want a verification error", err, exitcode.Code(err))
			}
			if want := fmt.Sprintf(tt.msg, s.url()); err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("err = %v\nwant   %s", err, want)
			}
			if _, err := os.Stat(dst); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("dst left behind: %v", err)
			}
			if s.requests.Load() != 1 {
				t.Errorf("%d requests; a mismatch is not retried", s.requests.Load())
			}
		})
	}
}

func TestFetchStall(t *testing.T) {
	body := payload(200_000)
	release := make(chan struct{})
	defer close(release)
	s := newServer(t, body, func(n int64, w http.ResponseWriter, r *http.Request) bool {
		if n == 1 {
			w.Header().Set("ETag", `"`+sum(body)[:16]+`"`)
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			w.Write(body[:50_000])
			w.(http.Flusher).Flush()
			select { // hang until the client gives up
			case <-r.Context().Done():
			case <-release:
			}
			return true
		}
		return false
	})
	var out bytes.Buffer
	d := testDownloader()
	d.Stall = 200 * time.Millisecond
	d.Progress = &out
	res, err := d.Fetch(context.Background(), s.url(), filepath.Join(fake.TempDir(t), "a"), Expect{SHA256: sum(body)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Size != int64(len(body)) || s.requests.Load() != 2 {
		t.Errorf("size %d after %d requests", res.Size, s.requests.Load())
	}
	if !strings.Contains(out.String(), "no data for too long") {
		t.Errorf("progress output:\n%s", out.String())
	}
}

func TestFetchSlowButMoving(t *testing.T) {
	// A transfer slower than Stall in total, but never silent for that
	// long, is left alone.
	body := payload(10_000)
	s := newServer(t, body, func(n int64, w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		for i := 0; i < len(body); i += 1000 {
			w.Write(body[i : i+1000])
			w.(http.Flusher).Flush()
			time.Sleep(30 * time.Millisecond)
		}
		return true
	})
	d := testDownloader()
	d.Stall = 150 * time.Millisecond
	if _, err := d.Fetch(context.Background(), s.url(), filepath.Join(fake.TempDir(t), "a"), Expect{SHA256: sum(body)}); err != nil {
		t.Fatal(err)
	}
	if s.requests.Load() != 1 {
		t.Errorf("%d requests, want 1", s.requests.Load())
	}
}

func TestFetchCancel(t *testing.T) {
	s := newServer(t, nil, func(n int64, w http.ResponseWriter, r *http.Request) bool {
		http.Error(w, "down", 503)
		return true
	})
	ctx, cancel := context.WithCancel(context.Background())
	d := testDownloader()
	d.Backoff = func(int) time.Duration { cancel(); return time.Hour }
	_, err := d.Fetch(ctx, s.url(), filepath.Join(fake.TempDir(t), "a"), Expect{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestFetchThroughProxy(t *testing.T) {
	body := payload(1234)
	var proxied atomic.Int64
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Host != "dl.example.invalid" {
			http.Error(w, "unexpected host "+r.URL.Host, 502)
			return
		}
		proxied.Add(1)
		w.Write(body)
	}))
	defer proxy.Close()
	pu, _ := url.Parse(proxy.URL)
	d := testDownloader()
	d.Client = &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(pu)}}
	res, err := d.Fetch(context.Background(), "http://dl.example.invalid/go.tar.gz", filepath.Join(fake.TempDir(t), "a"), Expect{SHA256: sum(body)})
	if err != nil || res.Size != 1234 || proxied.Load() != 1 {
		t.Errorf("err = %v, size %d, %d proxied requests", err, res.Size, proxied.Load())
	}
}

func TestStream(t *testing.T) {
	body := payload(800_000)
	tests := []struct {
		name      string
		misbehave func(n int64, w http.ResponseWriter, r *http.Request) bool
		maxSent   int64
	}{
		{"plain", nil, 800_000},
		{"resume", func(n int64, w http.ResponseWriter, r *http.Request) bool {
			if n == 1 {
				w.Header().Set("ETag", `"`+sum(body)[:16]+`"`)
				cut(w, body, 300_000)
				return true
			}
			return false
		}, 800_000},
		{"no range support", func(n int64, w http.ResponseWriter, r *http.Request) bool {
			if n <= 2 {
				cut(w, body, int(n)*200_000) // breaks twice, at different points
				return true
			}
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			w.Write(body)
			return true
		}, 1_400_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, body, tt.misbehave)
			var got []byte
			res, err := testDownloader().Stream(context.Background(), s.url(), Expect{Size: int64(len(body)), SHA256: sum(body)}, func(r io.Reader) error {
				var err error
				got, err = io.ReadAll(r)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, body) || res.SHA256 != sum(body) || res.Path != "" {
				t.Errorf("consumer got %d bytes (want %d), result %+v", len(got), len(body), res)
			}
			if s.sent.Load() > tt.maxSent {
				t.Errorf("server sent %d bytes, want at most %d", s.sent.Load(), tt.maxSent)
			}
		})
	}
}

func TestStreamChangedOnServer(t *testing.T) {
	// No Range support and a different file the second time: the prefix
	// the consumer already read no longer matches.
	old, body := payload(300_000), payload(300_001)
	s := newServer(t, body, func(n int64, w http.ResponseWriter, r *http.Request) bool {
		if n == 1 {
			cut(w, old, 100_000)
			return true
		}
		w.Write(body)
		return true
	})
	_, err := testDownloader().Stream(context.Background(), s.url(), Expect{}, func(r io.Reader) error {
		_, err := io.Copy(io.Discard, r)
		return err
	})
	if exitcode.Code(err) != exitcode.CodeVerify || !strings.Contains(err.Error(), "changed while it was downloading") {
		t.Errorf("err = %v, want a verification error", err)
	}
}

func TestStreamConsumer(t *testing.T) {
	body := payload(400_000)
	s := newServer(t, body, nil)
	d := testDownloader()

	// A consumer that stops early still gets the whole file hashed.
	res, err := d.Stream(context.Background(), s.url(), Expect{SHA256: sum(body)}, func(r io.Reader) error {
		_, err := io.ReadFull(r, make([]byte, 1000))
		return err
	})
	if err != nil || res.Size != int64(len(body)) {
		t.Errorf("early stop: %+v, %v", res, err)
	}

	// A failing consumer stops the download and its error comes back.
	boom := errors.New("disk full")
	_, err = d.Stream(context.Background(), s.url(), Expect{}, func(r io.Reader) error {
		io.ReadFull(r, make([]byte, 1000))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("failing consumer: err = %v", err)
	}

	// A mismatch reaches the consumer as a read error, and Stream returns
	// the verification error itself.
	_, err = d.Stream(context.Background(), s.url(), Expect{SHA256: sum(nil)}, func(r io.Reader) error {
		_, err := io.Copy(io.Discard, r)
		if err == nil {
			t.Error("consumer read to EOF despite a mismatch")
		}
		return fmt.Errorf("extract: %w", err)
	})
	if exitcode.Code(err) != exitcode.CodeVerify || strings.HasPrefix(err.Error(), "extract") {
		t.Errorf("mismatch: err = %v", err)
	}

	// Not found never calls consume's reader with data.
	_, err = d.Stream(context.Background(), s.URL+"/missing", Expect{}, func(r io.Reader) error {
		_, err := io.Copy(io.Discard, r)
		return err
	})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("missing: err = %v", err)
	}
}

func TestGetBytes(t *testing.T) {
	body := []byte(`{"version":"go1.22.5"}`)
	var mu sync.Mutex
	s := newServer(t, body, func(n int64, w http.ResponseWriter, r *http.Request) bool {
		mu.Lock()
		defer mu.Unlock()
		if n == 1 {
			http.Error(w, "busy", 503)
			return true
		}
		return false
	})
	var out bytes.Buffer
	d := testDownloader()
	d.Progress = &out
	got, err := d.GetBytes(context.Background(), s.url(), 1<<10)
	if err != nil || !bytes.Equal(got, body) {
		t.Errorf("GetBytes = %q, %v", got, err)
	}
	if out.Len() != 0 {
		t.Errorf("GetBytes printed progress: %q", out.String())
	}
	if _, err := d.GetBytes(context.Background(), s.url(), 10); err == nil || !strings.Contains(err.Error(), "larger than 10 bytes") {
		t.Errorf("over the limit: err = %v", err)
	}
	if _, err := d.GetBytes(context.Background(), s.URL+"/missing", 10); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing: err = %v", err)
	}
}

func TestParseContentRange(t *testing.T) {
	tests := []struct {
		in           string
		start, total int64
		ok           bool
	}{
		{"bytes 0-99/100", 0, 100, true},
		{"bytes 700000-1048575/1048576", 700000, 1048576, true},
		{"bytes 5-9/*", 5, -1, true},
		{"bytes 5-9/9", 0, 0, false},
		{"bytes 9-5/100", 0, 0, false},
		{"bytes -5/100", 0, 0, false},
		{"items 0-1/2", 0, 0, false},
		{"bytes 0-1", 0, 0, false},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		start, total, ok := parseContentRange(tt.in)
		if ok != tt.ok || ok && (start != tt.start || total != tt.total) {
			t.Errorf("parseContentRange(%q) = %d, %d, %v", tt.in, start, total, ok)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 67_500_000: "67.5 MB", 1_500_000_000: "1.5 GB"} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestFetchProgressBar(t *testing.T) {
	body := payload(2_000_000)
	s := newServer(t, body, func(n int64, w http.ResponseWriter, r *http.Request) bool {
		if n == 1 {
			w.Header().Set("ETag", `"`+sum(body)[:16]+`"`)
			cut(w, body, 1_000_000)
			return true
		}
		return false
	})
	var out bytes.Buffer
	d := testDownloader()
	d.Progress = &out
	d.Terminal = true
	if _, err := d.Fetch(context.Background(), s.url(), filepath.Join(fake.TempDir(t), "a"), Expect{SHA256: sum(body)}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"downloading " + s.url() + " (2.0 MB)", "retrying ", "downloaded in "} {
		if !strings.Contains(got, want) {
			t.Errorf("progress output lacks %q:\n%q", want, got)
		}
	}
}

// TestStreamExtract extracts an SDK while it downloads, across a dropped
// connection.
func TestStreamExtract(t *testing.T) {
	root := fake.SDKFiles(t, "1.22.5", versions.Platform{OS: "linux", Arch: "amd64"}, 200)
	data := fake.TarGz(t, root)
	s := newServer(t, data, func(n int64, w http.ResponseWriter, r *http.Request) bool {
		if n == 1 {
			w.Header().Set("ETag", `"`+sum(data)[:16]+`"`)
			cut(w, data, len(data)/2)
			return true
		}
		return false
	})
	dst := filepath.Join(fake.TempDir(t), "go1.22.5")
	var st extract.Stats
	res, err := testDownloader().Stream(context.Background(), s.url(), Expect{Size: int64(len(data)), SHA256: sum(data)}, func(r io.Reader) error {
		var err error
		st, err = extract.TarGz(context.Background(), r, dst, extract.Options{StripPrefix: "go/"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Files != 211 || res.SHA256 != sum(data) || s.requests.Load() != 2 {
		t.Errorf("%d files, sha256 %s, %d requests", st.Files, res.SHA256, s.requests.Load())
	}
	if b, err := os.ReadFile(filepath.Join(dst, "src", "extra", "d001", "f00199.go")); err != nil || !strings.Contains(string(b), "F00199") {
		t.Errorf("extracted file: %q, %v", b, err)
	}
}

// TestFetchTrickle: a server that sends a byte now and then never goes
// silent for a whole Stall window, but delivers far less than the minimum
// rate: that is a stall too, and the download gives up instead of hanging.
func TestFetchTrickle(t *testing.T) {
	body := payload(100_000)
	s := newServer(t, body, func(n int64, w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.WriteHeader(http.StatusOK)
		for i := 0; i < len(body); i++ {
			if _, err := w.Write(body[i : i+1]); err != nil {
				return true
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return true
			case <-time.After(20 * time.Millisecond):
			}
		}
		return true
	})
	d := testDownloader()
	d.Stall = 200 * time.Millisecond
	d.MinRate = 10 << 10 // 2 KiB per window; the server sends about 10 bytes
	d.Retries = 2
	_, err := d.Fetch(context.Background(), s.url(), filepath.Join(fake.TempDir(t), "a"), Expect{SHA256: sum(body)})
	if err == nil {
		t.Fatal("a trickling download succeeded")
	}
	if !errors.Is(err, errTrickle) || !strings.Contains(err.Error(), "too slowly") || !strings.Contains(err.Error(), "gave up after 3 attempts") {
		t.Errorf("error %q", err)
	}
	if s.requests.Load() != 3 {
		t.Errorf("%d requests, want 3", s.requests.Load())
	}
}

// TestFetchProgressLines: outside a terminal a long download prints a
// plain line every ProgressEvery, so a CI log shows it moving.
func TestFetchProgressLines(t *testing.T) {
	body := payload(2_000_000)
	s := newServer(t, body, nil)
	var out bytes.Buffer
	d := testDownloader()
	d.Progress = &out
	d.ProgressEvery = time.Nanosecond
	if _, err := d.Fetch(context.Background(), s.url(), filepath.Join(fake.TempDir(t), "a"), Expect{Size: int64(len(body)), SHA256: sum(body)}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.Contains(got, " of 2.0 MB (") || strings.Contains(got, "\r") {
		t.Errorf("no plain progress lines:\n%s", got)
	}
}
