//go:build !windows

package doctor

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/gover/gover/internal/fake"
)

// The sample check reads files of an installed SDK: a symbolic link or a
// FIFO in place of one is reported, not followed or blocked on.
func TestSampleCheckRefusesLinksAndFIFOs(t *testing.T) {
	dir := fake.TempDir(t)
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	data := []byte("the go binary\n")
	sum := sha256.Sum256(data)
	hexSum := hex.EncodeToString(sum[:])
	// Outside the tree, with the content the list expects.
	outside := filepath.Join(fake.TempDir(t), "go")
	if err := os.WriteFile(outside, data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "VERSION"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "bin", "go")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "bin", "gofmt"), 0o644); err != nil {
		t.Fatal(err)
	}
	list := filepath.Join(fake.TempDir(t), "list")
	text := hexSum + "  VERSION\n" + hexSum + "  bin/go\n" + hexSum + "  bin/gofmt\n"
	if err := os.WriteFile(list, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}

	bad, err := sampleCheck(dir, list)
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 2 {
		t.Fatalf("bad = %q, want the link and the FIFO", bad)
	}
	for i, want := range []string{"bin/go is not a regular file (symbolic link)", "bin/gofmt is not a regular file (FIFO)"} {
		if !strings.Contains(bad[i], filepath.FromSlash(want)) {
			t.Errorf("bad[%d] = %q, want it to say %q", i, bad[i], want)
		}
	}
}
