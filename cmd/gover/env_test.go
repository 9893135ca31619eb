package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gover/gover/internal/fake"
)

func TestWriteGoVersionKeepsComments(t *testing.T) {
	p := filepath.Join(fake.TempDir(t), ".go-version")
	os.WriteFile(p, []byte("# pinned for the release branch\r\n1.21.0\n"), 0o644)
	if err := writeGoVersion(p, "1.22.5"); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(p); string(data) != "# pinned for the release branch\n1.22.5\n" {
		t.Errorf(".go-version = %q", data)
	}
}

func TestPathFirst(t *testing.T) {
	sep := string(os.PathListSeparator)
	bin := filepath.FromSlash("/h/.gover/bin")
	if !pathFirst(bin+sep+"/usr/bin", bin) || pathFirst("/usr/bin"+sep+bin, bin) || pathFirst("", bin) {
		t.Error("pathFirst is wrong")
	}
}
