package tests

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/versions"
)

// TestWineSetupStoreFromBin is gover setup on Windows with a custom
// GOVER_HOME, under Wine: gover.exe lands next to the shims, and that copy
// and the shims find the store from their own bin\ folder once GOVER_HOME
// is gone; the PowerShell profiles (pwsh's and Windows PowerShell's) get
// the activate hook through the startup-file editor, keeping a CRLF
// profile's bytes; setup --undo puts each profile back byte for byte.
// It needs GOVER_E2E_WINE=1.
func TestWineSetupStoreFromBin(t *testing.T) {
	if os.Getenv("GOVER_E2E_WINE") != "1" || runtime.GOOS != "linux" {
		t.Skip("set GOVER_E2E_WINE=1 (on Linux, with Wine) to run the Windows build")
	}
	w := newWinebox(t)
	base := t.TempDir()
	dist := filepath.Join(base, "dist")
	store := filepath.Join(base, "custom store")
	work := filepath.Join(base, "work")
	os.MkdirAll(work, 0o755)
	buildFor(t, "windows", "amd64", "../cmd/gover", "", filepath.Join(dist, "gover.exe"))
	buildFor(t, "windows", "amd64", "../cmd/gover-shim", "", filepath.Join(dist, "gover-shim.exe"))

	w.setenv("GOVER_HOME", winPath(store))
	r := w.ok(time.Minute, work, filepath.Join(dist, "gover.exe"), "setup")
	copyExe := filepath.Join(store, "bin", "gover.exe")
	if !isRegular(copyExe) || !strings.Contains(r.stdout, winPath(copyExe)) {
		t.Fatalf("setup did not put gover.exe next to the shims:\n%s%s", r.stdout, r.stderr)
	}
	if !isRegular(filepath.Join(store, ".gover-store")) {
		t.Errorf("setup left no .gover-store marker in %s", store)
	}

	// The hook into both PowerShell profiles; pwsh's exists already, with
	// CRLF line endings and no final newline.
	r = w.ok(time.Minute, work, copyExe, "activate", "--install", "powershell")
	winPS := profileFrom(w, r.stdout)
	pwshProfile := filepath.Join(filepath.Dir(filepath.Dir(winPS)), "PowerShell", "Microsoft.PowerShell_profile.ps1")
	orig := "Set-PSReadLineOption -EditMode Emacs\r\n$env:EDITOR = 'notepad'"
	os.MkdirAll(filepath.Dir(pwshProfile), 0o755)
	if err := os.WriteFile(pwshProfile, []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	r = w.ok(time.Minute, work, copyExe, "activate", "--install", "pwsh")
	if got := profileFrom(w, r.stdout); got != pwshProfile {
		t.Errorf("pwsh profile %s, want %s", got, pwshProfile)
	}
	data, _ := os.ReadFile(pwshProfile)
	if !strings.HasPrefix(string(data), orig+"\r\n# >>> gover activate >>>\r\n") || strings.Count(string(data), "\n") != strings.Count(string(data), "\r\n") {
		t.Errorf("pwsh profile after the hook:\n%q", data)
	}
	if data, _ := os.ReadFile(winPS); !strings.Contains(string(data), "activate pwsh | Out-String | Invoke-Expression") {
		t.Errorf("Windows PowerShell profile:\n%q", data)
	}

	// A fake Windows SDK, imported into the store and made the default.
	sdk := fake.SDK(t, "1.22.5", versions.Platform{OS: "windows", Arch: "amd64"})
	w.ok(time.Minute, work, copyExe, "import", winPath(sdk))
	w.ok(time.Minute, work, copyExe, "use", "--global", "1.22.5")

	// Without GOVER_HOME, the copy in bin\ and the shim use this store,
	// not %USERPROFILE%\.gover.
	w.unsetenv("GOVER_HOME")
	r = w.ok(time.Minute, work, filepath.Join(store, "bin", "go.exe"), "version")
	if !strings.Contains(r.stdout, "go version go1.22.5 windows/amd64") {
		t.Errorf("go.exe without GOVER_HOME printed %q", r.stdout)
	}
	r = w.ok(time.Minute, work, copyExe, "list")
	if !strings.Contains(r.stdout, "1.22.5") {
		t.Errorf("gover.exe list without GOVER_HOME printed %q", r.stdout)
	}
	r = w.ok(time.Minute, work, copyExe, "setup", "--undo")
	if !strings.Contains(r.stdout, "the store in "+winPath(store)+" stays") {
		t.Errorf("gover.exe in bin\\ without GOVER_HOME did not use its own store:\n%s", r.stdout)
	}
	if data, _ := os.ReadFile(pwshProfile); string(data) != orig {
		t.Errorf("pwsh profile after setup --undo = %q, want %q", data, orig)
	}
	if _, err := os.Stat(winPS); !os.IsNotExist(err) {
		t.Errorf("the Windows PowerShell profile gover created is still there: %v", err)
	}

	// implode, run by the gover.exe inside the store: the SDK record and
	// everything else of gover's go; the imported SDK stays; the running
	// gover.exe may stay, and is reported.
	r = w.ok(time.Minute, work, copyExe, "implode", "--yes")
	t.Logf("implode:\n%s%s", r.stdout, r.stderr)
	if !isRegular(filepath.Join(sdk, "bin", "go.exe")) {
		t.Errorf("implode deleted the imported SDK in %s", sdk)
	}
	var left []string
	filepath.WalkDir(store, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			left = append(left, p)
		}
		return nil
	})
	if len(left) > 1 || len(left) == 1 && (left[0] != copyExe || !strings.Contains(r.stderr, "in use")) {
		t.Errorf("implode left %v in the store", left)
	}
	home, _ := filepath.Glob(filepath.Join(w.prefix, "drive_c", "users", "*", ".gover"))
	if len(home) != 0 {
		t.Errorf("a default store was created: %v", home)
	}
}

// profileFrom reads the profile path gover activate --install printed and
// turns it into a Unix path inside the Wine prefix.
func profileFrom(w *winebox, out string) string {
	w.t.Helper()
	m := regexp.MustCompile(`(?m)added the gover hook to (.+)$`).FindStringSubmatch(out)
	if m == nil {
		w.t.Fatalf("no profile in %q", out)
	}
	p := strings.ReplaceAll(strings.TrimSpace(m[1]), `\`, "/")
	switch {
	case strings.HasPrefix(strings.ToUpper(p), "Z:"):
		return p[2:]
	case strings.HasPrefix(strings.ToUpper(p), "C:"):
		return filepath.Join(w.prefix, "drive_c", p[2:])
	}
	w.t.Fatalf("profile %s is on no drive this test knows", p)
	return ""
}
