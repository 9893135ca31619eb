package verify

import (
	"archive/zip"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gover/gover/internal/fake"
	"golang.org/x/mod/sumdb/dirhash"
)

// zipTree zips the files under dir with the module prefix, as
// golang.org/toolchain zips are laid out.
func zipTree(t testing.TB, dir string) string {
	t.Helper()
	p := filepath.Join(fake.TempDir(t), "tree.zip")
	out, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(out)
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		w, err := zw.Create("golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64/" + filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(w, f)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	out.Close()
	return p
}

func TestHashZipMatchesDirhash(t *testing.T) {
	for _, dir := range []string{sdkTree(t), filepath.Join(runtime.GOROOT(), "src", "fmt")} {
		p := zipTree(t, dir)
		want, err := dirhash.HashZip(p, dirhash.Hash1)
		if err != nil {
			t.Fatal(err)
		}
		got, err := HashZip(p)
		if got != want || err != nil {
			t.Errorf("HashZip = %s, %v; dirhash says %s", got, err, want)
		}
	}
	empty := filepath.Join(fake.TempDir(t), "empty.zip")
	f, _ := os.Create(empty)
	zip.NewWriter(f).Close()
	f.Close()
	want, _ := dirhash.HashZip(empty, dirhash.Hash1)
	if got, err := HashZip(empty); got != want || err != nil {
		t.Errorf("empty zip: %s, %v; want %s", got, err, want)
	}
}

func TestHashZipRefuses(t *testing.T) {
	dir := fake.TempDir(t)
	write := func(name string, entries ...string) string {
		p := filepath.Join(dir, name)
		f, _ := os.Create(p)
		zw := zip.NewWriter(f)
		for _, e := range entries {
			w, _ := zw.Create(e)
			w.Write([]byte("x"))
		}
		zw.Close()
		f.Close()
		return p
	}
	dup := write("dup.zip", "m@v1/a", "m@v1/b", "m@v1/a")
	nl := write("nl.zip", "m@v1/a\nb")
	// A flipped byte in stored data fails the entry's CRC.
	crc := filepath.Join(dir, "crc.zip")
	f, _ := os.Create(crc)
	zw := zip.NewWriter(f)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "m@v1/bin/go", Method: zip.Store})
	w.Write([]byte("go binary"))
	zw.Close()
	f.Close()
	data, _ := os.ReadFile(crc)
	i := strings.Index(string(data[30:]), "go binary") + 30
	data[i] ^= 1
	os.WriteFile(crc, data, 0o644)
	notZip := filepath.Join(dir, "not.zip")
	os.WriteFile(notZip, []byte("<html>proxy error</html>"), 0o644)
	truncated := filepath.Join(dir, "truncated.zip")
	full, _ := os.ReadFile(zipTree(t, sdkTree(t)))
	os.WriteFile(truncated, full[:len(full)-40], 0o644)

	for _, p := range []string{dup, nl, crc, notZip, truncated} {
		_, err := HashZip(p)
		if err == nil || !corruptZip(err) {
			t.Errorf("%s: err = %v, want one CheckZip reports as a corrupt zip", filepath.Base(p), err)
		}
	}
	if _, err := HashZip(filepath.Join(dir, "missing.zip")); err == nil || corruptZip(err) {
		t.Errorf("missing zip: err = %v, want a plain error", err)
	}
}

func BenchmarkHashZip(b *testing.B) {
	p, size := benchZip(b)
	b.SetBytes(size)
	for b.Loop() {
		if _, err := HashZip(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHashZipSerial is dirhash.HashZip on the same zip, for
// comparison with the parallel HashZip.
func BenchmarkHashZipSerial(b *testing.B) {
	p, size := benchZip(b)
	b.SetBytes(size)
	for b.Loop() {
		if _, err := dirhash.HashZip(p, dirhash.Hash1); err != nil {
			b.Fatal(err)
		}
	}
}

// benchZip zips GOROOT/src/net and GOROOT/src/runtime: a few thousand files
// and some tens of MB, a slice of a toolchain zip. Throughput is reported
// over the uncompressed size.
func benchZip(b *testing.B) (string, int64) {
	dir := fake.TempDir(b)
	for _, sub := range []string{"net", "runtime"} {
		src := filepath.Join(runtime.GOROOT(), "src", sub)
		if _, err := os.Stat(src); err != nil {
			b.Skip("no GOROOT sources to zip")
		}
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(src)); err != nil {
			b.Fatal(err)
		}
	}
	p := zipTree(b, dir)
	z, err := zip.OpenReader(p)
	if err != nil {
		b.Fatal(err)
	}
	defer z.Close()
	var size int64
	for _, f := range z.File {
		size += int64(f.UncompressedSize64)
	}
	return p, size
}
