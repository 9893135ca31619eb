package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gover/gover/internal/fake"
)

func TestEnvScript(t *testing.T) {
	goroot := filepath.FromSlash("/opt/it's $HOME/go")
	bin := filepath.Join(goroot, "bin")
	tests := []struct{ shell, want string }{
		{"bash", "export GOROOT='" + strings.ReplaceAll(goroot, "'", `'\''`) + "'\nexport PATH='" + strings.ReplaceAll(bin, "'", `'\''`) + "'\"${PATH:+:$PATH}\"\n"},
		{"fish", "set -gx GOROOT '" + strings.ReplaceAll(strings.ReplaceAll(goroot, `\`, `\\`), "'", `\'`) + "'\nset -gx PATH '" + strings.ReplaceAll(strings.ReplaceAll(bin, `\`, `\\`), "'", `\'`) + "' $PATH\n"},
		{"pwsh", "$env:GOROOT = '" + strings.ReplaceAll(goroot, "'", "''") + "'\n$env:PATH = '" + strings.ReplaceAll(bin, "'", "''") + "' + [IO.Path]::PathSeparator + $env:PATH\n"},
	}
	for _, tt := range tests {
		got, err := envScript(tt.shell, goroot)
		if err != nil || got != tt.want {
			t.Errorf("envScript(%s) = %q, %v\nwant %q", tt.shell, got, err, tt.want)
		}
	}
	if got, err := envScript("cmd", `C:\Go`); err != nil || got != "set \"GOROOT=C:\\Go\"\r\nset \"PATH=C:\\Go"+string(filepath.Separator)+"bin;%PATH%\"\r\n" {
		t.Errorf("envScript(cmd) = %q, %v", got, err)
	}
	if _, err := envScript("cmd", `C:\100%\Go`); err == nil {
		t.Error("envScript(cmd) accepted a %")
	}
	if _, err := envScript("tcsh", "/go"); err == nil {
		t.Error("envScript(tcsh) worked")
	}
}

// TestEnvScriptInBash runs the bash script in a real bash, so the quoting
// is checked by the shell rather than by string comparison.
func TestEnvScriptInBash(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil || runtime.GOOS == "windows" {
		t.Skip("no bash")
	}
	goroot := `/opt/it's "$HOME" ` + "`x`" + `\go`
	script, err := envScript("bash", goroot)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bash, "-c", script+`printf '%s\n%s\n' "$GOROOT" "${PATH%%:*}"`).Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := goroot + "\n" + goroot + "/bin\n"; string(out) != want {
		t.Errorf("bash saw %q, want %q", out, want)
	}
}

func TestSetProfileBlock(t *testing.T) {
	dir := fake.TempDir(t)
	profile := filepath.Join(dir, ".bashrc")
	os.WriteFile(profile, []byte("alias ll='ls -l'"), 0o600)
	for i, line := range []string{"export PATH='/a/bin':\"$PATH\"", "export PATH='/a/bin':\"$PATH\"", "export PATH='/b/bin':\"$PATH\""} {
		changed, err := setProfileBlock(profile, line)
		if err != nil {
			t.Fatal(err)
		}
		if changed != (i != 1) {
			t.Errorf("round %d: changed = %v", i, changed)
		}
	}
	data, _ := os.ReadFile(profile)
	want := "alias ll='ls -l'\n" + setupBegin + "\nexport PATH='/b/bin':\"$PATH\"\n" + setupEnd + "\n"
	if string(data) != want {
		t.Errorf("profile = %q\nwant %q", data, want)
	}
	if fi, _ := os.Stat(profile); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600 kept", fi.Mode().Perm())
	}
	// A profile that does not exist yet, in a folder that does not either
	// (fish's config.fish).
	fish := filepath.Join(dir, "config", "fish", "config.fish")
	if changed, err := setProfileBlock(fish, "fish_add_path /a"); err != nil || !changed {
		t.Errorf("new profile: %v, %v", changed, err)
	}
}

func TestPlaceShim(t *testing.T) {
	dir := fake.TempDir(t)
	src := filepath.Join(dir, "gover-shim")
	os.WriteFile(src, []byte("new shim"), 0o755)
	dst := filepath.Join(dir, "bin", "go")
	os.MkdirAll(filepath.Dir(dst), 0o755)
	os.WriteFile(dst, []byte("old shim"), 0o755)
	os.WriteFile(filepath.Join(dir, "bin", ".go.old-123"), []byte("left over"), 0o755)
	for range 2 {
		if err := placeShim(src, dst); err != nil {
			t.Fatal(err)
		}
		if data, _ := os.ReadFile(dst); string(data) != "new shim" {
			t.Errorf("dst holds %q", data)
		}
	}
	ents, _ := os.ReadDir(filepath.Dir(dst))
	if len(ents) != 1 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("bin holds %q, want only go", names)
	}
}

func TestWriteGoVersionKeepsComments(t *testing.T) {
	p := filepath.Join(fake.TempDir(t), ".go-version")
	os.WriteFile(p, []byte("# pinned for the release branch\r\n1.21.0\n"), 0o644)
	if err := writeGoVersion(p, "1.22.5"); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(p); string(data) != "# pinned for the release branch\n1.22.5\n" {
		t.Errorf(".go-version = %q", data)
	}
}

func TestPathFirst(t *testing.T) {
	sep := string(os.PathListSeparator)
	bin := filepath.FromSlash("/h/.gover/bin")
	if !pathFirst(bin+sep+"/usr/bin", bin) || pathFirst("/usr/bin"+sep+bin, bin) || pathFirst("", bin) {
		t.Error("pathFirst is wrong")
	}
}

// TestPlaceShimOverRunningShim replaces a shim while it runs, as gover
// setup does after an upgrade while an editor holds go.exe open. Windows
// refuses to overwrite or delete a running .exe but lets it be renamed.
func TestPlaceShimOverRunningShim(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := fake.TempDir(t)
	dst := filepath.Join(dir, "go"+exeSuffix())
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(dst, "-test.run=^TestHelperSleep$")
	cmd.Env = append(os.Environ(), "GOVER_TEST_SLEEP=1")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	buf := make([]byte, 8)
	if _, err := io.ReadFull(stdout, buf); err != nil || string(buf) != "sleeping" {
		t.Fatalf("helper did not start: %q, %v", buf, err)
	}

	src := filepath.Join(dir, "gover-shim"+exeSuffix())
	os.WriteFile(src, []byte("new shim"), 0o755)
	if err := placeShim(src, dst); err != nil {
		t.Fatalf("replacing a running shim: %v", err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "new shim" {
		t.Errorf("dst holds %d bytes, not the new shim", len(got))
	}
}

func TestHelperSleep(t *testing.T) {
	if os.Getenv("GOVER_TEST_SLEEP") != "1" {
		t.Skip("helper process for TestPlaceShimOverRunningShim")
	}
	os.Stdout.WriteString("sleeping")
	time.Sleep(time.Minute)
}
