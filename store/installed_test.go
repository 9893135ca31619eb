package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/versions"
)

// TestFindGOROOT: the shim's fast check follows the one rule, manifest
// present and no partial marker, for installed and imported SDKs alike.
func TestFindGOROOT(t *testing.T) {
	s := New(filepath.Join(fake.TempDir(t), "gover"))
	v := versions.MustParse("1.22.5")
	if s.IsInstalled(v) || s.FindGOROOT(v) != "" {
		t.Fatal("an empty store has go1.22.5")
	}
	tx, err := s.Begin(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(tx.Dir(), "bin"), 0o755)
	if s.IsInstalled(v) {
		t.Error("installed before its manifest")
	}
	if err := tx.Commit(&Manifest{Version: v.String(), GOROOT: tx.Dir(), Platform: "linux/amd64", Source: Source{Kind: SourceFile}, Trust: TrustIndex}); err != nil {
		t.Fatal(err)
	}
	if !s.IsInstalled(v) || s.FindGOROOT(v) != s.SDKDir(v) {
		t.Errorf("after commit: installed %v, GOROOT %q", s.IsInstalled(v), s.FindGOROOT(v))
	}
	os.WriteFile(s.PartialMarker(v), nil, 0o644)
	if s.IsInstalled(v) || s.FindGOROOT(v) != "" {
		t.Error("an SDK with a partial marker counts as installed")
	}
	os.Remove(s.PartialMarker(v))

	w := versions.MustParse("1.21.0")
	other := fake.TempDir(t)
	os.WriteFile(s.ManifestPath(w), []byte(`{"schema":1,"version":"1.21.0","goroot":"`+filepath.ToSlash(other)+`","imported":true,"source":{"kind":"import"},"trust":"imported"}`), 0o644)
	if got := s.FindGOROOT(w); got != filepath.ToSlash(other) {
		t.Errorf("imported GOROOT = %q, want %q", got, other)
	}
	os.WriteFile(s.ManifestPath(w), []byte(`{"schema":1,"version":"1.21.1","goroot":"/x","imported":true}`), 0o644)
	if got := s.FindGOROOT(w); got != "" {
		t.Errorf("a manifest for another version gave %q", got)
	}
}
