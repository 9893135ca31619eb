package shim

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/store"
	"github.com/gover/gover/versions"
)

// The test binary plays both parts, as age's plugin tests do: linked as
// GOVER_HOME/bin/go it is the shim (Main), linked as <sdk>/bin/go next to a
// VERSION file it is a fake go that reports what it was given.
func TestMain(m *testing.M) {
	if os.Getenv("GOVER_SHIM_TEST") == "1" {
		if _, err := os.Stat(filepath.Join(filepath.Dir(filepath.Dir(os.Args[0])), "VERSION")); err == nil {
			os.Exit(fakeGo())
		}
		os.Exit(Main())
	}
	os.Exit(m.Run())
}

// fakeGo prints its tool name, arguments, GOROOT and GOTOOLCHAIN, copies
// stdin to stdout with -stdin, writes to stderr with -stderr, sleeps with
// -sleep (writing its pid to the named file first), and exits with
// GOVER_FAKE_EXIT.
func fakeGo() int {
	fmt.Printf("tool: %s\n", ToolName(os.Args[0]))
	for _, a := range os.Args[1:] {
		fmt.Printf("arg: %q\n", a)
	}
	if os.Getenv("GOVER_FAKE_PATH") != "" {
		fmt.Printf("PATH=%s\n", os.Getenv("PATH"))
	}
	fmt.Printf("GOROOT=%s\nGOTOOLCHAIN=%s\n", os.Getenv("GOROOT"), os.Getenv("GOTOOLCHAIN"))
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "-stdin":
			io.Copy(os.Stdout, os.Stdin)
		case "-stderr":
			fmt.Fprintln(os.Stderr, "to stderr")
		case "-sleep":
			os.WriteFile(os.Args[2], []byte(strconv.Itoa(os.Getpid())), 0o644)
			time.Sleep(time.Minute)
		}
	}
	code, _ := strconv.ParseUint(os.Getenv("GOVER_FAKE_EXIT"), 0, 32)
	return int(uint32(code))
}

// testHome is a GOVER_HOME whose bin/go and bin/gofmt are this test
// binary, with fake SDKs installed through store transactions.
type testHome struct {
	t    *testing.T
	root string
	dir  string // working folder
	env  []string
}

func newHome(t *testing.T, sdks ...string) *testHome {
	t.Helper()
	base := fake.TempDir(t)
	h := &testHome{t: t, root: filepath.Join(base, "gover"), dir: filepath.Join(base, "work")}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{h.dir, filepath.Join(h.root, "bin")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, tool := range []string{"go", "gofmt"} {
		linkOrCopy(t, self, filepath.Join(h.root, "bin", tool+exeSuffix))
	}
	st := store.New(h.root)
	for _, name := range sdks {
		v := versions.MustParse(name)
		tx, err := st.Begin(context.Background(), v)
		if err != nil {
			t.Fatal(err)
		}
		bin := filepath.Join(tx.Dir(), "bin")
		if err := os.MkdirAll(bin, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(tx.Dir(), "VERSION"), []byte(name+"\n"), 0o644)
		// Copies, not links: the shim refuses to run itself.
		for _, tool := range []string{"go", "gofmt"} {
			copyExe(t, self, filepath.Join(bin, tool+exeSuffix))
		}
		err = tx.Commit(&store.Manifest{Version: v.String(), GOROOT: tx.Dir(), Platform: runtime.GOOS + "/" + runtime.GOARCH,
			Source: store.Source{Kind: store.SourceFile}, Trust: store.TrustIndex})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(k) {
		case "GOVER_HOME", "GOVER_VERSION", "GOTOOLCHAIN", "GOROOT", "GOWORK", "GOVER_AUTO_INSTALL", "GOVER_FAKE_EXIT", "GOENV", "GO111MODULE", switchEnv:
			continue
		}
		h.env = append(h.env, kv)
	}
	// GOENV=off: the developer's own go env -w settings (GOTOOLCHAIN=local
	// on the build machine) must not decide these tests.
	h.env = append(h.env, "GOVER_HOME="+h.root, "GOVER_SHIM_TEST=1", "GOVER_AUTO_INSTALL=0", "GOENV=off")
	return h
}

func linkOrCopy(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.Link(src, dst); err == nil {
		return
	}
	copyExe(t, src, dst)
}

func copyExe(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o755); err != nil {
		t.Fatal(err)
	}
}

func (h *testHome) write(name, content string) {
	h.t.Helper()
	p := filepath.Join(h.dir, filepath.FromSlash(name))
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

type result struct {
	stdout, stderr string
	code           int
}

func (h *testHome) run(tool string, stdin string, env []string, args ...string) result {
	h.t.Helper()
	cmd := exec.Command(filepath.Join(h.root, "bin", tool+exeSuffix), args...)
	cmd.Dir = h.dir
	cmd.Env = append(append([]string{}, h.env...), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			h.t.Fatal(err)
		}
		r.code = ee.ExitCode()
	}
	return r
}

func TestShimArgumentsPassByteForByte(t *testing.T) {
	h := newHome(t, "1.22.5")
	h.write(".go-version", "1.22.5\n")
	args := []string{"build", "", "with space", `"quoted"`, `back\slash\`, `trailing\\`, `a&b|c<d>e`, "100%", "%PATH%", "^caret", "$HOME", "`tick`", "'single'", "ünïcødé ✓", "日本語", "-ldflags=-X main.v=1 2", `\"`, " ", "\t"}
	r := h.run("go", "", nil, args...)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var want strings.Builder
	want.WriteString("tool: go\n")
	for _, a := range args {
		fmt.Fprintf(&want, "arg: %q\n", a)
	}
	goroot := filepath.Join(h.root, "sdk", "go1.22.5")
	fmt.Fprintf(&want, "GOROOT=%s\nGOTOOLCHAIN=path\n", goroot)
	if r.stdout != want.String() {
		t.Errorf("got\n%s\nwant\n%s", r.stdout, want.String())
	}
}

func TestShimEnvironment(t *testing.T) {
	h := newHome(t, "1.22.5", "1.21.3")
	h.write(".go-version", "1.22.5")
	goroot := filepath.Join(h.root, "sdk", "go1.22.5")

	r := h.run("go", "", []string{"GOROOT=/somewhere/else"}, "version")
	if !strings.Contains(r.stdout, "GOROOT="+goroot+"\n") || !strings.Contains(r.stdout, "GOTOOLCHAIN=path\n") {
		t.Errorf("inherited GOROOT not overridden:\n%s", r.stdout)
	}
	r = h.run("go", "", []string{"GOTOOLCHAIN=go1.21.3+auto"}, "version")
	if !strings.Contains(r.stdout, "GOROOT="+filepath.Join(h.root, "sdk", "go1.21.3")+"\n") || !strings.Contains(r.stdout, "GOTOOLCHAIN=go1.21.3+auto\n") {
		t.Errorf("user's GOTOOLCHAIN not kept:\n%s", r.stdout)
	}
	// A GOTOOLCHAIN set with go env -w is the user's too: go reads it
	// there, so the shim adds none.
	envFile := filepath.Join(h.dir, "goenv")
	os.WriteFile(envFile, []byte("GOTOOLCHAIN=local\n"), 0o644)
	r = h.run("go", "", []string{"GOENV=" + envFile}, "version")
	if !strings.Contains(r.stdout, "GOROOT="+goroot+"\n") || !strings.Contains(r.stdout, "GOTOOLCHAIN=\n") {
		t.Errorf("go env -w GOTOOLCHAIN overridden:\n%s", r.stdout)
	}
	r = h.run("gofmt", "", nil, "-l", ".")
	if !strings.HasPrefix(r.stdout, "tool: gofmt\n") {
		t.Errorf("gofmt shim ran:\n%s", r.stdout)
	}
	r = h.run("go", "", []string{"GOVER_VERSION=1.21"}, "env")
	if !strings.Contains(r.stdout, "GOROOT="+filepath.Join(h.root, "sdk", "go1.21.3")+"\n") {
		t.Errorf("GOVER_VERSION=1.21 ran:\n%s", r.stdout)
	}
}

// TestShimServesGoSwitch: cmd/go switching to a goX.Y.Z entry (the shim)
// runs exactly that release with the environment go set up, whatever
// the folder selects (issue 12 case 3).
func TestShimServesGoSwitch(t *testing.T) {
	h := newHome(t, "1.22.5", "1.23.1")
	h.write(".go-version", "1.22.5")
	r := h.run("go", "", []string{switchEnv + "=go1.23.1", "GOTOOLCHAIN=path", "GOROOT="}, "get", "go@1.23.1")
	if r.code != 0 || !strings.Contains(r.stdout, "GOROOT="+filepath.Join(h.root, "sdk", "go1.23.1")+"\n") || !strings.Contains(r.stdout, "GOTOOLCHAIN=path\n") {
		t.Errorf("switch to go1.23.1: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = h.run("go", "", []string{switchEnv + "=go1.24.0"}, "version")
	if r.code != CodeNotFound || !strings.Contains(r.stderr, "go1.24.0 is not installed") {
		t.Errorf("switch to a missing release: exit %d\n%s", r.code, r.stderr)
	}
	r = h.run("go", "", []string{switchEnv + "=go1.23.1-bigcorp"}, "version")
	if r.code == 0 {
		t.Errorf("switch to a vendor build ran:\n%s", r.stdout)
	}
}

// TestShimEntryByName: GOVER_HOME/bin/go1.21.3 typed by hand runs that
// release, as golang.org/dl's wrappers do, with GOTOOLCHAIN=local.
func TestShimEntryByName(t *testing.T) {
	h := newHome(t, "1.22.5", "1.21.3")
	h.write(".go-version", "1.22.5")
	linkOrCopy(t, filepath.Join(h.root, "bin", "go"+exeSuffix), filepath.Join(h.root, "bin", "go1.21.3"+exeSuffix))
	r := h.run("go1.21.3", "", nil, "version")
	if r.code != 0 || !strings.Contains(r.stdout, "GOROOT="+filepath.Join(h.root, "sdk", "go1.21.3")+"\n") || !strings.Contains(r.stdout, "GOTOOLCHAIN=local\n") {
		t.Errorf("go1.21.3 by name: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for in, want := range map[string]string{"go1.22.5": "go1.22.5", `C:\x\go1.22.5.EXE`: "go1.22.5", "/b/go1.23rc1": "go1.23rc1", "go": "", "gofmt": "", "go1.22": "", "go1.22.5-x": "", "go1.22.05": ""} {
		if runtime.GOOS != "windows" && strings.Contains(in, `\`) {
			continue
		}
		if got := ReleaseName(in); got != want {
			t.Errorf("ReleaseName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestShimPATH: GOVER_HOME/bin is appended to the child's PATH when it is
// missing, so cmd/go's path mode finds the goX.Y.Z entries; a PATH that
// has it is left exactly as it was.
func TestShimPATH(t *testing.T) {
	h := newHome(t, "1.22.5")
	h.write(".go-version", "1.22.5")
	bin := filepath.Join(h.root, "bin")
	sep := string(os.PathListSeparator)
	other := filepath.Join(h.dir, "other")
	for path, want := range map[string]string{
		other:                   other + sep + bin,
		bin + sep + other:       bin + sep + other,
		other + sep + bin + sep: other + sep + bin + sep,
	} {
		r := h.run("go", "", []string{"PATH=" + path, "GOVER_FAKE_PATH=1"}, "version")
		if !strings.Contains(r.stdout, "PATH="+want+"\n") {
			t.Errorf("PATH=%s: child got\n%s%s", path, r.stdout, r.stderr)
		}
	}
}

func TestShimExitCodesAndStreams(t *testing.T) {
	h := newHome(t, "1.22.5")
	h.write(".go-version", "1.22.5")
	codes := []uint64{0, 1, 3, 255}
	if runtime.GOOS == "windows" {
		codes = append(codes, 0xC000013A, 0x7FFFFFFF) // STATUS_CONTROL_C_EXIT
	}
	for _, code := range codes {
		r := h.run("go", "", []string{"GOVER_FAKE_EXIT=" + strconv.FormatUint(code, 10)}, "version")
		if uint32(r.code) != uint32(code) {
			t.Errorf("fake go exited %#x, shim exited %#x", code, r.code)
		}
	}
	in := "line one\nline two\x00binary\xff\n"
	r := h.run("go", in, nil, "-stdin")
	if !strings.HasSuffix(r.stdout, "GOTOOLCHAIN=path\n"+in) {
		t.Errorf("stdin not passed through: %q", r.stdout)
	}
	r = h.run("go", "", nil, "-stderr")
	if r.stderr != "to stderr\n" {
		t.Errorf("stderr = %q", r.stderr)
	}
}

func TestShimSelectsPerFolder(t *testing.T) {
	h := newHome(t, "1.21.3", "1.22.1", "1.22.5", "1.23.0")
	h.write("a/.go-version", "1.21.3")
	h.write("b/go.mod", "module b\n\ngo 1.22.2\n")
	h.write("c/go.mod", "module c\n\ngo 1.22\n\ntoolchain go1.23.0\n")
	h.write("b/x/y/z/keep", "")
	for dir, want := range map[string]string{"a": "go1.21.3", "b/x/y/z": "go1.22.5", "c": "go1.23.0"} {
		r := h.run("go", "", nil, "-C", dir, "version")
		if !strings.Contains(r.stdout, "GOROOT="+filepath.Join(h.root, "sdk", want)+"\n") {
			t.Errorf("in %s: exit %d\n%s%s", dir, r.code, r.stdout, r.stderr)
		}
	}
}

func TestShimNotInstalled(t *testing.T) {
	h := newHome(t, "1.21.3")
	h.write(".go-version", "1.22.5")
	r := h.run("go", "", nil, "version")
	if r.code != CodeNotFound || !strings.HasPrefix(r.stderr, "gover: go1.22.5 is not installed") || !strings.Contains(r.stderr, "\ngover: hint: gover install 1.22.5\n") {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout = %q", r.stdout)
	}

	h.write(".go-version", "1.23")
	r = h.run("go", "", nil, "version")
	if r.code != CodeNotFound || !strings.Contains(r.stderr, "gover: hint: gover install 1.23\n") {
		t.Errorf("partial: exit %d, stderr:\n%s", r.code, r.stderr)
	}

	os.Remove(filepath.Join(h.dir, ".go-version"))
	r = h.run("go", "", nil, "version")
	if r.code != CodeNotFound || !strings.Contains(r.stderr, "gover: hint: gover use --global") {
		t.Errorf("nothing selected: exit %d, stderr:\n%s", r.code, r.stderr)
	}

	h.write(".go-version", "../../../../bin/sh")
	r = h.run("go", "", nil, "version")
	if r.code == 0 || !strings.Contains(r.stderr, "invalid Go version") || !strings.Contains(r.stderr, "gover: hint: gover use <version>\n") {
		t.Errorf("hostile .go-version: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

// TestShimAutoInstall checks that a missing version is installed by
// running gover install (here a script standing in for gover) and then
// run.
func TestShimAutoInstall(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs a gover stand-in executable; covered by tests/shim_test.go")
	}
	h := newHome(t)
	h.write(".go-version", "1.22.5")
	self, _ := os.Executable()
	// The stand-in installs a fake SDK the way gover would: SDK first,
	// manifest last.
	script := fmt.Sprintf(`#!/bin/sh
set -e
test "$1" = install && test "$2" = 1.22.5
echo "installing go$2" >&2
d="$GOVER_HOME/sdk/go$2"
mkdir -p "$d/bin" "$GOVER_HOME/meta"
echo go$2 > "$d/VERSION"
cp %q "$d/bin/go"
printf '{"schema":1,"version":"%%s","goroot":"%%s","platform":"x/y","source":{"kind":"file"},"trust":"user-sha256","installedAt":"2026-01-01T00:00:00Z"}' "$2" "$d" > "$GOVER_HOME/meta/go$2.json"
`, self)
	if err := os.WriteFile(filepath.Join(h.root, "bin", "gover"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	r := h.run("go", "", []string{"GOVER_AUTO_INSTALL=1"}, "version")
	if r.code != 0 || !strings.Contains(r.stdout, "GOROOT="+filepath.Join(h.root, "sdk", "go1.22.5")+"\n") || !strings.Contains(r.stderr, "installing go1.22.5") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestShimKilledKillsChild checks that go dies with the shim: by exec on
// Unix (they are one process), by the job object on Windows.
func TestShimKilledKillsChild(t *testing.T) {
	h := newHome(t, "1.22.5")
	h.write(".go-version", "1.22.5")
	pidFile := filepath.Join(fake.TempDir(t), "pid")
	cmd := exec.Command(filepath.Join(h.root, "bin", "go"+exeSuffix), "-sleep", pidFile)
	cmd.Dir, cmd.Env = h.dir, h.env
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if data, err := os.ReadFile(pidFile); err == nil && len(data) > 0 {
			pid, _ = strconv.Atoi(string(data))
			break
		}
	}
	if pid == 0 {
		cmd.Process.Kill()
		t.Fatal("fake go never started")
	}
	cmd.Process.Kill()
	cmd.Wait()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if !processAlive(pid) {
			return
		}
	}
	t.Errorf("go (pid %d) outlived the killed shim", pid)
}

func TestShimRefusesToRunItself(t *testing.T) {
	h := newHome(t, "1.22.5")
	h.write(".go-version", "1.22.5")
	sdkGo := filepath.Join(h.root, "sdk", "go1.22.5", "bin", "go"+exeSuffix)
	os.Remove(sdkGo)
	if err := os.Link(filepath.Join(h.root, "bin", "go"+exeSuffix), sdkGo); err != nil {
		t.Skip("no hard links here:", err)
	}
	r := h.run("go", "", nil, "version")
	if r.code == 0 || !strings.Contains(r.stderr, "is the gover shim itself") {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

// TestShimIgnoresUnfinishedInstall checks the shim's store fast path: an
// SDK folder whose install has not committed (partial marker present, or
// no manifest yet) is not installed.
func TestShimIgnoresUnfinishedInstall(t *testing.T) {
	h := newHome(t, "1.22.5")
	h.write(".go-version", "1.22.5")
	marker := filepath.Join(h.root, "sdk", "go1.22.5.partial")
	if err := os.WriteFile(marker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := h.run("go", "", nil, "version"); r.code != CodeNotFound {
		t.Errorf("with a partial marker: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	os.Remove(marker)
	os.Remove(filepath.Join(h.root, "meta", "go1.22.5.json"))
	if r := h.run("go", "", nil, "version"); r.code != CodeNotFound {
		t.Errorf("without a manifest: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
