package source

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fake"

	"github.com/gover/gover/store"
	"github.com/gover/gover/store/verify"
	"github.com/gover/gover/versions"
	"github.com/gover/gover/versions/spec"
)

var (
	linux    = versions.Platform{OS: "linux", Arch: "amd64"}
	winAMD64 = versions.Platform{OS: "windows", Arch: "amd64"}
)

// world is a user's store plus every kind of server gover downloads from,
// all local and all serving the same fake SDKs.
type world struct {
	t      *testing.T
	st     *store.Store
	in     *Installer
	out    *syncBuffer
	dl     *fake.DL
	px     *fake.Proxy
	db     *fake.SumDB
	mirror *fake.Mirror
	signer *fake.Signer
	env    map[string]string
	zips   map[string][]byte // module zips by version+platform
	routes map[string]string // host:port -> local server, see route
	tars   map[string][]byte // official archives by file name
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newWorld(t *testing.T) *world {
	t.Helper()
	needGoTool(t)
	w := &world{
		t:      t,
		st:     store.New(filepath.Join(fake.TempDir(t), "gover")),
		out:    &syncBuffer{},
		signer: fake.NewSigner(t),
		db:     fake.NewSumDB(t),
		px:     fake.NewProxy(t),
		mirror: fake.NewMirror(t),
		zips:   map[string][]byte{},
		tars:   map[string][]byte{},
	}
	w.dl = fake.NewDL(t, w.signer)
	w.px.MountSumDB(w.db)
	w.env = map[string]string{
		"GOPROXY":       w.px.URL + ",direct",
		"GOSUMDB":       w.db.VerifierKey(),
		"GOVER_SOURCES": "proxy,official,mirror",
	}
	w.reload()
	return w
}

// reload rebuilds the installer after w.env changed.
func (w *world) reload() {
	w.t.Helper()
	settings, err := LoadSettings(func(k string) string { return w.env[k] }, "")
	if err != nil {
		w.t.Fatal(err)
	}
	in, err := NewInstaller(w.st, &http.Client{}, settings)
	if err != nil {
		w.t.Fatal(err)
	}
	in.Index.URLs = []string{w.dl.IndexURL()}
	in.DownloadBase = w.dl.DownloadBase()
	in.Out = w.out
	in.Downloader.Backoff = func(int) time.Duration { return time.Millisecond }
	in.Downloader.Stall = 2 * time.Second
	kr, err := verify.NewKeyring(w.signer.Armored(), w.signer.Fingerprint())
	if err != nil {
		w.t.Fatal(err)
	}
	in.Keyring = kr
	w.in = in
}

// publish makes version available for p everywhere: proxy (with its sumdb
// record), official site (archive, .sha256, .asc) and mirror (archive and
// .sha256).
func (w *world) publish(version string, p versions.Platform) {
	w.t.Helper()
	root := fake.SDK(w.t, version, p)
	zip := fake.ModuleZip(w.t, root, version, p)
	h1 := w.px.Add(version, p, zip)
	w.db.Add(ToolchainModule, fake.ToolchainVersion(version, p), h1)
	var archive []byte
	if p.OS == "windows" {
		archive = fake.Zip(w.t, root)
	} else {
		archive = fake.TarGz(w.t, root)
	}
	f := w.dl.Add(version, p, archive)
	w.mirror.CopyFrom(w.dl, f.Filename, true, false)
	w.zips[version+p.Dashed()] = zip
	w.tars[f.Filename] = archive
}

func (w *world) install(s string, o Options) (*Result, error) {
	w.t.Helper()
	sp, err := spec.Parse(s)
	if err != nil {
		w.t.Fatal(err)
	}
	if o.Platform == (versions.Platform{}) {
		o.Platform = linux
	}
	return w.in.Install(context.Background(), sp, o)
}

func (w *world) mustInstall(s string, o Options) *store.Manifest {
	w.t.Helper()
	res, err := w.install(s, o)
	if err != nil {
		w.t.Fatalf("install %s: %v\noutput:\n%s", s, err, w.out)
	}
	return res.Manifest
}

// failsVerify checks err is a verification failure and the store holds
// nothing new: no SDK folder, no manifest, no scratch files, nothing cached.
func (w *world) failsVerify(err error, version string, want ...string) {
	w.t.Helper()
	if err == nil {
		w.t.Fatalf("install succeeded, want a verification failure")
	}
	if code := exitcode.Code(err); code != exitcode.CodeVerify {
		w.t.Fatalf("exit code %d (%v), want %d", code, err, exitcode.CodeVerify)
	}
	for _, s := range want {
		if !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(s)) {
			w.t.Errorf("error %q does not mention %q", err, s)
		}
	}
	w.notInstalled(version)
}

func (w *world) notInstalled(version string) {
	w.t.Helper()
	v := versions.MustParse(version)
	if _, err := w.st.Lookup(v); !errors.Is(err, store.ErrNotInstalled) {
		w.t.Errorf("Lookup(%s) = %v, want not installed", version, err)
	}
	for _, p := range []string{w.st.SDKDir(v), w.st.PartialMarker(v), w.st.FileListPath(v)} {
		if _, err := os.Stat(p); err == nil {
			w.t.Errorf("%s exists after a failed install", p)
		}
	}
	if ents, _ := os.ReadDir(w.st.TmpDir()); len(ents) > 0 {
		w.t.Errorf("tmp/ holds %d entries after a failed install", len(ents))
	}
	ents, _ := os.ReadDir(filepath.Join(w.st.CacheDir(), "downloads"))
	for _, e := range ents {
		if strings.Contains(e.Name(), "go"+version+".") {
			w.t.Errorf("cache holds %s after a failed install", e.Name())
		}
	}
}

// checkSDK checks a committed install: manifest, runnable tree, file list.
func (w *world) checkSDK(m *store.Manifest, kind string, trust store.Trust, checks ...string) {
	w.t.Helper()
	if m.Source.Kind != kind || m.Trust != trust || m.Insecure {
		w.t.Errorf("source %s trust %s insecure %v, want %s %s", m.Source.Kind, m.Trust, m.Insecure, kind, trust)
	}
	for _, c := range checks {
		found := false
		for _, mc := range m.Checks {
			found = found || strings.HasPrefix(mc, c)
		}
		if !found {
			w.t.Errorf("checks %v lack %q", m.Checks, c)
		}
	}
	v := versions.MustParse(m.Version)
	got, err := w.st.Lookup(v)
	if err != nil {
		w.t.Fatal(err)
	}
	if got.TreeHash == "" || !strings.HasPrefix(got.TreeHash, "h1:") {
		w.t.Errorf("tree hash %q", got.TreeHash)
	}
	goBin := filepath.Join(m.GOROOT, "bin", "go")
	if strings.HasPrefix(m.Platform, "windows") {
		goBin += ".exe"
	}
	fi, err := os.Stat(goBin)
	if err != nil {
		w.t.Fatal(err)
	}
	if runtime.GOOS != "windows" && !strings.HasPrefix(m.Platform, "windows") && fi.Mode()&0o111 == 0 {
		w.t.Errorf("%s is not executable: %v", goBin, fi.Mode())
	}
	diff, err := verify.CompareFileList(m.GOROOT, w.st.FileListPath(v))
	if err != nil || !diff.Empty() {
		w.t.Errorf("file list: %+v, %v", diff, err)
	}
}

func TestInstallProxy(t *testing.T) {
	w := newWorld(t)
	w.publish("1.22.5", linux)
	m := w.mustInstall("1.22.5", Options{})
	w.checkSDK(m, KindProxy, store.TrustSumDB, "sumdb:"+w.db.Name())
	if m.H1 == "" || m.Source.Module != "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64" || m.SHA256 == "" || m.Size == 0 {
		t.Errorf("manifest %+v", m)
	}
	if strings.Contains(w.out.String(), `"direct" skipped`) {
		t.Errorf("a note about the trailing GOPROXY direct, which never stood in the way:\n%s", w.out)
	}

	res, err := w.install("1.22.5", Options{})
	if err != nil || !res.AlreadyInstalled {
		t.Fatalf("second install: %+v, %v", res, err)
	}
	if _, err := w.install("1.22.5", Options{Platform: winAMD64}); err == nil || !strings.Contains(err.Error(), "installed for linux/amd64") {
		t.Errorf("install for another platform: %v", err)
	}

	// The verified zip stayed in the cache: a reinstall needs no proxy.
	if _, err := w.st.Uninstall(context.Background(), versions.MustParse("1.22.5"), store.UninstallOptions{Force: true, KeepCache: true}); err != nil {
		t.Fatal(err)
	}
	zipPath := fake.ZipPath("1.22.5", linux)
	hits := w.px.Hits(zipPath)
	w.px.SetFault(zipPath, &fake.Fault{Status: 500})
	m = w.mustInstall("1.22.5", Options{})
	w.checkSDK(m, KindProxy, store.TrustSumDB, "sumdb:", "sha256:cache")
	if w.px.Hits(zipPath) != hits {
		t.Errorf("reinstall downloaded the zip again")
	}

	// A cached file that rotted is dropped and downloaded again.
	if _, err := w.st.Uninstall(context.Background(), versions.MustParse("1.22.5"), store.UninstallOptions{Force: true, KeepCache: true}); err != nil {
		t.Fatal(err)
	}
	w.px.SetFault(zipPath, nil)
	cached := filepath.Join(w.st.CacheDir(), "downloads", "v0.0.1-go1.22.5.linux-amd64.zip")
	if err := os.WriteFile(cached, []byte("rot"), 0o644); err != nil {
		t.Fatal(err)
	}
	m = w.mustInstall("1.22.5", Options{})
	w.checkSDK(m, KindProxy, store.TrustSumDB, "sumdb:")
	if w.px.Hits(zipPath) != hits+1 {
		t.Errorf("zip downloaded %d times after the cache rotted, want 1", w.px.Hits(zipPath)-hits)
	}
}

func TestInstallProxyFallsThrough(t *testing.T) {
	w := newWorld(t)
	w.publish("1.22.5", linux)
	empty := fake.NewProxy(t)
	broken := fake.NewProxy(t)
	broken.SetFault(fake.ZipPath("1.22.5", linux), &fake.Fault{Status: 500})
	// 404 passes "," on; a 500 passes only "|" on.
	w.env["GOPROXY"] = empty.URL + "," + broken.URL + "|" + w.px.URL
	w.reload()
	m := w.mustInstall("1.22.5", Options{})
	w.checkSDK(m, KindProxy, store.TrustSumDB, "sumdb:")
	if !strings.Contains(m.Source.URL, w.px.URL) {
		t.Errorf("installed from %s", m.Source.URL)
	}
}

func TestInstallFileProxy(t *testing.T) {
	w := newWorld(t)
	w.publish("1.22.5", linux)
	// An air-gapped module mirror on disk, with the database reached
	// over the network proxy's /sumdb/ endpoint.
	dir := fake.TempDir(t)
	zp := fake.ZipPath("1.22.5", linux)
	local := filepath.Join(dir, filepath.FromSlash(zp))
	if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(local, w.px.File(zp), 0o644); err != nil {
		t.Fatal(err)
	}
	u := "file://" + filepath.ToSlash(dir)
	if runtime.GOOS == "windows" {
		u = "file:///" + filepath.ToSlash(dir)
	}
	w.env["GOPROXY"] = u + "," + w.px.URL
	w.reload()
	m := w.mustInstall("1.22.5", Options{Sources: []string{KindProxy}})
	w.checkSDK(m, KindProxy, store.TrustSumDB, "sumdb:")
	if !strings.HasPrefix(m.Source.URL, "file://") || w.px.Hits(zp) != 0 {
		t.Errorf("installed from %s (%d network downloads)", m.Source.URL, w.px.Hits(zp))
	}
	// Not on disk: the next proxy.
	w.st.Uninstall(context.Background(), versions.MustParse("1.22.5"), store.UninstallOptions{Force: true, KeepCache: true})
	os.RemoveAll(filepath.Join(w.st.CacheDir(), "downloads"))
	os.Remove(local)
	m = w.mustInstall("1.22.5", Options{Sources: []string{KindProxy}})
	if !strings.HasPrefix(m.Source.URL, w.px.URL) {
		t.Errorf("installed from %s", m.Source.URL)
	}
}

func TestInstallOfficial(t *testing.T) {
	w := newWorld(t)
	w.publish("1.22.5", linux)
	w.publish("1.22.5", winAMD64)
	// The proxy refuses this one, as proxy.golang.org does for some.
	w.px.SetFault(fake.ZipPath("1.22.5", linux), &fake.Fault{Status: 404})
	m := w.mustInstall("1.22.5", Options{})
	w.checkSDK(m, KindOfficial, store.TrustSignature, "sha256:index", "pgp:")
	if !strings.Contains(w.out.String(), "not available") {
		t.Errorf("no note about the proxy:\n%s", w.out)
	}

	// Windows archives are zips without signatures.
	w2 := newWorld(t)
	w2.publish("1.22.5", winAMD64)
	m = w2.mustInstall("1.22.5", Options{Sources: []string{KindOfficial}, Platform: winAMD64})
	w2.checkSDK(m, KindOfficial, store.TrustIndex, "sha256:index")
}

func TestInstallOfficialFaults(t *testing.T) {
	name := "go1.22.5.linux-amd64.tar.gz"
	tests := []struct {
		name   string
		break_ func(w *world)
		want   []string
	}{
		{"corrupted bytes", func(w *world) {
			b := bytes.Clone(w.tars[name])
			b[len(b)/2] ^= 0xff
			w.dl.SetFile("/go/"+name, b)
		}, []string{"sha256 mismatch", name, "nothing was installed"}},
		{"truncated", func(w *world) {
			w.dl.SetFile("/go/"+name, w.tars[name][:len(w.tars[name])-10])
		}, []string{name}},
		{"bad signature", func(w *world) {
			w.dl.SetFile("/go/"+name+".asc", []byte("-----BEGIN PGP SIGNATURE-----\n\ngarbage\n-----END PGP SIGNATURE-----\n"))
		}, []string{".asc"}},
		{"wrong key", func(w *world) {
			other := fake.NewSigner(w.t)
			w.dl.SetFile("/go/"+name+".asc", other.Sign(w.tars[name]))
		}, []string{".asc"}},
		{"signature of other bytes", func(w *world) {
			w.dl.SetFile("/go/"+name+".asc", w.signer.Sign([]byte("something else")))
		}, []string{".asc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.publish("1.22.5", linux)
			tt.break_(w)
			_, err := w.install("1.22.5", Options{Sources: []string{KindOfficial}})
			w.failsVerify(err, "1.22.5", tt.want...)
		})
	}
}

func TestInstallProxyTampered(t *testing.T) {
	w := newWorld(t)
	w.publish("1.22.5", linux)
	// A well-formed zip with one file more: every CRC is fine, the h1 is not.
	w.px.SetFile(fake.ZipPath("1.22.5", linux), fake.RewriteZip(t, w.zips["1.22.5linux-amd64"], nil,
		fake.ZipEntry{Name: "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64/bin/evil", Data: "#!/bin/sh\necho pwned\n"}))

	_, err := w.install("1.22.5", Options{Sources: []string{KindProxy}})
	w.failsVerify(err, "1.22.5", "v0.0.1-go1.22.5.linux-amd64")

	// A verification failure is final: no other source is tried.
	_, err = w.install("1.22.5", Options{})
	w.failsVerify(err, "1.22.5")
	if w.dl.Hits("/go/go1.22.5.linux-amd64.tar.gz") != 0 {
		t.Errorf("the official source was tried after a verification failure")
	}
}

func TestInstallMirror(t *testing.T) {
	name := "go1.22.5.linux-amd64.tar.gz"
	t.Run("index checksum and signature", func(t *testing.T) {
		w := newWorld(t)
		w.publish("1.22.5", linux)
		w.mirror.CopyFrom(w.dl, name, true, true)
		m := w.mustInstall("1.22.5", Options{Sources: []string{KindMirror}, Mirrors: []string{w.mirror.Base()}})
		w.checkSDK(m, KindMirror, store.TrustSignature, "sha256:index", "pgp:")
	})
	t.Run("no signature and an index that is not Google's", func(t *testing.T) {
		// The signature is the only link to Google: a mirror that lacks
		// it gets no more than mirror trust.
		w := newWorld(t)
		w.publish("1.22.5", linux)
		_, err := w.install("1.22.5", Options{Sources: []string{KindMirror}, Mirrors: []string{w.mirror.Base()}})
		w.failsVerify(err, "1.22.5", ".asc is missing", "not Google's")
		if h := exitcode.Hint(err); !strings.Contains(h, "--min-trust mirror") {
			t.Errorf("hint %q", h)
		}
	})
	t.Run("disagrees with the index", func(t *testing.T) {
		w := newWorld(t)
		w.publish("1.22.5", linux)
		w.mirror.CopyFrom(w.dl, name, true, true)
		other := fake.TarGz(t, fake.SDK(t, "1.22.5", linux))
		w.mirror.SetFile(name, append(other, 0))
		_, err := w.install("1.22.5", Options{Sources: []string{KindMirror}, Mirrors: []string{w.mirror.Base()}})
		w.failsVerify(err, "1.22.5", w.mirror.Base(), "official release index")
	})
	t.Run("own checksum when the index is down", func(t *testing.T) {
		w := newWorld(t)
		w.publish("1.22.5", linux)
		w.dl.SetFault(fake.IndexPath, &fake.Fault{Status: 503})
		_, err := w.install("1.22.5", Options{Sources: []string{KindMirror}, Mirrors: []string{w.mirror.Base()}})
		w.failsVerify(err, "1.22.5", "mirror's own checksum", `below the required "index"`)
		if h := exitcode.Hint(err); !strings.Contains(h, "--min-trust mirror") || !strings.Contains(h, "GOVER_MIN_TRUST=mirror") {
			t.Errorf("hint %q does not name the opt-in", h)
		}
		if w.mirror.Hits(name) != 0 {
			t.Errorf("the archive was downloaded before it was refused")
		}
		m := w.mustInstall("1.22.5", Options{Sources: []string{KindMirror}, Mirrors: []string{w.mirror.Base()}, MinTrust: store.TrustMirror})
		w.checkSDK(m, KindMirror, store.TrustMirror, "sha256:mirror")
		if m.MinTrust != store.TrustMirror {
			t.Errorf("manifest records minimum %q", m.MinTrust)
		}
	})
	t.Run("signature when the index is down", func(t *testing.T) {
		w := newWorld(t)
		w.publish("1.22.5", linux)
		w.dl.SetFault(fake.IndexPath, &fake.Fault{Status: 503})
		w.mirror.CopyFrom(w.dl, name, true, true)
		m := w.mustInstall("1.22.5", Options{Sources: []string{KindMirror}, Mirrors: []string{w.mirror.Base()}})
		w.checkSDK(m, KindMirror, store.TrustSignature, "sha256:mirror", "pgp:")
	})
	t.Run("wrong own checksum", func(t *testing.T) {
		w := newWorld(t)
		w.publish("1.22.5", linux)
		w.dl.SetFault(fake.IndexPath, &fake.Fault{Status: 503})
		w.mirror.SetFile(name+".sha256", []byte(strings.Repeat("ab", 32)+"  "+name+"\n"))
		_, err := w.install("1.22.5", Options{Sources: []string{KindMirror}, Mirrors: []string{w.mirror.Base()}, MinTrust: store.TrustMirror})
		w.failsVerify(err, "1.22.5", w.mirror.Base())
	})
	t.Run("nothing to check against", func(t *testing.T) {
		w := newWorld(t)
		w.publish("1.22.5", linux)
		w.dl.SetFault(fake.IndexPath, &fake.Fault{Status: 503})
		w.mirror.SetFile(name+".sha256", nil)
		_, err := w.install("1.22.5", Options{Sources: []string{KindMirror}, Mirrors: []string{w.mirror.Base()}})
		w.failsVerify(err, "1.22.5", "no published checksum")
		if h := exitcode.Hint(err); !strings.Contains(h, "--insecure-skip-verify") {
			t.Errorf("hint %q", h)
		}
		res, err := w.install("1.22.5", Options{Sources: []string{KindMirror}, Mirrors: []string{w.mirror.Base()}, InsecureSkipVerify: true})
		if err != nil {
			t.Fatal(err)
		}
		if m := res.Manifest; !m.Insecure || m.Trust != store.TrustNone {
			t.Errorf("insecure install recorded as %+v", m)
		}
		if !strings.Contains(w.out.String(), "WARNING") {
			t.Errorf("no warning:\n%s", w.out)
		}
	})
	t.Run("first mirror lacks it", func(t *testing.T) {
		w := newWorld(t)
		w.publish("1.22.5", linux)
		w.mirror.CopyFrom(w.dl, name, true, true)
		empty := fake.NewMirror(t)
		m := w.mustInstall("1.22.5", Options{Sources: []string{KindMirror}, Mirrors: []string{empty.Base(), w.mirror.Base()}})
		w.checkSDK(m, KindMirror, store.TrustSignature)
		if !strings.HasPrefix(m.Source.URL, w.mirror.Base()) {
			t.Errorf("installed from %s", m.Source.URL)
		}
	})
}

func TestInstallFile(t *testing.T) {
	w := newWorld(t)
	root := fake.SDK(t, "1.22.5", linux)
	tgz := fake.TarGz(t, root)
	dir := fake.TempDir(t)
	path := filepath.Join(dir, "go1.22.5.linux-amd64.tar.gz")
	if err := os.WriteFile(path, tgz, 0o644); err != nil {
		t.Fatal(err)
	}
	sum, _ := verify.SHA256File(path)
	v := versions.MustParse("1.22.5")

	// Nothing to verify against: refused.
	_, err := w.in.Install(context.Background(), spec.Spec{}, Options{Archive: path})
	w.failsVerify(err, "1.22.5", "refusing")

	// Wrong --sha256.
	_, err = w.in.Install(context.Background(), spec.Spec{}, Options{Archive: path, SHA256: strings.Repeat("0", 64)})
	w.failsVerify(err, "1.22.5", "SHA-256")

	// Right --sha256.
	res, err := w.in.Install(context.Background(), spec.Spec{}, Options{Archive: path, SHA256: sum})
	if err != nil {
		t.Fatal(err)
	}
	w.checkSDK(res.Manifest, KindFile, store.TrustIndex, "sha256:user")
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the user's archive is gone: %v", err)
	}
	w.st.Uninstall(context.Background(), v, store.UninstallOptions{Force: true, KeepCache: true})

	// Sibling .sha256 and .asc.
	os.WriteFile(path+".sha256", []byte(sum+"  go1.22.5.linux-amd64.tar.gz\n"), 0o644)
	os.WriteFile(path+".asc", w.signer.Sign(tgz), 0o644)
	res, err = w.in.Install(context.Background(), spec.Spec{}, Options{Archive: path})
	if err != nil {
		t.Fatal(err)
	}
	w.checkSDK(res.Manifest, KindFile, store.TrustSignature, "sha256:file", "pgp:")
	w.st.Uninstall(context.Background(), v, store.UninstallOptions{Force: true, KeepCache: true})

	// A bad sibling signature is a failure even with a good checksum.
	os.WriteFile(path+".asc", w.signer.Sign([]byte("x")), 0o644)
	_, err = w.in.Install(context.Background(), spec.Spec{}, Options{Archive: path})
	w.failsVerify(err, "1.22.5")

	// A module zip under an unhelpful name, version given.
	zpath := filepath.Join(dir, "toolchain.zip")
	zdata := fake.ModuleZip(t, fake.SDK(t, "1.21.0", linux), "1.21.0", linux)
	os.WriteFile(zpath, zdata, 0o644)
	zsum, _ := verify.SHA256File(zpath)
	if _, err := w.in.Install(context.Background(), spec.Spec{}, Options{Archive: zpath, SHA256: zsum}); exitcode.Code(err) != exitcode.CodeUsage {
		t.Errorf("unnamed archive without a version: %v", err)
	}
	res, err = w.in.Install(context.Background(), mustSpec(t, "1.21.0"), Options{Archive: zpath, SHA256: zsum, Platform: linux})
	if err != nil {
		t.Fatal(err)
	}
	w.checkSDK(res.Manifest, KindFile, store.TrustIndex)

	// The wrong version for what the archive holds.
	_, err = w.in.Install(context.Background(), mustSpec(t, "1.21.1"), Options{Archive: zpath, SHA256: zsum, Platform: linux})
	w.failsVerify(err, "1.21.1")

	// Insecure.
	other := filepath.Join(dir, "go1.23.0.linux-amd64.tar.gz")
	os.WriteFile(other, fake.TarGz(t, fake.SDK(t, "1.23.0", linux)), 0o644)
	res, err = w.in.Install(context.Background(), spec.Spec{}, Options{Archive: other, InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Manifest.Insecure || res.Manifest.Trust != store.TrustNone {
		t.Errorf("manifest %+v", res.Manifest)
	}
}

func mustSpec(t *testing.T, s string) spec.Spec {
	sp, err := spec.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func TestInstallNetworkFaults(t *testing.T) {
	t.Run("500 then success", func(t *testing.T) {
		w := newWorld(t)
		w.publish("1.22.5", linux)
		w.px.SetFault(fake.ZipPath("1.22.5", linux), &fake.Fault{Status: 500, Times: 2})
		m := w.mustInstall("1.22.5", Options{Sources: []string{KindProxy}})
		w.checkSDK(m, KindProxy, store.TrustSumDB)
	})
	t.Run("connection cut mid-download", func(t *testing.T) {
		w := newWorld(t)
		w.publish("1.22.5", linux)
		name := "go1.22.5.linux-amd64.tar.gz"
		w.dl.SetFault("/go/"+name, &fake.Fault{CutAfter: int64(len(w.tars[name]) / 2), Times: 1})
		m := w.mustInstall("1.22.5", Options{Sources: []string{KindOfficial}})
		w.checkSDK(m, KindOfficial, store.TrustSignature)
	})
	t.Run("every source down", func(t *testing.T) {
		w := newWorld(t)
		w.publish("1.22.5", linux)
		w.px.SetFault(fake.ZipPath("1.22.5", linux), &fake.Fault{Status: 500})
		w.dl.SetFault(fake.IndexPath, &fake.Fault{Status: 500})
		w.mirror.SetFault("go1.22.5.linux-amd64.tar.gz", &fake.Fault{Status: 500})
		_, err := w.install("1.22.5", Options{Mirrors: []string{w.mirror.Base()}})
		if err == nil || exitcode.Hint(err) == "" {
			t.Fatalf("err = %v (hint %q)", err, exitcode.Hint(err))
		}
		for _, s := range []string{"proxy:", "official:", "mirror:"} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("error does not report %s\n%v", s, err)
			}
		}
		w.notInstalled("1.22.5")
		// Without the mirror (whose own .sha256 still answers), nothing
		// answers at all. GOPROXY is the test's own (environment): the
		// hint is the command that goes back to the default proxy.
		_, err = w.install("1.22.5", Options{Sources: []string{KindProxy, KindOfficial}})
		if h, want := exitcode.Hint(err), "GOPROXY="+DefaultGOPROXY+" gover install 1.22.5"; !strings.HasPrefix(h, want) {
			t.Errorf("err = %v\nhint = %q, want it to start with %q", err, h, want)
		}
	})
	t.Run("not available anywhere", func(t *testing.T) {
		w := newWorld(t)
		w.publish("1.22.5", linux)
		_, err := w.install("1.22.4", Options{Mirrors: []string{w.mirror.Base()}})
		if exitcode.Code(err) != exitcode.CodeNotFound {
			t.Fatalf("err = %v, want not found", err)
		}
		w.notInstalled("1.22.4")
	})
	t.Run("GOPROXY=off", func(t *testing.T) {
		w := newWorld(t)
		w.publish("1.22.5", linux)
		w.env["GOPROXY"] = "off"
		w.reload()
		m := w.mustInstall("1.22.5", Options{})
		w.checkSDK(m, KindOfficial, store.TrustSignature)
		if !strings.Contains(w.out.String(), "GOPROXY=off") {
			t.Errorf("no note about GOPROXY=off:\n%s", w.out)
		}
		_, err := w.install("1.21.0", Options{Sources: []string{KindProxy}})
		if err == nil || !strings.Contains(err.Error(), "GOPROXY=off") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("previous SDKs survive", func(t *testing.T) {
		w := newWorld(t)
		w.publish("1.22.5", linux)
		w.publish("1.21.0", linux)
		before := w.mustInstall("1.21.0", Options{})
		w.px.SetFile(fake.ZipPath("1.22.5", linux), []byte("not a zip"))
		_, err := w.install("1.22.5", Options{Sources: []string{KindProxy}})
		w.failsVerify(err, "1.22.5")
		after, err := w.st.Lookup(versions.MustParse("1.21.0"))
		if err != nil || after.TreeHash != before.TreeHash {
			t.Fatalf("1.21.0 after a failed install: %+v, %v", after, err)
		}
	})
}

func TestInstallConcurrent(t *testing.T) {
	w := newWorld(t)
	w.publish("1.22.5", linux)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = w.install("1.22.5", Options{})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("install %d: %v", i, err)
		}
	}
	if n := w.px.Hits(fake.ZipPath("1.22.5", linux)); n != 1 {
		t.Errorf("zip downloaded %d times, want 1", n)
	}
	vs, _ := w.st.Installed()
	if len(vs) != 1 {
		t.Errorf("installed: %v", vs)
	}
}

func TestResolve(t *testing.T) {
	w := newWorld(t)
	for _, v := range []string{"1.21.0", "1.22.4", "1.22.5", "1.23rc1"} {
		w.publish(v, linux)
	}
	tests := []struct{ spec, want string }{
		{"1.22", "1.22.5"},
		{"latest", "1.22.5"},
		{"~1.21", "1.21.0"},
		{"1.23", "1.23rc1"},
		{"1.22.4", "1.22.4"},
	}
	for _, tt := range tests {
		v, err := w.in.Resolve(context.Background(), mustSpec(t, tt.spec), linux)
		if err != nil || v.String() != tt.want {
			t.Errorf("Resolve(%s) = %v, %v, want %s", tt.spec, v, err, tt.want)
		}
	}
	if _, err := w.in.Resolve(context.Background(), mustSpec(t, "1.19"), linux); exitcode.Code(err) != exitcode.CodeNotFound {
		t.Errorf("Resolve(1.19) error = %v", err)
	}

	// The index is down and nothing is cached: the proxy's list answers.
	w2 := newWorld(t)
	for _, v := range []string{"1.22.4", "1.22.5"} {
		w2.publish(v, linux)
	}
	w2.dl.SetFault(fake.IndexPath, &fake.Fault{Status: 500})
	r, err := w2.in.Remote(context.Background())
	if err != nil || r.From != KindProxy {
		t.Fatalf("Remote = %+v, %v", r, err)
	}
	if v, err := w2.in.Resolve(context.Background(), mustSpec(t, "1.22"), linux); err != nil || v.String() != "1.22.5" {
		t.Errorf("Resolve via the proxy = %v, %v", v, err)
	}
	m := w2.mustInstall("1.22", Options{})
	if m.Version != "1.22.5" {
		t.Errorf("installed %s", m.Version)
	}

	// Everything down: the cached list, marked stale once old.
	now := time.Now().Add(3 * time.Hour)
	w.in.Index.Now = func() time.Time { return now }
	w.dl.SetFault(fake.IndexPath, &fake.Fault{Status: 500})
	w.px.SetFault("/golang.org/toolchain/@v/list", &fake.Fault{Status: 500})
	r, err = w.in.Remote(context.Background())
	if err != nil || !r.Stale || r.From != KindOfficial {
		t.Fatalf("Remote offline = %+v, %v", r, err)
	}
}

func TestIndexCache(t *testing.T) {
	dir := fake.TempDir(t)
	body := []byte(`[{"version":"go1.22.5","stable":true,"files":[]}]`)
	calls := 0
	now := time.Unix(1700000000, 0)
	ix := &Index{
		URLs:     []string{"https://a.example/", "https://b.example/"},
		CacheDir: dir,
		Now:      func() time.Time { return now },
		Get: func(_ context.Context, url string, _ int64) ([]byte, error) {
			calls++
			if url == "https://a.example/" {
				return nil, errors.New("a is down")
			}
			return body, nil
		},
	}
	r, err := ix.Releases(context.Background())
	if err != nil || r.URL != "https://b.example/" || r.Cached || len(r.Releases) != 1 {
		t.Fatalf("first: %+v, %v", r, err)
	}
	r, err = ix.Releases(context.Background())
	if err != nil || !r.Cached || r.Stale || calls != 2 {
		t.Fatalf("second: %+v, %v (calls %d)", r, err, calls)
	}
	now = now.Add(2 * time.Hour)
	ix.Get = func(context.Context, string, int64) ([]byte, error) { return nil, io.ErrUnexpectedEOF }
	r, err = ix.Releases(context.Background())
	if err != nil || !r.Stale || r.Age(now) != 2*time.Hour {
		t.Fatalf("offline: %+v, %v", r, err)
	}
	os.WriteFile(ix.CacheFile("https://b.example/"), []byte("{"), 0o644)
	if _, err := ix.Releases(context.Background()); err == nil {
		t.Fatal("no error with a broken cache and no network")
	}
	ix.Get = func(context.Context, string, int64) ([]byte, error) { return []byte(`{"not":"a list"}`), nil }
	if _, err := ix.Fetch(context.Background()); err == nil {
		t.Fatal("a malformed index was accepted")
	}
}

func TestToolchainVersions(t *testing.T) {
	v, p, err := ParseToolchainVersion("v0.0.1-go1.22.5.linux-amd64")
	if err != nil || v.String() != "1.22.5" || p != linux {
		t.Fatalf("= %v %v %v", v, p, err)
	}
	if ToolchainVersion(v, p) != "v0.0.1-go1.22.5.linux-amd64" {
		t.Error(ToolchainVersion(v, p))
	}
	for _, bad := range []string{"v0.0.1-go1.22.5", "v0.0.2-go1.22.5.linux-amd64", "v0.0.1-go../x.linux-amd64", "v0.0.1-go1.22.5.plan10-amd64", ""} {
		if _, _, err := ParseToolchainVersion(bad); err == nil {
			t.Errorf("ParseToolchainVersion(%q) accepted", bad)
		}
	}
	rs, err := ParseToolchainList([]byte("v0.0.1-go1.22.5.linux-amd64\nv0.0.1-go1.22.5.windows-amd64\nv0.0.1-go1.23rc1.linux-amd64\ngarbage\n"))
	if err != nil || len(rs) != 2 {
		t.Fatalf("ParseToolchainList = %+v, %v", rs, err)
	}
	if f, ok := rs[0].Archive(winAMD64); !ok || f.Filename != "go1.22.5.windows-amd64.zip" {
		t.Errorf("windows archive %+v %v", f, ok)
	}
	if rs[1].Stable {
		t.Errorf("1.23rc1 listed as stable")
	}
	if _, err := ParseToolchainList([]byte("nothing\n")); err == nil {
		t.Error("an empty list was accepted")
	}
}

func FuzzParseToolchainVersion(f *testing.F) {
	f.Add("v0.0.1-go1.22.5.linux-amd64")
	f.Add("v0.0.1-go1.21rc2.windows-arm64")
	f.Fuzz(func(t *testing.T, s string) {
		v, p, err := ParseToolchainVersion(s)
		if err != nil {
			return
		}
		if got := ToolchainVersion(v, p); got != s {
			t.Fatalf("%q round-trips to %q", s, got)
		}
	})
}

// TestUnreachableHint: when no source answers, the hint is a command that
// works: back to the default GOPROXY when the user set another one (in the
// environment or with go env -w), else gover doctor and the offline route.
func TestUnreachableHint(t *testing.T) {
	for _, tt := range []struct {
		proxy  Setting
		prefix string
	}{
		{Setting{Name: "GOPROXY", Value: "http://127.0.0.1:9", Origin: FromEnv}, "GOPROXY=" + DefaultGOPROXY + " gover install 1.22.5"},
		{Setting{Name: "GOPROXY", Value: "http://127.0.0.1:9", Origin: FromGoEnv}, "go env -w GOPROXY=" + DefaultGOPROXY},
		{Setting{Name: "GOPROXY", Value: DefaultGOPROXY, Origin: FromDefault}, "gover doctor"},
		{Setting{Name: "GOPROXY", Value: DefaultGOPROXY, Origin: FromEnv}, "gover doctor"},
	} {
		h := unreachableHint(&Settings{GOPROXY: tt.proxy}, "1.22.5")
		if !strings.HasPrefix(h, tt.prefix) {
			t.Errorf("%s: hint = %q, want it to start with %q", tt.proxy, h, tt.prefix)
		}
	}
}
