package tests

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gover/gover/registry"
	"github.com/gover/gover/store"
	"github.com/gover/gover/store/verify"
	"github.com/gover/gover/versions"
)

// doctorBins is a gover with the gover-shim it installs next to it, as a
// release archive has them, so gover doctor can judge the shims.
var doctorBins struct {
	once  sync.Once
	dir   string
	gover string
	shim  string
	err   error
}

func doctorBinaries(t *testing.T) (gover, shim string) {
	t.Helper()
	doctorBins.once.Do(func() {
		dir := filepath.Join(bins.dir, "doctor")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			doctorBins.err = err
			return
		}
		doctorBins.gover = filepath.Join(dir, "gover"+exeSuffix())
		doctorBins.shim = filepath.Join(dir, "gover-shim"+exeSuffix())
		data, err := os.ReadFile(bins.gover)
		if err == nil {
			err = os.WriteFile(doctorBins.gover, data, 0o755)
		}
		if err != nil {
			doctorBins.err = err
			return
		}
		if out, err := exec.Command("go", "build", "-o", doctorBins.shim, "../cmd/gover-shim").CombinedOutput(); err != nil {
			doctorBins.err = &buildError{err, string(out)}
		}
	})
	if doctorBins.err != nil {
		t.Fatal(doctorBins.err)
	}
	return doctorBins.gover, doctorBins.shim
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return "building gover-shim: " + e.err.Error() + "\n" + e.out }

// doctorUser is a user whose machine is set up the way gover setup and
// gover use --global leave it: current shims first on PATH, one verified
// SDK as the global default, gopls installed, and download settings that
// point at a local proxy.
type doctorUser struct {
	*user
	gover, shim string
	bin, tools  string
	proxy       *httptest.Server
}

func newDoctorUser(t *testing.T) *doctorUser {
	t.Helper()
	gover, shim := doctorBinaries(t)
	u := &doctorUser{user: newUser(t), gover: gover, shim: shim}
	st := store.New(u.home)
	u.bin = st.BinDir()
	u.tools = filepath.Join(filepath.Dir(u.home), "home", "go", "bin")
	data, err := os.ReadFile(shim)
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range []string{"go", "gofmt"} {
		doctorWrite(t, registry.ShimPath(u.bin, tool), data)
	}
	doctorWrite(t, filepath.Join(u.tools, "gopls"+exeSuffix()), []byte("gopls"))

	v := versions.MustParse("1.22.5")
	tx, err := st.Begin(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Abort()
	doctorWrite(t, filepath.Join(tx.Dir(), "bin", "go"+exeSuffix()), []byte("go"))
	doctorWrite(t, filepath.Join(tx.Dir(), "bin", "gofmt"+exeSuffix()), []byte("gofmt"))
	doctorWrite(t, filepath.Join(tx.Dir(), "VERSION"), []byte("go1.22.5\n"))
	doctorWrite(t, filepath.Join(tx.Dir(), "src", "runtime", "runtime.go"), []byte("package runtime\n"))
	if _, err := verify.WriteFileList(tx.Dir(), st.FileListPath(v)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(&store.Manifest{Source: store.Source{Kind: store.SourceFile}, Trust: store.TrustIndex}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetGlobal(v); err != nil {
		t.Fatal(err)
	}
	if err := registry.SetCurrent(st.CurrentLink(), st.SDKDir(v)); err != nil {
		t.Skipf("this system makes no directory links: %v", err)
	}

	u.proxy = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/golang.org/toolchain/@v/list":
			w.Write([]byte("v0.0.1-go1.22.5.linux-amd64\n"))
		case "/sumdb/sum.golang.org/supported":
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(u.proxy.Close)
	u.setenv("PATH", u.bin+string(os.PathListSeparator)+u.tools)
	u.setenv("GOPROXY", u.proxy.URL)
	u.setenv("GOSUMDB", verify.GoSumDBKey+" "+doctorClosedURL(t))
	for _, k := range []string{"GOPATH", "GOBIN", "GOFLAGS", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOINSECURE", "GOENV", "GOVER_AUTO_INSTALL"} {
		u.setenv(k, "")
	}
	return u
}

func doctorWrite(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o755); err != nil {
		t.Fatal(err)
	}
}

// doctorClosedURL is a local URL nothing listens on.
func doctorClosedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "http://" + l.Addr().String()
}

func (u *doctorUser) doctor(args ...string) result {
	u.t.Helper()
	return u.run(u.gover, append([]string{"doctor"}, args...)...)
}

// doctorJSON is the --json document, as scripts read it.
type doctorJSON struct {
	Schema  int            `json:"schema"`
	OK      bool           `json:"ok"`
	Summary map[string]int `json:"summary"`
	Checks  []struct {
		ID      string `json:"id"`
		Area    string `json:"area"`
		Status  string `json:"status"`
		Finding string `json:"finding"`
		Hint    string `json:"hint"`
		Fix     string `json:"fix"`
	} `json:"checks"`
	Fixed  []string `json:"fixed"`
	Backup string   `json:"backup"`
}

func (u *doctorUser) doctorJSON(args ...string) (doctorJSON, result) {
	u.t.Helper()
	r := u.doctor(append([]string{"--json"}, args...)...)
	var doc doctorJSON
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		u.t.Fatalf("doctor --json: %v\n%s\n%s", err, r.stdout, r.stderr)
	}
	return doc, r
}

func (d doctorJSON) check(t *testing.T, id string) (status, finding, hint string) {
	t.Helper()
	for _, c := range d.Checks {
		if c.ID == id {
			return c.Status, c.Finding, c.Hint
		}
	}
	t.Fatalf("no %s check in %+v", id, d.Checks)
	return
}

func TestDoctorCleanMachinePasses(t *testing.T) {
	t.Parallel()
	u := newDoctorUser(t)
	r := u.doctor()
	if r.code != 0 {
		t.Fatalf("exit %d on a clean machine\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"shims and selection", "shims in " + u.bin + " are current", "go1.22.5 (set by global default)", "is first on PATH", "answers in", "0 errors"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "\x1b[") {
		t.Errorf("colour with NO_COLOR set")
	}
	doc, r := u.doctorJSON()
	if r.code != 0 || !doc.OK || doc.Schema != 1 || doc.Summary["error"] != 0 || len(doc.Checks) < 15 {
		t.Errorf("JSON on a clean machine (exit %d): %+v", r.code, doc)
	}
}

func TestDoctorFindsPlantedProblems(t *testing.T) {
	t.Parallel()
	u := newDoctorUser(t)
	// A Go from a tarball ahead of the shims, an exported GOROOT naming
	// yet another Go, and downloads switched off.
	other := filepath.Join(filepath.Dir(u.home), "usr-local-go")
	doctorWrite(t, filepath.Join(other, "bin", "go"+exeSuffix()), []byte("#!/bin/sh\n"))
	doctorWrite(t, filepath.Join(other, "VERSION"), []byte("go1.21.0\n"))
	doctorWrite(t, filepath.Join(other, "src", "go.mod"), []byte("module std\n"))
	u.setenv("PATH", filepath.Join(other, "bin")+string(os.PathListSeparator)+u.bin+string(os.PathListSeparator)+u.tools)
	goroot := filepath.Join(filepath.Dir(u.home), "go120")
	doctorWrite(t, filepath.Join(goroot, "bin", "go"+exeSuffix()), []byte("#!/bin/sh\n"))
	doctorWrite(t, filepath.Join(goroot, "VERSION"), []byte("go1.20\n"))
	doctorWrite(t, filepath.Join(goroot, "src", "go.mod"), []byte("module std\n"))
	u.setenv("GOROOT", goroot)
	u.setenv("GOPROXY", "off")
	u.setenv("GOSUMDB", "off")

	r := u.doctor("--offline")
	if r.code != 6 {
		t.Fatalf("exit %d, want 6\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"go on PATH is " + filepath.Join(other, "bin", "go"+exeSuffix()) + " (go1.21.0 from " + other + "), which shadows the gover shim",
		"GOROOT=" + goroot + " (environment) is go1.20, but go in this folder runs go1.21.0",
		"GOPROXY=off (environment)",
		"GOSUMDB=off (environment): module downloads are not verified, and Go toolchain downloads are impossible",
		"fix: ",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if !regexp.MustCompile(`gover: \d+ checks found an error`).MatchString(r.stderr) {
		t.Errorf("stderr: %q", r.stderr)
	}

	doc, _ := u.doctorJSON("--offline")
	if doc.OK {
		t.Errorf("JSON says ok")
	}
	if st, _, hint := doc.check(t, "download.gosumdb"); st != "error" || !strings.Contains(hint, "GOSUMDB=sum.golang.org") {
		t.Errorf("download.gosumdb: %s, hint %q", st, hint)
	}
	if st, _, hint := doc.check(t, "goroot.exported"); st != "error" || !strings.Contains(hint, "GOROOT") {
		t.Errorf("goroot.exported: %s, hint %q", st, hint)
	}
}

func TestDoctorGoEnvFileConflict(t *testing.T) {
	t.Parallel()
	u := newDoctorUser(t)
	cfg := filepath.Join(filepath.Dir(u.home), "home", ".config")
	if exeSuffix() != "" {
		cfg = filepath.Join(filepath.Dir(u.home), "home", "AppData", "Roaming")
	}
	doctorWrite(t, filepath.Join(cfg, "go", "env"), []byte("GOPROXY=https://goproxy.cn,direct\nGOSUMDB=off\n"))
	u.setenv("GOSUMDB", "")
	doc, r := u.doctorJSON("--offline")
	if r.code != 6 {
		t.Errorf("exit %d, want 6 (GOSUMDB=off in the go env file)", r.code)
	}
	st, finding, _ := doc.check(t, "download.override")
	if st != "warning" || !strings.Contains(finding, "GOPROXY") || !strings.Contains(finding, "environment, which wins") || !strings.Contains(finding, "goproxy.cn") {
		t.Errorf("download.override: %s %q", st, finding)
	}
	if _, finding, _ := doc.check(t, "download.gosumdb"); !strings.Contains(finding, "GOSUMDB=off (go env -w)") {
		t.Errorf("download.gosumdb: %q", finding)
	}
}

func TestDoctorUnreachableAndSlowProxies(t *testing.T) {
	t.Parallel()
	u := newDoctorUser(t)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(10 * time.Second):
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(slow.Close)
	closed := doctorClosedURL(t)
	u.setenv("GOPROXY", slow.URL+","+closed)
	u.setenv("GOSUMDB", verify.GoSumDBKey+" "+closed)

	doc, r := u.doctorJSON("--timeout", "500ms")
	if r.code != 6 {
		t.Fatalf("exit %d, want 6\n%s", r.code, r.stderr)
	}
	var findings []string
	for _, c := range doc.Checks {
		if c.ID == "download.proxy" || c.ID == "download.sumdb" {
			findings = append(findings, c.Status+": "+c.Finding)
		}
	}
	all := strings.Join(findings, "\n")
	for _, want := range []string{
		"error: proxy " + slow.URL + " is unreachable: no answer within 500ms",
		"warning: proxy " + closed + " is unreachable",
		"error: checksum database " + closed + " is unreachable",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("findings lack %q:\n%s", want, all)
		}
	}

	// --offline skips every probe.
	doc, _ = u.doctorJSON("--offline")
	for _, c := range doc.Checks {
		if c.ID == "download.proxy" || c.ID == "download.sumdb" {
			t.Errorf("--offline probed: %s", c.Finding)
		}
	}
}

func TestDoctorFixAndRestore(t *testing.T) {
	t.Parallel()
	u := newDoctorUser(t)
	stale := []byte("a shim from an older gover")
	goShim := registry.ShimPath(u.bin, "go")
	doctorWrite(t, goShim, stale)
	settings := filepath.Join(u.dir, ".vscode", "settings.json")
	orig := "{\n  // mine\n  \"go.goroot\": \"/usr/local/go\",\n  \"files.eol\": \"\\n\"\n}\n"
	doctorWrite(t, settings, []byte(orig))

	doc, r := u.doctorJSON("--offline")
	if st, _, _ := doc.check(t, "shims.bin"); st != "warning" {
		t.Errorf("stale shims: %s", st)
	}
	if r.code != 0 {
		t.Errorf("exit %d with only warnings", r.code)
	}

	r = u.doctor("--offline", "--fix")
	if r.code != 0 {
		t.Fatalf("--fix: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"fixed shims.bin: copy " + u.shim, "fixed ide.vscode-workspace: in " + settings + ": remove go.goroot", "gover doctor --restore "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("--fix output lacks %q:\n%s", want, r.stdout)
		}
	}
	m := regexp.MustCompile(`gover doctor --restore (\S+)\)`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no backup folder in:\n%s", r.stdout)
	}
	backup := m[1]
	if !strings.HasPrefix(backup, filepath.Join(u.home, "backup")) {
		t.Errorf("backup %s is not under GOVER_HOME/backup", backup)
	}
	want, _ := os.ReadFile(u.shim)
	if got, _ := os.ReadFile(goShim); string(got) != string(want) {
		t.Errorf("go shim not refreshed")
	}
	if got, _ := os.ReadFile(settings); strings.Contains(string(got), "go.goroot") || !strings.Contains(string(got), "// mine") {
		t.Errorf("settings after --fix:\n%s", got)
	}
	if doc, _ := u.doctorJSON("--offline"); doc.Summary["warning"] != 0 {
		t.Errorf("warnings left after --fix: %+v", doc.Checks)
	}

	r = u.run(u.gover, "doctor", "--restore", backup)
	if r.code != 0 {
		t.Fatalf("--restore: exit %d\n%s", r.code, r.stderr)
	}
	if got, _ := os.ReadFile(goShim); string(got) != string(stale) {
		t.Errorf("go shim not restored")
	}
	if got, _ := os.ReadFile(settings); string(got) != orig {
		t.Errorf("settings not restored byte for byte:\n%s", got)
	}
}
