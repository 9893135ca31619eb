package tests

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/versions"
)

// servers is every kind of download server, local, serving the same fake
// SDKs: a module proxy with its checksum database, a go.dev/dl look-alike
// and a flat mirror.
type servers struct {
	t      *testing.T
	px     *fake.Proxy
	db     *fake.SumDB
	dl     *fake.DL
	mirror *fake.Mirror
	plat   versions.Platform
}

func newServers(t *testing.T) *servers {
	s := &servers{t: t, px: fake.NewProxy(t), db: fake.NewSumDB(t), mirror: fake.NewMirror(t), plat: versions.Host()}
	// The real gover trusts only Google's release key, so the fake site's
	// signatures (by a test key) must fail: it serves them only where a
	// test says so.
	s.dl = fake.NewDL(t, nil)
	s.px.MountSumDB(s.db)
	return s
}

// publish serves version for the host everywhere and returns the module zip.
func (s *servers) publish(version string) []byte {
	return s.publishRoot(version, fake.SDK(s.t, version, s.plat))
}

func (s *servers) publishRoot(version, root string) []byte {
	zip := fake.ModuleZip(s.t, root, version, s.plat)
	s.db.Add("golang.org/toolchain", fake.ToolchainVersion(version, s.plat), s.px.Add(version, s.plat, zip))
	var archive []byte
	if s.plat.OS == "windows" {
		archive = fake.Zip(s.t, root)
	} else {
		archive = fake.TarGz(s.t, root)
	}
	f := s.dl.Add(version, s.plat, archive)
	s.mirror.CopyFrom(s.dl, f.Filename, true, false)
	return zip
}

// use points u at the servers.
func (s *servers) use(u *user) {
	u.setenv("GOPROXY", s.px.URL)
	u.setenv("GOSUMDB", s.db.VerifierKey())
	u.setenv("GOVER_INDEX_URL", s.dl.IndexURL())
	u.setenv("GOVER_DOWNLOAD_URL", s.dl.DownloadBase())
	u.setenv("GOVER_MIRRORS", s.mirror.Base())
	u.setenv("GOVER_SOURCES", "proxy,official,mirror")
}

func (u *user) sdkGo(version string) string {
	return filepath.Join(u.home, "sdk", "go"+version, "bin", "go"+exeSuffix())
}

func (u *user) manifest(version string) map[string]any {
	u.t.Helper()
	data, err := os.ReadFile(filepath.Join(u.home, "meta", "go"+version+".json"))
	if err != nil {
		u.t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		u.t.Fatal(err)
	}
	return m
}

// nothingInstalled checks that version left no trace but what Clean removes.
func (u *user) nothingInstalled(version string) {
	u.t.Helper()
	if _, err := os.Stat(filepath.Join(u.home, "meta", "go"+version+".json")); err == nil {
		u.t.Errorf("go%s has a manifest", version)
	}
	r := u.ok("list")
	if strings.Contains(r.stdout, version) {
		u.t.Errorf("gover list shows %s:\n%s", version, r.stdout)
	}
}

func TestInstallFromProxy(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	s.publish("1.22.5")
	u := newUser(t)
	s.use(u)

	r := u.ok("install", "1.22.5")
	if !strings.Contains(r.stdout, "installed go1.22.5") || !strings.Contains(r.stdout, "sumdb:") {
		t.Errorf("install printed:\n%s\n%s", r.stdout, r.stderr)
	}
	out := u.run(u.sdkGo("1.22.5"), "version")
	if out.code != 0 || !strings.Contains(out.stdout, "go version go1.22.5 "+s.plat.String()) {
		t.Errorf("bin/go version: %+v", out)
	}
	if m := u.manifest("1.22.5"); m["trust"] != "sumdb" || m["h1"] == "" {
		t.Errorf("manifest %v", m)
	}
	if r := u.ok("install", "1.22.5"); !strings.Contains(r.stdout, "already installed") {
		t.Errorf("second install printed %q", r.stdout)
	}
	if r := u.ok("install", "--quiet", "1.22"); r.stdout != "" || r.stderr != "" {
		t.Errorf("--quiet printed %q %q", r.stdout, r.stderr)
	}

	// gover verify: fine, then a changed, a missing and an added file.
	if r := u.ok("verify"); !strings.Contains(r.stdout, "go1.22.5: ok") {
		t.Errorf("verify printed %q", r.stdout)
	}
	goroot := filepath.Dir(filepath.Dir(u.sdkGo("1.22.5")))
	if err := os.WriteFile(filepath.Join(goroot, "VERSION"), []byte("go1.22.5-evil\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(goroot, "src", "go.mod"))
	os.WriteFile(filepath.Join(goroot, "bin", "extra"), []byte("x"), 0o755)
	r = u.fails(3, "verify", "1.22.5")
	for _, want := range []string{"changed  VERSION", "missing  src/go.mod", "added    bin/extra", "gover: hint: gover install --force 1.22.5"} {
		if !strings.Contains(r.stdout+r.stderr, want) {
			t.Errorf("verify output lacks %q:\n%s%s", want, r.stdout, r.stderr)
		}
	}
	u.fails(2, "verify", "not-a-version")
	u.fails(4, "verify", "1.21.0")

	// Reinstalling works without downloading the zip again, from the
	// cache, which is only ever a copy of the same URL: the servers stop
	// serving the zip and the index, the URLs stay the same.
	u.ok("uninstall", "--force", "--keep-cache", "1.22.5")
	zp := fake.ZipPath("1.22.5", s.plat)
	s.px.SetFault(zp, &fake.Fault{Status: 503})
	s.dl.SetFault(fake.IndexPath, &fake.Fault{Status: 503})
	r = u.ok("install", "1.22.5")
	s.px.SetFault(zp, nil)
	s.dl.SetFault(fake.IndexPath, nil)
	if !strings.Contains(r.stderr, "from the download cache") {
		t.Errorf("offline reinstall:\n%s", r.stderr)
	}
	u.setenv("GOPROXY", "http://127.0.0.1:1")
	u.setenv("GOVER_INDEX_URL", "http://127.0.0.1:1/dl/")
	r = u.ok("cache", "clean")
	if !strings.Contains(r.stdout, "removed") {
		t.Errorf("cache clean printed %q", r.stdout)
	}
	if left, _ := os.ReadDir(filepath.Join(u.home, "cache", "downloads")); len(left) > 0 {
		t.Errorf("cache clean left %d files in the downloads", len(left))
	}
	u.ok("uninstall", "--force", "1.22.5")
	u.setenv("GOVER_MIRRORS", "http://127.0.0.1:1/golang/")
	r = u.fails(1, "install", "1.22.5")
	if !strings.Contains(r.stderr, "gover: hint:") {
		t.Errorf("offline install without a cache:\n%s", r.stderr)
	}
}

func TestInstallSources(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	s.publish("1.22.5")
	archive := "go1.22.5." + s.plat.Dashed() + s.plat.ArchiveExt()

	t.Run("official", func(t *testing.T) {
		u := newUser(t)
		s.use(u)
		if s.plat.OS != "windows" {
			// No .asc, and an index that is not Google's: the signature
			// may have been stripped, so the index's hash is worth no
			// more than a mirror's.
			r := u.fails(3, "install", "--source", "official", "1.22.5")
			if !strings.Contains(r.stderr, ".asc is missing") || !strings.Contains(r.stderr, "gover: hint: gover install --min-trust mirror 1.22.5") {
				t.Errorf("stderr:\n%s", r.stderr)
			}
			u.nothingInstalled("1.22.5")
			u.ok("install", "--source", "official", "--min-trust", "mirror", "1.22.5")
			if m := u.manifest("1.22.5"); m["trust"] != "mirror" || m["minTrust"] != "mirror" {
				t.Errorf("manifest %v", m)
			}
			return
		}
		r := u.ok("install", "--source", "official", "1.22.5")
		if m := u.manifest("1.22.5"); m["trust"] != "index" || !strings.Contains(r.stdout, "sha256:index") {
			t.Errorf("manifest %v\n%s", m, r.stdout)
		}
	})
	t.Run("official signed by another key", func(t *testing.T) {
		if s.plat.OS == "windows" {
			t.Skip("zip archives carry no signature")
		}
		u := newUser(t)
		s.use(u)
		s.dl.SetFile("/go/"+archive+".asc", fake.NewSigner(t).Sign(s.dl.File("/go/"+archive)))
		defer s.dl.SetFile("/go/"+archive+".asc", nil)
		r := u.fails(3, "install", "--source", "official", "1.22.5")
		if !strings.Contains(r.stderr, "gover: ") || !strings.Contains(r.stderr, ".asc") {
			t.Errorf("stderr:\n%s", r.stderr)
		}
		u.nothingInstalled("1.22.5")
	})
	t.Run("mirror", func(t *testing.T) {
		u := newUser(t)
		s.use(u)
		want := "index"
		if s.plat.OS != "windows" {
			// A .tar.gz without its .asc, checked against an index that
			// is not Google's: mirror trust, refused unless opted in.
			u.fails(3, "install", "--mirror", s.mirror.Base(), "1.22.5")
			u.nothingInstalled("1.22.5")
			u.setenv("GOVER_MIN_TRUST", "mirror")
			want = "mirror"
		}
		u.ok("install", "--mirror", s.mirror.Base(), "1.22.5")
		if m := u.manifest("1.22.5"); m["trust"] != want || m["source"].(map[string]any)["kind"] != "mirror" {
			t.Errorf("manifest %v", m)
		}
	})
	t.Run("mirror without index", func(t *testing.T) {
		u := newUser(t)
		s.use(u)
		u.setenv("GOVER_INDEX_URL", "http://127.0.0.1:1/dl/")
		r := u.fails(3, "install", "--source", "mirror", "1.22.5")
		if !strings.Contains(r.stderr, "GOVER_MIN_TRUST=mirror") {
			t.Errorf("the refusal does not name the opt-in:\n%s", r.stderr)
		}
		u.nothingInstalled("1.22.5")
		u.setenv("GOVER_MIN_TRUST", "mirror")
		u.ok("install", "--source", "mirror", "1.22.5")
		if m := u.manifest("1.22.5"); m["trust"] != "mirror" {
			t.Errorf("manifest %v", m)
		}
	})
	t.Run("archive", func(t *testing.T) {
		u := newUser(t)
		s.use(u)
		path := filepath.Join(t.TempDir(), archive)
		data := s.dl.File("/go/" + archive)
		os.WriteFile(path, data, 0o644)
		r := u.fails(3, "install", "--archive", path)
		if !strings.Contains(r.stderr, "gover: hint: gover install --archive "+path+" --sha256 <hash>") {
			t.Errorf("stderr:\n%s", r.stderr)
		}
		u.nothingInstalled("1.22.5")
		sum := sha256.Sum256(data)
		u.fails(3, "install", "--archive", path, "--sha256", strings.Repeat("0", 64))
		u.nothingInstalled("1.22.5")
		u.ok("install", "--archive", path, "--sha256", hex.EncodeToString(sum[:]))
		if m := u.manifest("1.22.5"); m["trust"] != "index" {
			t.Errorf("manifest %v", m)
		}
		u.fails(2, "install", "--sha256", "abc", "1.22.5")
	})
	t.Run("insecure", func(t *testing.T) {
		u := newUser(t)
		s.use(u)
		path := filepath.Join(t.TempDir(), archive)
		os.WriteFile(path, s.dl.File("/go/"+archive), 0o644)
		r := u.ok("install", "--archive", path, "--insecure-skip-verify")
		if !strings.Contains(r.stderr, "WARNING") || !strings.Contains(r.stdout, "NOT VERIFIED") {
			t.Errorf("no loud warning:\n%s\n%s", r.stdout, r.stderr)
		}
		// It installs, so it must not say otherwise (issue 10 item 6).
		if strings.Contains(r.stderr, "nothing was installed") || !strings.Contains(r.stderr, "installing it anyway, UNVERIFIED") {
			t.Errorf("the warning contradicts what happens:\n%s", r.stderr)
		}
		if m := u.manifest("1.22.5"); m["insecure"] != true || m["trust"] != "none" {
			t.Errorf("manifest %v", m)
		}
		// A plain install of the unverified SDK downloads and verifies it.
		r = u.ok("install", "1.22.5")
		if !strings.Contains(r.stderr, "UNVERIFIED; downloading and verifying it again") {
			t.Errorf("install over the unverified SDK:\n%s\n%s", r.stdout, r.stderr)
		}
		if m := u.manifest("1.22.5"); m["insecure"] == true || m["trust"] != "sumdb" {
			t.Errorf("after a plain install, manifest %v", m)
		}
	})
	t.Run("corrupt proxy zip", func(t *testing.T) {
		u := newUser(t)
		s.use(u)
		zp := fake.ZipPath("1.22.5", s.plat)
		good := s.px.File(zp)
		s.px.SetFile(zp, withExtraFile(t, good))
		defer s.px.SetFile(zp, good)
		r := u.fails(3, "install", "1.22.5")
		t.Logf("stderr:\n%s", r.stderr)
		if !strings.Contains(r.stderr, "gover: ") || !strings.Contains(r.stderr, "gover: hint:") {
			t.Errorf("stderr:\n%s", r.stderr)
		}
		u.nothingInstalled("1.22.5")
	})
	t.Run("usage", func(t *testing.T) {
		u := newUser(t)
		s.use(u)
		u.fails(2, "install")
		u.fails(2, "install", "--source", "ftp", "1.22.5")
		u.fails(2, "install", "--platform", "plan10/amd64", "1.22.5")
		u.fails(2, "install", "1.22.5.1")
		u.fails(4, "install", "1.19.13")
	})
}

// withExtraFile returns the module zip with one more file: every CRC right,
// the h1 hash wrong.
func withExtraFile(t *testing.T, data []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	name := zr.File[0].Name
	at := strings.Index(name, "@")
	prefix := name[:at+strings.Index(name[at:], "/")]
	w, _ := zw.Create(prefix + "/bin/extra")
	w.Write([]byte("extra"))
	zw.Close()
	return buf.Bytes()
}

func TestListRemote(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	for _, v := range []string{"1.21.0", "1.22.4", "1.22.5", "1.23rc1"} {
		s.publish(v)
	}
	u := newUser(t)
	s.use(u)
	r := u.ok("list-remote")
	if r.stdout != "1.22.5\n1.22.4\n1.21.0\n" {
		t.Errorf("list-remote printed %q", r.stdout)
	}
	if r := u.ok("list-remote", "--all"); !strings.HasPrefix(r.stdout, "1.23rc1\n") {
		t.Errorf("--all printed %q", r.stdout)
	}
	if r := u.ok("list-remote", "1.22"); r.stdout != "1.22.5\n1.22.4\n" {
		t.Errorf("list-remote 1.22 printed %q", r.stdout)
	}
	u.ok("install", "1.22.4")
	r = u.ok("list-remote", "--json", "1.22")
	var got []struct {
		Version   string
		Installed bool
		SHA256    string
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || len(got) != 2 || !got[1].Installed || got[0].Installed || got[0].SHA256 == "" {
		t.Errorf("--json: %v %+v\n%s", err, got, r.stdout)
	}
	u.fails(4, "list-remote", "1.19")
	u.fails(2, "list-remote", "x.y")

	// Offline with a cached list older than its hour: used, with a note.
	// Lists are cached per URL, so the index must fail at its own URL.
	lists, _ := filepath.Glob(filepath.Join(u.home, "cache", "lists", "*.json"))
	var cache string
	var c map[string]any
	for _, l := range lists {
		data, _ := os.ReadFile(l)
		c = nil
		if json.Unmarshal(data, &c) == nil && c["url"] == s.dl.IndexURL() {
			cache = l
			break
		}
	}
	if cache == "" {
		t.Fatalf("no cached list of %s among %v", s.dl.IndexURL(), lists)
	}
	c["fetched"] = time.Now().Add(-3 * time.Hour).UTC().Format(time.RFC3339)
	data, _ := json.Marshal(c)
	os.WriteFile(cache, data, 0o644)
	s.dl.SetFault(fake.IndexPath, &fake.Fault{Status: 503})
	u.setenv("GOPROXY", "http://127.0.0.1:1")
	r = u.ok("list-remote")
	s.dl.SetFault(fake.IndexPath, nil)
	if r.stdout != "1.22.5\n1.22.4  (installed)\n1.21.0\n" || !strings.Contains(r.stderr, "fetched 3h0m ago") {
		t.Errorf("offline list-remote:\n%s\n%s", r.stdout, r.stderr)
	}

	// The index unreachable and nothing cached: the proxy's list.
	u2 := newUser(t)
	s.use(u2)
	u2.setenv("GOVER_INDEX_URL", "http://127.0.0.1:1/dl/")
	if r := u2.ok("list-remote", "1.22"); r.stdout != "1.22.5\n1.22.4\n" {
		t.Errorf("list-remote from the proxy printed %q", r.stdout)
	}
}

// TestInstallConcurrentProcesses runs eight gover processes installing the
// same version at once: one downloads, all succeed, one copy is installed.
func TestInstallConcurrentProcesses(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	s.publish("1.22.5")
	u := newUser(t)
	s.use(u)
	var wg sync.WaitGroup
	results := make([]result, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = u.gover("install", "1.22.5")
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r.code != 0 {
			t.Errorf("process %d: exit %d\n%s", i, r.code, r.stderr)
		}
	}
	if n := s.px.Hits(fake.ZipPath("1.22.5", s.plat)); n != 1 {
		t.Errorf("zip downloaded %d times, want 1", n)
	}
	ents, _ := os.ReadDir(filepath.Join(u.home, "sdk"))
	if len(ents) != 1 {
		t.Errorf("sdk/ holds %d entries", len(ents))
	}
	if out := u.run(u.sdkGo("1.22.5"), "version"); out.code != 0 {
		t.Errorf("bin/go: %+v", out)
	}
}

// start runs gover in the background.
func (u *user) start(args ...string) (*exec.Cmd, *bytes.Buffer) {
	u.t.Helper()
	cmd := exec.Command(bins.gover, args...)
	cmd.Dir = u.dir
	cmd.Env = u.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		u.t.Fatal(err)
	}
	return cmd, &out
}

func waitReached(t *testing.T, f *fake.Fault, cmd *exec.Cmd, out *bytes.Buffer) {
	t.Helper()
	select {
	case <-f.Reached:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("gover never reached the stall:\n%s", out)
	}
}

// TestInstallKilled kills gover with SIGKILL while it downloads and while it
// extracts: no SDK may be visible afterwards, an SDK installed before is
// untouched, and the next run cleans up and installs.
func TestInstallKilled(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL semantics")
	}
	s := newServers(t)
	s.publish("1.22.5")
	s.publish("1.21.0")

	check := func(t *testing.T, u *user) {
		u.nothingInstalled("1.22.5")
		if out := u.run(u.sdkGo("1.21.0"), "version"); out.code != 0 {
			t.Errorf("the SDK installed before is broken: %+v", out)
		}
		r := u.ok("install", "1.22.5")
		if !strings.Contains(r.stdout, "installed go1.22.5") {
			t.Errorf("install after the kill:\n%s%s", r.stdout, r.stderr)
		}
		if out := u.run(u.sdkGo("1.22.5"), "version"); out.code != 0 {
			t.Errorf("bin/go after the kill: %+v", out)
		}
		u.ok("verify")
		if ents, _ := os.ReadDir(filepath.Join(u.home, "tmp")); len(ents) != 0 {
			t.Errorf("tmp/ holds %d entries after the next run", len(ents))
		}
	}

	t.Run("during download", func(t *testing.T) {
		u := newUser(t)
		s.use(u)
		u.ok("install", "1.21.0")
		zp := fake.ZipPath("1.22.5", s.plat)
		stall := fake.NewStall(int64(len(s.px.File(zp)) / 2))
		s.px.SetFault(zp, stall)
		cmd, out := u.start("install", "1.22.5")
		waitReached(t, stall, cmd, out)
		cmd.Process.Kill()
		cmd.Wait()
		s.px.SetFault(zp, nil)
		close(stall.Release)
		check(t, u)
	})

	t.Run("during streamed extraction", func(t *testing.T) {
		if s.plat.OS == "windows" {
			t.Skip("zips are extracted after the download")
		}
		u := newUser(t)
		s.use(u)
		u.ok("install", "1.21.0")
		// A .tar.gz is unpacked as it arrives: stall halfway through.
		path := "/go/go1.22.5." + s.plat.Dashed() + ".tar.gz"
		stall := fake.NewStall(int64(len(s.dl.File(path)) / 2))
		s.dl.SetFault(path, stall)
		cmd, out := u.start("install", "--source", "official", "1.22.5")
		waitReached(t, stall, cmd, out)
		sdk := filepath.Join(u.home, "sdk", "go1.22.5")
		deadline := time.Now().Add(30 * time.Second)
		for {
			if ents, _ := os.ReadDir(sdk); len(ents) > 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("nothing extracted:\n%s", out)
			}
			time.Sleep(10 * time.Millisecond)
		}
		cmd.Process.Kill()
		cmd.Wait()
		s.dl.SetFault(path, nil)
		close(stall.Release)
		if _, err := os.Stat(sdk + ".partial"); err != nil {
			t.Errorf("the half-extracted tree has no partial marker: %v", err)
		}
		check(t, u)
	})

	t.Run("during extraction", func(t *testing.T) {
		u := newUser(t)
		s.use(u)
		u.ok("install", "1.21.0")
		// The zip arrives whole; the checksum database stalls, so gover
		// sits with the tree extracted (or extracting) and not committed.
		lookup := "/sumdb/" + s.db.Name() + "/lookup/golang.org/toolchain@" + fake.ToolchainVersion("1.22.5", s.plat)
		stall := fake.NewStall(0)
		stall.Times = 1
		s.px.SetFault(lookup, stall)
		cmd, out := u.start("install", "1.22.5")
		waitReached(t, stall, cmd, out)
		marker := filepath.Join(u.home, "sdk", "go1.22.5.partial")
		deadline := time.Now().Add(30 * time.Second)
		for {
			if _, err := os.Stat(u.sdkGo("1.22.5")); err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("nothing extracted:\n%s", out)
			}
			time.Sleep(10 * time.Millisecond)
		}
		cmd.Process.Kill()
		cmd.Wait()
		close(stall.Release)
		if _, err := os.Stat(marker); err != nil {
			t.Errorf("the half-installed tree has no partial marker: %v", err)
		}
		check(t, u)
	})
}

// TestInstallDiskFull installs onto a 20 MB tmpfs: the download of a bigger
// SDK fails with a clear error and a hint, the SDK installed before stays,
// and the space is given back.
func TestInstallDiskFull(t *testing.T) {
	t.Parallel()
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("needs root on Linux to mount a tmpfs")
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })

	s := newServers(t)
	s.publish("1.21.0")
	big := fake.SDK(t, "1.22.5", s.plat)
	noise := make([]byte, 24<<20)
	rand.Read(noise)
	if err := os.WriteFile(filepath.Join(big, "pkg", "big.a"), noise, 0o644); err != nil {
		t.Fatal(err)
	}
	s.publishRoot("1.22.5", big)

	u := newUser(t)
	s.use(u)
	u.home = filepath.Join(mnt, "gover")
	u.setenv("GOVER_HOME", u.home)
	u.ok("install", "1.21.0")
	r := u.fails(1, "install", "1.22.5")
	t.Logf("stderr:\n%s", r.stderr)
	if !strings.Contains(r.stderr, "no space left") || !strings.Contains(r.stderr, "gover: hint:") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	u.nothingInstalled("1.22.5")
	if out := u.run(u.sdkGo("1.21.0"), "version"); out.code != 0 {
		t.Errorf("the SDK installed before is broken: %+v", out)
	}
	u.ok("verify", "1.21.0")
	if ents, _ := os.ReadDir(filepath.Join(u.home, "tmp")); len(ents) != 0 {
		t.Errorf("tmp/ holds %d entries", len(ents))
	}
}
