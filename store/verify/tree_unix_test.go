//go:build !windows

package verify

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/gover/gover/internal/fake"
)

// Permissions, links and FIFOs, the Unix side of gover verify.

func TestCompareTreeModesAndSpecialFiles(t *testing.T) {
	dir := sdkTree(t)
	rule := func(rel string) fs.FileMode {
		if strings.HasPrefix(rel, "bin/") {
			return 0o755
		}
		return 0o644
	}
	os.Chmod(filepath.Join(dir, "bin", "go"), 0o755)
	os.Chmod(filepath.Join(dir, "bin", "gofmt"), 0o755)
	list := filepath.Join(fake.TempDir(t), "list")
	if _, err := WriteFileList(dir, list); err != nil {
		t.Fatal(err)
	}
	if d, err := CompareTree(dir, list, rule); err != nil || !d.Empty() {
		t.Fatalf("untouched tree: %+v, %v", d, err)
	}

	os.Chmod(filepath.Join(dir, "bin", "go"), fs.ModeSetuid|0o755)
	os.Chmod(filepath.Join(dir, "bin", "gofmt"), 0o644)
	os.Chmod(filepath.Join(dir, "a.txt"), 0o755)
	os.Chmod(filepath.Join(dir, "src"), 0o777)
	os.Chmod(filepath.Join(dir, "VERSION"), 0o444) // read-only is fine
	os.Symlink("/etc/passwd", filepath.Join(dir, "src", "link"))
	if err := syscall.Mkfifo(filepath.Join(dir, "pkg", "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}

	d, err := CompareTree(dir, list, rule)
	if err != nil {
		t.Fatal(err)
	}
	var modes []string
	for _, m := range d.Modes {
		modes = append(modes, m.String())
	}
	wantModes := []string{
		"a.txt: mode 0755, want 0644",
		"bin/go: mode 4755 (setuid), want 0755",
		"bin/gofmt: mode 0644, want 0755",
		"src: mode 0777 (writable by others), want 0755",
	}
	if !slices.Equal(modes, wantModes) {
		t.Errorf("modes:\n%s\nwant:\n%s", strings.Join(modes, "\n"), strings.Join(wantModes, "\n"))
	}
	want := []SpecialFile{{"pkg/fifo", "FIFO"}, {"src/link", "symbolic link"}}
	if !slices.Equal(d.Special, want) {
		t.Errorf("special = %v, want %v", d.Special, want)
	}
	if len(d.Changed)+len(d.Added)+len(d.Missing) != 0 {
		t.Errorf("contents reported changed: %+v", d)
	}
	// Without a rule, only the bits no SDK file has.
	d, _ = CompareFileList(dir, list)
	if len(d.Modes) != 2 {
		t.Errorf("CompareFileList modes = %v, want bin/go and src", d.Modes)
	}
	// The tree hash refuses what it would have to follow.
	if _, err := TreeHash(dir); err == nil {
		t.Error("TreeHash followed a link or opened a FIFO")
	}
}

func TestOpenRegular(t *testing.T) {
	dir := fake.TempDir(t)
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("data"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := OpenRegular(file)
	if err != nil {
		t.Fatalf("a regular file: %v", err)
	}
	f.Close()
	if err := os.Symlink(file, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, kind := range map[string]string{"link": "symbolic link", "fifo": "FIFO", ".": "folder"} {
		f, err := OpenRegular(filepath.Join(dir, name))
		if err == nil {
			f.Close()
			t.Errorf("%s: opened, want a refusal", name)
			continue
		}
		if !strings.Contains(err.Error(), kind) {
			t.Errorf("%s: err = %v, want it to name a %s", name, err, kind)
		}
	}
	if _, err := OpenRegular(filepath.Join(dir, "missing")); !os.IsNotExist(err) {
		t.Errorf("missing: err = %v, want not-exist", err)
	}
}
