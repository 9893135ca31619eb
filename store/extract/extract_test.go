package extract

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fake"
)

// entry describes one archive member for the test archive builders.
type entry struct {
	name string
	body string
	mode int64 // 0: 0644 for files, 0755 for directories
	typ  byte  // tar type flag; 0 is a regular file, or a directory when name ends in "/"
	link string
}

func (e entry) tarType() byte {
	switch {
	case e.typ != 0:
		return e.typ
	case strings.HasSuffix(e.name, "/"):
		return tar.TypeDir
	}
	return tar.TypeReg
}

func makeTarGz(t testing.TB, entries []entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	gw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gw)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.tarType(), Mode: e.mode, Linkname: e.link, Format: tar.FormatPAX}
		if h.Mode == 0 {
			h.Mode = 0o644
			if h.Typeflag == tar.TypeDir {
				h.Mode = 0o755
			}
		}
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func makeZip(t testing.TB, entries []entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		mode := fs.FileMode(e.mode)
		switch e.tarType() {
		case tar.TypeDir:
			h.Method = zip.Store
			mode |= fs.ModeDir
		case tar.TypeSymlink:
			mode |= fs.ModeSymlink
			e.body = e.link
		}
		if mode.Perm() == 0 {
			mode |= 0o644
		}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeArchive(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(fake.TempDir(t), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// tree lists the files under root as "rel mode-bits body" lines.
func tree(t testing.TB, root string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." {
				got[rel+"/"] = "dir"
			}
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fi, _ := d.Info()
		x := "-"
		if fi.Mode()&0o100 != 0 {
			x = "x"
		}
		got[rel] = x + " " + string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

var sdkEntries = []entry{
	{name: "go/"},
	{name: "go/VERSION", body: "go1.22.5\ntime 2024-06-27T20:11:12Z\n"},
	{name: "go/bin/"},
	{name: "go/bin/go", body: "#!go", mode: 0o755},
	{name: "go/src/go.mod", body: "module std\n"},
	{name: "go/src/runtime/x.go", body: "package runtime\n"},
	{name: "go/pkg/tool/linux_amd64/compile", body: "compile", mode: 0o755},
}

// both runs f for a tar.gz and a zip built from the same entries.
func both(t *testing.T, entries []entry, f func(t *testing.T, src string)) {
	t.Run("targz", func(t *testing.T) { f(t, writeArchive(t, "a.tar.gz", makeTarGz(t, entries))) })
	t.Run("zip", func(t *testing.T) { f(t, writeArchive(t, "a.zip", makeZip(t, entries))) })
}

func TestExtract(t *testing.T) {
	both(t, sdkEntries, func(t *testing.T, src string) {
		dst := filepath.Join(fake.TempDir(t), "sdk")
		st, err := File(context.Background(), src, dst, Options{StripPrefix: "go/"})
		if err != nil {
			t.Fatal(err)
		}
		if st.Files != 5 || st.Bytes != 73 {
			t.Errorf("stats = %+v, want 5 files, 73 bytes", st)
		}
		got := tree(t, dst)
		want := map[string]string{
			"VERSION":                      "- go1.22.5\ntime 2024-06-27T20:11:12Z\n",
			"bin/":                         "dir",
			"bin/go":                       "x #!go",
			"src/":                         "dir",
			"src/go.mod":                   "- module std\n",
			"src/runtime/":                 "dir",
			"src/runtime/x.go":             "- package runtime\n",
			"pkg/":                         "dir",
			"pkg/tool/":                    "dir",
			"pkg/tool/linux_amd64/":        "dir",
			"pkg/tool/linux_amd64/compile": "x compile",
		}
		if runtime.GOOS == "windows" {
			for k, v := range want {
				want[k] = noExec(v)
			}
		}
		if len(got) != len(want) {
			t.Errorf("got %d entries, want %d: %q", len(got), len(want), got)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s = %q, want %q", k, got[k], v)
			}
		}
	})
}

func TestExtractModule(t *testing.T) {
	const prefix = "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64/"
	entries := []entry{
		{name: prefix + "VERSION", body: "go1.22.5\n"},
		{name: prefix + "bin/go", body: "go"},
		{name: prefix + "bin/gofmt", body: "gofmt"},
		{name: prefix + "pkg/tool/linux_amd64/compile", body: "compile"},
		{name: prefix + "lib/wasm/go_js_wasm_exec", body: "#!/bin/sh"},
		{name: prefix + "lib/wasm/wasm_exec.js", body: "js"},
		{name: prefix + "lib/time/zoneinfo.zip", body: "zip"},
		{name: prefix + "src/_go.mod", body: "module std\n"},
		{name: prefix + "src/cmd/_go.mod", body: "module cmd\n"},
		{name: prefix + "src/cmd/go/testdata/_go.mod.txt", body: "x"},
		{name: prefix + "binary", body: "not in bin"},
	}
	src := writeArchive(t, "m.zip", makeZip(t, entries))
	dst := fake.TempDir(t)
	if _, err := File(context.Background(), src, dst, Options{StripPrefix: prefix, Module: true}); err != nil {
		t.Fatal(err)
	}
	got := tree(t, dst)
	exec := "x"
	if runtime.GOOS == "windows" {
		exec = "-"
	}
	for name, want := range map[string]string{
		"VERSION":                         "- go1.22.5\n",
		"bin/go":                          exec + " go",
		"bin/gofmt":                       exec + " gofmt",
		"pkg/tool/linux_amd64/compile":    exec + " compile",
		"lib/wasm/go_js_wasm_exec":        exec + " #!/bin/sh",
		"lib/wasm/wasm_exec.js":           "- js",
		"lib/time/zoneinfo.zip":           "- zip",
		"src/go.mod":                      "- module std\n",
		"src/cmd/go.mod":                  "- module cmd\n",
		"src/cmd/go/testdata/_go.mod.txt": "- x",
		"binary":                          "- not in bin",
		"src/_go.mod":                     "",
		"src/cmd/_go.mod":                 "",
	} {
		if got[name] != want {
			t.Errorf("%s = %q, want %q", name, got[name], want)
		}
	}

	// A module zip holding both _go.mod and go.mod in one folder would
	// make one overwrite the other.
	clash := writeArchive(t, "c.zip", makeZip(t, []entry{
		{name: prefix + "src/_go.mod", body: "a"},
		{name: prefix + "src/go.mod", body: "b"},
	}))
	_, err := File(context.Background(), clash, fake.TempDir(t), Options{StripPrefix: prefix, Module: true})
	if err == nil || !strings.Contains(err.Error(), "duplicate") {
		t.Errorf("_go.mod and go.mod: err = %v, want a duplicate error", err)
	}
}

func TestExtractRefused(t *testing.T) {
	ok := entry{name: "go/VERSION", body: "go1.22.5"}
	tests := []struct {
		name    string
		entries []entry
		opt     Options
		want    string
	}{
		{"dotdot", []entry{ok, {name: "go/../x", body: "x"}}, Options{}, `"go/../x"`},
		{"absolute", []entry{ok, {name: "/etc/x", body: "x"}}, Options{}, "outside"},
		{"absolute no prefix", []entry{ok, {name: "/etc/x", body: "x"}}, Options{StripPrefix: ""}, "absolute"},
		{"drive", []entry{ok, {name: `C:\x`, body: "x"}}, Options{}, "colon"},
		{"drive relative", []entry{ok, {name: "go/C:x", body: "x"}}, Options{}, "colon"},
		{"unc", []entry{ok, {name: `\\server\share\x`, body: "x"}}, Options{}, "backslash"},
		{"backslash dotdot", []entry{ok, {name: `go/..\..\x`, body: "x"}}, Options{}, "backslash"},
		{"outside prefix", []entry{ok, {name: "other/x", body: "x"}}, Options{}, "outside"},
		{"symlink escaping", []entry{ok, {name: "go/evil", typ: tar.TypeSymlink, link: "../../etc"}}, Options{}, "links"},
		{"symlink inside", []entry{ok, {name: "go/bin/gofmt2", typ: tar.TypeSymlink, link: "gofmt"}}, Options{}, "links"},
		{"hardlink escaping", []entry{ok, {name: "go/evil", typ: tar.TypeLink, link: "/etc/passwd"}}, Options{}, "links"},
		{"device", []entry{ok, {name: "go/dev", typ: tar.TypeChar}}, Options{}, "not a regular file"},
		{"duplicate", []entry{ok, ok}, Options{}, "duplicate"},
		{"case collision", []entry{ok, {name: "go/version", body: "x"}}, Options{}, "case-insensitive"},
		{"case collision dir", []entry{{name: "go/src/A/x", body: "x"}, {name: "go/src/a/y", body: "y"}}, Options{}, "case-insensitive"},
		{"file as dir", []entry{ok, {name: "go/VERSION/x", body: "x"}}, Options{}, "is a file"},
		{"dir over file", []entry{ok, {name: "go/VERSION/"}}, Options{}, "duplicate"},
		{"oversize file", []entry{ok, {name: "go/big", body: strings.Repeat("x", 101)}}, Options{MaxFileSize: 100}, "limit of 100 bytes per file"},
		{"oversize total", []entry{{name: "go/a", body: strings.Repeat("x", 60)}, {name: "go/b", body: strings.Repeat("x", 60)}}, Options{MaxTotalSize: 100}, "beyond the limit"},
		{"too many files", []entry{{name: "go/a"}, {name: "go/b"}, {name: "go/c"}}, Options{MaxFiles: 2}, "more than 2 files"},
		{"root as file", []entry{{name: "go", body: "x"}}, Options{}, "root"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.opt.StripPrefix == "" && !strings.Contains(tt.name, "no prefix") {
				tt.opt.StripPrefix = "go/"
			}
			entries := tt.entries
			both(t, entries, func(t *testing.T, src string) {
				if strings.HasSuffix(src, ".zip") && tt.entries[len(tt.entries)-1].typ == tar.TypeLink {
					t.Skip("zip has no hard links")
				}
				if strings.HasSuffix(src, ".zip") && tt.entries[len(tt.entries)-1].typ == tar.TypeChar {
					t.Skip("zip has no device files")
				}
				base := fake.TempDir(t)
				dst := filepath.Join(base, "a", "sdk")
				_, err := File(context.Background(), src, dst, tt.opt)
				if err == nil {
					t.Fatalf("no error; extracted %q", tree(t, base))
				}
				if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), filepath.Base(src)) {
					t.Errorf("err = %v; want it to name the archive and say %q", err, tt.want)
				}
				if exitcode.Code(err) != exitcode.CodeVerify {
					t.Errorf("exit code %d, want %d", exitcode.Code(err), exitcode.CodeVerify)
				}
				// Nothing ever lands outside dst.
				for name := range tree(t, base) {
					if !strings.HasPrefix(name, "a/") {
						t.Errorf("%s written outside dst", name)
					}
				}
				// A zip is checked whole before anything is written.
				if strings.HasSuffix(src, ".zip") {
					if _, err := os.Stat(dst); !errors.Is(err, fs.ErrNotExist) {
						t.Errorf("zip: dst created before the check failed (%v)", err)
					}
				}
			})
		})
	}
}

func TestExtractCorrupt(t *testing.T) {
	var many []entry
	for i := range 50 {
		many = append(many, entry{name: "go/f" + strings.Repeat("x", i), body: strings.Repeat("data", 200+i)})
	}
	tgz := makeTarGz(t, many)
	zp := makeZip(t, many)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"targz truncated", tgz[:len(tgz)/2], "a.tar.gz"},
		{"targz trailer", tgz[:len(tgz)-4], "unexpected EOF"},
		{"targz flipped", flip(tgz, len(tgz)/2), "a.tar.gz"},
		{"zip truncated", zp[:len(zp)/2], "a.zip"},
		{"zip flipped", flip(zp, 300), "a.zip"},
		{"empty", nil, "not a .tar.gz or .zip"},
		{"text", []byte("<html>not found</html>"), "not a .tar.gz or .zip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := "a.tar.gz"
			if strings.HasPrefix(tt.name, "zip") {
				name = "a.zip"
			}
			src := writeArchive(t, name, tt.data)
			_, err := File(context.Background(), src, fake.TempDir(t), Options{StripPrefix: "go/"})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0xff
	c[i+1] ^= 0x55
	return c
}

func TestExtractCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	both(t, sdkEntries, func(t *testing.T, src string) {
		_, err := File(ctx, src, fake.TempDir(t), Options{StripPrefix: "go/"})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}

func TestExtractExisting(t *testing.T) {
	// Files already in dst are never overwritten.
	both(t, sdkEntries, func(t *testing.T, src string) {
		dst := fake.TempDir(t)
		if err := os.WriteFile(filepath.Join(dst, "VERSION"), []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := File(context.Background(), src, dst, Options{StripPrefix: "go/"}); !errors.Is(err, fs.ErrExist) {
			t.Errorf("err = %v, want fs.ErrExist", err)
		}
		if b, _ := os.ReadFile(filepath.Join(dst, "VERSION")); string(b) != "mine" {
			t.Errorf("VERSION overwritten: %q", b)
		}
	})
}

func TestTarGzStream(t *testing.T) {
	data := makeTarGz(t, sdkEntries)
	// Trailing bytes after the gzip stream (a download's own padding) are
	// not the extractor's concern, but the stream must be read to its end.
	r := bytes.NewReader(data)
	st, err := TarGz(context.Background(), r, fake.TempDir(t), Options{StripPrefix: "go/"})
	if err != nil {
		t.Fatal(err)
	}
	if st.Files != 5 {
		t.Errorf("files = %d, want 5", st.Files)
	}
	if r.Len() != 0 {
		t.Errorf("%d bytes left unread", r.Len())
	}
}

// noExec drops the exec mark from a tree line: Windows has no exec bits.
func noExec(line string) string {
	if rest, ok := strings.CutPrefix(line, "x "); ok {
		return "- " + rest
	}
	return line
}
