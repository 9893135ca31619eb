package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fake"
)

func TestModeRule(t *testing.T) {
	for rel, want := range map[string]fs.FileMode{
		"bin/go":                          0o755,
		"bin/gofmt.exe":                   0o755,
		"pkg/tool/linux_amd64/compile":    0o755,
		"lib/wasm/go_js_wasm_exec":        0o755,
		"lib/wasm/go_wasip1_wasm_exec":    0o755,
		"misc/wasm/go_js_wasm_exec":       0o755,
		"bin/sub/x":                       0o644,
		"pkg/tool/linux_amd64/sub/x":      0o644,
		"pkg/tool/x":                      0o644,
		"src/runtime/runtime.go":          0o644,
		"src/make.bash":                   0o644,
		"lib/wasm/wasm_exec.js":           0o644,
		"src/bin/go":                      0o644,
		"binary":                          0o644,
		"misc/go_exec":                    0o644,
		"pkg/linux_amd64/runtime.a":       0o644,
		"lib/time/go_x_y_exec/notwrapper": 0o644,
	} {
		if got := Mode(rel); got != want {
			t.Errorf("Mode(%q) = %v, want %v", rel, got, want)
		}
	}
}

// TestArchiveModesIgnored: whatever the archive says (0777, setuid, exec
// bits on source files), the tree gets gover's modes.
func TestArchiveModesIgnored(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no mode bits on Windows")
	}
	entries := []entry{
		{name: "go/", typ: '5'},
		{name: "go/src/runtime/runtime.go", body: "package runtime", mode: 0o777},
		{name: "go/VERSION", body: "go1.22.5", mode: 0o4777},
		{name: "go/bin/go", body: "go", mode: 0o600},
	}
	both(t, entries, func(t *testing.T, src string) {
		dst := fake.TempDir(t)
		if _, err := File(context.Background(), src, dst, Options{StripPrefix: "go/"}); err != nil {
			t.Fatal(err)
		}
		for rel, want := range map[string]fs.FileMode{"src/runtime/runtime.go": 0o644, "VERSION": 0o644, "bin/go": 0o755} {
			fi, err := os.Stat(filepath.Join(dst, filepath.FromSlash(rel)))
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode(); got&^want != 0 || want&0o100 != got&0o100 {
				t.Errorf("%s: %v, want %v", rel, got, want)
			}
		}
	})
}

// TestZipEntryRules: directory entries are hashed like dirhash hashes them,
// so they must be what archive/zip reads as directories, and every name
// appears once.
func TestZipEntryRules(t *testing.T) {
	build := func(f func(zw *zip.Writer)) string {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		f(zw)
		zw.Close()
		return writeArchive(t, "x.zip", buf.Bytes())
	}
	cases := map[string]string{
		"directory entry with data": build(func(zw *zip.Writer) {
			w, _ := zw.CreateRaw(&zip.FileHeader{Name: "go/src/", Method: zip.Store, CompressedSize64: 6, UncompressedSize64: 6, CRC32: crc32.ChecksumIEEE([]byte("hidden"))})
			w.Write([]byte("hidden"))
		}),
		"directory without a slash": build(func(zw *zip.Writer) {
			h := &zip.FileHeader{Name: "go/src", Method: zip.Store}
			h.SetMode(fs.ModeDir | 0o755)
			zw.CreateHeader(h)
		}),
		"directory named twice": build(func(zw *zip.Writer) {
			zw.Create("go/src/")
			zw.Create("go/src/")
		}),
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := File(context.Background(), src, fake.TempDir(t), Options{StripPrefix: "go/", EntrySums: true})
			if exitcode.Code(err) != exitcode.CodeVerify {
				t.Errorf("err = %v, want a verification failure", err)
			}
		})
	}
}

// TestZipBombStopsEarly: an entry that inflates beyond what it declares is
// cut at its declared size, and declared sizes are capped before anything
// is written.
func TestZipBombStopsEarly(t *testing.T) {
	t.Run("lying entry", func(t *testing.T) {
		// 64 MiB of zeros that claims to be 1 KiB.
		var tmp bytes.Buffer
		zw := zip.NewWriter(&tmp)
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: "go/zeros", Method: zip.Deflate})
		w.Write(make([]byte, 64<<20))
		zw.Close()
		data := fake.RewriteZip(t, tmp.Bytes(), func(h *zip.FileHeader) bool {
			h.UncompressedSize64 = 1 << 10
			h.CRC32 = crc32.ChecksumIEEE(make([]byte, 1<<10))
			return true
		})
		src := writeArchive(t, "bomb.zip", data)
		dst := fake.TempDir(t)
		_, err := File(context.Background(), src, dst, Options{StripPrefix: "go/"})
		// archive/zip or the extractor stops reading at the declared
		// size, whichever notices first.
		if err == nil {
			t.Fatal("a lying entry was extracted")
		}
		if fi, err := os.Stat(filepath.Join(dst, "zeros")); err == nil && fi.Size() > 1<<10 {
			t.Errorf("wrote %d bytes", fi.Size())
		}
	})
	t.Run("declared total over the cap", func(t *testing.T) {
		src := writeArchive(t, "big.zip", makeZip(t, []entry{
			{name: "go/a", body: strings.Repeat("a", 600)},
			{name: "go/b", body: strings.Repeat("b", 600)},
		}))
		dst := fake.TempDir(t)
		_, err := File(context.Background(), src, dst, Options{StripPrefix: "go/", MaxTotalSize: 1000})
		if exitcode.Code(err) != exitcode.CodeVerify || !strings.Contains(err.Error(), "beyond the limit") {
			t.Fatalf("err = %v", err)
		}
		if ents, _ := os.ReadDir(dst); len(ents) != 0 {
			t.Errorf("wrote %d entries before refusing", len(ents))
		}
	})
}
