package source

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/store"
	"github.com/gover/gover/store/download"
	"github.com/gover/gover/versions"
)

// The attacks of issue 10 on SDK installs, one test each: every one must
// end in a refusal with nothing installed, or (for what is allowed) in an
// install that records exactly the trust it earned.

// route makes w's client send requests for host:port to the local server
// at serverURL, as if that server were the host: how the tests play
// dl.google.com or a mirror reached over plain HTTP from afar.
func (w *world) route(hostport, serverURL string) {
	w.t.Helper()
	if w.routes == nil {
		w.routes = map[string]string{}
		dialer := &net.Dialer{}
		c := &http.Client{Transport: &http.Transport{
			// The local TLS servers' certificates name example.com; the
			// routes, not the certificates, are what the tests set up.
			TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				if to, ok := w.routes[addr]; ok {
					addr = to
				}
				return dialer.DialContext(ctx, network, addr)
			},
		}}
		w.in.Client = c
		w.in.Downloader.Client = c
	}
	w.routes[hostport] = strings.TrimPrefix(strings.TrimPrefix(serverURL, "http://"), "https://")
}

// googleIndex serves w's release index as https://go.dev/dl/ does.
func (w *world) googleIndex() {
	w.t.Helper()
	u, _ := url.Parse(w.dl.URL)
	tlsDL := httptest.NewTLSServer(httputil.NewSingleHostReverseProxy(u))
	w.t.Cleanup(tlsDL.Close)
	w.route("go.dev:443", tlsDL.URL)
	w.in.Index.URLs = []string{"https://go.dev" + fake.IndexPath}
}

const modPrefix = "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64/"

// Case 1: a mirror's own .sha256 is not enough by default.
func TestMirrorOnlyTrustRefused(t *testing.T) {
	name := "go1.22.5.linux-amd64.tar.gz"
	w := newWorld(t)
	w.publish("1.22.5", linux)
	// The proxy and the index are down: only the mirror answers.
	w.px.SetFault(fake.ZipPath("1.22.5", linux), &fake.Fault{Status: 404})
	w.dl.SetFault(fake.IndexPath, &fake.Fault{Status: 503})
	_, err := w.install("1.22.5", Options{Mirrors: []string{w.mirror.Base()}})
	w.failsVerify(err, "1.22.5", "mirror's own checksum", `below the required "index"`)
	var te *TrustError
	if !errors.As(err, &te) || te.Got != store.TrustMirror || te.Min != store.TrustIndex {
		t.Errorf("err = %v, want a TrustError mirror < index", err)
	}
	if w.mirror.Hits(name) != 0 {
		t.Error("the archive was downloaded before it was refused")
	}

	// The setting is the opt-in, as the flag is.
	w.env["GOVER_MIN_TRUST"] = "mirror"
	w.reload()
	m := w.mustInstall("1.22.5", Options{Mirrors: []string{w.mirror.Base()}})
	w.checkSDK(m, KindMirror, store.TrustMirror, "sha256:mirror")
	if m.MinTrust != store.TrustMirror {
		t.Errorf("minimum recorded as %q", m.MinTrust)
	}

	// A bad setting is a usage error, not a silent default.
	w.env["GOVER_MIN_TRUST"] = "none"
	w.reload()
	if _, err := w.install("1.22.4", Options{}); exitcode.Code(err) != exitcode.CodeUsage {
		t.Errorf("GOVER_MIN_TRUST=none: %v (exit %d), want a usage error", err, exitcode.Code(err))
	}
}

// Case 1: hashes that are the only evidence never count over plain HTTP.
func TestPlainHTTPHashesAreNoEvidence(t *testing.T) {
	t.Run("mirror checksum", func(t *testing.T) {
		w := newWorld(t)
		w.publish("1.22.5", linux)
		w.dl.SetFault(fake.IndexPath, &fake.Fault{Status: 503})
		w.route("mirror.example:80", w.mirror.URL)
		_, err := w.install("1.22.5", Options{Sources: []string{KindMirror}, Mirrors: []string{"http://mirror.example/"}, MinTrust: store.TrustMirror})
		w.failsVerify(err, "1.22.5", "plain HTTP")
	})
	t.Run("index over http, zip without signature", func(t *testing.T) {
		w := newWorld(t)
		w.publish("1.22.5", winAMD64)
		w.route("index.example:80", w.dl.URL)
		w.in.Index.URLs = []string{"http://index.example" + fake.IndexPath}
		_, err := w.install("1.22.5", Options{Sources: []string{KindOfficial}, Platform: winAMD64})
		w.failsVerify(err, "1.22.5", "over plain HTTP")
	})
	t.Run("index over http, signed tar.gz", func(t *testing.T) {
		// The signature needs no secure channel: it stands on its own.
		w := newWorld(t)
		w.publish("1.22.5", linux)
		w.route("index.example:80", w.dl.URL)
		w.in.Index.URLs = []string{"http://index.example" + fake.IndexPath}
		m := w.mustInstall("1.22.5", Options{Sources: []string{KindOfficial}})
		w.checkSDK(m, KindOfficial, store.TrustSignature, "pgp:")
	})
}

// Case 3: the signature check fails closed.
func TestSignatureFailsClosed(t *testing.T) {
	name := "go1.22.5.linux-amd64.tar.gz"
	t.Run("server error", func(t *testing.T) {
		w := newWorld(t)
		w.publish("1.22.5", linux)
		w.dl.SetFault("/go/"+name+".asc", &fake.Fault{Status: 500})
		_, err := w.install("1.22.5", Options{Sources: []string{KindOfficial}})
		w.failsVerify(err, "1.22.5", ".asc", "refusing to install without it")
		var se *SignatureError
		if !errors.As(err, &se) {
			t.Errorf("err = %v, want a SignatureError", err)
		}
		if w.dl.Hits("/go/"+name+".asc") < 2 {
			t.Errorf("the signature was not retried")
		}
		if w.dl.Hits("/go/"+name) != 0 {
			t.Errorf("the archive was downloaded without its signature")
		}
	})
	t.Run("missing from a host that is not Google's", func(t *testing.T) {
		w := newWorld(t)
		w.publish("1.22.5", linux)
		w.dl.SetFile("/go/"+name+".asc", nil)
		_, err := w.install("1.22.5", Options{Sources: []string{KindOfficial}})
		w.failsVerify(err, "1.22.5", ".asc is missing", "not Google's")
	})
	t.Run("missing from dl.google.com", func(t *testing.T) {
		// Only Google's own 404 lets a .tar.gz settle for the index.
		w := newWorld(t)
		w.publish("1.22.5", linux)
		w.dl.SetFile("/go/"+name+".asc", nil)
		w.route("dl.google.com:80", w.dl.URL)
		w.in.DownloadBase = "http://dl.google.com/go/"
		m := w.mustInstall("1.22.5", Options{Sources: []string{KindOfficial}})
		w.checkSDK(m, KindOfficial, store.TrustIndex, "sha256:index")
		if !strings.Contains(w.out.String(), "no signature is published") {
			t.Errorf("no note about the missing signature:\n%s", w.out)
		}
	})
}

// Case 3: a mirror's .tar.gz without its .asc is worth the index's hash
// when the index is Google's, over HTTPS: the signature cannot have been
// the only link to Google.
func TestMirrorWithoutSignatureAgainstGooglesIndex(t *testing.T) {
	w := newWorld(t)
	w.publish("1.22.5", linux)
	w.googleIndex()
	m := w.mustInstall("1.22.5", Options{Sources: []string{KindMirror}, Mirrors: []string{w.mirror.Base()}})
	w.checkSDK(m, KindMirror, store.TrustIndex, "sha256:index")
}

// Case 2: the download cache does not launder trust.
func TestCacheDoesNotLaunderTrust(t *testing.T) {
	name := "go1.22.5.linux-amd64.tar.gz"
	w := newWorld(t)
	w.publish("1.22.5", linux)
	// A mirror-trust install, opted in, leaves its archive in the cache.
	w.dl.SetFault(fake.IndexPath, &fake.Fault{Status: 503})
	w.mustInstall("1.22.5", Options{Sources: []string{KindMirror}, Mirrors: []string{w.mirror.Base()}, MinTrust: store.TrustMirror})
	if _, err := os.Stat(filepath.Join(w.st.DownloadsDir(), name+".json")); err != nil {
		t.Fatalf("nothing cached: %v", err)
	}
	if _, err := w.st.Uninstall(context.Background(), versions.MustParse("1.22.5"), store.UninstallOptions{KeepCache: true}); err != nil {
		t.Fatal(err)
	}
	w.dl.SetFault(fake.IndexPath, nil)

	// The official source does not take the mirror's copy: it downloads
	// its own and checks it against the index and the signature.
	m := w.mustInstall("1.22.5", Options{Sources: []string{KindOfficial}})
	w.checkSDK(m, KindOfficial, store.TrustSignature, "pgp:")
	if w.dl.Hits("/go/"+name) != 1 {
		t.Errorf("official archive downloaded %d times, want 1", w.dl.Hits("/go/"+name))
	}
	if strings.Contains(m.Source.URL, w.mirror.URL) {
		t.Errorf("installed from %s", m.Source.URL)
	}

	// A cached copy of the same URL is reused, but checked again against
	// the index: a cached archive edited on disk is refused and fetched
	// afresh.
	if _, err := w.st.Uninstall(context.Background(), versions.MustParse("1.22.5"), store.UninstallOptions{KeepCache: true}); err != nil {
		t.Fatal(err)
	}
	cached := filepath.Join(w.st.DownloadsDir(), name)
	data, _ := os.ReadFile(cached)
	data[len(data)/2] ^= 1
	os.WriteFile(cached, data, 0o644)
	m = w.mustInstall("1.22.5", Options{Sources: []string{KindOfficial}})
	w.checkSDK(m, KindOfficial, store.TrustSignature)
	if w.dl.Hits("/go/"+name) != 2 || !strings.Contains(w.out.String(), "failed its check") {
		t.Errorf("a damaged cache was not downloaded again (%d hits):\n%s", w.dl.Hits("/go/"+name), w.out)
	}
}

// Case 2: cached release indexes are keyed by URL.
func TestIndexCacheKeyedByURL(t *testing.T) {
	w := newWorld(t)
	w.publish("1.22.5", linux)
	evil := fake.NewDL(t, nil)
	evil.Add("1.22.5", linux, fake.TarGz(t, fake.SDK(t, "1.22.5", linux)))
	good := w.in.Index.URLs

	// One run with GOVER_INDEX_URL pointing at the evil index...
	w.in.Index.URLs = []string{evil.IndexURL()}
	if _, err := w.in.Index.Releases(context.Background()); err != nil {
		t.Fatal(err)
	}
	// ...and a later run with the real one, offline: the evil list is
	// not the real index's cache, fresh or stale.
	w.in.Index.URLs = good
	w.dl.SetFault(fake.IndexPath, &fake.Fault{Status: 503})
	if r := w.in.Index.Fresh(); r != nil {
		t.Fatalf("Fresh() = the list of %s", r.URL)
	}
	if r, err := w.in.Index.Releases(context.Background()); err == nil {
		t.Fatalf("Releases() = the list of %s, want an error", r.URL)
	}
	w.dl.SetFault(fake.IndexPath, nil)
	r, err := w.in.Index.Releases(context.Background())
	if err != nil || r.URL != good[0] || r.Cached {
		t.Fatalf("Releases() = %+v, %v", r, err)
	}
}

// Case 4: h1 over every zip entry. A module zip with one extra empty
// directory entry is not the zip the checksum database knows.
func TestModuleZipExtraDirectoryEntry(t *testing.T) {
	w := newWorld(t)
	w.publish("1.22.5", linux)
	zp := fake.ZipPath("1.22.5", linux)
	w.px.SetFile(zp, fake.RewriteZip(t, w.px.File(zp), nil, fake.ZipEntry{Name: modPrefix + "pkg/tool/linux_amd64/injected/"}))
	_, err := w.install("1.22.5", Options{Sources: []string{KindProxy}})
	w.failsVerify(err, "1.22.5", "checksum MISMATCH")
}

// Case 4: modes come from gover's rule, never from the archive. h1 does
// not cover modes, so a zip with other modes passes the checksum
// database; what it installs must not differ.
func TestModesByRule(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows files have no mode bits to check")
	}
	t.Run("module zip", func(t *testing.T) {
		w := newWorld(t)
		w.publish("1.22.5", linux)
		zp := fake.ZipPath("1.22.5", linux)
		w.px.SetFile(zp, fake.RewriteZip(t, w.px.File(zp), func(h *zip.FileHeader) bool {
			if strings.HasSuffix(h.Name, "src/runtime/x.go") {
				h.SetMode(0o777)
			}
			if strings.HasSuffix(h.Name, "VERSION") {
				h.SetMode(fs.ModeSetuid | 0o4777)
			}
			return true
		}))
		m := w.mustInstall("1.22.5", Options{Sources: []string{KindProxy}})
		checkModes(t, m.GOROOT)
	})
	t.Run("tar.gz", func(t *testing.T) {
		w := newWorld(t)
		root := fake.SDK(t, "1.22.5", linux)
		os.Chmod(filepath.Join(root, "src", "runtime", "x.go"), 0o777)
		os.Chmod(filepath.Join(root, "VERSION"), 0o777)
		f := w.dl.Add("1.22.5", linux, fake.TarGz(t, root))
		_ = f
		m := w.mustInstall("1.22.5", Options{Sources: []string{KindOfficial}})
		checkModes(t, m.GOROOT)
	})
}

func checkModes(t *testing.T, goroot string) {
	t.Helper()
	for rel, want := range map[string]fs.FileMode{
		"src/runtime/x.go":             0o644,
		"VERSION":                      0o644,
		"bin/go":                       0o755,
		"bin/gofmt":                    0o755,
		"pkg/tool/linux_amd64/compile": 0o755,
		"lib/wasm/go_js_wasm_exec":     0o755,
		"src/go.mod":                   0o644,
	} {
		fi, err := os.Lstat(filepath.Join(goroot, filepath.FromSlash(rel)))
		if err != nil {
			t.Error(err)
			continue
		}
		// The umask may take bits away, never add them.
		if got := fi.Mode(); got&^want != 0 || got&fs.ModeType != 0 {
			t.Errorf("%s: mode %v, want at most %v", rel, got, fs.FileMode(want))
		}
		if want&0o100 != 0 && fi.Mode()&0o100 == 0 {
			t.Errorf("%s: mode %v, not executable", rel, fi.Mode())
		}
	}
}

// Case 7: a proxy zip over cmd/go's 500 MiB cap is refused as soon as the
// server announces its size.
func TestProxyZipTooLarge(t *testing.T) {
	w := newWorld(t)
	w.publish("1.22.5", linux)
	big := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, ".zip") {
			http.NotFound(rw, r)
			return
		}
		rw.Header().Set("Content-Length", strconv.Itoa(MaxModuleZip+1))
		rw.Write(make([]byte, 64<<10))
	}))
	defer big.Close()
	w.env["GOPROXY"] = big.URL + "," + w.px.URL
	w.reload()
	_, err := w.install("1.22.5", Options{Sources: []string{KindProxy}})
	w.failsVerify(err, "1.22.5", "larger than the limit")
	if !errors.Is(err, download.ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
}

// Case 7: a zip bomb stops before it fills the disk: what the entries
// declare is capped before anything is written.
func TestModuleZipBomb(t *testing.T) {
	w := newWorld(t)
	// 600 MiB of zeros deflates to about 600 KB.
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	fw, _ := zw.CreateHeader(&zip.FileHeader{Name: modPrefix + "VERSION", Method: zip.Deflate})
	fw.Write([]byte("go1.22.5\n"))
	fw, _ = zw.CreateHeader(&zip.FileHeader{Name: modPrefix + "src/zeros", Method: zip.Deflate})
	zero := make([]byte, 1<<20)
	for range 600 {
		fw.Write(zero)
	}
	zw.Close()
	w.db.Add(ToolchainModule, fake.ToolchainVersion("1.22.5", linux), w.px.Add("1.22.5", linux, bomb.Bytes()))
	_, err := w.install("1.22.5", Options{Sources: []string{KindProxy}})
	w.failsVerify(err, "1.22.5", "exceeds the limit")
}

// Case 7: a captive portal's HTML page is "this source failed": the next
// source is tried, and the message says what probably happened.
func TestCaptivePortal(t *testing.T) {
	portal := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(rw, "<!DOCTYPE html>\n<html><body>Please log in to the hotel Wi-Fi</body></html>\n")
	}))
	defer portal.Close()
	t.Run("next source", func(t *testing.T) {
		w := newWorld(t)
		w.publish("1.22.5", linux)
		w.env["GOPROXY"] = portal.URL
		w.reload()
		m := w.mustInstall("1.22.5", Options{Sources: []string{KindProxy, KindOfficial}})
		w.checkSDK(m, KindOfficial, store.TrustSignature)
		if !strings.Contains(w.out.String(), "captive portal") {
			t.Errorf("no word of a captive portal:\n%s", w.out)
		}
	})
	t.Run("everywhere", func(t *testing.T) {
		w := newWorld(t)
		w.publish("1.22.5", linux)
		w.env["GOPROXY"] = portal.URL
		w.reload()
		w.in.Index.URLs = []string{portal.URL + fake.IndexPath}
		w.in.DownloadBase = portal.URL + "/go/"
		_, err := w.install("1.22.5", Options{Mirrors: []string{portal.URL + "/"}})
		if err == nil || exitcode.Code(err) == exitcode.CodeVerify {
			t.Fatalf("err = %v (exit %d), want a plain failure", err, exitcode.Code(err))
		}
		if h := exitcode.Hint(err); !strings.Contains(h, "captive portal") {
			t.Errorf("hint %q", h)
		}
		w.notInstalled("1.22.5")
	})
}
