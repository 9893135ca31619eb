package download

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fake"
)

// TestHTMLAnswer: a captive portal or login page answering 200 is ErrHTML,
// at once, not retried, not a verification failure.
func TestHTMLAnswer(t *testing.T) {
	for name, h := range map[string]http.HandlerFunc{
		"html content type": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, "\n  <head><title>Sign in</title></head>")
		},
		"doctype, no content type": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/octet-stream")
			io.WriteString(w, "<!DOCTYPE html><html>Accept the terms</html>")
		},
		"html element": func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "\ufeff<HTML><body>login</body></HTML>")
		},
	} {
		t.Run(name, func(t *testing.T) {
			hits := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++; h(w, r) }))
			defer srv.Close()
			d := testDownloader()
			_, err := d.Fetch(context.Background(), srv.URL+"/go.zip", filepath.Join(fake.TempDir(t), "go.zip"), Expect{SHA256: strings.Repeat("0", 64)})
			if !errors.Is(err, ErrHTML) || exitcode.Code(err) == exitcode.CodeVerify || !strings.Contains(err.Error(), "captive portal") {
				t.Errorf("err = %v (exit %d)", err, exitcode.Code(err))
			}
			if hits != 1 {
				t.Errorf("%d requests, want 1", hits)
			}
			if _, err := d.GetBytes(context.Background(), srv.URL+"/x.asc", 1<<10); !errors.Is(err, ErrHTML) {
				t.Errorf("GetBytes: %v", err)
			}
		})
	}
	// Text that merely contains "<" later on is not HTML.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "abc  go1.22.5 <x>\n")
	}))
	defer srv.Close()
	if _, err := testDownloader().GetBytes(context.Background(), srv.URL, 1<<10); err != nil {
		t.Errorf("plain text: %v", err)
	}
}

// TestMaxSize: a file over Expect.MaxSize is refused when the server
// announces its size, and when the bytes pass the cap without one.
func TestMaxSize(t *testing.T) {
	const max = 100 << 10
	announced := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(600<<20))
		w.Write(make([]byte, 32<<10))
	}))
	defer announced.Close()
	chunked := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for range 64 {
			w.Write(make([]byte, 16<<10))
			w.(http.Flusher).Flush()
		}
	}))
	defer chunked.Close()
	for _, url := range []string{announced.URL, chunked.URL} {
		_, err := testDownloader().Fetch(context.Background(), url+"/x.zip", filepath.Join(fake.TempDir(t), "x.zip"), Expect{MaxSize: max})
		if !errors.Is(err, ErrTooLarge) || exitcode.Code(err) != exitcode.CodeVerify {
			t.Errorf("%s: err = %v", url, err)
		}
	}
}
