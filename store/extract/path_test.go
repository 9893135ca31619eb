package extract

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestCheckPath(t *testing.T) {
	const modPrefix = "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64/"
	tests := []struct {
		prefix, name string
		want         string // "" means an error is expected
	}{
		{"go/", "go/bin/go", "bin/go"},
		{"go/", "go/src/", "src"},
		{"go/", "go/", "."},
		{"go/", "go", "."},
		{"go/", "go/VERSION", "VERSION"},
		{"go/", "go/src/cmd/go/testdata/script/mod_get_+incompatible.txt", "src/cmd/go/testdata/script/mod_get_+incompatible.txt"},
		{"go/", "go/src/unicode/utf8/Ünïcödé #1 (x)", "src/unicode/utf8/Ünïcödé #1 (x)"},
		{"go/", "go/con.go.txt/x", ""}, // reserved even with an extension
		{"go/", "go/src/nul", ""},
		{"go/", "go/src/NUL.txt", ""},
		{"go/", "go/src/com1", ""},
		{"go/", "go/src/COM¹", ""},
		{"go/", "go/src/conin$", ""},
		{"go/", "go/src/com10", "src/com10"},
		{"go/", "go/src/console", "src/console"},
		{"go/", "go/src/aux_test.go", "src/aux_test.go"},
		{"go/", "go/src/auxv.go", "src/auxv.go"},
		{modPrefix, modPrefix + "src/_go.mod", "src/_go.mod"},
		{modPrefix, modPrefix, "."},
		{"", "bin/go", "bin/go"},
		{"", "/etc/passwd", ""},

		// Outside the prefix.
		{"go/", "gox/bin/go", ""},
		{"go/", "bin/go", ""},
		{"go/", "Go/bin/go", ""},
		{modPrefix, "golang.org/toolchain@v0.0.1-go1.22.6.linux-amd64/bin/go", ""},
		{"go", "go/bin", ""}, // a prefix must end in a slash

		// Escapes and tricks.
		{"go/", "go/../x", ""},
		{"go/", "go/bin/../../x", ""},
		{"go/", "go/./bin", ""},
		{"go/", "go//etc/passwd", ""},
		{"go/", "go/bin//go", ""},
		{"go/", "/go/bin/go", ""},
		{"go/", "../go/bin", ""},
		{"go/", `go/..\x`, ""},
		{"go/", `go/bin\..\..\x`, ""},
		{"go/", `C:\x`, ""},
		{"go/", "go/C:x", ""},
		{"go/", "go/c:/x", ""},
		{"go/", "go/file:stream", ""},
		{"go/", `\\server\share\x`, ""},
		{"go/", "//server/share/x", ""},
		{"go/", "go/a\x00b", ""},
		{"go/", "go/a\nb", ""},
		{"go/", "go/a\x7fb", ""},
		{"go/", "go/a<b", ""},
		{"go/", "go/a?b", ""},
		{"go/", "go/a*b", ""},
		{"go/", `go/a"b`, ""},
		{"go/", "go/a|b", ""},
		{"go/", "go/trailing.", ""},
		{"go/", "go/trailing ", ""},
		{"go/", "go/dir./x", ""},
		{"go/", "", ""},
	}
	for _, tt := range tests {
		got, err := CheckPath(tt.prefix, tt.name)
		if tt.want == "" {
			if err == nil {
				t.Errorf("CheckPath(%q, %q) = %q, want an error", tt.prefix, tt.name, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("CheckPath(%q, %q) = %q, %v; want %q", tt.prefix, tt.name, got, err, tt.want)
		}
	}
}

// TestCheckPathGOROOT checks that every name in the Go installation running
// this test would pass: a real SDK tree must never be refused.
func TestCheckPathGOROOT(t *testing.T) {
	root := runtime.GOROOT()
	if root == "" {
		t.Skip("no GOROOT")
	}
	if _, err := os.Stat(filepath.Join(root, "src", "runtime")); err != nil {
		t.Skipf("GOROOT %s has no sources: %v", root, err)
	}
	c := newChecker(Options{StripPrefix: "go/", MaxFiles: -1, MaxTotalSize: -1}, "GOROOT")
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil || rel == "." {
			return err
		}
		name := "go/" + filepath.ToSlash(rel)
		k := kindFile
		switch {
		case d.IsDir():
			k, name = kindDir, name+"/"
		case d.Type()&fs.ModeSymlink != 0:
			return nil // not in release archives
		}
		if _, _, err := c.check(name, k, 0); err != nil {
			t.Error(err)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d names checked", n)
}

func FuzzCheckPath(f *testing.F) {
	for _, s := range []string{
		"go/bin/go", "go/", "go/../x", `go\x`, "go/C:x", "go/con", "go/a/./b",
		`\\server\share`, "/abs", "go//x", "go/x.", "go/COM¹.txt",
	} {
		f.Add("go/", s)
	}
	f.Add("golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64/", "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64/bin/go")
	f.Fuzz(func(t *testing.T, prefix, name string) {
		rel, err := CheckPath(prefix, name)
		if err != nil {
			return
		}
		if !filepath.IsLocal(rel) {
			t.Fatalf("CheckPath(%q, %q) = %q, which is not local", prefix, name, rel)
		}
		if strings.Contains(rel, `\`) || strings.Contains(rel, "..") && hasDotDotElem(rel) {
			t.Fatalf("CheckPath(%q, %q) = %q", prefix, name, rel)
		}
		if rel != "." && prefix+rel != strings.TrimSuffix(name, "/") {
			t.Fatalf("CheckPath(%q, %q) = %q, which is not the name minus the prefix", prefix, name, rel)
		}
	})
}

func hasDotDotElem(rel string) bool {
	for e := range strings.SplitSeq(rel, "/") {
		if e == ".." {
			return true
		}
	}
	return false
}
