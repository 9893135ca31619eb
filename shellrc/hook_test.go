package shellrc

import (
	"strings"
	"testing"
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
