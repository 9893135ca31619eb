//go:build !windows

package registry

import (
	"strings"
	"testing"
)

// Outside Windows, asking for the registry says there is none and changes
// nothing else.
func TestSyncSystemHasNoRegistry(t *testing.T) {
	cfg, sdks := testConfig(t)
	rep, err := Sync(cfg, sdks[0], sdks, Options{System: true, Explicit: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0].Msg, "no registry") {
		t.Fatalf("notes %+v", rep.Notes)
	}
	// Undo has no registry to restore; gover setup --undo has startup
	// files and links to undo, so it says nothing about it.
	rep, err = Undo(cfg)
	if err != nil || len(rep.Notes) != 0 {
		t.Fatalf("undo: %v %+v", err, rep.Notes)
	}
}
