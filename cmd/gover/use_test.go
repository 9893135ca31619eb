package main

import "testing"

func TestAnyPatchOf(t *testing.T) {
	for arg, want := range map[string]string{
		"1.22.x": "1.22", "1.22.X": "1.22", "1.22.*": "1.22", "~1.22": "1.22", "~1.22.0": "1.22", "go1.22.x": "1.22",
		"1.22": "", "~1.22.3": "", ">=1.22": "", "1.x": "", "~1": "", "1.22.5": "", "latest": "",
	} {
		got, ok := anyPatchOf(arg)
		if got != want || ok != (want != "") {
			t.Errorf("anyPatchOf(%q) = %q, %v; want %q", arg, got, ok, want)
		}
	}
}

func TestSuggest(t *testing.T) {
	cmds := []string{"install", "list", "ls", "use", "uninstall", "upgrade", "current", "cache"}
	for name, want := range map[string]string{
		"instal": "install", "isntall": "install", "lsit": "list", "lis": "list", "upgade": "upgrade",
		"x": "", "frobnicate": "", "banana": "", "curent": "current",
	} {
		if got := suggest(name, cmds); got != want {
			t.Errorf("suggest(%q) = %q, want %q", name, got, want)
		}
	}
}
