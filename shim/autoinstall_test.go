package shim

import "testing"

func TestAutoInstall(t *testing.T) {
	for v, want := range map[string][2]bool{
		"": {true, true}, "1": {true, true}, "TRUE": {true, true}, "yes": {true, true}, "on": {true, true},
		"0": {false, true}, "false": {false, true}, "No": {false, true}, " off ": {false, true},
		"nope": {true, false}, "2": {true, false},
	} {
		on, known := AutoInstall(v)
		if on != want[0] || known != want[1] {
			t.Errorf("AutoInstall(%q) = %v, %v; want %v, %v", v, on, known, want[0], want[1])
		}
	}
}
