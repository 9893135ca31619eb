package release

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/store/download"
	"github.com/gover/gover/store/verify"
	"github.com/gover/gover/versions"
)

// packArchive builds a release archive holding files, as GoReleaser does:
// zip for Windows names, tar.gz otherwise, everything at the top level.
func packArchive(t testing.TB, name string, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if strings.HasSuffix(name, ".zip") {
		zw := zip.NewWriter(&buf)
		for n, body := range files {
			w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate})
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte(body))
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for n, body := range files {
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o755, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(body))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// mirror is a static release mirror: path → body, anything else 404.
type mirror map[string][]byte

func (m mirror) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, ok := m[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Write(body)
}

// signer is the release key of these tests, made once per run.
var signer struct {
	once sync.Once
	s    *fake.Signer
}

func testSigner(t testing.TB) *fake.Signer {
	signer.once.Do(func() { signer.s = fake.NewSigner(t) })
	return signer.s
}

// testKeys are the keys a test Source trusts: testSigner's, in place of the
// keys built into gover.
func testKeys(t testing.TB) []*verify.Keyring {
	s := testSigner(t)
	kr, err := verify.NewKeyring(s.Armored(), s.Fingerprint())
	if err != nil {
		t.Fatal(err)
	}
	return []*verify.Keyring{kr}
}

// publish adds a release to m with one archive per platform, each holding
// gover (and README.md), its checksums file, and that file's signature by
// testSigner.
func (m mirror) publish(t testing.TB, version string, ps ...versions.Platform) {
	files := make(map[versions.Platform]map[string]string)
	for _, p := range ps {
		files[p] = map[string]string{Binaries(p.OS)[0]: "gover " + version + " " + p.String(), "README.md": "readme"}
	}
	m.publishFiles(t, version, files)
}

// publishFiles is publish with the archives' contents given.
func (m mirror) publishFiles(t testing.TB, version string, files map[versions.Platform]map[string]string) {
	var sums strings.Builder
	for p, fs := range files {
		name := ArchiveName(version, p)
		data := packArchive(t, name, fs)
		m["/r/download/v"+version+"/"+name] = data
		fmt.Fprintf(&sums, "%s  %s\n", sha(data), name)
	}
	m.sign(t, version, []byte(sums.String()))
}

// sign publishes sums as version's checksums file, signed by testSigner.
func (m mirror) sign(t testing.TB, version string, sums []byte) {
	m["/r/download/v"+version+"/"+ChecksumsName(version)] = sums
	m["/r/download/v"+version+"/"+SignatureName(version)] = testSigner(t).Sign(sums)
}

func newSource(t *testing.T, h http.Handler) Source {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return Source{
		BaseURL:  srv.URL + "/r/",
		Download: &download.Downloader{Client: srv.Client(), Retries: -1},
		Keys:     testKeys(t),
	}
}

func TestLatest(t *testing.T) {
	ctx := context.Background()
	t.Run("mirror text", func(t *testing.T) {
		src := newSource(t, mirror{"/r/latest": []byte("v1.4.2\n")})
		if v, err := src.Latest(ctx); err != nil || v != "1.4.2" {
			t.Fatalf("Latest = %q, %v", v, err)
		}
	})
	t.Run("github redirect", func(t *testing.T) {
		mux := http.NewServeMux()
		mux.HandleFunc("/r/latest", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/r/tag/v2.0.1", http.StatusFound)
		})
		mux.HandleFunc("/r/tag/", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "<!DOCTYPE html><html>"+strings.Repeat("x", 10000))
		})
		src := newSource(t, mux)
		if v, err := src.Latest(ctx); err != nil || v != "2.0.1" {
			t.Fatalf("Latest = %q, %v", v, err)
		}
	})
	t.Run("no releases", func(t *testing.T) {
		src := newSource(t, mirror{})
		_, err := src.Latest(ctx)
		if exitcode.Code(err) != exitcode.CodeNotFound {
			t.Fatalf("err = %v (code %d), want not found", err, exitcode.Code(err))
		}
	})
	t.Run("not a version", func(t *testing.T) {
		src := newSource(t, mirror{"/r/latest": []byte("latest-is-unknown\n")})
		if _, err := src.Latest(ctx); err == nil || !strings.Contains(err.Error(), "does not name a release") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("captive portal", func(t *testing.T) {
		src := newSource(t, mirror{"/r/latest": []byte("<!DOCTYPE html><html>sign in</html>")})
		if _, err := src.Latest(ctx); err == nil || !strings.Contains(err.Error(), "captive portal") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("server error", func(t *testing.T) {
		src := newSource(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "down", http.StatusBadGateway)
		}))
		if _, err := src.Latest(ctx); err == nil || !strings.Contains(err.Error(), "502") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestFetch(t *testing.T) {
	ctx := context.Background()
	linux := versions.Platform{OS: "linux", Arch: "amd64"}
	win := versions.Platform{OS: "windows", Arch: "arm64"}
	m := mirror{}
	m.publish(t, "1.2.3", linux, win)
	src := newSource(t, m)

	for _, p := range []versions.Platform{linux, win} {
		dir := tempDir(t)
		a, err := src.Fetch(ctx, "v1.2.3", p, dir)
		if err != nil {
			t.Fatalf("%v: %v", p, err)
		}
		data, _ := os.ReadFile(a.Path)
		if a.Version != "1.2.3" || a.SHA256 != sha(data) || filepath.Base(a.Path) != ArchiveName("1.2.3", p) {
			t.Errorf("%v: got %+v", p, a)
		}
		bins, err := Extract(a.Path, dir, Binaries(p.OS))
		if err != nil {
			t.Fatal(err)
		}
		exe := Binaries(p.OS)[0]
		if got, _ := os.ReadFile(bins[exe]); string(got) != "gover 1.2.3 "+p.String() {
			t.Errorf("%v: extracted %q", p, got)
		}
	}

	errCases := []struct {
		name    string
		mutate  func(m mirror)
		version string
		p       versions.Platform
		code    int
		msg     string
	}{
		{"unknown version", nil, "9.9.9", linux, exitcode.CodeNotFound, "not released"},
		{"no archive for platform", nil, "1.2.3", versions.Platform{OS: "linux", Arch: "riscv64"}, exitcode.CodeNotFound, "no release for linux/riscv64"},
		{"invalid version", nil, "1.2.3/../x", linux, exitcode.CodeUsage, "invalid gover version"},
		{"tampered archive", func(m mirror) {
			p := "/r/download/v1.2.3/" + ArchiveName("1.2.3", linux)
			b := append([]byte(nil), m[p]...)
			b[len(b)/2] ^= 1
			m[p] = b
		}, "1.2.3", linux, exitcode.CodeVerify, "checksum mismatch"},
		{"wrong checksum, signed", func(m mirror) {
			m.sign(t, "1.2.3", []byte(strings.Repeat("0", 64)+"  "+ArchiveName("1.2.3", linux)+"\n"))
		}, "1.2.3", linux, exitcode.CodeVerify, "checksum mismatch"},
		{"malformed checksums, signed", func(m mirror) {
			m.sign(t, "1.2.3", []byte("oops, not checksums\n"))
		}, "1.2.3", linux, exitcode.CodeVerify, "checksums line 1"},
		// The attacks of issue 10 item 5: a checksums file the mirror
		// made up, with or without a signature.
		{"unsigned", func(m mirror) {
			delete(m, "/r/download/v1.2.3/gover_1.2.3_checksums.txt.asc")
		}, "1.2.3", linux, exitcode.CodeVerify, "is not signed"},
		{"signed by another key", func(m mirror) {
			other := fake.NewSigner(t)
			sums := m["/r/download/v1.2.3/gover_1.2.3_checksums.txt"]
			m["/r/download/v1.2.3/gover_1.2.3_checksums.txt.asc"] = other.Sign(sums)
		}, "1.2.3", linux, exitcode.CodeVerify, "none of the pinned keys"},
		{"checksums changed after signing", func(m mirror) {
			p := "/r/download/v1.2.3/gover_1.2.3_checksums.txt"
			m[p] = append(append([]byte(nil), m[p]...), []byte(strings.Repeat("1", 64)+"  extra.tar.gz\n")...)
		}, "1.2.3", linux, exitcode.CodeVerify, "does not match"},
		{"signature of another release", func(m mirror) {
			m.publish(t, "1.2.2", linux)
			m["/r/download/v1.2.3/gover_1.2.3_checksums.txt.asc"] = m["/r/download/v1.2.2/gover_1.2.2_checksums.txt.asc"]
		}, "1.2.3", linux, exitcode.CodeVerify, "does not match"},
		{"garbage signature", func(m mirror) {
			m["/r/download/v1.2.3/gover_1.2.3_checksums.txt.asc"] = []byte("login required\n")
		}, "1.2.3", linux, exitcode.CodeVerify, "not an OpenPGP signature"},
		{"listed but missing", func(m mirror) {
			delete(m, "/r/download/v1.2.3/"+ArchiveName("1.2.3", linux))
		}, "1.2.3", linux, exitcode.CodeNotFound, "missing"},
	}
	for _, tt := range errCases {
		t.Run(tt.name, func(t *testing.T) {
			m := mirror{}
			m.publish(t, "1.2.3", linux, win)
			if tt.mutate != nil {
				tt.mutate(m)
			}
			src := newSource(t, m)
			dir := tempDir(t)
			_, err := src.Fetch(ctx, tt.version, tt.p, dir)
			if err == nil || exitcode.Code(err) != tt.code || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v (code %d), want code %d containing %q", err, exitcode.Code(err), tt.code, tt.msg)
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Errorf("left behind in dir: %v", left)
			}
		})
	}
}
