package verify_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/store/extract"
	"github.com/gover/gover/store/verify"
	"github.com/gover/gover/versions"
)

// TestZipH1MatchesDirhash checks that the h1 gover computes from a zip as it
// unpacks it (every entry, directories included) is dirhash.HashZip's, the
// hash cmd/go and the checksum database use, on real-shaped and crafted
// module zips.
func TestZipH1MatchesDirhash(t *testing.T) {
	linux := versions.Platform{OS: "linux", Arch: "amd64"}
	const prefix = "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64/"
	module := fake.ModuleZip(t, fake.SDKFiles(t, "1.22.5", linux, 40), "1.22.5", linux)

	// withEntries is module with extra entries appended.
	withEntries := func(names ...string) []byte {
		var extra []fake.ZipEntry
		for _, n := range names {
			e := fake.ZipEntry{Name: n}
			if n[len(n)-1] != '/' {
				e.Data = "extra " + n
			}
			extra = append(extra, e)
		}
		return fake.RewriteZip(t, module, nil, extra...)
	}
	zips := map[string][]byte{
		"module zip":               module,
		"extra empty directory":    withEntries(prefix + "pkg/tool/linux_amd64/injected/"),
		"directory entries":        withEntries(prefix, prefix+"src/", prefix+"src/newdir/", prefix+"src/newdir/a.go"),
		"extra file and _go.mod":   withEntries(prefix+"bin/evil", prefix+"src/cmd/_go.mod"),
		"empty files and deep dir": withEntries(prefix+"lib/a/b/c/d/", prefix+"lib/empty"),
	}
	dir := fake.TempDir(t)
	seen := map[string]string{}
	for name, data := range zips {
		t.Run(name, func(t *testing.T) {
			zipPath := filepath.Join(dir, name+".zip")
			if err := os.WriteFile(zipPath, data, 0o644); err != nil {
				t.Fatal(err)
			}
			want, err := dirhash.HashZip(zipPath, dirhash.Hash1)
			if err != nil {
				t.Fatal(err)
			}
			st, err := extract.File(context.Background(), zipPath, filepath.Join(dir, name), extract.Options{StripPrefix: prefix, Module: true, EntrySums: true})
			if err != nil {
				t.Fatal(err)
			}
			entries := make([]verify.FileSum, len(st.Entries))
			for i, e := range st.Entries {
				entries[i] = verify.FileSum(e)
			}
			got, err := verify.ZipH1(entries)
			if err != nil || got != want {
				t.Errorf("ZipH1 = %s, %v; dirhash.HashZip = %s", got, err, want)
			}
			if hz, err := verify.HashZip(zipPath); err != nil || hz != want {
				t.Errorf("HashZip = %s, %v; dirhash.HashZip = %s", hz, err, want)
			}
			for other, h := range seen {
				if h == got {
					t.Errorf("same h1 as %q", other)
				}
			}
			seen[name] = got
		})
	}
	if _, err := verify.ZipH1([]verify.FileSum{{Name: "a"}, {Name: "a"}}); err == nil {
		t.Error("a name listed twice was hashed")
	}
	if _, err := verify.ZipH1(nil); err == nil {
		t.Error("an empty zip was hashed")
	}
}
