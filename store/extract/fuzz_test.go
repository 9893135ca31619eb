package extract

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"github.com/gover/gover/internal/fake"
)

// FuzzTarGz feeds the .tar.gz pipeline arbitrary bytes: it must neither
// panic nor hang, and when it succeeds the sums it reports are those of
// the files on disk, all of them inside dst.
func FuzzTarGz(f *testing.F) {
	f.Add(makeTarGz(f, sdkEntries))
	f.Add(makeTarGz(f, []entry{{name: "go/"}, {name: "go/a", body: string(bytes.Repeat([]byte("x"), smallFile+1))}}))
	f.Add(makeTarGz(f, []entry{{name: "go/a", body: "1"}, {name: "go/a", body: "2"}}))
	f.Add(makeTarGz(f, []entry{{name: "go/l", typ: 'X'}, {name: "go/../x", body: "1"}}))
	f.Add([]byte{0x1f, 0x8b})
	f.Fuzz(func(t *testing.T, data []byte) {
		parent := fake.TempDir(t)
		dst := filepath.Join(parent, "dst")
		st, err := TarGz(context.Background(), bytes.NewReader(data), dst, Options{StripPrefix: "go/", Sums: true, MaxTotalSize: 64 << 20})
		if err != nil {
			return
		}
		if len(st.Sums) != st.Files {
			t.Fatalf("%d sums for %d files", len(st.Sums), st.Files)
		}
		for _, s := range st.Sums {
			got, err := os.ReadFile(filepath.Join(dst, filepath.FromSlash(s.Name)))
			if err != nil {
				t.Fatal(err)
			}
			if sha256.Sum256(got) != s.Sum {
				t.Errorf("%s: sum does not match the file", s.Name)
			}
		}
		if entries, _ := os.ReadDir(parent); len(entries) != 1 {
			t.Errorf("wrote outside dst: %v", entries)
		}
	})
}
