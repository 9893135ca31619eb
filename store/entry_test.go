package store

import (
	"regexp"
	"testing"
)

// TestIsToolchainEntryMatchesPattern checks the written-out matcher
// against the pattern it replaces, over every string built from the
// pieces that matter.
func TestIsToolchainEntryMatchesPattern(t *testing.T) {
	re := regexp.MustCompile(`^go1(\.[0-9]+)*((rc|beta)[0-9]+)?(\.exe)?$`)
	parts := []string{"", "go", "go1", "1", ".", "2", "22", ".5", "rc", "beta", "exe", ".exe", ".EXE", "x", "-", "go1.22"}
	var build func(prefix string, depth int)
	n := 0
	build = func(s string, depth int) {
		n++
		if got, want := isToolchainEntry(s), re.MatchString(s); got != want {
			t.Errorf("isToolchainEntry(%q) = %v, want %v", s, got, want)
		}
		if depth == 0 {
			return
		}
		for _, p := range parts {
			if p != "" {
				build(s+p, depth-1)
			}
		}
	}
	build("", 5)
	if n < 10000 {
		t.Fatalf("only %d strings tried", n)
	}
}
