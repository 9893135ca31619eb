package registry

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gover/gover/internal/fake"
)

func TestHookEnv(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	tests := []struct {
		name, shell, goroot string
		getenv              func(string) string
		want                string
	}{
		{"set bash", "bash", "/g/sdk/go1.22.5", env(), "export GOROOT='/g/sdk/go1.22.5'\nexport __GOVER_GOROOT='/g/sdk/go1.22.5'\n"},
		{"unchanged", "zsh", "/g/a", env("GOROOT", "/g/a", ownedVar, "/g/a"), ""},
		{"user GOROOT overridden", "bash", "/g/a", env("GOROOT", "/usr/lib/go"), "export GOROOT='/g/a'\nexport __GOVER_GOROOT='/g/a'\n"},
		{"leave project", "bash", "", env("GOROOT", "/g/a", ownedVar, "/g/a"), "unset GOROOT\nunset __GOVER_GOROOT\n"},
		{"user's own kept", "bash", "", env("GOROOT", "/usr/lib/go"), ""},
		{"user changed it since", "bash", "", env("GOROOT", "/usr/lib/go", ownedVar, "/g/a"), "unset __GOVER_GOROOT\n"},
		{"quotes", "bash", "/it's here", env(), `export GOROOT='/it'\''s here'` + "\n" + `export __GOVER_GOROOT='/it'\''s here'` + "\n"},
		{"fish", "fish", `/a\b'c`, env(), `set -gx GOROOT '/a\\b\'c'` + "\n" + `set -gx __GOVER_GOROOT '/a\\b\'c'` + "\n"},
		{"fish unset", "fish", "", env("GOROOT", "/a", ownedVar, "/a"), "set -e GOROOT\nset -e __GOVER_GOROOT\n"},
		{"pwsh", "pwsh", `C:\Users\O'Neil\.gover\sdk\go1.22.5`, env(), `$env:GOROOT = 'C:\Users\O''Neil\.gover\sdk\go1.22.5'` + "\n" + `$env:__GOVER_GOROOT = 'C:\Users\O''Neil\.gover\sdk\go1.22.5'` + "\n"},
		{"pwsh unset", "pwsh", "", env("GOROOT", "C:\\a", ownedVar, "C:\\a"), "Remove-Item -ErrorAction SilentlyContinue Env:GOROOT\nRemove-Item -ErrorAction SilentlyContinue Env:__GOVER_GOROOT\n"},
	}
	for _, tt := range tests {
		got, err := HookEnv(tt.shell, tt.goroot, tt.getenv)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
	if _, err := HookEnv("tcsh", "/a", env()); err == nil {
		t.Error("unknown shell accepted")
	}
}

func TestHookScripts(t *testing.T) {
	for _, sh := range Shells {
		h, err := Hook(sh, "/opt/my gover/gover")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(h, "hook-env "+sh) {
			t.Errorf("%s hook does not run hook-env:\n%s", sh, h)
		}
		if !strings.Contains(h, "my gover") {
			t.Errorf("%s hook lost the executable path", sh)
		}
	}
	if _, err := Hook("cmd", "gover"); err == nil {
		t.Error("unknown shell accepted")
	}
}

func TestReplaceBlock(t *testing.T) {
	body := `eval "$(gover activate bash)"`
	block := blockBegin + "\n" + body + "\n" + blockEnd + "\n"
	tests := []struct{ name, in, body, want string }{
		{"empty file", "", body, block},
		{"append", "alias ll='ls -l'\n", body, "alias ll='ls -l'\n" + block},
		{"append without final newline", "x=1", body, "x=1\n" + block},
		{"replace in place", "a\n" + blockBegin + "\nold\n" + blockEnd + "\nb\n", body, "a\n" + block + "b\n"},
		{"remove", "a\n" + block + "b\n", "", "a\nb\n"},
		{"remove absent", "a\n", "", "a\n"},
		{"crlf", "a\r\n", body, "a\r\n" + blockBegin + "\r\n" + body + "\r\n" + blockEnd + "\r\n"},
	}
	for _, tt := range tests {
		got := ReplaceBlock(tt.in, tt.body)
		if got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
		if again := ReplaceBlock(got, tt.body); again != got {
			t.Errorf("%s: not idempotent: %q", tt.name, again)
		}
	}
}

func TestInstallHook(t *testing.T) {
	dir := fake.TempDir(t)
	profile := filepath.Join(dir, "fish", "config.fish")
	for i := 0; i < 3; i++ {
		changed, err := InstallHook(profile, "fish", "/usr/local/bin/gover")
		if err != nil {
			t.Fatal(err)
		}
		if changed != (i == 0) {
			t.Fatalf("run %d: changed = %v", i, changed)
		}
	}
	// A new gover path replaces the line rather than adding one.
	if _, err := InstallHook(profile, "fish", "/opt/gover"); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(profile)
	if strings.Count(string(data), blockBegin) != 1 || !strings.Contains(string(data), "'/opt/gover' activate fish | source") {
		t.Fatalf("profile:\n%s", data)
	}
	if changed, err := RemoveHook(profile); err != nil || !changed {
		t.Fatalf("RemoveHook: %v %v", changed, err)
	}
	if data, _ := os.ReadFile(profile); len(data) != 0 {
		t.Fatalf("left %q", data)
	}
	if changed, err := RemoveHook(filepath.Join(dir, "none")); err != nil || changed {
		t.Fatalf("RemoveHook on a missing file: %v %v", changed, err)
	}
}

func TestProfilePath(t *testing.T) {
	getenv := func(k string) string {
		if k == "ZDOTDIR" {
			return "/z"
		}
		return ""
	}
	for sh, want := range map[string]string{
		"bash": filepath.Join("/h", ".bashrc"),
		"zsh":  filepath.Join("/z", ".zshrc"),
		"fish": filepath.Join("/h", ".config", "fish", "config.fish"),
	} {
		if got, err := ProfilePath(sh, "/h", getenv); err != nil || got != want {
			t.Errorf("%s: %q %v, want %q", sh, got, err, want)
		}
	}
	if p, err := ProfilePath("pwsh", "/h", getenv); err != nil || !strings.HasSuffix(p, "Microsoft.PowerShell_profile.ps1") {
		t.Errorf("pwsh: %q %v", p, err)
	}
}

func FuzzReplaceBlock(f *testing.F) {
	f.Add("a\n", "x")
	f.Add(blockBegin+"\nold\n"+blockEnd+"\n", "")
	f.Fuzz(func(t *testing.T, profile, body string) {
		if strings.Contains(profile, blockBegin) || strings.Contains(body, "# ") {
			return
		}
		out := ReplaceBlock(profile, body)
		if strings.TrimRight(body, "\r\n") != "" {
			if strings.Count(out, blockBegin) != 1 {
				t.Fatalf("%d blocks", strings.Count(out, blockBegin))
			}
			if ReplaceBlock(out, body) != out {
				t.Fatal("not idempotent")
			}
		}
		if back := ReplaceBlock(out, ""); strings.TrimRight(back, "\r\n") != strings.TrimRight(profile, "\r\n") {
			t.Fatalf("removing the block did not give back the profile: %q -> %q", profile, back)
		}
	})
}
