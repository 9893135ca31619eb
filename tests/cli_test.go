package tests

import (
	"strings"
	"testing"
)

func TestVersionFlag(t *testing.T) {
	u := newUser(t)
	r := u.ok("--version")
	if !strings.HasPrefix(r.stdout, "gover version ") {
		t.Errorf("gover --version printed %q", r.stdout)
	}
}

func TestUnknownCommandIsUsageError(t *testing.T) {
	u := newUser(t)
	r := u.fails(2, "frobnicate")
	if !strings.Contains(r.stderr, `gover: unknown command "frobnicate"`) || !strings.Contains(r.stderr, "gover: hint: gover --help") {
		t.Errorf("stderr = %q", r.stderr)
	}
}

func TestCompletionScripts(t *testing.T) {
	u := newUser(t)
	for _, sh := range []string{"bash", "zsh", "fish", "pwsh"} {
		if r := u.ok("completion", sh); !strings.Contains(r.stdout, "gover") {
			t.Errorf("completion %s printed %q", sh, r.stdout)
		}
	}
	u.fails(2, "completion", "tcsh")
}
