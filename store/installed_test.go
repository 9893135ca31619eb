package store

import (
	"context"
	"encoding/json"
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

// FuzzTopLevelFields checks the shim's small manifest reader against
// encoding/json on every object encoding/json accepts.
func FuzzTopLevelFields(f *testing.F) {
	for _, s := range []string{
		`{"schema":1,"version":"1.22.5","goroot":"/x","imported":true}`,
		"{\n  \"schema\": 1,\n  \"source\": {\"kind\": \"import\", \"url\": \"C:\\\\Go\"},\n  \"goroot\": \"C:\\\\Program Files\\\\Go\",\n  \"imported\": true,\n  \"checks\": [\"a\", \"b\"]\n}",
		`{"goroot":"\u00e9\"q","x":[1,{"goroot":"no"}],"imported":false}`,
		`{}`, `[]`, `{"a":}`, `{"goroot":"\/x\/y"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var want map[string]any
		if json.Unmarshal(data, &want) != nil {
			topLevelFields(data, "goroot") // must not panic
			return
		}
		got, ok := topLevelFields(data, "goroot", "imported")
		if !ok {
			t.Fatalf("topLevelFields(%q) failed; encoding/json reads it", data)
		}
		if g, isStr := want["goroot"].(string); isStr && got["goroot"] != g {
			t.Fatalf("goroot = %q, encoding/json says %q", got["goroot"], g)
		}
		if b, isBool := want["imported"].(bool); isBool && (got["imported"] == "true") != b {
			t.Fatalf("imported = %q, encoding/json says %v", got["imported"], b)
		}
	})
}
