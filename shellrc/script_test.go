package shellrc

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gover/gover/internal/fake"
)

// TestOneQuoting: gover env and the hooks quote PowerShell strings the
// same way. Before, gover env --shell pwsh left U+201A and U+201B
// unescaped, which PowerShell treats as closing quotes.
func TestOneQuoting(t *testing.T) {
	goroot := "C:\\it\u201as \u201bhere"
	env, err := EnvScript("pwsh", goroot)
	if err != nil {
		t.Fatal(err)
	}
	hook, err := HookEnv("pwsh", goroot, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	q := PowerShell(goroot)
	if q != "'C:\\it\u201a\u201as \u201b\u201bhere'" {
		t.Errorf("PowerShell(%q) = %q", goroot, q)
	}
	if !strings.Contains(env, "$env:GOROOT = "+q+"\n") || !strings.Contains(hook, "$env:GOROOT = "+q+"\n") {
		t.Errorf("env %q and hook %q do not quote alike", env, hook)
	}
	if _, err := EnvScript("cmd", `C:\100%`); err == nil {
		t.Error("cmd accepted a %")
	}
}

// TestPathBlockInShells runs the setup block in the real shells: bin is
// first on PATH afterwards, and running it again (a nested shell) does
// not add it twice.
func TestPathBlockInShells(t *testing.T) {
	bin := filepath.Join(fake.TempDir(t), "it's $HOME", "bin")
	home := filepath.Dir(bin)
	for _, sh := range []string{"sh", "bash", "zsh", "fish"} {
		exe, err := exec.LookPath(sh)
		if err != nil {
			t.Logf("no %s here", sh)
			continue
		}
		name := sh
		if sh == "sh" {
			name = "bash" // the same POSIX block
		}
		block, err := PathBlock(name, bin, home)
		if err != nil {
			t.Fatal(err)
		}
		script := block + block + "echo \"$GOVER_HOME\"; echo \"$PATH\""
		if sh == "fish" {
			script = block + block + "echo $GOVER_HOME; string join : $PATH"
		}
		cmd := exec.Command(exe, "-c", script)
		cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + os.TempDir()}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s: %v\n%s", sh, err, out)
			continue
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) != 2 || lines[0] != home || lines[1] != bin+":/usr/bin:/bin" {
			t.Errorf("%s printed %q; want GOVER_HOME %q and PATH %q", sh, lines, home, bin+":/usr/bin:/bin")
		}
	}
}
