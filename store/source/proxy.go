package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	neturl "net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/mod/module"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/store"
	"github.com/gover/gover/store/download"
	"github.com/gover/gover/store/verify"
)

// MaxModuleZip caps a toolchain module zip and, separately, what it
// unpacks to, as cmd/go caps every module zip (golang.org/x/mod/zip
// MaxZipFile). A bigger answer is not a Go toolchain.
const MaxModuleZip = 500 << 20

// proxySource downloads the toolchain module zip from the first proxy that
// has it; its h1, computed over every zip entry while it is unpacked, is
// checked against the checksum database. Its trust is sumdb.
type proxySource struct{}

func (proxySource) fetch(ctx context.Context, j *job) (*artifact, error) {
	list, err := j.in.Settings.Proxies()
	if err != nil {
		return nil, exitcode.WithHint(err, "go env -w GOPROXY=https://proxy.golang.org,direct")
	}
	proxies, notes, err := ToolchainProxies(list)
	for _, n := range notes {
		j.in.notef("note: %s", n)
	}
	if err != nil {
		return nil, err
	}
	modVer := ToolchainVersion(j.v, j.p)
	escPath, err := module.EscapePath(ToolchainModule)
	if err != nil {
		return nil, err
	}
	escVer, err := module.EscapeVersion(modVer)
	if err != nil {
		return nil, err
	}
	name := modVer + ".zip"
	db, err := j.sumDB(proxies)
	if err != nil {
		return nil, err
	}
	lctx, cancel := context.WithCancel(ctx)
	lk := startLookup(lctx, db, modVer)
	// A failed source stops its lookup; a good one keeps it for the
	// check, and the job's context ends it.
	ok := false
	defer func() {
		if !ok {
			cancel()
		}
	}()
	var (
		tried   []string // proxies that do not have it
		lastErr error    // of a proxy that failed otherwise
	)
	for _, px := range proxies {
		url := strings.TrimSuffix(px.URL, "/") + "/" + escPath + "/@v/" + escVer + ".zip"
		a := &artifact{
			kind:   KindProxy,
			url:    url,
			module: ToolchainModule + "@" + modVer,
			trust:  store.TrustSumDB,
		}
		if err := j.admit(a, "the checksum database "+db.Name()); err != nil {
			return nil, err
		}
		if !j.fromCache(a, name, "") {
			dst, err := j.scratch(name)
			if err != nil {
				return nil, err
			}
			res, err := j.getModuleZip(ctx, url, dst)
			if err != nil {
				os.Remove(dst)
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				if notFound(err) {
					j.in.notef("note: %s is not available from %s", modVer, px.URL)
					tried = append(tried, px.URL)
					continue
				}
				if px.FallBackOnError || errors.Is(err, download.ErrHTML) {
					j.in.notef("note: %s failed (%v); trying the next proxy", px.URL, err)
					lastErr = err
					continue
				}
				return nil, err
			}
			a.path, a.size, a.sha256 = res.Path, res.Size, res.SHA256
		}
		a.post = append(a.post, j.h1Check(db, lk, modVer))
		ok = true
		return a, nil
	}
	if len(tried) == 0 && lastErr != nil {
		return nil, lastErr
	}
	return nil, unavailable("%s for %s is not available from %s", j.v.Name(), j.p, strings.Join(tried, ", "))
}

// getModuleZip downloads a module zip, or copies it from a file:// proxy
// (an air-gapped module mirror on disk, as cmd/go allows). Either way it
// refuses more than MaxModuleZip bytes.
func (j *job) getModuleZip(ctx context.Context, rawURL, dst string) (download.Result, error) {
	if !strings.HasPrefix(rawURL, "file:") {
		return j.in.Downloader.Fetch(ctx, rawURL, dst, download.Expect{MaxSize: MaxModuleZip})
	}
	u, err := neturl.Parse(rawURL)
	if err != nil {
		return download.Result{}, err
	}
	src := filepath.FromSlash(u.Path)
	if len(src) > 2 && src[0] == '\\' && src[2] == ':' {
		src = src[1:] // file:///C:/mirror on Windows
	}
	in, err := os.Open(src)
	if errors.Is(err, fs.ErrNotExist) {
		return download.Result{}, fmt.Errorf("%s: %w", rawURL, download.ErrNotFound)
	}
	if err != nil {
		return download.Result{}, err
	}
	defer in.Close()
	if fi, err := in.Stat(); err == nil && fi.Size() > MaxModuleZip {
		return download.Result{}, download.TooLarge(rawURL, MaxModuleZip)
	}
	out, err := os.Create(dst)
	if err != nil {
		return download.Result{}, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), io.LimitReader(in, MaxModuleZip+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > MaxModuleZip {
		err = download.TooLarge(rawURL, MaxModuleZip)
	}
	if err != nil {
		return download.Result{}, err
	}
	return download.Result{Path: dst, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// sumDB opens the checksum database GOSUMDB names, reached through the
// proxies' /sumdb/ endpoints where they offer one.
func (j *job) sumDB(proxies []Proxy) (*verify.SumDB, error) {
	var urls []string
	for _, p := range proxies {
		urls = append(urls, p.URL)
	}
	db, err := verify.NewSumDB(verify.SumDBConfig{
		GOSUMDB:  j.in.Settings.GOSUMDB.Value,
		Proxies:  urls,
		Client:   j.in.Client,
		CacheDir: filepath.Join(j.in.Store.CacheDir(), "sumdb"),
	})
	if err != nil {
		// go env -u only edits the go env file: a variable set in the
		// environment needs unsetting there.
		hint := "go env -u GOSUMDB"
		if j.in.Settings.GOSUMDB.Origin == FromEnv {
			hint = "env -u GOSUMDB gover install " + j.v.String() + "   (then remove GOSUMDB from your shell startup file)"
			if runtime.GOOS == "windows" {
				hint = "Remove-Item Env:GOSUMDB; gover install " + j.v.String() + "   (PowerShell)"
			}
		}
		return nil, exitcode.WithHint(fmt.Errorf("checksum database (GOSUMDB, %s): %w", j.in.Settings.GOSUMDB.Origin, err), hint)
	}
	return db, nil
}

// lookup is a checksum database answer on its way.
type lookup struct {
	done  chan struct{}
	lines []string
	err   error
}

// startLookup asks the database for module@version while the zip
// downloads, so its round trips cost no time of their own.
func startLookup(ctx context.Context, db *verify.SumDB, version string) *lookup {
	l := &lookup{done: make(chan struct{})}
	go func() {
		defer close(l.done)
		l.lines, l.err = db.Lookup(ctx, ToolchainModule, version)
	}()
	return l
}

// h1Check compares the database's h1 hash for the module zip with the h1
// of the zip as it was unpacked: dirhash.HashZip's hash over every entry,
// directories included, each file's content hashed as it was written, so
// the zip is inflated once.
func (j *job) h1Check(db *verify.SumDB, l *lookup, version string) check {
	return func(ctx context.Context, a *artifact) (string, error) {
		select {
		case <-l.done:
		case <-ctx.Done():
			return "", ctx.Err()
		}
		if l.err != nil {
			return "", l.err
		}
		want := ""
		for _, line := range l.lines {
			f := strings.Fields(line)
			if len(f) == 3 && f[0] == ToolchainModule && f[1] == version && strings.HasPrefix(f[2], "h1:") {
				want = f[2]
			}
		}
		if want == "" {
			return "", fmt.Errorf("%s@%s: the checksum database %s has no h1 hash for it", ToolchainModule, version, db.Name())
		}
		got, err := verify.ZipH1(a.entries)
		if err != nil {
			return "", exitcode.Verify(fmt.Errorf("%s@%s: %w", ToolchainModule, version, err), "")
		}
		if got != want {
			return "", exitcode.Verify(fmt.Errorf("checksum MISMATCH for %s@%s:\n\tchecksum database %s: %s\n\tdownloaded zip:    %s\nthe download is corrupt or was tampered with",
				ToolchainModule, version, db.Name(), want, got), "")
		}
		a.h1 = got
		return "sumdb:" + db.Name(), nil
	}
}
