package verify

import (
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fake"
)

// sdkTree writes a small tree whose names sort differently path by path
// than as whole strings ("a/b" after "a.txt" and "a-b").
func sdkTree(t *testing.T) string {
	t.Helper()
	dir := fake.TempDir(t)
	for name, body := range map[string]string{
		"VERSION":              "go1.22.5\n",
		"a.txt":                "a",
		"a-b":                  "dash",
		"a/b":                  "nested",
		"bin/go":               "go binary",
		"bin/gofmt":            "gofmt binary",
		"pkg/tool/linux/vet":   "vet",
		"src/fmt/print.go":     "package fmt\n",
		"src/fmt/empty.go":     "",
		"src/go.mod":           "module std\n",
		"src/ünïcode/ß.go":     "package x\n",
		"src/with space/f.txt": "space",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(dir, "empty", "dir"), 0o755)
	return dir
}

func TestTreeHashMatchesDirhash(t *testing.T) {
	dirs := []string{sdkTree(t), filepath.Join(runtime.GOROOT(), "src", "fmt")}
	for _, dir := range dirs {
		want, err := dirhash.HashDir(dir, "", dirhash.Hash1)
		if err != nil {
			t.Fatal(err)
		}
		got, err := TreeHash(dir)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("TreeHash(%s) = %s, dirhash says %s", dir, got, want)
		}
	}
}

func TestTreeHashErrors(t *testing.T) {
	if _, err := TreeHash(filepath.Join(fake.TempDir(t), "missing")); err == nil {
		t.Error("missing folder hashed")
	}
	f := filepath.Join(fake.TempDir(t), "file")
	os.WriteFile(f, nil, 0o644)
	if _, err := TreeHash(f); err == nil {
		t.Error("a file hashed as a folder")
	}
}

const sum0 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" // SHA-256 of nothing

func TestFileList(t *testing.T) {
	dir := sdkTree(t)
	list := filepath.Join(fake.TempDir(t), "meta", "go1.22.5.files")
	h, err := WriteFileList(dir, list)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := TreeHash(dir); h != want {
		t.Errorf("WriteFileList = %s, TreeHash = %s", h, want)
	}
	data, _ := os.ReadFile(list)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	var names []string
	for _, l := range lines {
		names = append(names, l[len(sum0)+2:])
	}
	if len(lines) != 12 || !slices.IsSorted(names) {
		t.Errorf("file list has %d lines, want 12, sorted by name:\n%s", len(lines), data)
	}
	if !strings.HasSuffix(lines[0], "  VERSION") {
		t.Errorf("first line %q, want VERSION (byte order)", lines[0])
	}

	d, err := CompareFileList(dir, list)
	if err != nil || !d.Empty() {
		t.Fatalf("untouched tree: %+v, %v", d, err)
	}

	// Permissions are not content.
	os.Chmod(filepath.Join(dir, "bin", "go"), 0o755)
	os.WriteFile(filepath.Join(dir, "src", "fmt", "print.go"), []byte("package fmt // changed\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "bin", "gofmt"), []byte("gofmt binarz"), 0o644)
	os.WriteFile(filepath.Join(dir, "src", "fmt", "evil.go"), []byte("package fmt\n"), 0o644)
	os.Remove(filepath.Join(dir, "a", "b"))
	os.Remove(filepath.Join(dir, "VERSION"))
	d, err = CompareFileList(dir, list)
	if err != nil {
		t.Fatal(err)
	}
	want := Diff{
		Changed: []string{"bin/gofmt", "src/fmt/print.go"},
		Added:   []string{"src/fmt/evil.go"},
		Missing: []string{"VERSION", "a/b"},
	}
	if !slices.Equal(d.Changed, want.Changed) || !slices.Equal(d.Added, want.Added) || !slices.Equal(d.Missing, want.Missing) {
		t.Errorf("diff = %+v, want %+v", d, want)
	}
	if d.Empty() {
		t.Error("Empty() on a changed tree")
	}
}

func TestFileListInsideTree(t *testing.T) {
	dir := sdkTree(t)
	list := filepath.Join(dir, ".gover-files")
	h, err := WriteFileList(dir, list)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := CompareFileList(dir, list); err != nil || !d.Empty() {
		t.Errorf("list inside the tree: %+v, %v", d, err)
	}
	os.Remove(list)
	if want, _ := TreeHash(dir); h != want {
		t.Errorf("hash with the list left out = %s, tree without it = %s", h, want)
	}
}

func TestCompareFileListCorrupt(t *testing.T) {
	dir := sdkTree(t)
	const sum = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	for _, list := range []string{
		"garbage\n",
		sum + " VERSION\n",
		sum[:62] + "  VERSION\n",
		strings.Replace(sum, "b", "z", 1) + "  VERSION\n",
		sum + "  \n",
		sum + "  VERSION\n" + sum + "  VERSION\n",
	} {
		p := filepath.Join(fake.TempDir(t), "list")
		os.WriteFile(p, []byte(list), 0o644)
		_, err := CompareFileList(dir, p)
		if exitcode.Code(err) != exitcode.CodeVerify {
			t.Errorf("list %q: err = %v (code %d), want a verify error", list, err, exitcode.Code(err))
		}
	}
	if _, err := CompareFileList(dir, filepath.Join(fake.TempDir(t), "none")); err == nil || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing list: %v", err)
	}
}

func FuzzParseFileList(f *testing.F) {
	f.Add([]byte("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  bin/go\n"))
	f.Add([]byte(""))
	f.Add([]byte("x  y\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseFileList(data)
		if err != nil {
			return
		}
		var sums []fileSum
		for name, sum := range m {
			sums = append(sums, fileSum{sum: sum, name: name})
		}
		slices.SortFunc(sums, func(a, b fileSum) int { return strings.Compare(a.name, b.name) })
		again, err := parseFileList(summary(sums))
		if err != nil || len(again) != len(m) {
			t.Fatalf("list %q does not survive a round trip: %v", data, err)
		}
	})
}

// benchTree is the Go SDK this test runs with: ~15,000 files, 270 MB for
// Go 1.26, a bit bigger than the 9,500-file trees gover installs.
func benchTree(b *testing.B) (string, int64, int) {
	dir := runtime.GOROOT()
	var size int64
	var n int
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				size += fi.Size()
				n++
			}
		}
		return nil
	})
	if n == 0 {
		b.Skip("no GOROOT to hash")
	}
	return dir, size, n
}

func BenchmarkTreeHash(b *testing.B) {
	dir, size, n := benchTree(b)
	b.SetBytes(size)
	b.ReportMetric(float64(n), "files")
	for b.Loop() {
		if _, err := TreeHash(dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTreeHashSerial is dirhash.HashDir over the same tree, for
// comparison with the parallel TreeHash.
func BenchmarkTreeHashSerial(b *testing.B) {
	dir, size, _ := benchTree(b)
	b.SetBytes(size)
	for b.Loop() {
		if _, err := dirhash.HashDir(dir, "", dirhash.Hash1); err != nil {
			b.Fatal(err)
		}
	}
}

// sumsOf hashes the files of dir, in reverse path order: WriteSums must not
// depend on the order an extraction finished its files in.
func sumsOf(t *testing.T, dir string) []FileSum {
	t.Helper()
	var sums []FileSum
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		sums = append(sums, FileSum{Name: filepath.ToSlash(rel), Sum: sha256.Sum256(data)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(sums)
	return sums
}

func TestWriteSums(t *testing.T) {
	dir := sdkTree(t)
	lists := fake.TempDir(t)
	want, err := WriteFileList(dir, filepath.Join(lists, "tree"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := WriteSums(sumsOf(t, dir), filepath.Join(lists, "sums"))
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("WriteSums = %s, WriteFileList = %s", got, want)
	}
	a, _ := os.ReadFile(filepath.Join(lists, "tree"))
	b, _ := os.ReadFile(filepath.Join(lists, "sums"))
	if string(a) != string(b) {
		t.Errorf("lists differ:\n%s\nvs\n%s", a, b)
	}
	if d, err := CompareFileList(dir, filepath.Join(lists, "sums")); err != nil || !d.Empty() {
		t.Errorf("CompareFileList = %+v, %v", d, err)
	}

	// An empty tree.
	empty := fake.TempDir(t)
	want, err = WriteFileList(empty, filepath.Join(lists, "empty-tree"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := WriteSums(nil, filepath.Join(lists, "empty-sums")); err != nil || got != want {
		t.Errorf("WriteSums(nil) = %s, %v; want %s", got, err, want)
	}
}

func TestWriteSumsRefuses(t *testing.T) {
	var sum [sha256.Size]byte
	tests := []struct {
		name string
		sums []FileSum
		want string
	}{
		{"duplicate", []FileSum{{"a", sum}, {"b", sum}, {"a", sum}}, "listed twice"},
		{"newline", []FileSum{{"a\nb", sum}}, "newlines"},
		{"empty name", []FileSum{{"", sum}}, "without a name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list := filepath.Join(fake.TempDir(t), "list")
			_, err := WriteSums(tt.sums, list)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one saying %q", err, tt.want)
			}
			if _, err := os.Stat(list); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a refused list was written: %v", err)
			}
		})
	}
}
