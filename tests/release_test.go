package tests

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/gover/gover/internal/fake"
)

// A release mirror in memory, laid out as GitHub releases are and as
// .goreleaser.yml names the files: <base>/latest (text, "v1.1.0"),
// <base>/download/v1.1.0/gover_1.1.0_<os>_<arch>.<tar.gz|zip> and
// <base>/download/v1.1.0/gover_1.1.0_checksums.txt. The names are spelled
// out here, not taken from package release, so the tests catch a change on
// either side.
type releaseMirror struct {
	t     *testing.T
	mu    sync.Mutex
	files map[string][]byte
	srv   *httptest.Server
}

func newReleaseMirror(t *testing.T) *releaseMirror {
	m := &releaseMirror{t: t, files: map[string][]byte{}}
	m.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.mu.Lock()
		data, ok := m.files[r.URL.Path]
		m.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	}))
	t.Cleanup(m.srv.Close)
	return m
}

func (m *releaseMirror) base() string { return m.srv.URL + "/releases" }

func (m *releaseMirror) set(path string, data []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files["/releases/"+path] = data
}

func (m *releaseMirror) get(path string) []byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.files["/releases/"+path]
}

func archiveName(version, goos, goarch string) string {
	ext := "tar.gz"
	if goos == "windows" {
		ext = "zip"
	}
	return fmt.Sprintf("gover_%s_%s_%s.%s", version, goos, goarch, ext)
}

func hostArchiveName(version string) string {
	return archiveName(version, runtime.GOOS, runtime.GOARCH)
}

// publish packs the given binaries (archive name → file on disk) with a
// README.md and LICENSE for the host platform, writes the checksums file,
// and makes version the latest release. It returns the archive's path
// under the base.
func (m *releaseMirror) publish(version string, bins map[string]string) string {
	m.t.Helper()
	return m.publishFor(runtime.GOOS, runtime.GOARCH, version, bins)
}

// publishFor is publish for any platform.
func (m *releaseMirror) publishFor(goos, goarch, version string, bins map[string]string) string {
	m.t.Helper()
	files := map[string][]byte{"README.md": []byte("# gover\n"), "LICENSE": []byte("MIT\n")}
	for name, path := range bins {
		data, err := os.ReadFile(path)
		if err != nil {
			m.t.Fatal(err)
		}
		files[name] = data
	}
	name := archiveName(version, goos, goarch)
	data := packRelease(m.t, name, files)
	sum := sha256.Sum256(data)
	// A second, foreign archive so the checksums file has more than one line.
	other := fmt.Sprintf("gover_%s_plan9_mips.tar.gz", version)
	sums := fmt.Sprintf("%064x  %s\n%s  %s\n", 1, other, hex.EncodeToString(sum[:]), name)
	dir := "download/v" + version + "/"
	m.set(dir+name, data)
	m.setChecksums(version, []byte(sums))
	m.set("latest", []byte("v"+version+"\n"))
	return dir + name
}

// setChecksums publishes sums as version's checksums file with its
// signature by the release test key, which gover built with -tags
// gover_testkey (stampedGover, buildFor) trusts.
func (m *releaseMirror) setChecksums(version string, sums []byte) {
	m.t.Helper()
	asc, err := fake.SignRelease(sums)
	if err != nil {
		m.t.Fatal(err)
	}
	m.set("download/v"+version+"/gover_"+version+"_checksums.txt", sums)
	m.set("download/v"+version+"/gover_"+version+"_checksums.txt.asc", asc)
}

func packRelease(t *testing.T, name string, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	if strings.HasSuffix(name, ".zip") {
		zw := zip.NewWriter(&buf)
		for n, data := range files {
			h := &zip.FileHeader{Name: n, Method: zip.Store}
			h.SetMode(0o755)
			w, err := zw.CreateHeader(h)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(data)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	// Speed over size: these archives hold two freshly built binaries.
	gz, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	tw := tar.NewWriter(gz)
	for n, data := range files {
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o755, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(data)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// stamped builds, once per run, gover with a release version stamped in as
// .goreleaser.yml does.
var stamped struct {
	sync.Mutex
	gover map[string]string
}

func stampedGover(t *testing.T, version string) string {
	t.Helper()
	stamped.Lock()
	defer stamped.Unlock()
	if p, ok := stamped.gover[version]; ok {
		return p
	}
	dir := filepath.Join(bins.dir, "v"+version)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "gover"+exeSuffix())
	ldflags := "-X github.com/gover/gover/internal/buildinfo.version=" + version
	// The test key tag adds the release test key to the pinned keys, so
	// that releases published by releaseMirror verify.
	if out, err := exec.Command("go", "build", "-tags", "gover_testkey", "-ldflags", ldflags, "-o", p, "../cmd/gover").CombinedOutput(); err != nil {
		t.Fatalf("building gover %s: %v\n%s", version, err, out)
	}
	if stamped.gover == nil {
		stamped.gover = map[string]string{}
	}
	stamped.gover[version] = p
	return p
}

// shimBinary is the separately built go shim (TestMain built it), or ""
// when gover has none.
func shimBinary(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("../cmd/gover-shim"); err != nil {
		return ""
	}
	buildShimBins(t)
	return filepath.Join(bins.dir, "gover-shim"+exeSuffix())
}

// releaseBins is what a release archive for the host holds.
func releaseBins(t *testing.T, version string) map[string]string {
	m := map[string]string{"gover" + exeSuffix(): stampedGover(t, version)}
	if s := shimBinary(t); s != "" {
		m["gover-shim"+exeSuffix()] = s
	}
	return m
}

func fileSum(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// hasSetup reports whether this gover has a setup command yet.
func hasSetup(t *testing.T) bool {
	u := newUser(t)
	return u.gover("setup", "--help").code == 0
}

// installScript runs install.sh as the user with args, with the release
// test key in place of the release keys it embeds (the only change).
func (u *user) installScript(args ...string) result {
	u.t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		u.t.Skip("no POSIX sh to run install.sh")
	}
	script := filepath.Join(u.dir, "install.sh")
	if err := os.WriteFile(script, []byte(installScriptWithKey(u.t, readRepoFile(u.t, "install.sh"))), 0o644); err != nil {
		u.t.Fatal(err)
	}
	return u.run(sh, append([]string{script}, args...)...)
}

// pathWithout returns a PATH of one folder holding links to every program
// on the current PATH except those named, so a script finds everything but
// them.
func pathWithout(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			skip := false
			for _, n := range names {
				if strings.HasPrefix(e.Name(), n) {
					skip = true
				}
			}
			if skip {
				continue
			}
			os.Symlink(filepath.Join(d, e.Name()), filepath.Join(dir, e.Name())) // the first on PATH wins
		}
	}
	if _, err := exec.LookPath(filepath.Join(dir, "sh")); err != nil {
		t.Fatalf("no sh in %s", dir)
	}
	return dir
}

// The block of install.sh that holds the release keys.
const (
	keysBegin = "# BEGIN GOVER RELEASE KEYS"
	keysEnd   = "# END GOVER RELEASE KEYS"
)

// installScriptWithKey replaces the release keys block of install.sh with
// one holding the release test key.
func installScriptWithKey(t *testing.T, src string) string {
	t.Helper()
	i, j := strings.Index(src, keysBegin), strings.Index(src, keysEnd)
	if i < 0 || j < i {
		t.Fatal("install.sh has no release keys block")
	}
	pub, err := fake.ReleaseTestPublicKey()
	if err != nil {
		t.Fatal(err)
	}
	block := keysBegin + "\nrelease_fingerprints=\"" + fake.ReleaseTestFingerprint + "\"\nrelease_keys='" + strings.TrimSpace(string(pub)) + "'\n"
	return src[:i] + block + src[j:]
}

// TestInstallScriptKeys checks that install.sh and install.ps1 embed
// exactly the release keys gover pins (release/keys/).
func TestInstallScriptKeys(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir("../release/keys")
	if err != nil || len(entries) == 0 {
		t.Fatalf("release/keys: %v", err)
	}
	var fprs, quoted []string
	for _, e := range entries {
		fpr := strings.TrimSuffix(strings.TrimPrefix(e.Name(), "gover-release-"), ".asc")
		fprs = append(fprs, fpr)
		quoted = append(quoted, "'"+fpr+"'")
	}
	for script, fprLine := range map[string]string{
		"install.sh":  "release_fingerprints=\"" + strings.Join(fprs, " ") + "\"",
		"install.ps1": "$ReleaseFingerprints = @(" + strings.Join(quoted, ", ") + ")",
	} {
		src := readRepoFile(t, script)
		i, j := strings.Index(src, keysBegin), strings.Index(src, keysEnd)
		if i < 0 || j < i {
			t.Fatalf("%s has no release keys block", script)
		}
		block := src[i:j]
		for _, e := range entries {
			if key := strings.TrimSpace(readRepoFile(t, "release/keys/"+e.Name())); !strings.Contains(block, key) {
				t.Errorf("%s does not embed %s", script, e.Name())
			}
		}
		if !strings.Contains(block, fprLine) {
			t.Errorf("%s lacks %s", script, fprLine)
		}
		if n := strings.Count(block, "BEGIN PGP PUBLIC KEY BLOCK"); n != len(entries) {
			t.Errorf("%s embeds %d keys, release/keys has %d", script, n, len(entries))
		}
	}
}

func TestInstallScript(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("install.sh is for Unix shells; Windows uses install.ps1")
	}
	m := newReleaseMirror(t)
	m.publish("1.1.0", releaseBins(t, "1.1.0"))
	m.publish("1.0.0", releaseBins(t, "1.0.0"))
	m.set("latest", []byte("v1.1.0\n"))

	t.Run("latest into GOVER_HOME/bin", func(t *testing.T) {
		u := newUser(t)
		r := u.installScript("--base-url", m.base(), "--no-setup")
		if r.code != 0 {
			t.Fatalf("install.sh: exit %d\n%s", r.code, r.stderr)
		}
		gover := filepath.Join(u.home, "bin", "gover")
		if out := u.run(gover, "--version"); !strings.Contains(out.stdout, "gover version 1.1.0 ") {
			t.Errorf("installed gover --version = %q", out.stdout)
		}
		if shimBinary(t) != "" {
			if _, err := os.Stat(filepath.Join(u.home, "bin", "gover-shim")); err != nil {
				t.Errorf("the release's gover-shim was not installed: %v", err)
			}
		}
		if !strings.Contains(r.stderr, "verified sha256") {
			t.Errorf("install.sh did not report the verification:\n%s", r.stderr)
		}
		if _, err := exec.LookPath("gpg"); err == nil && !strings.Contains(r.stderr, "verified the signature of gover_1.1.0_checksums.txt: gover release key "+fake.ReleaseTestFingerprint) {
			t.Errorf("install.sh did not report the signature check:\n%s", r.stderr)
		}
		entries, _ := os.ReadDir(filepath.Join(u.home, "bin"))
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				t.Errorf("left a staging file behind: %s", e.Name())
			}
		}
	})

	t.Run("version and dir, over an older gover", func(t *testing.T) {
		u := newUser(t)
		dir := filepath.Join(u.dir, "my bin")
		if r := u.installScript("--base-url", m.base(), "--version", "v1.0.0", "--dir", dir, "--no-setup"); r.code != 0 {
			t.Fatalf("install.sh 1.0.0: exit %d\n%s", r.code, r.stderr)
		}
		if out := u.run(filepath.Join(dir, "gover"), "--version"); !strings.Contains(out.stdout, "gover version 1.0.0 ") {
			t.Errorf("gover --version = %q", out.stdout)
		}
		if r := u.installScript("--base-url="+m.base(), "--version=1.1.0", "--dir="+dir, "--no-setup"); r.code != 0 {
			t.Fatalf("install.sh 1.1.0: exit %d\n%s", r.code, r.stderr)
		}
		if out := u.run(filepath.Join(dir, "gover"), "--version"); !strings.Contains(out.stdout, "gover version 1.1.0 ") {
			t.Errorf("after the upgrade, gover --version = %q", out.stdout)
		}
	})

	t.Run("without gpg, says only the checksum was checked", func(t *testing.T) {
		u := newUser(t)
		u.setenv("PATH", pathWithout(t, "gpg"))
		r := u.installScript("--base-url", m.base(), "--no-setup")
		if r.code != 0 {
			t.Fatalf("install.sh: exit %d\n%s", r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "gpg is not installed, so only the SHA-256 checksum was checked") || strings.Contains(r.stderr, "verified the signature") {
			t.Errorf("install.sh without gpg:\n%s", r.stderr)
		}
	})

	t.Run("environment variables", func(t *testing.T) {
		u := newUser(t)
		dir := filepath.Join(u.dir, "envbin")
		u.setenv("GOVER_RELEASE_URL", m.base())
		u.setenv("GOVER_INSTALL_VERSION", "1.0.0")
		u.setenv("GOVER_INSTALL_DIR", dir)
		if r := u.installScript("--no-setup"); r.code != 0 {
			t.Fatalf("install.sh: exit %d\n%s", r.code, r.stderr)
		}
		if out := u.run(filepath.Join(dir, "gover"), "--version"); !strings.Contains(out.stdout, "gover version 1.0.0 ") {
			t.Errorf("gover --version = %q", out.stdout)
		}
	})

	failures := []struct {
		name   string
		mutate func(m *releaseMirror, archive string)
		args   []string
		want   string
	}{
		{"tampered archive", func(m *releaseMirror, archive string) {
			data := append([]byte(nil), m.get(archive)...)
			data[len(data)/2] ^= 0xff
			m.set(archive, data)
		}, nil, "checksum mismatch"},
		{"wrong checksum", func(m *releaseMirror, archive string) {
			m.setChecksums("1.1.0", []byte(strings.Repeat("ab", 32)+"  "+hostArchiveName("1.1.0")+"\n"))
		}, nil, "checksum mismatch"},
		{"no archive for this platform", func(m *releaseMirror, archive string) {
			m.setChecksums("1.1.0", []byte(strings.Repeat("ab", 32)+"  gover_1.1.0_plan9_mips.tar.gz\n"))
		}, nil, "has no release for"},
		// Issue 10 item 5, install.sh's side.
		{"unsigned release", func(m *releaseMirror, archive string) {
			m.mu.Lock()
			delete(m.files, "/releases/download/v1.1.0/gover_1.1.0_checksums.txt.asc")
			m.mu.Unlock()
		}, nil, "refusing an unsigned release"},
		{"checksums of an evil archive, old signature", func(m *releaseMirror, archive string) {
			evil := packRelease(t, hostArchiveName("1.1.0"), map[string][]byte{"gover": []byte("#!/bin/sh\ntouch evil\n")})
			sum := sha256.Sum256(evil)
			m.set(archive, evil)
			m.set("download/v1.1.0/gover_1.1.0_checksums.txt", []byte(hex.EncodeToString(sum[:])+"  "+hostArchiveName("1.1.0")+"\n"))
		}, nil, "does not verify with gover's release key"},
		{"signed by another key", func(m *releaseMirror, archive string) {
			sums := m.get("download/v1.1.0/gover_1.1.0_checksums.txt")
			m.set("download/v1.1.0/gover_1.1.0_checksums.txt.asc", fake.NewSigner(t).Sign(sums))
		}, nil, "does not verify with gover's release key"},
		{"plain http mirror", nil, []string{"--base-url", "http://gover-mirror.example/releases"}, "not an https URL"},
		{"http with a loopback-looking user name", nil, []string{"--base-url", "http://127.0.0.1@gover-mirror.example/releases"}, "not an https URL"},
		{"http on a host named like loopback", nil, []string{"--base-url", "http://127.0.0.1.gover-mirror.example/releases"}, "not an https URL"},
		{"listed but not uploaded", func(m *releaseMirror, archive string) {
			m.mu.Lock()
			delete(m.files, "/releases/"+archive)
			m.mu.Unlock()
		}, nil, "cannot download"},
		{"archive with only the shim", func(m *releaseMirror, archive string) {
			data := packRelease(m.t, hostArchiveName("1.1.0"), map[string][]byte{"gover-shim": []byte("#!/bin/sh\n"), "README.md": []byte("x")})
			sum := sha256.Sum256(data)
			m.set(archive, data)
			m.setChecksums("1.1.0", []byte(hex.EncodeToString(sum[:])+"  "+hostArchiveName("1.1.0")+"\n"))
		}, nil, "holds no gover"},
		{"unknown version", nil, []string{"--version", "9.9.9"}, "is 9.9.9 a gover release"},
		{"bad version", nil, []string{"--version", "1.0.0/../../x"}, "invalid version"},
		{"latest is not a version", func(m *releaseMirror, archive string) {
			m.set("latest", []byte("<html>\n"))
		}, nil, "cannot tell the latest version"},
	}
	for _, tt := range failures {
		t.Run(tt.name, func(t *testing.T) {
			m := newReleaseMirror(t)
			archive := m.publish("1.1.0", releaseBins(t, "1.1.0"))
			if tt.mutate != nil {
				tt.mutate(m, archive)
			}
			u := newUser(t)
			// An installed gover that a failed install must leave alone.
			binDir := filepath.Join(u.home, "bin")
			os.MkdirAll(binDir, 0o755)
			old := filepath.Join(binDir, "gover")
			os.WriteFile(old, []byte("#!/bin/sh\necho old gover\n"), 0o755)

			r := u.installScript(append([]string{"--base-url", m.base(), "--no-setup"}, tt.args...)...)
			if r.code == 0 {
				t.Fatalf("install.sh succeeded; want a failure mentioning %q\n%s", tt.want, r.stderr)
			}
			// Verification failures exit with 3, as gover's do.
			if (strings.Contains(tt.want, "checksum mismatch") || strings.Contains(tt.want, "verify") || strings.Contains(tt.want, "unsigned") || strings.Contains(tt.want, "https")) && r.code != 3 {
				t.Errorf("exit %d, want 3", r.code)
			}
			if _, err := os.Stat(filepath.Join(u.dir, "evil")); err == nil {
				t.Error("install.sh ran an unverified binary")
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr does not mention %q:\n%s", tt.want, r.stderr)
			}
			if data, _ := os.ReadFile(old); string(data) != "#!/bin/sh\necho old gover\n" {
				t.Errorf("a failed install changed the installed gover")
			}
			if entries, _ := os.ReadDir(binDir); len(entries) != 1 {
				t.Errorf("a failed install left files in %s: %v", binDir, entries)
			}
		})
	}
}

func TestInstallScriptRunsSetup(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("install.sh is for Unix shells; Windows uses install.ps1")
	}
	if !hasSetup(t) {
		t.Skip("gover has no setup command yet")
	}
	m := newReleaseMirror(t)
	m.publish("1.1.0", releaseBins(t, "1.1.0"))
	u := newUser(t)
	r := u.installScript("--base-url", m.base())
	if r.code != 0 {
		t.Fatalf("install.sh with setup: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(u.home, "bin", "go"+exeSuffix())); err != nil {
		t.Errorf("gover setup did not create the go shim: %v", err)
	}
}

// installedGover puts a stamped gover (and the shim) at dir, as an earlier
// install would have, and returns the gover path.
func installedGover(t *testing.T, version, dir string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var gover string
	for name, src := range releaseBins(t, version) {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, name)
		if err := os.WriteFile(dst, data, 0o755); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(name, "gover.") || name == "gover" {
			gover = dst
		}
	}
	return gover
}

func TestSelfUpdate(t *testing.T) {
	t.Parallel()
	m := newReleaseMirror(t)
	m.publish("1.1.0", releaseBins(t, "1.1.0"))

	t.Run("check only reports", func(t *testing.T) {
		u := newUser(t)
		gover := installedGover(t, "1.0.0", filepath.Join(u.dir, "opt"))
		before := fileSum(t, gover)
		r := u.run(gover, "self-update", "--check", "--base-url", m.base())
		if r.code != 0 || !strings.Contains(r.stdout, "gover 1.1.0 is available (this is 1.0.0)") {
			t.Fatalf("self-update --check: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
		}
		if fileSum(t, gover) != before {
			t.Error("--check changed the binary")
		}
	})

	t.Run("updates to the latest", func(t *testing.T) {
		u := newUser(t)
		dir := filepath.Join(u.dir, "opt")
		gover := installedGover(t, "1.0.0", dir)
		u.setenv("GOVER_RELEASE_URL", m.base())
		r := u.run(gover, "self-update")
		if r.code != 0 {
			t.Fatalf("self-update: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stdout, "gover 1.1.0 installed") || !strings.Contains(r.stderr, "verified") {
			t.Errorf("self-update output:\nstdout: %s\nstderr: %s", r.stdout, r.stderr)
		}
		if v := u.run(gover, "--version"); !strings.Contains(v.stdout, "gover version 1.1.0 ") {
			t.Errorf("after self-update, gover --version = %q", v.stdout)
		}
		if fileSum(t, gover) != fileSum(t, stampedGover(t, "1.1.0")) {
			t.Error("the installed binary is not the released one")
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				t.Errorf("self-update left %s behind", e.Name())
			}
		}
		// Now up to date: nothing to do.
		r = u.run(gover, "self-update")
		if r.code != 0 || !strings.Contains(r.stdout, "gover 1.1.0 is up to date") {
			t.Errorf("second self-update: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
		}
	})

	t.Run("explicit older version", func(t *testing.T) {
		m := newReleaseMirror(t)
		m.publish("1.0.0", releaseBins(t, "1.0.0"))
		m.publish("1.1.0", releaseBins(t, "1.1.0"))
		u := newUser(t)
		gover := installedGover(t, "1.1.0", filepath.Join(u.dir, "opt"))
		before := fileSum(t, gover)
		r := u.run(gover, "self-update", "--version", "v1.0.0", "--base-url", m.base())
		if r.code != 3 || !strings.Contains(r.stderr, "refusing to downgrade gover from 1.1.0 to 1.0.0") || !strings.Contains(r.stderr, "--allow-downgrade") {
			t.Fatalf("self-update --version 1.0.0 without --allow-downgrade: exit %d\n%s", r.code, r.stderr)
		}
		if fileSum(t, gover) != before {
			t.Fatal("a refused downgrade changed the binary")
		}
		if r := u.run(gover, "self-update", "--allow-downgrade", "--version", "v1.0.0", "--base-url", m.base()); r.code != 0 {
			t.Fatalf("self-update --allow-downgrade --version 1.0.0: exit %d\n%s", r.code, r.stderr)
		}
		if v := u.run(gover, "--version"); !strings.Contains(v.stdout, "gover version 1.0.0 ") {
			t.Errorf("gover --version = %q", v.stdout)
		}
	})

	t.Run("keeps the copy next to the shims current", func(t *testing.T) {
		u := newUser(t)
		gover := installedGover(t, "1.0.0", filepath.Join(u.dir, "opt"))
		cp := installedGover(t, "1.0.0", filepath.Join(u.home, "bin"))
		r := u.run(gover, "self-update", "--base-url", m.base())
		if r.code != 0 {
			t.Fatalf("self-update: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
		}
		for _, p := range []string{gover, cp} {
			if v := u.run(p, "--version"); !strings.Contains(v.stdout, "gover version 1.1.0 ") {
				t.Errorf("%s --version = %q", p, v.stdout)
			}
		}
	})

	t.Run("plain http in GOVER_RELEASE_URL", func(t *testing.T) {
		u := newUser(t)
		gover := installedGover(t, "1.0.0", filepath.Join(u.dir, "opt"))
		before := fileSum(t, gover)
		u.setenv("GOVER_RELEASE_URL", "http://gover-mirror.example/releases")
		r := u.run(gover, "self-update")
		if r.code != 3 || !strings.Contains(r.stderr, "not an https URL") {
			t.Fatalf("exit %d\nstderr: %s", r.code, r.stderr)
		}
		if fileSum(t, gover) != before {
			t.Error("the binary changed")
		}
	})

	failures := []struct {
		name   string
		mutate func(m *releaseMirror, archive string)
		args   []string
		code   int
		want   string
	}{
		{"tampered archive", func(m *releaseMirror, archive string) {
			data := append([]byte(nil), m.get(archive)...)
			data[len(data)/2] ^= 0xff
			m.set(archive, data)
		}, nil, 3, "checksum mismatch"},
		{"no archive for this platform", func(m *releaseMirror, archive string) {
			m.setChecksums("1.1.0", []byte(strings.Repeat("ab", 32)+"  gover_1.1.0_plan9_mips.tar.gz\n"))
		}, nil, 4, "has no release for"},
		// Issue 10 item 5: what a mirror or a man in the middle can do
		// without the release key.
		{"unsigned release", func(m *releaseMirror, archive string) {
			m.mu.Lock()
			delete(m.files, "/releases/download/v1.1.0/gover_1.1.0_checksums.txt.asc")
			m.mu.Unlock()
		}, nil, 3, "is not signed"},
		{"signed by another key", func(m *releaseMirror, archive string) {
			sums := m.get("download/v1.1.0/gover_1.1.0_checksums.txt")
			m.set("download/v1.1.0/gover_1.1.0_checksums.txt.asc", fake.NewSigner(t).Sign(sums))
		}, nil, 3, "none of the pinned keys"},
		{"checksums of an evil archive, old signature", func(m *releaseMirror, archive string) {
			evil := packRelease(t, hostArchiveName("1.1.0"), map[string][]byte{"gover" + exeSuffix(): []byte("#!/bin/sh\ntouch evil\n")})
			sum := sha256.Sum256(evil)
			m.set(archive, evil)
			m.set("download/v1.1.0/gover_1.1.0_checksums.txt", []byte(hex.EncodeToString(sum[:])+"  "+hostArchiveName("1.1.0")+"\n"))
		}, nil, 3, "does not match"},
		{"plain http mirror", nil, []string{"--base-url", "http://gover-mirror.example/releases"}, 3, "not an https URL"},
		{"unknown version", nil, []string{"--version", "9.9.9"}, 4, "not released"},
		{"bad version", nil, []string{"--version", "../1.2"}, 2, "invalid gover version"},
		{"archive without gover", func(m *releaseMirror, archive string) {
			data := packRelease(t, hostArchiveName("1.1.0"), map[string][]byte{"README.md": []byte("x")})
			sum := sha256.Sum256(data)
			m.set(archive, data)
			m.setChecksums("1.1.0", []byte(hex.EncodeToString(sum[:])+"  "+hostArchiveName("1.1.0")+"\n"))
		}, nil, 1, "holds no gover"},
		{"binary that is not gover 1.1.0", func(m *releaseMirror, archive string) {
			m.publish("1.1.0", releaseBins(t, "1.0.0"))
		}, nil, 1, "not version 1.1.0"},
	}
	for _, tt := range failures {
		t.Run(tt.name, func(t *testing.T) {
			m := newReleaseMirror(t)
			archive := m.publish("1.1.0", releaseBins(t, "1.1.0"))
			if tt.mutate != nil {
				tt.mutate(m, archive)
			}
			u := newUser(t)
			dir := filepath.Join(u.dir, "opt")
			gover := installedGover(t, "1.0.0", dir)
			before := fileSum(t, gover)
			r := u.run(gover, append([]string{"self-update", "--base-url", m.base()}, tt.args...)...)
			if _, err := os.Stat(filepath.Join(u.dir, "evil")); err == nil {
				t.Error("self-update ran an unverified binary")
			}
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("self-update: exit %d, want %d and %q\nstdout: %s\nstderr: %s", r.code, tt.code, tt.want, r.stdout, r.stderr)
			}
			if fileSum(t, gover) != before {
				t.Error("a failed self-update changed the binary")
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != len(releaseBins(t, "1.0.0")) {
				t.Errorf("a failed self-update left files in %s: %v", dir, entries)
			}
		})
	}
}

func TestSelfUpdateRefreshesShims(t *testing.T) {
	t.Parallel()
	if !hasSetup(t) {
		t.Skip("gover has no setup command yet")
	}
	m := newReleaseMirror(t)
	m.publish("1.1.0", releaseBins(t, "1.1.0"))
	u := newUser(t)
	gover := installedGover(t, "1.0.0", filepath.Join(u.home, "bin"))
	goShim := filepath.Join(u.home, "bin", "go"+exeSuffix())
	if _, err := os.Stat(goShim); err == nil {
		t.Fatal("the go shim exists before setup ran")
	}
	r := u.run(gover, "self-update", "--base-url", m.base())
	if r.code != 0 {
		t.Fatalf("self-update with GOVER_HOME/bin: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if v := u.run(gover, "--version"); !strings.Contains(v.stdout, "gover version 1.1.0 ") {
		t.Errorf("gover --version = %q", v.stdout)
	}
	if _, err := os.Stat(goShim); err != nil {
		t.Errorf("self-update did not run the new gover's setup: %v", err)
	}
}

func TestSelfUpdateDefersToPackageManagers(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	gover := installedGover(t, "1.0.0", filepath.Join(u.dir, "Cellar", "gover", "1.0.0", "bin"))
	m := newReleaseMirror(t)
	m.publish("1.1.0", releaseBins(t, "1.1.0"))
	r := u.run(gover, "self-update", "--base-url", m.base())
	if r.code != 2 || !strings.Contains(r.stderr, "Homebrew installed this gover") || !strings.Contains(r.stderr, "gover: hint: brew upgrade gover") {
		t.Fatalf("exit %d\nstderr: %s", r.code, r.stderr)
	}
}

func readRepoFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestReleaseNamingContract checks that .goreleaser.yml, install.sh,
// install.ps1 and self-update (through the tests above) agree on where
// releases live and what their files are called.
func TestReleaseNamingContract(t *testing.T) {
	t.Parallel()
	yml := readRepoFile(t, ".goreleaser.yml")
	for _, want := range []string{
		"version: 2\n",
		"project_name: gover\n",
		`name_template: "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}"`,
		"formats: [tar.gz]",
		"- goos: windows\n        formats: [zip]",
		`name_template: "{{ .ProjectName }}_{{ .Version }}_checksums.txt"`,
		"algorithm: sha256",
		"main: ./cmd/gover\n",
		"-X github.com/gover/gover/internal/buildinfo.version={{ .Version }}",
		"CGO_ENABLED=0",
		"- -trimpath",
		`mod_timestamp: &mtime "{{ .CommitTimestamp }}"`,
		"- src: README.md",
		"- src: LICENSE",
		// The checksums file's detached, armored signature, which
		// self-update and the install scripts require.
		"artifacts: checksum",
		`signature: "${artifact}.asc"`,
		"--detach-sign",
		"--armor",
	} {
		if !strings.Contains(yml, want) {
			t.Errorf(".goreleaser.yml lacks %q", want)
		}
	}
	if _, err := os.Stat("../cmd/gover-shim"); err == nil && !strings.Contains(yml, "main: ./cmd/gover-shim\n") {
		t.Error("cmd/gover-shim exists but .goreleaser.yml does not build it")
	}

	sh := readRepoFile(t, "install.sh")
	ps := readRepoFile(t, "install.ps1")
	for _, want := range []string{
		"archive=gover_${version}_${os}_${arch}.$ext",
		"checksums=gover_${version}_checksums.txt",
		"url=$base_url/download/v$version",
		`"$base_url/latest"`,
		"https://github.com/gover/gover/releases",
		"GOVER_RELEASE_URL", "GOVER_INSTALL_VERSION", "GOVER_INSTALL_DIR",
	} {
		if !strings.Contains(sh, want) {
			t.Errorf("install.sh lacks %q", want)
		}
	}
	for _, want := range []string{
		`$archive = "gover_${Version}_windows_$arch.zip"`,
		`$checksums = "gover_${Version}_checksums.txt"`,
		`$url = "$BaseUrl/download/v$Version"`,
		`"$BaseUrl/latest"`,
		"'https://github.com/gover/gover/releases'",
		"$env:GOVER_RELEASE_URL", "$env:GOVER_INSTALL_VERSION", "$env:GOVER_INSTALL_DIR",
	} {
		if !strings.Contains(ps, want) {
			t.Errorf("install.ps1 lacks %q", want)
		}
	}
	// Every Windows architecture install.ps1 can detect is one the release
	// builds, and the other way round.
	for _, m := range []struct{ windows, goarch string }{{"AMD64", "amd64"}, {"ARM64", "arm64"}, {"x86", "386"}} {
		if !strings.Contains(ps, fmt.Sprintf("'%s' { '%s' }", m.windows, m.goarch)) {
			t.Errorf("install.ps1 does not map %s to %s", m.windows, m.goarch)
		}
	}
	if !strings.Contains(yml, `goarch: &goarch [amd64, arm64, "386"]`) {
		t.Error(".goreleaser.yml no longer builds amd64, arm64 and 386 as install.ps1 expects")
	}
}

// TestInstallPS1 checks install.ps1 without PowerShell: its structure
// parses (brackets balance outside strings and comments), it takes the
// documented parameters, and it verifies the checksum before unpacking.
func TestInstallPS1(t *testing.T) {
	t.Parallel()
	ps := readRepoFile(t, "install.ps1")
	if err := checkPowerShellBrackets(ps); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[string]$Version", "[string]$BaseUrl", "[string]$Dir", "[switch]$NoSetup", "$ErrorActionPreference = 'Stop'", "Set-StrictMode"} {
		if !strings.Contains(ps, want) {
			t.Errorf("install.ps1 lacks %q", want)
		}
	}
	order := []string{
		"not an https URL",
		"-OutFile (Join-Path $tmp $checksums)",
		"refusing an unsigned release",
		"--verify (Join-Path $tmp \"$checksums.asc\") (Join-Path $tmp $checksums)",
		"does not verify with gover's release key",
		"-OutFile (Join-Path $tmp $archive)",
		"Get-FileHash -Algorithm SHA256",
		"if ($got -ne $want) {",
		"Fail \"checksum mismatch",
		"only the SHA-256 checksum was checked",
		"Expand-Archive",
		"Move-Item -Path (Join-Path $Dir \".$b.new\") -Destination $dst",
		"setup",
	}
	at := 0
	for _, s := range order {
		i := strings.Index(ps[at:], s)
		if i < 0 {
			t.Fatalf("install.ps1: %q is missing or out of order (expected after offset %d)", s, at)
		}
		at += i + len(s)
	}
	if n := strings.Count(ps, "Expand-Archive"); n != 1 {
		t.Errorf("install.ps1 unpacks in %d places; want exactly one, after the checksum check", n)
	}
	if calls := strings.Count(ps, "Invoke-WebRequest -"); calls == 0 || calls != strings.Count(ps, "Invoke-WebRequest -UseBasicParsing") {
		t.Errorf("every Invoke-WebRequest needs -UseBasicParsing (no IE engine on Server Core)")
	}
}

// checkPowerShellBrackets reports unbalanced (), {} or [] in PowerShell
// source, skipping comments, single-quoted strings and double-quoted
// strings (whose $(...) parts are checked as code would be overkill here).
func checkPowerShellBrackets(src string) error {
	var stack []rune
	line := 1
	pairs := map[rune]rune{')': '(', '}': '{', ']': '['}
	rs := []rune(src)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == '\n':
			line++
		case c == '<' && i+1 < len(rs) && rs[i+1] == '#':
			end := strings.Index(string(rs[i:]), "#>")
			if end < 0 {
				return fmt.Errorf("line %d: unterminated <# comment", line)
			}
			line += strings.Count(string(rs[i:i+end]), "\n")
			i += len([]rune(string(rs[i:i+end]))) + 1
		case c == '#':
			for i < len(rs) && rs[i] != '\n' {
				i++
			}
			i--
		case c == '\'':
			j := i + 1
			for ; j < len(rs); j++ {
				if rs[j] == '\'' {
					if j+1 < len(rs) && rs[j+1] == '\'' {
						j++
						continue
					}
					break
				}
			}
			if j >= len(rs) {
				return fmt.Errorf("line %d: unterminated '...' string", line)
			}
			line += strings.Count(string(rs[i:j]), "\n")
			i = j
		case c == '"':
			j := i + 1
			for ; j < len(rs); j++ {
				if rs[j] == '`' {
					j++
					continue
				}
				if rs[j] == '"' {
					break
				}
			}
			if j >= len(rs) {
				return fmt.Errorf("line %d: unterminated \"...\" string", line)
			}
			line += strings.Count(string(rs[i:j]), "\n")
			i = j
		case c == '`':
			i++ // escaped character, including a line continuation
		case c == '(' || c == '{' || c == '[':
			stack = append(stack, c)
		case c == ')' || c == '}' || c == ']':
			if len(stack) == 0 || stack[len(stack)-1] != pairs[c] {
				return fmt.Errorf("line %d: unbalanced %q", line, c)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) != 0 {
		return fmt.Errorf("unclosed %q at end of file", stack[len(stack)-1])
	}
	return nil
}

func TestCheckPowerShellBrackets(t *testing.T) {
	t.Parallel()
	good := []string{
		"if ($a) { 'x)' } # (",
		"<# ( #>\n$a = \"$(Join-Path $b 'c')\"",
		"$s = 'it''s'; $t = \"`\"(\"",
	}
	bad := []string{"if ($a) { ", "$a = (1]", "'open", "\"open", "<# open", "}"}
	for _, s := range good {
		if err := checkPowerShellBrackets(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range bad {
		if checkPowerShellBrackets(s) == nil {
			t.Errorf("%q: accepted", s)
		}
	}
}

// buildFor builds a gover command for another platform into dir, stamped
// with version when it is not empty.
func buildFor(t *testing.T, goos, goarch, pkg, version, out string) {
	t.Helper()
	args := []string{"build", "-tags", "gover_testkey", "-o", out}
	if version != "" {
		args = append(args, "-ldflags", "-X github.com/gover/gover/internal/buildinfo.version="+version)
	}
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building %s for %s/%s: %v\n%s", pkg, goos, goarch, err, out)
	}
}

// TestSelfUpdateWindowsUnderWine updates the Windows build of gover while it
// runs, the case Windows makes hard: the running gover.exe cannot be
// overwritten, so it is renamed to gover.exe.old and removed on the next run.
// It needs GOVER_E2E_WINE=1 and a WINEPREFIX prepared by scripts/wine-prefix.sh.
func TestSelfUpdateWindowsUnderWine(t *testing.T) {
	if os.Getenv("GOVER_E2E_WINE") != "1" || runtime.GOOS != "linux" {
		t.Skip("set GOVER_E2E_WINE=1 (on Linux, with Wine) to run the Windows build")
	}
	wineExec, err := filepath.Abs("../scripts/wine-exec")
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(wineExec, "--which").CombinedOutput(); err != nil {
		t.Skipf("no Wine: %s", out)
	}
	if os.Getenv("WINEPREFIX") == "" {
		if p, err := os.ReadFile("/tmp/gover-wine/ready"); err == nil {
			t.Setenv("WINEPREFIX", strings.TrimSpace(string(p)))
		}
	}

	build := t.TempDir()
	newGover := filepath.Join(build, "new", "gover.exe")
	newShim := filepath.Join(build, "new", "gover-shim.exe")
	buildFor(t, "windows", "amd64", "../cmd/gover", "1.1.0", newGover)
	bins := map[string]string{"gover.exe": newGover}
	if _, err := os.Stat("../cmd/gover-shim"); err == nil {
		buildFor(t, "windows", "amd64", "../cmd/gover-shim", "", newShim)
		bins["gover-shim.exe"] = newShim
	}
	m := newReleaseMirror(t)
	m.publishFor("windows", "amd64", "1.1.0", bins)

	u := newUser(t)
	for _, kv := range os.Environ() {
		if k, v, _ := strings.Cut(kv, "="); k == "WINEPREFIX" {
			u.setenv(k, v)
		}
	}
	u.setenv("WINEDEBUG", "-all")
	dir := filepath.Join(u.dir, "opt")
	gover := filepath.Join(dir, "gover.exe")
	buildFor(t, "windows", "amd64", "../cmd/gover", "1.0.0", gover)

	// Unsigned: refused before anything runs, gover.exe untouched.
	asc := "download/v1.1.0/gover_1.1.0_checksums.txt.asc"
	sig := m.get(asc)
	m.mu.Lock()
	delete(m.files, "/releases/"+asc)
	m.mu.Unlock()
	before := fileSum(t, gover)
	r := u.run(wineExec, gover, "self-update", "--base-url", m.base())
	if r.code != 3 || !strings.Contains(r.stderr, "is not signed") || fileSum(t, gover) != before {
		t.Fatalf("unsigned self-update under Wine: exit %d, want 3 and nothing changed\nstderr: %s", r.code, r.stderr)
	}
	m.set(asc, sig)

	r = u.run(wineExec, gover, "self-update", "--base-url", m.base())
	if r.code != 0 {
		t.Fatalf("self-update under Wine: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if fileSum(t, gover) != fileSum(t, newGover) {
		t.Fatal("gover.exe is not the released 1.1.0 binary")
	}
	if _, ok := bins["gover-shim.exe"]; ok && fileSum(t, filepath.Join(dir, "gover-shim.exe")) != fileSum(t, newShim) {
		t.Error("gover-shim.exe was not installed next to gover.exe")
	}
	if _, err := os.Stat(gover + ".old"); err == nil {
		t.Log("the running gover.exe was set aside as gover.exe.old")
	}
	if v := u.run(wineExec, gover, "--version"); !strings.Contains(v.stdout, "gover version 1.1.0 ") {
		t.Errorf("gover.exe --version = %q", v.stdout)
	}
	// That run removed what the update set aside.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".old") || strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left behind after the next run: %s", e.Name())
		}
	}
}

// TestNoPrivateKeyCommitted guards the release key: only its public half
// belongs in the repository (the private half lives in the release CI's
// secrets, SECURITY.md). The one private key allowed is the release test
// key of internal/fake, which no release trusts.
func TestNoPrivateKeyCommitted(t *testing.T) {
	allowed := filepath.Join("..", "internal", "fake", "release-test-key.asc")
	err := filepath.WalkDir("..", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "dist") {
			return filepath.SkipDir
		}
		if d.IsDir() || p == allowed {
			return nil
		}
		if info, err := d.Info(); err != nil || info.Size() > 1<<20 {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		if bytes.Contains(data, []byte("-----BEGIN PGP PRIVATE KEY BLOCK-----")) && !strings.HasSuffix(p, "_test.go") {
			t.Errorf("%s holds an OpenPGP private key", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
