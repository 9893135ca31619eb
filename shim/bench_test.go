package shim

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gover/gover/store"
	"github.com/gover/gover/versions"
)

// benchShim is the shim as Main wires it, for a folder six levels below
// a go.mod and a .go-version, with go1.22.5 installed.
func benchShim(b *testing.B, goVersion string) *Shim {
	b.Helper()
	base := b.TempDir()
	root := filepath.Join(base, "gover")
	os.MkdirAll(filepath.Join(root, "meta"), 0o755)
	dir := filepath.Join(base, "proj", "a", "b", "c", "d", "e", "f")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(base, "proj", "go.mod"), []byte("module example.com/proj\n\ngo 1.22.1\n"), 0o644)
	if goVersion != "" {
		os.WriteFile(filepath.Join(base, "proj", ".go-version"), []byte(goVersion+"\n"), 0o644)
	}
	st := store.New(root)
	for _, name := range []string{"1.22.5", "1.22.3", "1.21.0"} {
		v := versions.MustParse(name)
		tx, err := st.Begin(b.Context(), v)
		if err != nil {
			b.Fatal(err)
		}
		os.MkdirAll(filepath.Join(tx.Dir(), "bin"), 0o755)
		if err := tx.Commit(&store.Manifest{Version: v.String(), GOROOT: tx.Dir(), Platform: "linux/amd64", Source: store.Source{Kind: store.SourceFile}, Trust: store.TrustIndex}); err != nil {
			b.Fatal(err)
		}
	}
	return &Shim{
		Tool: "go",
		Env:  newEnv(st, func(string) string { return "" }, dir, openFile),
		GOROOT: func(name string) string {
			return st.FindGOROOT(versions.MustParse(name))
		},
	}
}

// BenchmarkFind is the shim's whole decision before exec: walk up, read
// .go-version, look the SDK up in the store.
func BenchmarkFind(b *testing.B) {
	for _, bc := range []struct{ name, goVersion string }{
		{"go-version-exact", "1.22.5"},
		{"go-version-partial", "1.22"},
		{"go.mod-go-line", ""},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := benchShim(b, bc.goVersion)
			for b.Loop() {
				if _, err := s.Find(nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
