package extract

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/store/verify"
	"github.com/gover/gover/versions"
)

// TestSumsMatchFileList checks that the sums an extraction computes while
// writing give the file list and tree hash that reading the tree back
// gives, for every archive form, small files (handed to the writers) and
// large ones (written by the tar parser) alike.
func TestSumsMatchFileList(t *testing.T) {
	host := versions.Host()
	root := fake.SDKFiles(t, "1.22.5", host, 300)
	big := strings.Repeat("large file contents\n", 3*smallFile/20)
	withBig := append(append([]entry{}, sdkEntries...),
		entry{name: "go/pkg/"},
		entry{name: "go/pkg/big.a", body: big},
		entry{name: "go/pkg/edge.a", body: big[:smallFile]},
		entry{name: "go/pkg/edge1.a", body: big[:smallFile+1]},
		entry{name: "go/pkg/empty", body: ""},
	)
	modPrefix := "golang.org/toolchain@v0.0.1-go1.22.5." + host.Dashed() + "/"
	tests := []struct {
		name string
		data []byte
		file string
		opt  Options
	}{
		{"sdk targz", fake.TarGz(t, root), "a.tar.gz", Options{StripPrefix: "go/"}},
		{"sdk zip", fake.Zip(t, root), "a.zip", Options{StripPrefix: "go/"}},
		{"sdk module zip", fake.ModuleZip(t, root, "1.22.5", host), "m.zip", Options{StripPrefix: modPrefix, Module: true}},
		{"large files targz", makeTarGz(t, withBig), "b.tar.gz", Options{StripPrefix: "go/"}},
		{"large files zip", makeZip(t, withBig), "b.zip", Options{StripPrefix: "go/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := writeArchive(t, tt.file, tt.data)
			dst := fake.TempDir(t)
			opt := tt.opt
			opt.Sums = true
			st, err := File(context.Background(), src, dst, opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Sums) != st.Files || st.Files == 0 {
				t.Fatalf("%d sums for %d files", len(st.Sums), st.Files)
			}
			sums := make([]verify.FileSum, len(st.Sums))
			for i, s := range st.Sums {
				sums[i] = verify.FileSum(s)
			}
			lists := fake.TempDir(t)
			got, err := verify.WriteSums(sums, filepath.Join(lists, "sums"))
			if err != nil {
				t.Fatal(err)
			}
			want, err := verify.WriteFileList(dst, filepath.Join(lists, "tree"))
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("tree hash from sums %s, from the tree %s", got, want)
			}
			if d, err := verify.CompareFileList(dst, filepath.Join(lists, "sums")); err != nil || !d.Empty() {
				t.Errorf("the tree differs from the list written from sums: %+v, %v", d, err)
			}
		})
	}
}

func TestNoSumsUnlessAsked(t *testing.T) {
	both(t, sdkEntries, func(t *testing.T, src string) {
		st, err := File(context.Background(), src, fake.TempDir(t), Options{StripPrefix: "go/"})
		if err != nil {
			t.Fatal(err)
		}
		if st.Sums != nil {
			t.Errorf("%d sums without Options.Sums", len(st.Sums))
		}
	})
}
