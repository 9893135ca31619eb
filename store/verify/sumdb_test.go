package verify

import (
	"archive/zip"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/sumdb/note"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fake"
)

const toolchain = "golang.org/toolchain"

// moduleZip writes a small module zip for toolchain@version and returns its
// path and h1 hash.
func moduleZip(t *testing.T, version, content string) (string, string) {
	t.Helper()
	p := filepath.Join(fake.TempDir(t), version+".zip")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, body := range map[string]string{"bin/go": content, "VERSION": version, "src/_go.mod": "module std\n"} {
		w, err := zw.Create(toolchain + "@" + version + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	h1, err := dirhash.HashZip(p, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	return p, h1
}

// counter counts requests to h.
type counter struct {
	h http.Handler
	n atomic.Int64
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.n.Add(1)
	c.h.ServeHTTP(w, r)
}

func newDB(t *testing.T, gosumdb, cache string, proxies ...string) *SumDB {
	t.Helper()
	db, err := NewSumDB(SumDBConfig{GOSUMDB: gosumdb, Proxies: proxies, CacheDir: cache, Client: &http.Client{}})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestSumDB(t *testing.T) {
	ctx := context.Background()
	fdb := fake.NewSumDB(t)
	const v1, v2, v3 = "v0.0.1-go1.22.5.linux-amd64", "v0.0.1-go1.22.5.windows-amd64", "v0.0.1-go1.23.0.linux-amd64"
	zip1, h1 := moduleZip(t, v1, "go binary")
	zip2, _ := moduleZip(t, v2, "go.exe binary")
	_, h3 := moduleZip(t, v3, "newer go")
	fdb.Add(toolchain, v1, h1)
	fdb.Add(toolchain, v2, h3) // the database says otherwise than the zip
	fdb.Add("example.com/other", "v1.0.0", h3)
	cnt := &counter{h: fdb.Handler()}
	srv := httptest.NewServer(cnt)
	defer srv.Close()
	gosumdb := fdb.GOSUMDB(srv.URL)

	t.Run("lookup", func(t *testing.T) {
		db := newDB(t, gosumdb, fake.TempDir(t))
		lines, err := db.Lookup(ctx, toolchain, v1)
		if err != nil {
			t.Fatal(err)
		}
		if want := toolchain + " " + v1 + " " + h1; len(lines) != 1 || lines[0] != want {
			t.Errorf("Lookup = %q, want [%q]", lines, want)
		}
		got, err := db.CheckZip(ctx, toolchain, v1, zip1)
		if err != nil || got != h1 {
			t.Errorf("CheckZip = %q, %v; want %q", got, err, h1)
		}
	})

	t.Run("mismatch", func(t *testing.T) {
		db := newDB(t, gosumdb, fake.TempDir(t))
		_, err := db.CheckZip(ctx, toolchain, v2, zip2)
		if exitcode.Code(err) != exitcode.CodeVerify {
			t.Fatalf("CheckZip = %v (code %d), want a verify error", err, exitcode.Code(err))
		}
		_, zh := moduleZip(t, v2, "go.exe binary")
		for _, s := range []string{toolchain, v2, h3, zh, "MISMATCH"} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("error %q does not mention %q", err, s)
			}
		}
	})

	t.Run("corrupt zip", func(t *testing.T) {
		p := filepath.Join(fake.TempDir(t), "bad.zip")
		os.WriteFile(p, []byte("not a zip"), 0o644)
		_, err := newDB(t, gosumdb, fake.TempDir(t)).CheckZip(ctx, toolchain, v1, p)
		if exitcode.Code(err) != exitcode.CodeVerify {
			t.Errorf("CheckZip(corrupt) = %v (code %d), want a verify error", err, exitcode.Code(err))
		}
	})

	t.Run("unknown version", func(t *testing.T) {
		_, err := newDB(t, gosumdb, fake.TempDir(t)).Lookup(ctx, toolchain, "v0.0.1-go1.99.0.linux-amd64")
		if exitcode.Code(err) != exitcode.CodeNotFound {
			t.Errorf("Lookup = %v (code %d), want not found", err, exitcode.Code(err))
		}
	})

	t.Run("cache reused and forks detected", func(t *testing.T) {
		cache := fake.TempDir(t)
		if _, err := newDB(t, gosumdb, cache).Lookup(ctx, toolchain, v1); err != nil {
			t.Fatal(err)
		}
		latest, err := os.ReadFile(filepath.Join(cache, fdb.Name(), "latest"))
		if err != nil || !strings.Contains(string(latest), fdb.Name()) {
			t.Fatalf("tree head not cached: %q, %v", latest, err)
		}
		before := cnt.n.Load()
		if _, err := newDB(t, gosumdb, cache).Lookup(ctx, toolchain, v1); err != nil {
			t.Fatal(err)
		}
		if n := cnt.n.Load() - before; n != 0 {
			t.Errorf("second client made %d requests, want 0 (all cached)", n)
		}

		// A database in its own test process so the fork does not leak.
		fork := fake.NewSumDB(t)
		fork.Add(toolchain, v1, h1)
		fork.Add(toolchain, v3, h3)
		fsrv := httptest.NewServer(fork.Handler())
		defer fsrv.Close()
		cache = fake.TempDir(t)
		if _, err := newDB(t, fork.GOSUMDB(fsrv.URL), cache).Lookup(ctx, toolchain, v1); err != nil {
			t.Fatal(err)
		}
		fork.Fork(toolchain, v1, h3)
		_, err = newDB(t, fork.GOSUMDB(fsrv.URL), cache).Lookup(ctx, toolchain, v3)
		if exitcode.Code(err) != exitcode.CodeVerify || !strings.Contains(err.Error(), "misbehav") {
			t.Errorf("lookup after fork = %v (code %d), want a verify error about misbehaviour", err, exitcode.Code(err))
		}
		// A client that never saw the old tree cannot tell; that is what
		// the cached tree head is for.
		if _, err := newDB(t, fork.GOSUMDB(fsrv.URL), fake.TempDir(t)).Lookup(ctx, toolchain, v3); err != nil {
			t.Errorf("fresh client: %v", err)
		}
	})

	t.Run("concurrent clients share the cache", func(t *testing.T) {
		cache := fake.TempDir(t)
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v := []string{v1, v2, v3}[i%3]
				if i%3 == 2 {
					v = "v1.0.0"
				}
				mod := toolchain
				if i%3 == 2 {
					mod = "example.com/other"
				}
				if _, err := newDB(t, gosumdb, cache).Lookup(ctx, mod, v); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}

func TestSumDBTampered(t *testing.T) {
	ctx := context.Background()
	const v = "v0.0.1-go1.22.5.linux-amd64"
	for _, tc := range []struct {
		name string
		mode fake.Tamper
	}{
		{"record", fake.TamperRecord},
		{"tile", fake.TamperTile},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fdb := fake.NewSumDB(t)
			zp, h1 := moduleZip(t, v, "go")
			for i := range 5 {
				fdb.Add("example.com/m", fmt.Sprintf("v1.0.%d", i), h1)
			}
			fdb.Add(toolchain, v, h1)
			fdb.Tamper(tc.mode)
			srv := httptest.NewServer(fdb.Handler())
			defer srv.Close()
			_, err := newDB(t, fdb.GOSUMDB(srv.URL), fake.TempDir(t)).CheckZip(ctx, toolchain, v, zp)
			if exitcode.Code(err) != exitcode.CodeVerify {
				t.Errorf("CheckZip = %v (code %d), want a verify error", err, exitcode.Code(err))
			}
		})
	}
}

func TestSumDBUnreachable(t *testing.T) {
	fdb := fake.NewSumDB(t)
	srv := httptest.NewServer(fdb.Handler())
	url := srv.URL
	srv.Close()
	_, err := newDB(t, fdb.GOSUMDB(url), fake.TempDir(t)).Lookup(context.Background(), toolchain, "v0.0.1-go1.22.5.linux-amd64")
	if err == nil {
		t.Fatal("lookup against a closed server succeeded")
	}
	if exitcode.Code(err) != exitcode.CodeError || !strings.Contains(err.Error(), url) {
		t.Errorf("err = %v (code %d), want a plain error naming %s", err, exitcode.Code(err), url)
	}
}

func TestSumDBThroughProxy(t *testing.T) {
	ctx := context.Background()
	const v = "v0.0.1-go1.22.5.linux-amd64"
	fdb := fake.NewSumDB(t)
	_, h1 := moduleZip(t, v, "go")
	fdb.Add(toolchain, v, h1)

	withDB := &counter{h: fdb.ProxyHandler()}
	proxy := httptest.NewServer(withDB)
	defer proxy.Close()
	without := &counter{h: http.NotFoundHandler()}
	bare := httptest.NewServer(without)
	defer bare.Close()
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "overloaded", http.StatusServiceUnavailable)
	}))
	defer broken.Close()

	// Direct connections to https://<name> are refused, and noted.
	var dialed atomic.Value
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if !strings.HasPrefix(addr, "127.0.0.1:") {
			dialed.Store(addr)
			return nil, errors.New("no network in tests")
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}}
	lookup := func(proxies ...string) error {
		db, err := NewSumDB(SumDBConfig{GOSUMDB: fdb.VerifierKey(), Proxies: proxies, CacheDir: fake.TempDir(t), Client: client})
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.Lookup(ctx, toolchain, v)
		return err
	}

	if err := lookup(bare.URL, proxy.URL+"/"); err != nil {
		t.Fatalf("through proxy: %v", err)
	}
	if without.n.Load() != 1 {
		t.Errorf("proxy without the database got %d requests, want 1 (/supported)", without.n.Load())
	}
	if withDB.n.Load() < 2 {
		t.Errorf("proxy with the database got %d requests, want /supported and the lookup", withDB.n.Load())
	}

	err := lookup(bare.URL, "direct", proxy.URL)
	if err == nil || !strings.Contains(err.Error(), "https://"+fdb.Name()) {
		t.Errorf("with direct before the proxy: err = %v, want a failure reaching https://%s", err, fdb.Name())
	}
	if got, _ := dialed.Load().(string); got != fdb.Name()+":443" {
		t.Errorf("dialed %q, want %s:443", got, fdb.Name())
	}

	// A proxy that fails otherwise than "not found" makes the database
	// unavailable, as in cmd/go: no silent fallback.
	err = lookup(broken.URL, proxy.URL)
	if err == nil || exitcode.Code(err) != exitcode.CodeError || !strings.Contains(err.Error(), broken.URL) {
		t.Errorf("with a broken proxy: err = %v, want a plain error naming %s", err, broken.URL)
	}
}

func TestParseGOSUMDB(t *testing.T) {
	fdb := fake.NewSumDB(t)
	_, escaping, err := note.GenerateKey(rand.Reader, "sum.example/../../evil")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in       string
		name     string
		key      string
		explicit string
		code     int // exit code of the error, 0 for success
	}{
		{"", "sum.golang.org", GoSumDBKey, "", 0},
		{"sum.golang.org", "sum.golang.org", GoSumDBKey, "", 0},
		{GoSumDBKey, "sum.golang.org", GoSumDBKey, "", 0},
		{"sum.golang.google.cn", "sum.golang.org", GoSumDBKey, "https://sum.golang.google.cn", 0},
		{"sum.golang.org https://example.com/sumdb/", "sum.golang.org", GoSumDBKey, "https://example.com/sumdb", 0},
		{fdb.VerifierKey(), fdb.Name(), fdb.VerifierKey(), "", 0},
		{fdb.GOSUMDB("http://127.0.0.1:1"), fdb.Name(), fdb.VerifierKey(), "http://127.0.0.1:1", 0},
		{"off", "", "", "", exitcode.CodeUsage},
		{"sum.golang.org a b", "", "", "", exitcode.CodeUsage},
		{"sum.golang.org ftp://x", "", "", "", exitcode.CodeUsage},
		{"sum.golang.org notaurl", "", "", "", exitcode.CodeUsage},
		{"example.com", "", "", "", exitcode.CodeUsage},
		{"sum.golang.org+033de0ae+AAAA", "", "", "", exitcode.CodeUsage},
		{escaping, "", "", "", exitcode.CodeUsage},
	}
	for _, tc := range tests {
		db, err := NewSumDB(SumDBConfig{GOSUMDB: tc.in, CacheDir: fake.TempDir(t), Client: &http.Client{}})
		if tc.code != 0 {
			if err == nil || exitcode.Code(err) != tc.code {
				t.Errorf("NewSumDB(%q) = %v (code %d), want code %d", tc.in, err, exitcode.Code(err), tc.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("NewSumDB(%q): %v", tc.in, err)
			continue
		}
		if db.name != tc.name || db.key != tc.key || db.explicit != tc.explicit {
			t.Errorf("NewSumDB(%q) = name %q key %q url %q; want %q %q %q", tc.in, db.name, db.key, db.explicit, tc.name, tc.key, tc.explicit)
		}
		if db.direct != "https://"+tc.name {
			t.Errorf("NewSumDB(%q).direct = %q", tc.in, db.direct)
		}
	}
	if _, err := NewSumDB(SumDBConfig{}); err == nil {
		t.Error("NewSumDB without a cache folder accepted")
	}
}

func TestRealSumDB(t *testing.T) {
	if os.Getenv("GOVER_E2E_NETWORK") != "1" {
		t.Skip("set GOVER_E2E_NETWORK=1 to check against the real sum.golang.org")
	}
	db := newDB(t, "sum.golang.org", fake.TempDir(t), "https://proxy.golang.org")
	lines, err := db.Lookup(context.Background(), toolchain, "v0.0.1-go1.22.5.linux-amd64")
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || !strings.HasPrefix(lines[0], toolchain+" v0.0.1-go1.22.5.linux-amd64 h1:") {
		t.Errorf("Lookup = %q", lines)
	}
	if db.base != "https://proxy.golang.org/sumdb/sum.golang.org" {
		t.Errorf("database reached at %s, want through the proxy", db.base)
	}
	t.Log(lines[0])

	// The real module zip, hashed by HashZip, matches the real database.
	resp, err := http.Get("https://proxy.golang.org/golang.org/toolchain/@v/v0.0.1-go1.22.5.linux-amd64.zip")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("downloading the module zip: %s", resp.Status)
	}
	zp := filepath.Join(fake.TempDir(t), "go1.22.5.zip")
	f, err := os.Create(zp)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		t.Fatal(err)
	}
	f.Close()
	h1, err := db.CheckZip(context.Background(), toolchain, "v0.0.1-go1.22.5.linux-amd64", zp)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(lines[0], " "+h1) {
		t.Errorf("CheckZip = %s, database line %q", h1, lines[0])
	}
}

func FuzzNewSumDB(f *testing.F) {
	for _, s := range []string{"", "off", "sum.golang.org", GoSumDBKey + " https://x.example/db", "sum.golang.google.cn", "a+b+c d e"} {
		f.Add(s)
	}
	cache := fake.TempDir(f)
	f.Fuzz(func(t *testing.T, gosumdb string) {
		db, err := NewSumDB(SumDBConfig{GOSUMDB: gosumdb, CacheDir: cache, Client: &http.Client{}})
		if err != nil {
			return
		}
		// Whatever is accepted names a database that is safe as a folder
		// under the cache and as a URL host[/path].
		if db.name == "" || strings.Contains(db.name, "..") || strings.ContainsAny(db.name, "\\\n\x00") || filepath.IsAbs(db.name) {
			t.Fatalf("GOSUMDB %q accepted with database name %q", gosumdb, db.name)
		}
		if !strings.HasPrefix(db.direct, "https://") {
			t.Fatalf("GOSUMDB %q: direct URL %q", gosumdb, db.direct)
		}
	})
}
