package shim

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/gover/gover/internal/fake"
)

func TestReadFile(t *testing.T) {
	dir := fake.TempDir(t)
	for _, n := range []int{0, 1, 511, 512, 513, 4096, 100_000} {
		want := bytes.Repeat([]byte("go 1.22\n"), n/8+1)[:n]
		p := filepath.Join(dir, "f")
		if err := os.WriteFile(p, want, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := readFile(p)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("readFile of %d bytes: got %d bytes, %v", n, len(got), err)
		}
	}
	if _, err := readFile(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("readFile(missing) = %v, want ErrNotExist", err)
	}
	if _, err := readFile(dir); err == nil {
		t.Error("readFile(folder) worked")
	}
}
