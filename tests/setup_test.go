package tests

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// newShell runs script in a shell started the way a new terminal starts
// it: an empty environment but HOME and a system PATH, no GOVER_HOME, no
// gover on PATH. extra adds variables (the fake servers' URLs).
func newShell(t *testing.T, home, dir string, argv []string, script string, extra ...string) (string, error) {
	t.Helper()
	exe, err := exec.LookPath(argv[0])
	if err != nil {
		t.Fatalf("%s is not installed: %v", argv[0], err)
	}
	cmd := exec.Command(exe, append(argv[1:], script)...)
	cmd.Dir = dir
	cmd.Env = append([]string{"HOME=" + home, "PATH=/usr/bin:/bin", "TERM=dumb"}, extra...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	return out.String(), err
}

// TestSetupNewShellCustomStore: after `gover setup --yes` with a custom
// GOVER_HOME, a brand-new login or interactive bash, zsh or fish, with no
// GOVER_HOME and no gover on PATH, runs go, gofmt and gover from that
// store. Before, only the PATH line was written: the shim fell back to
// ~/.gover, and there was no gover in the new shell at all.
func TestSetupNewShellCustomStore(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows shells get the store from the registry PATH (TestWine*)")
	}
	buildShimBins(t)
	s := newServers(t)
	s.publish("1.22.5")
	s.publish("1.21.3")
	u := newUser(t)
	s.use(u)
	u.setenv("SHELL", "/bin/bash")
	u.ok("install", "1.22.5")
	u.ok("use", "--global", "1.22.5")
	r := u.ok("setup", "--yes")
	if !strings.Contains(r.stdout, filepath.Join(u.home, "bin", "gover")) {
		t.Errorf("setup did not put gover next to the shims:\n%s", r.stdout)
	}
	home := u.userHome()
	for _, f := range []string{".profile", ".bashrc", ".zprofile", ".zshrc", ".config/fish/config.fish"} {
		if _, err := os.Stat(filepath.Join(home, f)); err != nil {
			t.Errorf("setup --yes did not write %s: %v\n%s", f, err, r.stdout)
		}
	}
	// A store where the shim would look without GOVER_HOME must stay
	// empty: the new shell uses the custom one.
	defStore := filepath.Join(home, ".gover")

	shells := [][]string{{"bash", "-lc"}, {"bash", "-ic"}, {"zsh", "-lc"}, {"zsh", "-ic"}, {"fish", "-c"}, {"fish", "-lc"}}
	for _, sh := range shells {
		name := strings.Join(sh, " ")
		out, err := newShell(t, home, u.dir, sh, "go version; gofmt -h >/dev/null 2>&1; command -v gover; gover list")
		if err != nil {
			t.Errorf("%s: %v\n%s", name, err, out)
			continue
		}
		if !strings.Contains(out, "go version go1.22.5 ") {
			t.Errorf("%s: go version printed:\n%s", name, out)
		}
		if !strings.Contains(out, filepath.Join(u.home, "bin", "gover")+"\n") {
			t.Errorf("%s: gover is not the copy next to the shims:\n%s", name, out)
		}
		if !strings.Contains(out, "1.22.5") || strings.Contains(out, "no Go") {
			t.Errorf("%s: gover list does not show the custom store:\n%s", name, out)
		}
	}

	// The gover in bin/ can run setup again (after an upgrade): it finds
	// the shim program next to itself.
	if out, err := newShell(t, home, u.dir, []string{"bash", "-lc"}, "gover setup"); err != nil {
		t.Errorf("gover setup from the copy in bin/: %v\n%s", err, out)
	}

	// The shim's auto-install finds gover next to itself, not on PATH,
	// and installs into the custom store.
	proj := filepath.Join(u.dir, "proj")
	os.MkdirAll(proj, 0o755)
	os.WriteFile(filepath.Join(proj, ".go-version"), []byte("1.21.3\n"), 0o644)
	out, err := newShell(t, home, proj, []string{"bash", "-lc"}, "go version",
		"GOPROXY="+s.px.URL, "GOSUMDB="+s.db.VerifierKey(), "GOVER_SOURCES=proxy")
	if err != nil || !strings.Contains(out, "go version go1.21.3 ") {
		t.Errorf("auto-install in a new shell: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(u.home, "sdk", "go1.21.3")); err != nil {
		t.Errorf("the auto-install did not go into the custom store: %v", err)
	}
	if _, err := os.Stat(defStore); err == nil {
		t.Errorf("%s was created; the new shells used the default store", defStore)
	}
}

// TestSetupUndoRestoresStartupFiles: setup --yes then setup --undo puts
// every startup file back byte for byte, a symlinked one (dotfiles) with
// its link kept, a CRLF one, one without a final newline; files setup
// created are removed; a read-only file is refused and left alone. Before,
// setup --undo said "no registry; nothing to restore" and left the blocks.
func TestSetupUndoRestoresStartupFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows PATH undo is the registry's (TestWine*)")
	}
	buildShimBins(t)
	u := newUser(t)
	home := u.userHome()
	os.MkdirAll(filepath.Join(home, "dotfiles"), 0o755)
	bashrc := "# dotfiles bashrc\nalias ll='ls -l'\n"
	os.WriteFile(filepath.Join(home, "dotfiles", "bashrc"), []byte(bashrc), 0o644)
	if err := os.Symlink(filepath.Join("dotfiles", "bashrc"), filepath.Join(home, ".bashrc")); err != nil {
		t.Fatal(err)
	}
	profile := "export EDITOR=vi" // no final newline
	os.WriteFile(filepath.Join(home, ".profile"), []byte(profile), 0o644)
	zshrc := "setopt autocd\r\nbindkey -e\r\n"
	os.WriteFile(filepath.Join(home, ".zshrc"), []byte(zshrc), 0o600)
	zprofile := "# read-only on purpose\n"
	os.WriteFile(filepath.Join(home, ".zprofile"), []byte(zprofile), 0o444)

	r := u.gover("setup", "--yes", "--shell", "bash", "--shell", "zsh", "--shell", "fish")
	if r.code != 1 || !strings.Contains(r.stderr, ".zprofile is read-only") || !strings.Contains(r.stderr, "gover: hint: chmod u+w") {
		t.Errorf("setup with a read-only .zprofile: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if data, _ := os.ReadFile(filepath.Join(home, ".zprofile")); string(data) != zprofile {
		t.Errorf("the read-only .zprofile was changed: %q", data)
	}
	if fi, err := os.Lstat(filepath.Join(home, ".bashrc")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("setup replaced the .bashrc link: %v", err)
	}
	for _, f := range []string{"dotfiles/bashrc", ".profile", ".zshrc", ".config/fish/config.fish"} {
		data, _ := os.ReadFile(filepath.Join(home, f))
		if !strings.Contains(string(data), "# >>> gover setup >>>") {
			t.Errorf("%s has no gover block:\n%s", f, data)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(home, ".zshrc")); strings.Count(string(data), "\n") != strings.Count(string(data), "\r\n") {
		t.Errorf(".zshrc lost its CRLF line endings: %q", data)
	}
	u.ok("activate", "--install", "bash")

	r = u.ok("setup", "--undo")
	for f, want := range map[string]string{"dotfiles/bashrc": bashrc, ".profile": profile, ".zshrc": zshrc, ".zprofile": zprofile} {
		if data, _ := os.ReadFile(filepath.Join(home, f)); string(data) != want {
			t.Errorf("after setup --undo %s = %q, want %q\n%s", f, data, want, r.stdout)
		}
	}
	if fi, err := os.Lstat(filepath.Join(home, ".bashrc")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("undo replaced the .bashrc link: %v", err)
	}
	if _, err := os.Stat(filepath.Join(home, ".config", "fish", "config.fish")); !os.IsNotExist(err) {
		t.Errorf("config.fish, which setup created, is still there: %v", err)
	}
	if fi, _ := os.Stat(filepath.Join(home, ".zshrc")); fi.Mode().Perm() != 0o600 {
		t.Errorf(".zshrc mode %v, want 0600", fi.Mode().Perm())
	}
}

// TestSetupUndoRemovesSDKLinks: sync --sdk-links makes ~/sdk/goX.Y.Z
// links; sync --undo (and setup --undo) removes them and leaves a real
// SDK folder there alone. Before, the links stayed.
func TestSyncUndoRemovesSDKLinks(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("directory links need Developer Mode on Windows")
	}
	u := newUser(t)
	u.fakeSDK("1.22.5")
	u.setGlobal("1.22.5")
	sdk := filepath.Join(u.userHome(), "sdk")
	os.MkdirAll(filepath.Join(sdk, "go1.20.1", "bin"), 0o755) // golang.org/dl's own
	u.ok("sync", "--sdk-links")
	if _, err := os.Readlink(filepath.Join(sdk, "go1.22.5")); err != nil {
		t.Fatalf("sync --sdk-links made no link: %v", err)
	}
	u.ok("sync", "--undo")
	if _, err := os.Lstat(filepath.Join(sdk, "go1.22.5")); !os.IsNotExist(err) {
		t.Errorf("the ~/sdk link is still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(sdk, "go1.20.1", "bin")); err != nil {
		t.Errorf("sync --undo touched a real SDK: %v", err)
	}
}

// TestRelativeGoverHome: a relative GOVER_HOME (or ~user) is a usage
// error, exit 2, and creates nothing; a leading ~ is expanded. Before,
// GOVER_HOME=ux-rel made a store in whatever folder gover ran in.
func TestRelativeGoverHome(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	for _, h := range []string{"ux-rel", "./x", "~nobody/x"} {
		u.setenv("GOVER_HOME", h)
		for _, args := range [][]string{{"list"}, {"use", "--global", "1.22.5"}, {"setup"}} {
			r := u.fails(2, args...)
			if !strings.Contains(r.stderr, "GOVER_HOME must be an absolute path") || !strings.Contains(r.stderr, "gover: hint: ") {
				t.Errorf("GOVER_HOME=%s gover %s:\n%s", h, strings.Join(args, " "), r.stderr)
			}
		}
	}
	if ents, _ := os.ReadDir(u.dir); len(ents) != 0 {
		t.Errorf("a relative GOVER_HOME created %v in the working folder", ents)
	}
	// ~ is the home folder.
	buildShimBins(t)
	u.setenv("GOVER_HOME", "~/custom-store")
	u.ok("setup")
	if _, err := os.Stat(filepath.Join(u.userHome(), "custom-store", "bin", "go"+exeSuffix())); err != nil {
		t.Errorf("GOVER_HOME=~/custom-store: %v", err)
	}
	if _, err := os.Stat(filepath.Join(u.dir, "~")); !os.IsNotExist(err) {
		t.Errorf("GOVER_HOME=~/custom-store made a folder named ~: %v", err)
	}
}

// TestImplode: gover implode asks first, then undoes setup (startup files
// back byte for byte) and removes the store, except what gover did not
// create: an imported SDK's folder and foreign entries stay, and are
// listed. Without anything foreign the whole store goes.
func TestImplode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("startup files and links are Unix here; TestWine* covers Windows")
	}
	buildShimBins(t)
	s := newServers(t)
	s.publish("1.22.5")
	u := newUser(t)
	s.use(u)
	home := u.userHome()
	os.MkdirAll(home, 0o755)
	bashrc := "alias ll='ls -l'\n"
	os.WriteFile(filepath.Join(home, ".bashrc"), []byte(bashrc), 0o644)
	u.ok("install", "1.22.5")
	imported := u.shimSDK("go1.21.6")
	u.ok("import", imported)
	u.ok("use", "--global", "1.22.5")
	u.ok("setup", "--yes", "--shell", "bash")
	// Things gover did not create.
	foreign := filepath.Join(u.home, "sdk", "my-go-build")
	os.MkdirAll(foreign, 0o755)
	os.WriteFile(filepath.Join(foreign, "VERSION"), []byte("mine\n"), 0o644)
	os.WriteFile(filepath.Join(u.home, "notes.txt"), []byte("mine\n"), 0o644)

	// No answer (stdin closed) and "n" remove nothing.
	u.fails(2, "implode")
	cmd := exec.Command(bins.gover, "implode")
	cmd.Env, cmd.Dir, cmd.Stdin = u.env, u.dir, strings.NewReader("n\n")
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "nothing was removed") {
		t.Fatalf("implode answered n: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(u.home, "sdk", "go1.22.5", "bin")); err != nil {
		t.Fatalf("implode answered n removed something: %v", err)
	}

	r := u.ok("implode", "--yes")
	if data, _ := os.ReadFile(filepath.Join(home, ".bashrc")); string(data) != bashrc {
		t.Errorf(".bashrc after implode = %q, want %q", data, bashrc)
	}
	if _, err := os.Stat(filepath.Join(home, ".profile")); !os.IsNotExist(err) {
		t.Errorf(".profile, which setup created, is still there: %v", err)
	}
	for _, p := range []string{"sdk/go1.22.5", "meta/go1.22.5.json", "bin/go", "bin/gofmt", "bin/gover", "version", "current", storeMarker} {
		if _, err := os.Lstat(filepath.Join(u.home, p)); !os.IsNotExist(err) {
			t.Errorf("%s is still in the store: %v", p, err)
		}
	}
	if _, err := os.Stat(filepath.Join(imported, "bin", "go"+exeSuffix())); err != nil {
		t.Errorf("implode deleted the imported SDK: %v", err)
	}
	for _, p := range []string{foreign, filepath.Join(u.home, "notes.txt")} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("implode deleted %s, which gover did not create: %v", p, err)
		}
		if !strings.Contains(r.stdout, p) {
			t.Errorf("implode did not say it left %s:\n%s", p, r.stdout)
		}
	}

	// A store holding only gover's things disappears entirely.
	u2 := newUser(t)
	s.use(u2)
	u2.ok("install", "1.22.5")
	u2.ok("setup")
	u2.ok("implode", "--yes")
	if _, err := os.Lstat(u2.home); !os.IsNotExist(err) {
		var left []string
		filepath.WalkDir(u2.home, func(p string, d os.DirEntry, err error) error { left = append(left, p); return nil })
		t.Errorf("the store is still there: %v %v", err, left)
	}
}

const storeMarker = ".gover-store"
