package source

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/store"
	"github.com/gover/gover/store/verify"
	"github.com/gover/gover/versions"
	"github.com/gover/gover/versions/spec"
)

// The install benchmarks install the Go that runs them (runtime.GOROOT(),
// a real SDK of about 15,000 files) from local fake servers, verified, into
// a store on tmpfs when /dev/shm exists (see DESIGN.md: on ext4, freshly
// deleted trees slow the next extraction). Compare with
//
//	curl -s $URL | tar -xz          (BenchmarkInstallTarGz)
//	curl -s -o z.zip $URL; unzip -q z.zip   (BenchmarkInstallModuleZip)
//
// on the same archives, for example with hyperfine.

func benchRoot(b *testing.B) string {
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		dir, err := os.MkdirTemp("/dev/shm", "gover-bench-")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { os.RemoveAll(dir) })
		return dir
	}
	return b.TempDir()
}

// hostSDK returns the running Go's version and a copy of its GOROOT whose
// files are all readable (module zips need regular files only).
func hostSDK(b *testing.B) (string, string) {
	root := runtime.GOROOT()
	data, err := os.ReadFile(filepath.Join(root, "VERSION"))
	if err != nil {
		b.Skip("no VERSION file in GOROOT")
	}
	first, _, _ := strings.Cut(string(data), "\n")
	if _, err := versions.Parse(first); err != nil {
		b.Skipf("GOROOT holds %q, not a release", first)
	}
	return strings.TrimPrefix(first, "go"), root
}

func benchInstall(b *testing.B, w *world, version string, o Options, setup func()) {
	v := versions.MustParse(version)
	sp, _ := spec.Parse(version)
	o.Platform = versions.Host()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		// Move the last tree aside rather than delete it in the timed
		// part, and drop the cache so every round downloads.
		if m, err := w.st.Lookup(v); err == nil {
			os.Remove(w.st.ManifestPath(v))
			os.Rename(m.GOROOT, filepath.Join(filepath.Dir(m.GOROOT), fmt.Sprintf("old%d", i)))
		}
		os.RemoveAll(filepath.Join(w.st.CacheDir(), "downloads"))
		setup()
		b.StartTimer()
		res, err := w.in.Install(context.Background(), sp, o)
		if err != nil {
			b.Fatal(err)
		}
		if res.AlreadyInstalled || res.Manifest.Insecure {
			b.Fatalf("manifest %+v", res.Manifest)
		}
	}
}

func newBenchWorld(b *testing.B) *world {
	if _, err := os.Stat(filepath.Join(runtime.GOROOT(), "bin", "go"+exe())); err != nil {
		b.Skip("no Go toolchain")
	}
	w := &world{
		st:     store.New(filepath.Join(benchRoot(b), "gover")),
		out:    &syncBuffer{},
		signer: fake.NewSigner(b),
		db:     fake.NewSumDB(b),
		px:     fake.NewProxy(b),
		mirror: fake.NewMirror(b),
	}
	w.dl = fake.NewDL(b, w.signer)
	w.px.MountSumDB(w.db)
	settings, err := LoadSettings(func(k string) string {
		return map[string]string{"GOPROXY": w.px.URL, "GOSUMDB": w.db.VerifierKey()}[k]
	}, "")
	if err != nil {
		b.Fatal(err)
	}
	in, err := NewInstaller(w.st, &http.Client{}, settings)
	if err != nil {
		b.Fatal(err)
	}
	in.Index.URLs = []string{w.dl.IndexURL()}
	in.DownloadBase = w.dl.DownloadBase()
	in.Downloader.Backoff = func(int) time.Duration { return time.Millisecond }
	kr, err := verify.NewKeyring(w.signer.Armored(), w.signer.Fingerprint())
	if err != nil {
		b.Fatal(err)
	}
	in.Keyring = kr
	w.in = in
	return w
}

// BenchmarkInstallTarGz: official source, .tar.gz extracted while it
// downloads, SHA-256 from the index and the .asc signature checked, file
// list written.
func BenchmarkInstallTarGz(b *testing.B) {
	if runtime.GOOS == "windows" {
		b.Skip("official Windows archives are zips")
	}
	w := newBenchWorld(b)
	version, archive := benchTarGz(b)
	w.dl.Add(version, versions.Host(), archive)
	b.SetBytes(int64(len(archive)))
	benchInstall(b, w, version, Options{Sources: []string{KindOfficial}}, func() {})
}

// benchTarGz returns the archive GOVER_BENCH_TARGZ names (an official
// go1.22.5.linux-amd64.tar.gz, as bench/install.sh prepares it) and its
// version, or else a .tar.gz of the running Go.
func benchTarGz(b *testing.B) (string, []byte) {
	name := os.Getenv("GOVER_BENCH_TARGZ")
	if name == "" {
		version, root := hostSDK(b)
		return version, fake.TarGz(b, root)
	}
	v, _, ok := strings.Cut(filepath.Base(name), "."+versions.Host().OS+"-")
	if !ok {
		b.Fatalf("GOVER_BENCH_TARGZ=%s: want go<version>.%s.tar.gz", name, versions.Host().Dashed())
	}
	data, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	return strings.TrimPrefix(v, "go"), data
}

// BenchmarkInstallModuleZip: proxy source, module zip extracted in
// parallel, its h1 checked against a checksum database through the tree's
// file list.
func BenchmarkInstallModuleZip(b *testing.B) {
	w := newBenchWorld(b)
	version, root := hostSDK(b)
	zip := fake.ModuleZip(b, root, version, versions.Host())
	w.db.Add(ToolchainModule, fake.ToolchainVersion(version, versions.Host()), w.px.Add(version, versions.Host(), zip))
	b.SetBytes(int64(len(zip)))
	benchInstall(b, w, version, Options{Sources: []string{KindProxy}}, func() {})
}
