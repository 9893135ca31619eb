package tests

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gover/gover/store"
)

// fakeSDK puts a minimal installed SDK into the user's store: a bin/go
// that prints its version, and the manifest that makes it installed.
func (u *user) fakeSDK(version string) string {
	u.t.Helper()
	goroot := filepath.Join(u.home, "sdk", "go"+version)
	if err := os.MkdirAll(filepath.Join(goroot, "bin"), 0o755); err != nil {
		u.t.Fatal(err)
	}
	script := "#!/bin/sh\necho go" + version + "\n"
	if err := os.WriteFile(filepath.Join(goroot, "bin", "go"+exeSuffix()), []byte(script), 0o755); err != nil {
		u.t.Fatal(err)
	}
	m, err := json.Marshal(store.Manifest{
		Schema:      store.ManifestSchema,
		Version:     version,
		GOROOT:      goroot,
		Platform:    runtime.GOOS + "/" + runtime.GOARCH,
		Source:      store.Source{Kind: store.SourceFile},
		Trust:       store.TrustNone,
		Insecure:    true,
		InstalledAt: time.Now(),
	})
	if err != nil {
		u.t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(u.home, "meta"), 0o755); err != nil {
		u.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(u.home, "meta", "go"+version+".json"), m, 0o644); err != nil {
		u.t.Fatal(err)
	}
	return goroot
}

func (u *user) setGlobal(version string) {
	u.t.Helper()
	if err := os.WriteFile(filepath.Join(u.home, "version"), []byte(version+"\n"), 0o644); err != nil {
		u.t.Fatal(err)
	}
}

func (u *user) userHome() string { return filepath.Join(filepath.Dir(u.home), "home") }

func readLink(t *testing.T, p string) string {
	t.Helper()
	got, err := os.Readlink(p)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return got
}

func TestSyncCurrentAndToolchainLinks(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("the fake SDKs are shell scripts")
	}
	buildShimBins(t)
	u := newUser(t)
	sdk1, sdk2 := u.fakeSDK("1.22.5"), u.fakeSDK("1.23.1")
	u.setGlobal("1.22.5")
	u.ok("setup")

	r := u.ok("sync", "--sdk-links")
	if !strings.Contains(r.stdout, filepath.Join(u.home, "current")) {
		t.Errorf("sync printed %q", r.stdout)
	}
	if got := readLink(t, filepath.Join(u.home, "current")); got != sdk1 {
		t.Errorf("current -> %s, want %s", got, sdk1)
	}
	// goX.Y.Z on PATH is what cmd/go's toolchain switch looks for before
	// downloading. The entry is the shim, which runs the release go
	// switches to (go names it in GOTOOLCHAIN_INTERNAL_SWITCH_VERSION).
	cmd := exec.Command(filepath.Join(u.home, "bin", "go1.23.1"), "version")
	cmd.Env = append(append([]string{}, u.env...), "GOTOOLCHAIN_INTERNAL_SWITCH_VERSION=go1.23.1")
	out, err := cmd.Output()
	if err != nil || strings.TrimSpace(string(out)) != "go1.23.1" {
		t.Errorf("bin/go1.23.1: %q %v", out, err)
	}
	for _, s := range []string{sdk1, sdk2} {
		p := filepath.Join(u.userHome(), "sdk", filepath.Base(s), "bin", "go")
		if _, err := os.Stat(p); err != nil {
			t.Errorf("~/sdk link: %v", err)
		}
	}

	u.setGlobal("1.23.1")
	u.ok("sync")
	if got := readLink(t, filepath.Join(u.home, "current")); got != sdk2 {
		t.Errorf("after sync current -> %s, want %s", got, sdk2)
	}

	// gover use --global moves the link too.
	u.ok("use", "--global", "1.22.5")
	if got := readLink(t, filepath.Join(u.home, "current")); got != sdk1 {
		t.Errorf("after use --global current -> %s, want %s", got, sdk1)
	}

	// An uninstalled SDK's links go on the next sync; nothing else does.
	os.Remove(filepath.Join(u.home, "meta", "go1.23.1.json"))
	u.ok("sync", "--sdk-links")
	for _, p := range []string{filepath.Join(u.home, "bin", "go1.23.1"), filepath.Join(u.userHome(), "sdk", "go1.23.1")} {
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Errorf("%s still there: %v", p, err)
		}
	}
	if _, err := os.Lstat(filepath.Join(u.home, "bin", "go1.22.5")); err != nil {
		t.Error(err)
	}
}

func TestSyncSystemWithoutRegistry(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("Windows has a registry")
	}
	u := newUser(t)
	u.fakeSDK("1.22.5")
	u.setGlobal("1.22.5")
	r := u.ok("sync", "--system")
	if !strings.Contains(r.stderr, "no registry") {
		t.Errorf("stderr %q", r.stderr)
	}
	// There is no registry to restore, and nothing else to undo: both
	// succeed quietly.
	for _, args := range [][]string{{"sync", "--undo"}, {"setup", "--undo"}} {
		if r := u.ok(args...); r.stderr != "" {
			t.Errorf("%s: stderr %q", strings.Join(args, " "), r.stderr)
		}
	}
}

// TestSyncWithoutGlobal: with no global default, sync still does what it
// can (on Windows: the shims first on the user PATH), and says that
// folders without a .go-version or go.mod need a default.
func TestSyncWithoutGlobal(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	r := u.ok("sync")
	if !strings.Contains(r.stderr, "no global default is set") || !strings.Contains(r.stderr, "gover: hint: gover use --global") {
		t.Errorf("stderr %q", r.stderr)
	}
}

// TestActivateHooks runs each shell's hook for real and walks between
// folders: GOROOT follows .go-version and go.mod, and goes away again
// where gover selects nothing, while a GOROOT the user exported before is
// kept until gover replaces it.
func TestActivateHooks(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("Unix shells")
	}
	u := newUser(t)
	sdk1, sdk2 := u.fakeSDK("1.22.5"), u.fakeSDK("1.23.1")
	p1, p2, none := filepath.Join(u.dir, "p1"), filepath.Join(u.dir, "p2"), filepath.Join(u.dir, "none")
	for _, d := range []string{p1, p2, none} {
		os.MkdirAll(d, 0o755)
	}
	os.WriteFile(filepath.Join(p1, ".go-version"), []byte("1.22.5\n"), 0o644)
	os.WriteFile(filepath.Join(p2, "go.mod"), []byte("module example.com/p2\n\ngo 1.23.0\n"), 0o644)
	u.setenv("GOROOT", "/opt/users-own-go")

	script := map[string]string{
		"bash": `eval "$(GOVER activate bash)"` + "\n",
		"zsh":  `eval "$(GOVER activate zsh)"` + "\n",
		"fish": `GOVER activate fish | source` + "\n",
	}
	steps := `echo "start=$GOROOT"
cd p1
echo "p1=$GOROOT"
cd ../p2
echo "p2=$GOROOT"
cd ../none
echo "none=$GOROOT"
cd ../p1
echo "p1again=$GOROOT"
gover use 1.23.1 >/dev/null
echo "used=$GOROOT"
`
	for _, sh := range []string{"bash", "zsh", "fish"} {
		t.Run(sh, func(t *testing.T) {
			path, err := exec.LookPath(sh)
			if err != nil {
				t.Skipf("%s not installed", sh)
			}
			os.WriteFile(filepath.Join(p1, ".go-version"), []byte("1.22.5\n"), 0o644)
			in := strings.ReplaceAll(script[sh], "GOVER", "'"+bins.gover+"'") + steps
			var cmd *exec.Cmd
			switch sh {
			case "bash":
				// PROMPT_COMMAND runs only in interactive shells.
				cmd = exec.Command(path, "--norc", "--noprofile", "-i")
			case "zsh":
				cmd = exec.Command(path, "-f")
			case "fish":
				cmd = exec.Command(path, "--no-config")
			}
			cmd.Dir, cmd.Env = u.dir, u.env
			cmd.Stdin = strings.NewReader(in)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s: %v\n%s", sh, err, out)
			}
			got := map[string]string{}
			for _, line := range strings.Split(string(out), "\n") {
				if k, v, ok := strings.Cut(line, "="); ok {
					got[k] = v
				}
			}
			want := map[string]string{
				"start":   "/opt/users-own-go",
				"p1":      sdk1,
				"p2":      sdk2,
				"none":    "",
				"p1again": sdk1,
				"used":    sdk2,
			}
			for k, w := range want {
				if got[k] != w {
					t.Errorf("%s: GOROOT in %s = %q, want %q\n%s", sh, k, got[k], w, out)
				}
			}
		})
	}
}

func TestActivateInstall(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	bashrc := filepath.Join(u.userHome(), ".bashrc")
	os.MkdirAll(u.userHome(), 0o755)
	os.WriteFile(bashrc, []byte("alias ll='ls -l'\n"), 0o644)
	r := u.ok("activate", "--install", "bash")
	if !strings.Contains(r.stdout, "added") {
		t.Errorf("stdout %q", r.stdout)
	}
	r = u.ok("activate", "--install", "bash")
	if !strings.Contains(r.stdout, "already") {
		t.Errorf("second install: %q", r.stdout)
	}
	data, _ := os.ReadFile(bashrc)
	if !strings.HasPrefix(string(data), "alias ll='ls -l'\n") || strings.Count(string(data), "activate bash") != 1 {
		t.Errorf(".bashrc:\n%s", data)
	}
	u.ok("activate", "--install", "fish")
	if _, err := os.Stat(filepath.Join(u.userHome(), ".config", "fish", "config.fish")); err != nil {
		t.Error(err)
	}
	u.ok("activate", "--uninstall", "bash")
	if data, _ := os.ReadFile(bashrc); string(data) != "alias ll='ls -l'\n" {
		t.Errorf(".bashrc after uninstall:\n%s", data)
	}
	u.fails(2, "activate", "tcsh")
	u.fails(2, "hook-env", "tcsh")
	u.fails(2, "activate")
}

func TestIDEVSCode(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	settings := filepath.Join(u.dir, ".vscode", "settings.json")
	os.MkdirAll(filepath.Dir(settings), 0o755)
	const before = `{
    // my editor
    "editor.fontSize": 14,
    "go.goroot": "/opt/go1.20", // pinned long ago
    "go.useLanguageServer": true,
}
`
	os.WriteFile(settings, []byte(before), 0o644)
	r := u.ok("ide", "vscode")
	if !strings.Contains(r.stdout, `"go.goroot"`) || !strings.Contains(r.stdout, "/opt/go1.20") {
		t.Errorf("did not say go.goroot was removed: %q", r.stdout)
	}
	data, _ := os.ReadFile(settings)
	shim, _ := json.Marshal(filepath.Join(u.home, "bin", "go"+exeSuffix()))
	for _, want := range []string{"// my editor", `"editor.fontSize": 14`, `"go.useLanguageServer": true`, `"go.alternateTools": {`, `"go": ` + string(shim)} {
		if !strings.Contains(string(data), want) {
			t.Errorf("settings lack %s:\n%s", want, data)
		}
	}
	if strings.Contains(string(data), "go.goroot") {
		t.Errorf("go.goroot kept:\n%s", data)
	}
	r = u.ok("ide", "vscode")
	if !strings.Contains(r.stdout, "already") {
		t.Errorf("second run: %q", r.stdout)
	}
	if again, _ := os.ReadFile(settings); string(again) != string(data) {
		t.Error("second run changed the settings")
	}

	os.WriteFile(settings, []byte("{ broken"), 0o644)
	u.fails(1, "ide", "vscode")
	if data, _ := os.ReadFile(settings); string(data) != "{ broken" {
		t.Error("broken settings overwritten")
	}
}

func TestIDEGoLand(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("the fake SDKs are shell scripts")
	}
	u := newUser(t)
	sdk := u.fakeSDK("1.22.5")
	u.fails(4, "ide", "goland")
	u.setGlobal("1.22.5")
	u.ok("sync")
	// A folder that is no GoLand project is refused unless asked to create one.
	r := u.fails(4, "ide", "goland")
	if !strings.Contains(r.stderr, "gover ide goland --create") {
		t.Errorf("stderr %q", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(u.dir, ".idea")); err == nil {
		t.Error("a refused run created .idea")
	}
	workspace := filepath.Join(u.dir, ".idea", "workspace.xml")
	u.ok("ide", "goland", "--create")
	if data, _ := os.ReadFile(workspace); !strings.Contains(string(data), "file://"+filepath.ToSlash(sdk)) {
		t.Errorf("workspace.xml does not point at the folder's SDK %s:\n%s", sdk, data)
	}
	u.ok("ide", "goland", "--global")
	if data, _ := os.ReadFile(workspace); !strings.Contains(string(data), "file://"+filepath.ToSlash(filepath.Join(u.home, "current"))) {
		t.Errorf("--global: workspace.xml does not point at the current link:\n%s", data)
	}
}

// BenchmarkHookEnv is what a shell pays after each cd with gover activate
// on: one gover hook-env run in a project folder (start-up, one selection,
// one manifest read). Compare with the 5 ms a prompt may cost.
func BenchmarkHookEnv(b *testing.B) {
	base := b.TempDir()
	home := filepath.Join(base, "gover")
	goroot := filepath.Join(home, "sdk", "go1.22.5")
	os.MkdirAll(filepath.Join(goroot, "bin"), 0o755)
	os.MkdirAll(filepath.Join(home, "meta"), 0o755)
	m, _ := json.Marshal(store.Manifest{Schema: store.ManifestSchema, Version: "1.22.5", GOROOT: goroot,
		Platform: runtime.GOOS + "/" + runtime.GOARCH, Source: store.Source{Kind: store.SourceFile}, Trust: store.TrustNone})
	os.WriteFile(filepath.Join(home, "meta", "go1.22.5.json"), m, 0o644)
	project := filepath.Join(base, "p", "a", "b", "c")
	os.MkdirAll(project, 0o755)
	os.WriteFile(filepath.Join(base, "p", ".go-version"), []byte("1.22.5\n"), 0o644)
	env := append(os.Environ(), "GOVER_HOME="+home)
	b.Run("hook-env", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			cmd := exec.Command(bins.gover, "hook-env", "bash")
			cmd.Dir, cmd.Env = project, env
			out, err := cmd.Output()
			if err != nil || !strings.Contains(string(out), goroot) {
				b.Fatalf("hook-env: %q %v", out, err)
			}
		}
	})
	// The cost of starting any program from here, to subtract.
	if sh, err := exec.LookPath("true"); err == nil {
		b.Run("true", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				cmd := exec.Command(sh)
				cmd.Dir, cmd.Env = project, env
				if _, err := cmd.Output(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
