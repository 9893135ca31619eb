package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

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
