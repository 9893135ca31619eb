package doctor

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/windows/registry"

	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/internal/shellhint"
	goverreg "github.com/gover/gover/registry"
	"github.com/gover/gover/store"
	"github.com/gover/gover/versions"
)

// deleteTree removes a registry key with everything below it.
func deleteTree(root registry.Key, path string) {
	k, err := registry.OpenKey(root, path, registry.ENUMERATE_SUB_KEYS|registry.QUERY_VALUE)
	if err == nil {
		names, _ := k.ReadSubKeyNames(-1)
		k.Close()
		for _, n := range names {
			deleteTree(root, path+`\`+n)
		}
	}
	registry.DeleteKey(root, path)
}

// windowsSetup points every registry location at throwaway keys, set up
// the way gover sync leaves them, so a developer's own settings are never
// read or touched.
func windowsSetup(e *testEnv) {
	t := e.t
	// The process id keeps test runs that share a Wine prefix apart.
	base := fmt.Sprintf(`Software\GoverTest\doctor-%d\`, os.Getpid()) + strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	e.env.Keys = goverreg.Keys{
		GoProgrammingLanguage: base + `\GoProgrammingLanguage`,
		GoLang:                base + `\GoLang\Go`,
		UserEnvironment:       base + `\Environment`,
		MachineEnvironment:    base + `\MachineEnvironment`,
	}
	e.env.LongPathsKey = base + `\FileSystem`
	t.Cleanup(func() {
		for _, root := range []registry.Key{registry.CURRENT_USER, registry.LOCAL_MACHINE} {
			deleteTree(root, base)
			registry.DeleteKey(root, filepath.Dir(base)) // fails while other tests still use it
		}
	})
	sdk := e.st.SDKDir(versions.MustParse("1.22.5"))
	mustSet(t, "HKCU", e.env.Keys.GoProgrammingLanguage, "installLocation", sdk+`\`, false)
	mustSet(t, "HKCU", e.env.Keys.GoLang, "GoInstallPath", sdk, false)
	mustSet(t, "HKCU", e.env.Keys.UserEnvironment, "Path", e.st.BinDir()+`;`+e.tools, true)
	mustSet(t, "HKLM", e.env.Keys.MachineEnvironment, "Path", `%SystemRoot%\system32`, true)
	k, _, err := registry.CreateKey(registry.LOCAL_MACHINE, e.env.LongPathsKey, registry.SET_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	k.SetDWordValue("LongPathsEnabled", 1)
	k.Close()
}

func mustSet(t testing.TB, root, key, name, value string, expand bool) {
	t.Helper()
	if err := writeString(root, key, name, value, expand); err != nil {
		t.Fatalf(`writing %s\%s\%s: %v`, root, key, name, err)
	}
}

func TestWindowsChecks(t *testing.T) {
	cases := []planted{
		{
			name: "long paths off",
			plant: func(e *testEnv) {
				k, _, _ := registry.CreateKey(registry.LOCAL_MACHINE, e.env.LongPathsKey, registry.SET_VALUE)
				k.SetDWordValue("LongPathsEnabled", 0)
				k.Close()
			},
			id: "windows.longpaths", status: Warning, finding: []string{"not enabled"}, hint: "LongPathsEnabled -Value 1",
		},
		{
			name: "registry names another Go",
			plant: func(e *testEnv) {
				mustSet(e.t, "HKCU", e.env.Keys.GoLang, "GoInstallPath", `C:\Program Files\Go`, false)
			},
			id: "windows.registry", status: Warning, finding: []string{`C:\Program Files\Go`, "go1.22.5"}, hint: "gover sync",
		},
		{
			name: "MSI Go on the machine PATH",
			plant: func(e *testEnv) {
				msi := filepath.Join(e.base, "Program Files", "Go")
				fakeGOROOT(e.t, msi, "go1.21.0")
				mustSet(e.t, "HKLM", e.env.Keys.MachineEnvironment, "Path", `%SystemRoot%\system32;`+filepath.Join(msi, "bin"), true)
			},
			id: "windows.machine-path", status: Error, finding: []string{"machine PATH", "beats the gover shims"}, hint: "gover sync --system",
		},
		{
			name: "shims not first on the user PATH",
			plant: func(e *testEnv) {
				mustSet(e.t, "HKCU", e.env.Keys.UserEnvironment, "Path", e.tools+`;`+e.st.BinDir(), true)
			},
			id: "windows.user-path", status: Warning, finding: []string{"not first on the user PATH"}, hint: "gover sync", fixable: true,
		},
		{
			name: "PATH too long for cmd.exe",
			plant: func(e *testEnv) {
				e.vars["PATH"] += ";" + strings.Repeat(`C:\x`, goverreg.MaxPathLen/4)
			},
			id: "path.length", status: Error, finding: []string{"cmd.exe ignores"},
		},
		{
			name:  "Defender advice",
			plant: func(e *testEnv) {},
			id:    "windows.defender", status: OK, hint: "Add-MpPreference -ExclusionPath",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t)
			tc.plant(e)
			checkFinding(t, e.run(), tc.id, tc.status, tc.finding, tc.hint, tc.fixable)
		})
	}
}

func TestFixUserPathAndRestore(t *testing.T) {
	e := newTestEnv(t)
	key := e.env.Keys.UserEnvironment
	orig := `%USERPROFILE%\go\bin;` + e.tools + `;` + e.st.BinDir()
	mustSet(t, "HKCU", key, "Path", orig, true)
	r := e.run()
	r.Checks = []Check{*r.Find("windows.user-path")} // the current link cannot be made under Wine
	backup, done, err := r.ApplyFixes(e.root, time.Now(), new(bytes.Buffer))
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 1 {
		t.Fatalf("changes %q, want just the user PATH\n%s", done, dump(r))
	}
	got, expand, err := readString("HKCU", key, "Path")
	if err != nil {
		t.Fatal(err)
	}
	if want := e.st.BinDir() + `;%USERPROFILE%\go\bin;` + e.tools; got != want || !expand {
		t.Errorf("user PATH after the fix: %q (expand %v), want %q", got, expand, want)
	}
	if c := e.run().Find("windows.user-path"); c.Status != OK {
		t.Errorf("after the fix: %s", c.Finding)
	}
	if _, err := Restore(backup); err != nil {
		t.Fatal(err)
	}
	if got, expand, _ := readString("HKCU", key, "Path"); got != orig || !expand {
		t.Errorf("restored user PATH %q (expand %v), want %q", got, expand, orig)
	}
}

func TestFixUserPathCreatesValueAndRestoreDeletesIt(t *testing.T) {
	e := newTestEnv(t)
	k, err := registry.OpenKey(registry.CURRENT_USER, e.env.Keys.UserEnvironment, registry.SET_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	k.DeleteValue("Path")
	k.Close()
	r := e.run()
	r.Checks = []Check{*r.Find("windows.user-path")}
	backup, _, err := r.ApplyFixes(e.root, time.Now(), new(bytes.Buffer))
	if err != nil {
		t.Fatal(err)
	}
	if got, _, _ := readString("HKCU", e.env.Keys.UserEnvironment, "Path"); !samePath(got, e.st.BinDir()) {
		t.Errorf("new user PATH %q", got)
	}
	if _, err := Restore(backup); err != nil {
		t.Fatal(err)
	}
	if _, _, err := readString("HKCU", e.env.Keys.UserEnvironment, "Path"); !errors.Is(err, registry.ErrNotExist) {
		t.Errorf("restore kept the created Path value: %v", err)
	}
}

func TestFindExecutablePATHEXT(t *testing.T) {
	dir := fake.TempDir(t)
	for _, n := range []string{"go.bat", "gofmt.exe", "tool.cmd"} {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name, pathext, want string
	}{
		{"go", ".COM;.EXE;.BAT;.CMD", "go.bat"},
		{"go", ".COM;.EXE", ""},
		{"gofmt", "", "gofmt.exe"},
		{"gofmt.exe", ".EXE", "gofmt.exe"},
		{"tool", "exe;cmd", "tool.cmd"},
	}
	for _, tc := range cases {
		got := findExecutable(dir, tc.name, func(string) string { return tc.pathext })
		if tc.want == "" && got != "" || tc.want != "" && !samePath(got, filepath.Join(dir, tc.want)) {
			t.Errorf("findExecutable(%q, PATHEXT=%q) = %q, want %q", tc.name, tc.pathext, got, tc.want)
		}
	}
}

// TestREGSZUserPathIsNotOK: a REG_SZ user Path whose first entry names the
// shims through %USERPROFILE% is not expanded by Windows, so doctor must not
// call it ok; --fix stores it as REG_EXPAND_SZ through the same code as
// gover sync, and a second run is ok (no fix loop).
func TestREGSZUserPathIsNotOK(t *testing.T) {
	e := newTestEnv(t)
	key := e.env.Keys.UserEnvironment
	literal := `%USERPROFILE%\..\gover\bin` // the shims folder, once expanded
	mustSet(t, "HKCU", key, "Path", literal+`;`+e.tools, false)
	r := e.run()
	checkFinding(t, r, "windows.user-path", Warning, []string{"REG_SZ", "does not expand " + literal}, "gover sync", true)
	r.Checks = []Check{*r.Find("windows.user-path")}
	backup, done, err := r.ApplyFixes(e.root, time.Now(), new(bytes.Buffer))
	if err != nil || len(done) != 1 {
		t.Fatalf("fix: %v %q", err, done)
	}
	got, expand, err := readString("HKCU", key, "Path")
	if err != nil || !expand || !strings.HasPrefix(got, e.st.BinDir()+";") {
		t.Errorf("user PATH after the fix: %q (REG_EXPAND_SZ %v, %v)", got, expand, err)
	}
	if c := e.run().Find("windows.user-path"); c.Status != OK {
		t.Errorf("after the fix: %s", c.Finding)
	}
	// gover setup --undo knows about the change too.
	if _, err := os.Stat(filepath.Join(e.root, "registry-backup.json")); err != nil {
		t.Errorf("no registry backup for gover setup --undo: %v", err)
	}
	if _, err := Restore(backup); err != nil {
		t.Fatal(err)
	}
	if got, expand, _ := readString("HKCU", key, "Path"); got != literal+`;`+e.tools || expand {
		t.Errorf("restored user PATH %q (REG_EXPAND_SZ %v)", got, expand)
	}
}

// runInCmd runs a hint in cmd.exe as typed at its prompt.
func runInCmd(t *testing.T, line string) string {
	t.Helper()
	cmd := exec.Command("cmd")
	cmd.SysProcAttr = &syscall.SysProcAttr{CmdLine: `cmd /s /c "` + line + `"`}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("cmd /c %s: %v\n%s", line, err, out)
	}
	return string(out)
}

// hintCommand is the command part of a hint, before its "   (" remarks.
func hintCommand(h string) string {
	c, _, _ := strings.Cut(h, "   ")
	return c
}

// TestRegistryEnvironment: Go variables that only the registry holds (an
// old installer's GOROOT, a GOPROXY set machine-wide), which every new
// terminal gets though this one lacks them, are found in both scopes,
// named with their scope, and come with the fix for that scope. The
// hints are run in cmd.exe and remove the value.
func TestRegistryEnvironment(t *testing.T) {
	cases := []struct {
		name, root, variable, value string
		id                          string
		status                      Status
		fixable                     bool
	}{
		{"GOROOT left by an old install", "HKCU", "GOROOT", `C:\OldGo`, "goroot.exported", Error, true},
		{"GOROOT machine-wide", "HKLM", "GOROOT", `C:\OldGo`, "goroot.exported", Error, false},
		{"GOPROXY off machine-wide", "HKLM", "GOPROXY", "off", "download.goproxy", Error, false},
		{"GOSUMDB off for the user", "HKCU", "GOSUMDB", "off", "download.gosumdb", Error, false},
		{"GOFLAGS not flags", "HKLM", "GOFLAGS", "mod=mod", "download.goflags", Error, false},
		{"GOTOOLCHAIN auto", "HKCU", "GOTOOLCHAIN", "auto", "download.gotoolchain", Warning, false},
		{"GOPATH relative", "HKCU", "GOPATH", `go`, "gopath.dir", Error, false},
		{"GOBIN relative", "HKLM", "GOBIN", `bin`, "gopath.bin", Error, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t)
			e.env.Shell = shellhint.Cmd
			key, scope := e.env.Keys.UserEnvironment, "user environment"
			if tc.root == "HKLM" {
				key, scope = e.env.Keys.MachineEnvironment, "system environment"
			}
			mustSet(t, tc.root, key, tc.variable, tc.value, false)
			r := e.run()
			c := r.Find(tc.id)
			if c == nil {
				t.Fatalf("no %s\n%s", tc.id, dump(r))
			}
			if c.Status != tc.status || !strings.Contains(c.Finding, scope) {
				t.Errorf("%s: %s %q, want %s naming the %s", tc.id, c.Status, c.Finding, tc.status, scope)
			}
			reg := `reg delete ` + tc.root + `\` + key + ` /v ` + tc.variable + ` /f`
			if strings.Contains(key, " ") {
				reg = `reg delete "` + tc.root + `\` + key + `" /v ` + tc.variable + ` /f`
			}
			if !strings.Contains(c.Hint, reg) {
				t.Errorf("%s hint %q lacks %q", tc.id, c.Hint, reg)
			}
			if tc.root == "HKLM" && !strings.Contains(c.Hint, "Run as administrator") {
				t.Errorf("%s hint %q does not say it needs an administrator", tc.id, c.Hint)
			}
			if got := c.apply != nil; got != tc.fixable {
				t.Errorf("%s fixable %v, want %v", tc.id, got, tc.fixable)
			}
			// The hint, run in cmd.exe, removes the value.
			cmdline := hintCommand(c.Hint)
			if i := strings.Index(cmdline, "reg delete"); i >= 0 {
				cmdline = cmdline[i:]
			}
			runInCmd(t, cmdline)
			if _, _, err := readString(tc.root, key, tc.variable); !errors.Is(err, registry.ErrNotExist) {
				t.Errorf("%s still set after %s: %v", tc.variable, cmdline, err)
			}
		})
	}
}

// TestFixRegistryGOROOT: doctor --fix deletes a GOROOT from the user's
// environment in the registry, with a backup that puts it back.
func TestFixRegistryGOROOT(t *testing.T) {
	e := newTestEnv(t)
	key := e.env.Keys.UserEnvironment
	mustSet(t, "HKCU", key, "GOROOT", `C:\OldGo`, false)
	r := e.run()
	r.Checks = []Check{*r.Find("goroot.exported")}
	backup, done, err := r.ApplyFixes(e.root, time.Now(), new(bytes.Buffer))
	if err != nil || len(done) != 1 {
		t.Fatalf("fix: %v %q", err, done)
	}
	if _, _, err := readString("HKCU", key, "GOROOT"); !errors.Is(err, registry.ErrNotExist) {
		t.Errorf("GOROOT still set: %v", err)
	}
	if c := e.run().Find("goroot.exported"); c.Status != OK {
		t.Errorf("after the fix: %s", c.Finding)
	}
	if _, err := Restore(backup); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := readString("HKCU", key, "GOROOT"); v != `C:\OldGo` {
		t.Errorf("restored GOROOT %q", v)
	}
}

// TestWindowsHintsForTheShell: the hints name folders without doubled
// backslashes, quote them for the shell, never import another gover
// store, and for a Go on the machine PATH offer the elevated --system
// change or removing that Go, not gover sync.
func TestWindowsHintsForTheShell(t *testing.T) {
	for _, sh := range []shellhint.Shell{shellhint.Cmd, shellhint.PowerShell, shellhint.POSIX} {
		t.Run(sh.String(), func(t *testing.T) {
			e := newTestEnv(t)
			e.env.Shell = sh
			msi := filepath.Join(e.base, "Program Files", "Go")
			fakeGOROOT(t, msi, "go1.21.0")
			mustSet(t, "HKLM", e.env.Keys.MachineEnvironment, "Path", `%SystemRoot%\system32;`+filepath.Join(msi, "bin"), true)
			e.prependPath(filepath.Join(msi, "bin"))
			r := e.run()
			for _, id := range []string{"windows.machine-path", "path.go", "path.other-go"} {
				c := r.Find(id)
				if c == nil {
					t.Fatalf("no %s\n%s", id, dump(r))
				}
				if !strings.Contains(c.Hint, "gover sync --system") || !strings.Contains(c.Hint, "Run as administrator") || strings.Contains(c.Hint, "puts ") {
					t.Errorf("%s hint %q: want the elevated --system change, not gover sync", id, c.Hint)
				}
				if want := sh.Command("gover", "import", msi); !strings.Contains(c.Hint, want) {
					t.Errorf("%s hint %q lacks %s", id, c.Hint, want)
				}
				if strings.Contains(c.Hint, `\\`) {
					t.Errorf("%s hint %q doubles backslashes", id, c.Hint)
				}
			}
		})
	}
	// Another gover store's shims on PATH: no gover import of its folder.
	e := newTestEnv(t)
	e.env.Shell = shellhint.Cmd
	other := filepath.Join(e.base, "other-gover")
	writeFile(t, filepath.Join(other, store.MarkerName), "")
	writeExec(t, filepath.Join(other, "bin", "go.exe"), "shim")
	e.prependPath(filepath.Join(other, "bin"))
	c := e.run().Find("path.other-go")
	if c == nil || strings.Contains(c.Hint, "gover import") || !strings.Contains(c.Hint, "another gover store") {
		t.Errorf("another store's shims: %+v", c)
	}
}
