package shellrc

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fake"
)

func newEditor(t *testing.T) (*Editor, string) {
	dir := fake.TempDir(t)
	return &Editor{BackupDir: filepath.Join(dir, "store", "backup", "startup")}, dir
}

func readString(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

const pathBody = "export PATH='/g/bin':\"$PATH\"\n"

// TestEditorSymlinkedProfile edits the target of a symlinked ~/.bashrc
// (a dotfiles repository) and keeps the link; undo restores the target
// byte for byte. Before, the link was replaced by a regular file.
func TestEditorSymlinkedProfile(t *testing.T) {
	e, dir := newEditor(t)
	target := filepath.Join(dir, "dotfiles", "bashrc")
	os.MkdirAll(filepath.Dir(target), 0o755)
	orig := "# my bashrc\nalias ll='ls -l'\n"
	os.WriteFile(target, []byte(orig), 0o644)
	link := filepath.Join(dir, ".bashrc")
	if err := os.Symlink(filepath.Join("dotfiles", "bashrc"), link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Skipf("this system makes no working symbolic links (Wine 8): %v", err)
	}
	if changed, err := e.Set(link, BlockSetup, pathBody); err != nil || !changed {
		t.Fatalf("Set = %v, %v", changed, err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("%s is no longer a link: %v", link, err)
	}
	if got := readString(t, target); !strings.HasPrefix(got, orig) || !strings.Contains(got, pathBody) {
		t.Fatalf("target = %q", got)
	}
	res, err := e.Undo()
	if err != nil || len(res) != 1 || res[0].How != "restored" {
		t.Fatalf("Undo = %+v, %v", res, err)
	}
	if got := readString(t, target); got != orig {
		t.Errorf("after undo target = %q, want %q", got, orig)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("undo replaced the link: %v", err)
	}
}

// TestEditorReadOnly refuses a read-only startup file with a clear
// message and leaves it alone. Before, it was rewritten.
func TestEditorReadOnly(t *testing.T) {
	e, dir := newEditor(t)
	p := filepath.Join(dir, ".bashrc")
	os.WriteFile(p, []byte("x=1\n"), 0o444)
	t.Cleanup(func() { os.Chmod(p, 0o644) })
	changed, err := e.Set(p, BlockSetup, pathBody)
	var ro *ReadOnlyError
	if !errors.As(err, &ro) || changed {
		t.Fatalf("Set on a read-only file = %v, %v; want a ReadOnlyError", changed, err)
	}
	if !strings.Contains(err.Error(), "read-only") || exitcode.Hint(err) == "" {
		t.Errorf("message %q (hint %q) does not say what to do", err, exitcode.Hint(err))
	}
	if got := readString(t, p); got != "x=1\n" {
		t.Errorf("file = %q", got)
	}
	if ents, _ := os.ReadDir(e.BackupDir); len(ents) != 0 {
		t.Errorf("a refused edit left a backup: %v", ents)
	}
}

// TestEditorOrphanedMarker: the user deleted gover's end marker and added
// lines below; the next run keeps them. Before, everything from the
// orphaned begin marker to the new end marker was deleted.
func TestEditorOrphanedMarker(t *testing.T) {
	e, dir := newEditor(t)
	p := filepath.Join(dir, ".zshrc")
	orig := "setopt autocd\n"
	os.WriteFile(p, []byte(orig), 0o644)
	if _, err := e.Set(p, BlockSetup, pathBody); err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(readString(t, p), End(BlockSetup)+"\n", "", 1) + "export MINE=1\nalias k=kubectl\n"
	os.WriteFile(p, []byte(edited), 0o644)
	if _, err := e.Set(p, BlockSetup, pathBody); err != nil {
		t.Fatal(err)
	}
	got := readString(t, p)
	want := orig + Begin(BlockSetup) + "\n" + pathBody + End(BlockSetup) + "\nexport MINE=1\nalias k=kubectl\n"
	if got != want {
		t.Fatalf("after the second run:\n got %q\nwant %q", got, want)
	}
	// Undo keeps the user's lines: the file is not the original any more.
	os.WriteFile(p, []byte(edited), 0o644) // orphaned again
	res, err := e.Undo()
	if err != nil || len(res) != 1 || res[0].How != "kept" {
		t.Fatalf("Undo = %+v, %v", res, err)
	}
	if got, want := readString(t, p), orig+"export MINE=1\nalias k=kubectl\n"; got != want {
		t.Errorf("after undo:\n got %q\nwant %q", got, want)
	}
}

// TestEditorKeepsBytes: CRLF line endings, no final newline and mode
// survive an edit, and undo gives back the exact bytes.
func TestEditorKeepsBytes(t *testing.T) {
	e, dir := newEditor(t)
	p := filepath.Join(dir, "Microsoft.PowerShell_profile.ps1")
	orig := "\ufeffSet-PSReadLineOption -EditMode Emacs\r\n$x = 1"
	os.WriteFile(p, []byte(orig), 0o600)
	if _, err := e.Set(p, BlockActivate, "& 'gover' activate pwsh | Out-String | Invoke-Expression\n"); err != nil {
		t.Fatal(err)
	}
	got := readString(t, p)
	if !strings.HasPrefix(got, orig+"\r\n"+Begin(BlockActivate)+"\r\n") || strings.Count(got, "\n") != strings.Count(got, "\r\n") {
		t.Errorf("edited profile = %q", got)
	}
	if fi, _ := os.Stat(p); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600 kept", fi.Mode().Perm())
	}
	// Backed up before the first edit, not overwritten by the second.
	if _, err := e.Set(p, BlockSetup, "$env:PATH = 'x'\n"); err != nil {
		t.Fatal(err)
	}
	saved, _ := filepath.Glob(filepath.Join(e.BackupDir, "*-Microsoft.PowerShell_profile.ps1"))
	if len(saved) != 1 || readString(t, saved[0]) != orig {
		t.Errorf("backups %v do not hold the original", saved)
	}
	if _, err := e.Undo(); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, p); got != orig {
		t.Errorf("after undo %q, want %q", got, orig)
	}
	if _, err := os.Stat(e.BackupDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("undo left the backup folder: %v", err)
	}
}

// TestEditorCreatedFile: a file gover created is removed again by undo.
func TestEditorCreatedFile(t *testing.T) {
	e, dir := newEditor(t)
	p := filepath.Join(dir, ".config", "fish", "config.fish")
	if changed, err := e.Set(p, BlockSetup, "fish_add_path /g/bin\n"); err != nil || !changed {
		t.Fatalf("Set = %v, %v", changed, err)
	}
	if changed, err := e.Set(p, BlockSetup, "fish_add_path /g/bin\n"); err != nil || changed {
		t.Fatalf("second Set = %v, %v; want no change", changed, err)
	}
	res, err := e.Undo()
	if err != nil || len(res) != 1 || res[0].How != "removed" {
		t.Fatalf("Undo = %+v, %v", res, err)
	}
	if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s is still there", p)
	}
	if _, err := os.Stat(filepath.Join(dir, ".config")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the folders made for it are still there: %v", err)
	}
	if changed, err := e.Remove(filepath.Join(dir, "none"), BlockSetup); err != nil || changed {
		t.Errorf("Remove on a missing file = %v, %v", changed, err)
	}
}

func TestStartupFiles(t *testing.T) {
	home := fake.TempDir(t)
	env := Env{Home: home, GOOS: "linux", Getenv: func(k string) string {
		if k == "ZDOTDIR" {
			return "/z"
		}
		return ""
	}}
	check := func(shell string, env Env, want ...string) {
		t.Helper()
		got, err := StartupFiles(shell, env)
		if err != nil || strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("StartupFiles(%s, %s) = %q, %v; want %q", shell, env.GOOS, got, err, want)
		}
	}
	check("bash", env, filepath.Join(home, ".profile"), filepath.Join(home, ".bashrc"))
	mac := env
	mac.GOOS = "darwin"
	check("bash", mac, filepath.Join(home, ".bash_profile"), filepath.Join(home, ".bashrc"))
	// bash reads the first login file that exists.
	os.WriteFile(filepath.Join(home, ".bash_login"), nil, 0o644)
	check("bash", env, filepath.Join(home, ".bash_login"), filepath.Join(home, ".bashrc"))
	check("zsh", env, filepath.Join("/z", ".zprofile"), filepath.Join("/z", ".zshrc"))
	check("fish", env, filepath.Join(home, ".config", "fish", "config.fish"))
	if p, err := HookFiles("pwsh", env); err != nil || len(p) != 1 || !strings.HasSuffix(p[0], "Microsoft.PowerShell_profile.ps1") {
		t.Errorf("pwsh: %q %v", p, err)
	}
	if _, err := StartupFiles("tcsh", env); !errors.Is(err, ErrUnknownShell) {
		t.Errorf("tcsh: %v", err)
	}
}
