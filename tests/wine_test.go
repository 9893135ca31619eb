package tests

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// wineGoVersion is a real Go release whose windows/amd64 toolchain module
// is on proxy.golang.org and runs under Wine 8 with the prefix from
// scripts/wine-prefix.sh.
const wineGoVersion = "1.26.10"

// TestWindowsEndToEndUnderWine is a Windows user's first day with gover,
// with the real Windows binaries under Wine: install a real Go from the
// module proxy (checked against sum.golang.org), set up the shims, build
// and run a program through them, make it the global default and read the
// registry and user PATH back, then undo it all.
//
// It needs the network and Wine: GOVER_E2E_NETWORK=1 GOVER_E2E_WINE=1. It
// downloads about 70 MB and takes a few minutes.
func TestWindowsEndToEndUnderWine(t *testing.T) {
	if os.Getenv("GOVER_E2E_NETWORK") != "1" || os.Getenv("GOVER_E2E_WINE") != "1" {
		t.Skip("set GOVER_E2E_NETWORK=1 and GOVER_E2E_WINE=1 to install a real Windows Go under Wine")
	}
	if runtime.GOOS == "windows" {
		t.Skip("drives Windows binaries through Wine")
	}
	w := newWinebox(t)

	base := t.TempDir()
	var (
		binDir    = filepath.Join(base, "gover")
		gover     = filepath.Join(binDir, "gover.exe")
		home      = filepath.Join(base, "home") // GOVER_HOME
		work      = filepath.Join(base, "work")
		elsewhere = filepath.Join(base, "elsewhere")
		sdk       = filepath.Join(home, "sdk", "go"+wineGoVersion)
		sdkWin    = winPath(sdk)
		shimGo    = filepath.Join(home, "bin", "go.exe")
	)
	for _, d := range []string{work, elsewhere, filepath.Join(base, "gotmp")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// gover setup copies the shim from gover-shim.exe next to gover.exe, as
	// a release archive ships them.
	buildFor(t, "windows", "amd64", "../cmd/gover", "", gover)
	buildFor(t, "windows", "amd64", "../cmd/gover-shim", "", filepath.Join(binDir, "gover-shim.exe"))

	w.setenv("GOVER_HOME", winPath(home))
	w.setenv("GOPROXY", "https://proxy.golang.org")
	w.setenv("GOSUMDB", "sum.golang.org")
	w.setenv("GOVER_SOURCES", "proxy")
	w.setenv("GOCACHE", winPath(filepath.Join(base, "gocache")))
	w.setenv("GOPATH", winPath(filepath.Join(base, "gopath")))
	w.setenv("GOTMPDIR", winPath(filepath.Join(base, "gotmp")))

	// Install: the toolchain module, verified against the checksum database.
	r := w.ok(6*time.Minute, work, gover, "install", wineGoVersion)
	t.Logf("gover install:\n%s%s", r.stdout, r.stderr)
	if !strings.Contains(r.stdout, "installed go"+wineGoVersion+" (windows/amd64) in "+sdkWin) {
		t.Errorf("gover install printed:\n%s", r.stdout)
	}
	u := &user{t: t, home: home, dir: work}
	m := u.manifest(wineGoVersion)
	if m["trust"] != "sumdb" || m["platform"] != "windows/amd64" || m["goroot"] != sdkWin {
		t.Errorf("manifest: trust %v, platform %v, goroot %v", m["trust"], m["platform"], m["goroot"])
	}
	// The recorded hash is the one the public checksum database holds.
	mod := "golang.org/toolchain@v0.0.1-go" + wineGoVersion + ".windows-amd64"
	h1, _ := m["h1"].(string)
	if line := sumdbLine(t, mod); line != strings.Replace(mod, "@", " ", 1)+" "+h1 {
		t.Errorf("manifest h1 %q; sum.golang.org has %q", h1, line)
	}
	if checks := anyStrings(m["checks"]); !slices.Contains(checks, "sumdb:sum.golang.org") {
		t.Errorf("manifest checks %v, want sumdb:sum.golang.org", checks)
	}
	if src, _ := m["source"].(map[string]any); src["kind"] != "proxy" || src["module"] != mod {
		t.Errorf("manifest source %v", m["source"])
	}

	// Setup before any global default: the shims, first on the user PATH
	// already, and a note on what a default adds.
	r = w.ok(time.Minute, work, gover, "setup")
	if !strings.Contains(r.stderr, "gover: hint: gover use --global") {
		t.Errorf("gover setup without a default printed:\n%s%s", r.stdout, r.stderr)
	}
	if got, _ := w.regQuery(`HKCU\Environment`, "Path"); !strings.HasPrefix(got.data, winPath(filepath.Join(home, "bin"))) {
		t.Errorf("user PATH after setup without a default: %q", got.data)
	}
	for _, tool := range []string{"go.exe", "gofmt.exe"} {
		if !isRegular(filepath.Join(home, "bin", tool)) {
			t.Fatalf("gover setup made no %s", tool)
		}
	}

	// The go shim picks the folder's version and runs the real SDK.
	writeFile(t, filepath.Join(work, ".go-version"), wineGoVersion+"\n")
	r = w.ok(time.Minute, work, shimGo, "version")
	if want := "go version go" + wineGoVersion + " windows/amd64"; strings.TrimSpace(r.stdout) != want {
		t.Errorf("go version printed %q, want %q", r.stdout, want)
	}
	if err := os.MkdirAll(filepath.Join(work, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	r = w.ok(time.Minute, filepath.Join(work, "sub"), shimGo, "env", "GOROOT")
	if strings.TrimSpace(r.stdout) != sdkWin {
		t.Errorf("go env GOROOT in a subfolder = %q, want %s", r.stdout, sdkWin)
	}
	r = w.run(time.Minute, work, shimGo, "bogus")
	if r.code != 2 || !strings.Contains(r.stderr, "unknown command") {
		t.Errorf("go bogus: exit %d (want go's 2), stderr %q", r.code, r.stderr)
	}
	writeFile(t, filepath.Join(work, "fmtcheck", "x.go"), "package x\nfunc  F( ) {}\n")
	r = w.ok(time.Minute, work, filepath.Join(home, "bin", "gofmt.exe"), "-l", "fmtcheck")
	if strings.TrimSpace(r.stdout) != `fmtcheck\x.go` {
		t.Errorf("gofmt -l printed %q", r.stdout)
	}
	// Arguments reach the real go byte for byte, and stdin reaches gofmt.
	const tmpl = `a b "c" & ü\ %PATH% {{.Name}}`
	r = w.ok(time.Minute, work, shimGo, "list", "-f", tmpl, "fmtcheck/x.go")
	if want := `a b "c" & ü\ %PATH% x`; strings.TrimSpace(r.stdout) != want {
		t.Errorf("go list -f printed %q, want %q", r.stdout, want)
	}
	r = w.runStdin("package x\nfunc  F( ) {}\n", time.Minute, work, filepath.Join(home, "bin", "gofmt.exe"))
	if r.code != 0 || r.stdout != "package x\n\nfunc F() {}\n" {
		t.Errorf("gofmt from stdin: exit %d, printed %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// A go.mod alone selects too, and gover's own commands agree.
	writeFile(t, filepath.Join(base, "mod", "go.mod"), "module m\n\ngo "+wineGoVersion+"\n")
	r = w.ok(time.Minute, filepath.Join(base, "mod"), shimGo, "env", "GOVERSION")
	if strings.TrimSpace(r.stdout) != "go"+wineGoVersion {
		t.Errorf("go env GOVERSION under a go.mod = %q", r.stdout)
	}
	r = w.ok(time.Minute, filepath.Join(base, "mod"), gover, "current")
	if !strings.Contains(r.stdout, "go"+wineGoVersion) || !strings.Contains(r.stdout, "go.mod") {
		t.Errorf("gover current under a go.mod printed %q", r.stdout)
	}
	r = w.ok(time.Minute, work, gover, "which", "gofmt")
	if want := sdkWin + `\bin\gofmt.exe`; strings.TrimSpace(r.stdout) != want {
		t.Errorf("gover which gofmt = %q, want %s", r.stdout, want)
	}
	r = w.ok(time.Minute, elsewhere, gover, "exec", wineGoVersion, "--", "go", "env", "GOROOT")
	if strings.TrimSpace(r.stdout) != sdkWin {
		t.Errorf("gover exec go env GOROOT = %q, want %s", r.stdout, sdkWin)
	}

	// A program built with the real SDK through the shim. println keeps the
	// build to the runtime's packages: compiling under Wine is slow. -work
	// keeps go from deleting its work folder, which Go 1.26 under Wine 8
	// cannot do ("unlinkat ... Invalid function").
	writeFile(t, filepath.Join(work, "go.mod"), "module hello\n\ngo 1.26\n")
	writeFile(t, filepath.Join(work, "main.go"), "package main\n\nimport \"runtime\"\n\nfunc main() { println(\"hello from\", runtime.Version(), runtime.GOOS+\"/\"+runtime.GOARCH) }\n")
	w.ok(7*time.Minute, work, shimGo, "build", "-work", "-o", "hello.exe", ".")
	r = w.ok(time.Minute, work, filepath.Join(work, "hello.exe"))
	if want := "hello from go" + wineGoVersion + " windows/amd64"; strings.TrimSpace(r.stderr) != want {
		t.Errorf("hello.exe printed %q, want %q", r.stderr, want)
	}

	// cmd/go's own switch finds gover's goX.Y.Z.exe entry through PATHEXT
	// (issue 12): a Windows cmd/go older than the SDK, built from the
	// machine's Go sources, with GOTOOLCHAIN=go<SDK>+path and the shims
	// folder on PATH, runs GOVER_HOME\bin\go<SDK>.exe, which is the shim,
	// which runs the installed SDK.
	entry := filepath.Join(home, "bin", "go"+wineGoVersion+".exe")
	if !isRegular(entry) {
		t.Errorf("no %s entry after install and setup", entry)
	}
	oldGo := filepath.Join(base, "oldgo", "bin", "go.exe")
	buildFor(t, "windows", "amd64", "cmd/go", "", oldGo)
	savedEnv := slices.Clone(w.env)
	w.setenv("GOTOOLCHAIN", "go"+wineGoVersion+"+path")
	w.setenv("PATH", winPath(filepath.Join(home, "bin"))+`;C:\windows\system32;C:\windows`)
	w.setenv("PATHEXT", ".COM;.EXE;.BAT;.CMD")
	r = w.ok(time.Minute, elsewhere, oldGo, "version")
	if want := "go version go" + wineGoVersion + " windows/amd64"; strings.TrimSpace(r.stdout) != want {
		t.Errorf("an older cmd/go with GOTOOLCHAIN=go%s+path ran %q (stderr %q), want %q", wineGoVersion, r.stdout, r.stderr, want)
	}
	w.env = savedEnv

	// The global default: registry, user PATH and the current link. The
	// user's own PATH entries, %VARIABLES% and all, must survive.
	const userPath = `%USERPROFILE%\tools;C:\other`
	w.ok(time.Minute, work, "reg", "add", `HKCU\Environment`, "/v", "Path", "/t", "REG_EXPAND_SZ", "/d", userPath, "/f")
	r = w.ok(time.Minute, work, gover, "use", "--global", wineGoVersion)
	t.Logf("gover use --global:\n%s%s", r.stdout, r.stderr)
	if !strings.Contains(r.stdout, "go"+wineGoVersion+" is now the global default") {
		t.Errorf("gover use --global printed:\n%s", r.stdout)
	}
	wantReg := []struct{ key, name, typ, data string }{
		{`HKCU\Software\GoProgrammingLanguage`, "installLocation", "REG_SZ", sdkWin + `\`},
		{`HKCU\Software\GoProgrammingLanguage`, "installed", "REG_DWORD", "0x1"},
		{`HKCU\Software\GoLang\Go`, "GoInstallPath", "REG_SZ", sdkWin},
		{`HKCU\Environment`, "Path", "REG_EXPAND_SZ", winPath(filepath.Join(home, "bin")) + ";" + userPath},
	}
	for _, want := range wantReg {
		got, ok := w.regQuery(want.key, want.name)
		if !ok || got.typ != want.typ || got.data != want.data {
			t.Errorf("%s\\%s = %s %q (present %v), want %s %q", want.key, want.name, got.typ, got.data, ok, want.typ, want.data)
		}
	}
	checkCurrent(t, home, sdk, r.stderr)

	// A new console finds go through the user PATH and, in a folder that
	// selects nothing, runs the global default.
	r = w.ok(time.Minute, elsewhere, "cmd", "/c", "go version")
	if want := "go version go" + wineGoVersion + " windows/amd64"; strings.TrimSpace(r.stdout) != want {
		t.Errorf("go version from a new console = %q, want %q", r.stdout, want)
	}

	// gover doctor, run the way a new console runs it, finds nothing wrong
	// with PATH, registry or shims.
	r = w.ok(time.Minute, elsewhere, gover, "doctor", "--json", "--offline")
	var report struct {
		OK     bool
		Checks []struct{ ID, Status, Finding string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &report); err != nil {
		t.Fatalf("gover doctor --json: %v\n%s", err, r.stdout)
	}
	status := map[string]string{}
	for _, c := range report.Checks {
		status[c.ID] = c.Status
		t.Logf("doctor %s %s: %s", c.Status, c.ID, c.Finding)
	}
	if !report.OK {
		t.Errorf("gover doctor found errors")
	}
	for _, id := range []string{"shims.bin", "path.shims", "path.go", "windows.registry", "windows.user-path", "windows.machine-path"} {
		if status[id] != "ok" {
			t.Errorf("doctor check %s: %q, want ok", id, status[id])
		}
	}

	// With a default set, setup also brings Windows in step, and leaves it
	// as it is when nothing changed.
	w.ok(time.Minute, work, gover, "setup")
	if got, _ := w.regQuery(`HKCU\Environment`, "Path"); got.data != wantReg[3].data {
		t.Errorf("user PATH after a second setup: %q", got.data)
	}
	r = w.ok(time.Minute, work, gover, "current")
	if !strings.Contains(r.stdout, "go"+wineGoVersion) || !strings.Contains(r.stdout, ".go-version") {
		t.Errorf("gover current printed %q", r.stdout)
	}
	r = w.ok(time.Minute, work, gover, "list")
	if !strings.Contains(r.stdout, "* "+wineGoVersion) {
		t.Errorf("gover list printed %q", r.stdout)
	}
	r = w.ok(3*time.Minute, work, gover, "verify", wineGoVersion)
	if !strings.Contains(r.stdout, "go"+wineGoVersion+": ok") {
		t.Errorf("gover verify printed %q", r.stdout)
	}

	// Undo puts the registry back as it was: the user's PATH value byte for
	// byte and type, and no Go keys.
	r = w.ok(time.Minute, work, gover, "setup", "--undo")
	t.Logf("gover setup --undo:\n%s%s", r.stdout, r.stderr)
	if got, ok := w.regQuery(`HKCU\Environment`, "Path"); !ok || got.typ != "REG_EXPAND_SZ" || got.data != userPath {
		t.Errorf("user PATH after undo = %s %q, want REG_EXPAND_SZ %q", got.typ, got.data, userPath)
	}
	for _, key := range []string{`HKCU\Software\GoProgrammingLanguage`, `HKCU\Software\GoLang\Go`} {
		if w.regKeyExists(key) {
			t.Errorf("%s is still there after undo", key)
		}
	}

	// The default GOVER_HOME, %USERPROFILE%\.gover, goes on the user PATH
	// unexpanded, so the entry survives a renamed profile folder. The SDK
	// is imported in place from the first store.
	w.unsetenv("GOVER_HOME")
	r = w.ok(time.Minute, work, gover, "import", sdkWin)
	if !strings.Contains(r.stdout, "imported go"+wineGoVersion) {
		t.Errorf("gover import printed %q", r.stdout)
	}
	w.ok(time.Minute, work, gover, "setup")
	w.ok(time.Minute, work, gover, "use", "--global", wineGoVersion)
	if got, _ := w.regQuery(`HKCU\Environment`, "Path"); got.typ != "REG_EXPAND_SZ" || got.data != `%USERPROFILE%\.gover\bin;`+userPath {
		t.Errorf("user PATH with the default GOVER_HOME = %s %q", got.typ, got.data)
	}
	if got, _ := w.regQuery(`HKCU\Software\GoLang\Go`, "GoInstallPath"); got.data != sdkWin {
		t.Errorf("GoInstallPath for the imported SDK = %q, want %s", got.data, sdkWin)
	}
	r = w.ok(time.Minute, elsewhere, "cmd", "/c", "go version")
	if want := "go version go" + wineGoVersion + " windows/amd64"; strings.TrimSpace(r.stdout) != want {
		t.Errorf("go version through %%USERPROFILE%%\\.gover\\bin = %q, want %q", r.stdout, want)
	}
	w.ok(time.Minute, work, gover, "setup", "--undo")
	if got, _ := w.regQuery(`HKCU\Environment`, "Path"); got.typ != "REG_EXPAND_SZ" || got.data != userPath {
		t.Errorf("user PATH after the second undo = %s %q, want REG_EXPAND_SZ %q", got.typ, got.data, userPath)
	}
	// Uninstalling an imported SDK only forgets it.
	w.ok(time.Minute, work, gover, "uninstall", "--force", wineGoVersion)
	if !isRegular(filepath.Join(sdk, "bin", "go.exe")) {
		t.Fatalf("uninstalling the imported SDK removed %s", sdk)
	}

	// Uninstalling removes a real SDK tree, executables that have run
	// included.
	w.setenv("GOVER_HOME", winPath(home))
	w.ok(3*time.Minute, work, gover, "uninstall", "--force", wineGoVersion)
	if _, err := os.Stat(sdk); !os.IsNotExist(err) {
		t.Errorf("%s is still there after gover uninstall: %v", sdk, err)
	}
	if r := w.ok(time.Minute, work, gover, "list"); strings.Contains(r.stdout, wineGoVersion) {
		t.Errorf("gover list after uninstall:\n%s", r.stdout)
	}
}

// sumdbLine is the checksum database's line for the module version mod
// (path@version), asked of sum.golang.org through proxy.golang.org.
func sumdbLine(t *testing.T, mod string) string {
	t.Helper()
	c := &http.Client{Timeout: time.Minute}
	resp, err := c.Get("https://proxy.golang.org/sumdb/sum.golang.org/lookup/" + mod)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("sum.golang.org lookup %s: %s %v\n%s", mod, resp.Status, err, body)
	}
	prefix := strings.Replace(mod, "@", " ", 1) + " h1:"
	for _, line := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(line, prefix) {
			return line
		}
	}
	t.Fatalf("sum.golang.org lookup %s has no %q line:\n%s", mod, prefix, body)
	return ""
}

// checkCurrent checks GOVER_HOME\current after gover use --global printed
// stderr. Wine 8 has neither junctions nor directory symbolic links; gover
// must then say the link does not follow the default, and leave nothing
// half made.
func checkCurrent(t *testing.T, home, sdk, stderr string) {
	t.Helper()
	link := filepath.Join(home, "current")
	if a, err := os.Stat(filepath.Join(link, "bin", "go.exe")); err == nil {
		b, err := os.Stat(filepath.Join(sdk, "bin", "go.exe"))
		if err != nil || !os.SameFile(a, b) {
			t.Errorf("%s does not lead to %s", link, sdk)
		}
		return
	}
	if !strings.Contains(stderr, winPath(link)+" does not follow the global default") {
		t.Errorf("no current link, and gover use --global did not say so; stderr:\n%s", stderr)
	}
	t.Logf("this Wine cannot make the current junction; gover said:\n%s", stderr)
	ents, _ := os.ReadDir(home)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".current") || e.Name() == "current" {
			t.Errorf("left in GOVER_HOME: %s", e.Name())
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
