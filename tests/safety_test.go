package tests

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gover/gover/internal/fake"
)

// noLeftovers checks that an interrupted install of version left nothing:
// no SDK folder, no partial marker, no scratch download, no lock file.
func (u *user) noLeftovers(version string) {
	u.t.Helper()
	for _, p := range []string{
		filepath.Join(u.home, "sdk", "go"+version),
		filepath.Join(u.home, "sdk", "go"+version+".partial"),
		filepath.Join(u.home, "meta", "go"+version+".lock"),
	} {
		if _, err := os.Lstat(p); err == nil {
			u.t.Errorf("%s is left", p)
		}
	}
	if ents, _ := os.ReadDir(filepath.Join(u.home, "tmp")); len(ents) != 0 {
		u.t.Errorf("tmp/ holds %d entries", len(ents))
	}
}

// TestInstallStopSignals stops an install halfway through its download
// with each signal that means "stop": it cleans up as Ctrl+C does and exits
// with 128 plus the signal's number.
func TestInstallStopSignals(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no POSIX signals")
	}
	s := newServers(t)
	s.publish("1.22.5")
	zp := fake.ZipPath("1.22.5", s.plat)
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGTERM, 143}, {syscall.SIGHUP, 129}, {syscall.SIGINT, 130}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			u := newUser(t)
			s.use(u)
			stall := fake.NewStall(int64(len(s.px.File(zp)) / 2))
			s.px.SetFault(zp, stall)
			defer s.px.SetFault(zp, nil)
			defer close(stall.Release)
			cmd, out := u.start("install", "1.22.5")
			waitReached(t, stall, cmd, out)
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			cmd.Wait()
			if got := cmd.ProcessState.ExitCode(); got != tc.code {
				t.Errorf("exit %d, want %d\n%s", got, tc.code, out)
			}
			u.noLeftovers("1.22.5")
			u.nothingInstalled("1.22.5")
		})
	}
}

// TestLockWaitSaysWho: a second install of the version another gover is
// installing says at once which process it waits for and what that one
// is doing, then succeeds once the first is done.
func TestLockWaitSaysWho(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	s.publish("1.22.5")
	u := newUser(t)
	s.use(u)
	zp := fake.ZipPath("1.22.5", s.plat)
	stall := fake.NewStall(int64(len(s.px.File(zp)) / 2))
	stall.Times = 1
	s.px.SetFault(zp, stall)
	first, out1 := u.start("install", "1.22.5")
	waitReached(t, stall, first, out1)
	second, out2 := u.startWatched("install", "1.22.5")
	want := "waiting for gover (pid " + strconv.Itoa(first.Process.Pid) + ", installing go1.22.5)"
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(out2.String(), want) {
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	close(stall.Release)
	err1, err2 := first.Wait(), second.Wait()
	if !strings.Contains(out2.String(), want) {
		t.Errorf("the waiting install did not say %q:\n%s", want, out2)
	}
	if err1 != nil || err2 != nil {
		t.Fatalf("installs: %v, %v\n%s\n%s", err1, err2, out1, out2)
	}
	if _, err := os.Lstat(filepath.Join(u.home, "meta", "go1.22.5.lock")); err == nil {
		t.Error("the lock file stayed after both installs")
	}
}

// TestInstallTrickle: a proxy that sends a byte every 50 ms never goes
// quiet, but it is far below the minimum rate: gover gives up instead of
// downloading forever, and leaves nothing behind.
func TestInstallTrickle(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	s.publish("1.22.5")
	u := newUser(t)
	s.use(u)
	u.setenv("GOVER_STALL_TIMEOUT", "500ms")
	zp := fake.ZipPath("1.22.5", s.plat)
	s.px.SetFault(zp, &fake.Fault{StallAfter: 1000, Trickle: 50 * time.Millisecond})
	r := u.gover("install", "--source", "proxy", "1.22.5")
	if r.code == 0 || !strings.Contains(r.stderr, "too slowly") {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
	u.noLeftovers("1.22.5")
}

// TestPruneReportsKilledInstall: what a SIGKILL leaves is listed with its
// size by prune --dry-run, which removes nothing, and removed by prune.
func TestPruneReportsKilledInstall(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL semantics")
	}
	s := newServers(t)
	s.publish("1.22.5")
	u := newUser(t)
	s.use(u)
	zp := fake.ZipPath("1.22.5", s.plat)
	stall := fake.NewStall(int64(len(s.px.File(zp)) / 2))
	s.px.SetFault(zp, stall)
	cmd, out := u.start("install", "1.22.5")
	waitReached(t, stall, cmd, out)
	cmd.Process.Kill()
	cmd.Wait()
	close(stall.Release)
	s.px.SetFault(zp, nil)

	r := u.ok("prune", "--dry-run")
	if !strings.Contains(r.stdout, "would remove "+filepath.Join(u.home, "tmp")) || !strings.Contains(r.stdout, "install of go1.22.5") || !strings.Contains(r.stdout, "B)") {
		t.Errorf("prune --dry-run:\n%s", r.stdout)
	}
	if ents, _ := os.ReadDir(filepath.Join(u.home, "tmp")); len(ents) == 0 {
		t.Fatal("prune --dry-run removed the leftovers")
	}
	r = u.ok("prune")
	if !strings.Contains(r.stdout, "removed "+filepath.Join(u.home, "tmp")) {
		t.Errorf("prune:\n%s", r.stdout)
	}
	u.noLeftovers("1.22.5")
}

// TestLinkedSDKFolderKeepsForeignSDKs: GOVER_HOME/sdk links to ~/sdk, where
// golang.org/dl keeps its SDKs. Installing works inside it and leaves the
// other SDKs alone; importing one that sits where the store keeps that
// version adopts it, and uninstalling it forgets it without deleting it.
func TestLinkedSDKFolderKeepsForeignSDKs(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	s.publish("1.22.5")
	u := newUser(t)
	s.use(u)
	userSDK := filepath.Join(filepath.Dir(u.home), "home", "sdk")
	for _, v := range []string{"1.23.0", "1.21.0"} {
		if err := os.CopyFS(filepath.Join(userSDK, "go"+v), os.DirFS(fake.SDK(t, v, s.plat))); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(u.home, 0o755)
	if err := os.Symlink(userSDK, filepath.Join(u.home, "sdk")); err != nil {
		t.Skipf("no directory links here: %v", err)
	}
	u.ok("install", "1.22.5")
	if _, err := os.Stat(filepath.Join(userSDK, "go1.23.0", "VERSION")); err != nil {
		t.Errorf("installing removed ~/sdk/go1.23.0: %v", err)
	}
	r := u.ok("import", filepath.Join(userSDK, "go1.21.0"))
	if !strings.Contains(r.stdout, "imported go1.21.0") {
		t.Errorf("import:\n%s", r.stdout)
	}
	u.ok("install", "1.22.5") // Clean runs again
	u.ok("uninstall", "1.21.0")
	for _, v := range []string{"1.23.0", "1.21.0"} {
		if _, err := os.Stat(filepath.Join(userSDK, "go"+v, "VERSION")); err != nil {
			t.Errorf("~/sdk/go%s is gone: %v", v, err)
		}
	}
	// Installing over a folder gover did not create is refused with the
	// import command as the hint.
	r = u.fails(1, "install", "1.23.0")
	if !strings.Contains(r.stderr, "did not create") || !strings.Contains(r.stderr, "hint: gover import") {
		t.Errorf("install over a foreign folder:\n%s", r.stderr)
	}
}

// TestUninstallDefaultAndMinor: forcing out the global default leaves no
// default and no current link, and says so; "1.22" names the one installed
// 1.22.x and is refused when there are several; uninstalling what the
// folder pins warns; list reports an SDK whose folder is gone.
func TestUninstallDefaultAndMinor(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	for _, v := range []string{"1.22.5", "1.22.4", "1.21.0", "1.20.3"} {
		s.publish(v)
	}
	u := newUser(t)
	s.use(u)
	u.ok("install", "1.22.5", "1.22.4", "1.21.0", "1.20.3")
	u.ok("use", "--global", "1.22.5")

	r := u.fails(2, "uninstall", "1.22")
	if !strings.Contains(r.stderr, "1.22.5, 1.22.4") {
		t.Errorf("ambiguous minor:\n%s", r.stderr)
	}
	r = u.ok("uninstall", "1.21")
	if !strings.Contains(r.stdout, "removed go1.21.0") {
		t.Errorf("uninstall 1.21:\n%s", r.stdout)
	}

	r = u.ok("uninstall", "--force", "1.22.5")
	if !strings.Contains(r.stderr, "no global default now") {
		t.Errorf("forced default:\n%s", r.stderr)
	}
	for _, p := range []string{"version", "current"} {
		if _, err := os.Lstat(filepath.Join(u.home, p)); err == nil {
			t.Errorf("%s is left after the default was uninstalled", p)
		}
	}
	if r := u.gover("current"); r.code == 0 {
		t.Errorf("gover current still names a default:\n%s", r.stdout)
	}

	os.WriteFile(filepath.Join(u.dir, ".go-version"), []byte("1.22.4\n"), 0o644)
	r = u.ok("uninstall", "1.22.4")
	if !strings.Contains(r.stderr, "warning: this folder selects go1.22.4") {
		t.Errorf("pinned version:\n%s", r.stderr)
	}

	os.RemoveAll(filepath.Join(u.home, "sdk", "go1.20.3"))
	r = u.ok("list")
	if !strings.Contains(r.stdout, "MISSING") || !strings.Contains(r.stdout, "gover uninstall --keep-cache 1.20.3 && gover install 1.20.3") {
		t.Errorf("list with a vanished folder:\n%s", r.stdout)
	}
	ents, _ := os.ReadDir(filepath.Join(u.home, "meta"))
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".lock") {
			t.Errorf("meta/ holds %s", e.Name())
		}
	}
}

// TestCacheCommands: downloads are listed with sizes, removed by version,
// dropped with an uninstall, and kept within GOVER_CACHE_MAX.
func TestCacheCommands(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	s.publish("1.22.5")
	s.publish("1.21.0")
	u := newUser(t)
	s.use(u)
	u.ok("install", "1.22.5", "1.21.0")
	r := u.ok("cache", "list")
	if !strings.Contains(r.stdout, "go1.22.5") || !strings.Contains(r.stdout, "go1.21.0") || !strings.Contains(r.stdout, "2 downloads,") {
		t.Errorf("cache list:\n%s", r.stdout)
	}
	r = u.ok("cache", "clean", "1.21.0")
	if !strings.Contains(r.stdout, "removed the download of go1.21.0") {
		t.Errorf("cache clean 1.21.0:\n%s", r.stdout)
	}
	u.fails(4, "cache", "clean", "1.21.0")
	r = u.ok("uninstall", "1.22.5")
	if !strings.Contains(r.stdout, "from the cache") {
		t.Errorf("uninstall did not drop the download:\n%s", r.stdout)
	}
	if r := u.ok("cache", "list"); !strings.Contains(r.stdout, "0 downloads") {
		t.Errorf("cache list after uninstall:\n%s", r.stdout)
	}
	u.setenv("GOVER_CACHE_MAX", "0")
	u.ok("install", "1.22.5")
	if r := u.ok("cache", "list"); !strings.Contains(r.stdout, "0 downloads") {
		t.Errorf("GOVER_CACHE_MAX=0 kept a download:\n%s", r.stdout)
	}
}

// lockedBuffer is a buffer a running process may write to while the test
// reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// startWatched runs gover in the background with output the test can read
// while it runs.
func (u *user) startWatched(args ...string) (*exec.Cmd, *lockedBuffer) {
	u.t.Helper()
	cmd := exec.Command(bins.gover, args...)
	cmd.Dir = u.dir
	cmd.Env = u.env
	out := new(lockedBuffer)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		u.t.Fatal(err)
	}
	return cmd, out
}
