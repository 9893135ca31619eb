package store

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/gover/gover/internal/fsx"
	"github.com/gover/gover/versions"
)

// fillStore writes n manifests the way Commit does, without SDK trees:
// List and GOROOT never look inside them.
func fillStore(b *testing.B, n int) *Store {
	b.Helper()
	s := New(tempDir(b))
	for i := range n {
		v := versions.MustParse(fmt.Sprintf("1.%d.%d", 10+i/10, i%10))
		data, err := encodeManifest(&Manifest{
			Schema: 1, Version: v.String(), GOROOT: s.SDKDir(v), Platform: "linux/amd64",
			Source: Source{Kind: SourceProxy, URL: "https://proxy.golang.org/golang.org/toolchain/@v/v0.0.1-" + v.Name() + ".linux-amd64.zip", Module: "golang.org/toolchain@v0.0.1-" + v.Name() + ".linux-amd64"},
			Size:   72800000, SHA256: "3e4e6f1d3e4e6f1d3e4e6f1d3e4e6f1d3e4e6f1d3e4e6f1d3e4e6f1d3e4e6f1d", H1: "h1:abcdefabcdefabcdefabcdefabcdefabcdefabcdefa=",
			Checks: []string{"sumdb:sum.golang.org"}, Trust: TrustSumDB, InstalledAt: time.Now(),
		})
		if err != nil {
			b.Fatal(err)
		}
		if err := fsx.WriteFileAtomic(s.ManifestPath(v), data, 0o644); err != nil {
			b.Fatal(err)
		}
		if err := fsx.WriteFileAtomic(filepath.Join(s.SDKDir(v), "VERSION"), []byte(v.Name()), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

func BenchmarkList(b *testing.B) {
	s := fillStore(b, 50)
	for b.Loop() {
		ms, err := s.List()
		if err != nil || len(ms) != 50 {
			b.Fatalf("List() = %d manifests, %v", len(ms), err)
		}
	}
}

func BenchmarkGOROOT(b *testing.B) {
	s := fillStore(b, 50)
	v := versions.MustParse("1.14.5")
	for b.Loop() {
		if _, err := s.GOROOT(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkInstalled(b *testing.B) {
	s := fillStore(b, 50)
	for b.Loop() {
		if vs, err := s.Installed(); err != nil || len(vs) != 50 {
			b.Fatal(len(vs), err)
		}
	}
}
