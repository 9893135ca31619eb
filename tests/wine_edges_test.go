package tests

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestWindowsEdgesUnderWine is the Windows edges of issue 15 with the real
// Windows gover under Wine: a REG_SZ user Path, gover setup with no global
// default, setup --undo after the user added to the Path, and a GOVER_HOME
// on a drive that does not exist.
//
// It needs Wine: GOVER_E2E_WINE=1.
func TestWindowsEdgesUnderWine(t *testing.T) {
	if os.Getenv("GOVER_E2E_WINE") != "1" || runtime.GOOS != "linux" {
		t.Skip("set GOVER_E2E_WINE=1 (on Linux, with Wine) to run the Windows build")
	}
	w := newWinebox(t)
	base := t.TempDir()
	dist := filepath.Join(base, "dist")
	gover := filepath.Join(dist, "gover.exe")
	work := filepath.Join(base, "work")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	buildFor(t, "windows", "amd64", "../cmd/gover", "", gover)
	buildFor(t, "windows", "amd64", "../cmd/gover-shim", "", filepath.Join(dist, "gover-shim.exe"))
	w.unsetenv("GOVER_HOME") // the default store, written %USERPROFILE%\.gover\bin on the Path
	const entry = `%USERPROFILE%\.gover\bin`
	const userEnv = `HKCU\Environment`

	// A REG_SZ user Path, as setx leaves it, and no global default.
	w.ok(time.Minute, work, "reg", "add", userEnv, "/v", "Path", "/t", "REG_SZ", "/d", `C:\Tools`, "/f")
	r := w.ok(2*time.Minute, work, gover, "setup")
	v, _ := w.regQuery(userEnv, "Path")
	if v.typ != "REG_EXPAND_SZ" || v.data != entry+`;C:\Tools` {
		t.Errorf("user Path after setup without a default: %s %q, want REG_EXPAND_SZ %q", v.typ, v.data, entry+`;C:\Tools`)
	}
	if !strings.Contains(r.stderr, "no global default is set") || !strings.Contains(r.stderr, "gover: hint: gover use --global") {
		t.Errorf("setup did not say what a default adds:\n%s", r.stderr)
	}
	if w.regKeyExists(`HKCU\Software\GoLang\Go`) {
		t.Error("setup without a default wrote the Go installer's keys")
	}

	// The user installs Node after setup; undo keeps it.
	w.ok(time.Minute, work, "reg", "add", userEnv, "/v", "Path", "/t", "REG_EXPAND_SZ", "/d", v.data+`;C:\Program Files\nodejs\`, "/f")
	r = w.ok(2*time.Minute, work, gover, "setup", "--undo")
	v, _ = w.regQuery(userEnv, "Path")
	if want := `C:\Tools;C:\Program Files\nodejs\`; v.data != want {
		t.Errorf("user Path after undo: %q, want %q", v.data, want)
	}
	if !strings.Contains(r.stderr, "only "+entry+" was taken out") {
		t.Errorf("undo did not say it kept the later entries:\n%s%s", r.stdout, r.stderr)
	}

	// A GOROOT an old installer left in the user's environment, which this
	// terminal lacks: doctor names the scope and gives cmd's command,
	// which works when run there; --fix deletes it with a backup.
	w.ok(time.Minute, work, "reg", "add", userEnv, "/v", "GOROOT", "/t", "REG_SZ", "/d", `C:\OldGo`, "/f")
	w.setenv("GOVER_SHELL", "cmd")
	r = w.run(2*time.Minute, work, gover, "doctor", "--offline")
	if !strings.Contains(r.stdout, `GOROOT=C:\OldGo (user environment, HKCU\Environment)`) || !strings.Contains(r.stdout, `reg delete HKCU\Environment /v GOROOT /f`) {
		t.Errorf("gover doctor with GOROOT only in HKCU\\Environment: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = w.run(2*time.Minute, work, gover, "doctor", "--offline", "--fix")
	if !strings.Contains(r.stdout, `fixed goroot.exported: delete GOROOT from HKCU\Environment`) {
		t.Errorf("gover doctor --fix: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, ok := w.regQuery(userEnv, "GOROOT"); ok {
		t.Error(`GOROOT still in HKCU\Environment after doctor --fix`)
	}
	// The cmd hint itself, run in cmd.exe.
	w.ok(time.Minute, work, "reg", "add", userEnv, "/v", "GOROOT", "/t", "REG_SZ", "/d", `C:\OldGo`, "/f")
	w.ok(time.Minute, work, "cmd", "/c", `reg delete HKCU\Environment /v GOROOT /f`)
	if _, ok := w.regQuery(userEnv, "GOROOT"); ok {
		t.Error(`GOROOT still in HKCU\Environment after the hint ran in cmd`)
	}

	// A store on a drive that does not exist.
	w.setenv("GOVER_HOME", `Q:\gover`)
	r = w.run(time.Minute, work, gover, "list")
	if r.code != 4 || !strings.Contains(r.stderr, `Q:\gover is on Q:, which does not exist`) || strings.Contains(r.stdout, "No Go SDKs") {
		t.Errorf("gover list with GOVER_HOME=Q:\\gover: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
}
