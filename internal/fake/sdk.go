package fake

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/gover/gover/versions"
)

// fakeGoSource is the program installed as bin/go and bin/gofmt of a fake
// SDK. It reads its version from ../VERSION at run time, so one build serves
// every version of a platform.
const fakeGoSource = `package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

func main() {
	version := "unknown"
	if exe, err := os.Executable(); err == nil {
		if b, err := os.ReadFile(filepath.Join(filepath.Dir(exe), "..", "VERSION")); err == nil {
			version, _, _ = strings.Cut(string(b), "\n")
		}
	}
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "version" {
		fmt.Printf("go version %s %s/%s\n", version, runtime.GOOS, runtime.GOARCH)
	} else {
		stdin := false
		for _, a := range args {
			fmt.Printf("arg: %q\n", a)
			stdin = stdin || a == "-stdin"
		}
		fmt.Printf("GOROOT=%s\n", os.Getenv("GOROOT"))
		fmt.Printf("GOTOOLCHAIN=%s\n", os.Getenv("GOTOOLCHAIN"))
		if stdin {
			io.Copy(os.Stdout, os.Stdin)
		}
	}
	if v := os.Getenv("GOVER_FAKE_EXIT"); v != "" {
		// 32 bits unsigned: Windows exit codes such as 0xC000013A.
		code, err := strconv.ParseUint(v, 0, 32)
		if err != nil {
			fmt.Fprintf(os.Stderr, "bad GOVER_FAKE_EXIT %q\n", v)
			os.Exit(2)
		}
		os.Exit(int(code))
	}
}
`

// fakeGoBuilds caches the fake go binary per platform for the life of the
// test process; building it takes about a second even with a warm build
// cache, and a test suite makes hundreds of SDKs.
var fakeGoBuilds = struct {
	sync.Mutex
	path map[versions.Platform]string
}{path: map[versions.Platform]string{}}

// fakeGo returns the path of the fake go binary for p, building it on first
// use. Builds are kept in the temporary directory under a name derived from
// the source, the Go version and p, so that test processes share them.
//
// Windows tests running under Wine cannot start the host's go command, so
// there the Unix /tmp (Z:\tmp) is searched too: running the internal/fake
// tests on the host first leaves a windows/amd64 build there.
func fakeGo(t testing.TB, p versions.Platform) string {
	t.Helper()
	fakeGoBuilds.Lock()
	defer fakeGoBuilds.Unlock()
	if bin, ok := fakeGoBuilds.path[p]; ok {
		return bin
	}
	h := sha256.Sum256([]byte(fakeGoSource + "\x00" + runtime.Version() + "\x00" + p.String()))
	name := "gover-fake-go-" + hex.EncodeToString(h[:8])
	dir := filepath.Join(os.TempDir(), name)
	bin := filepath.Join(dir, "go"+p.Exe())
	candidates := []string{bin}
	if runtime.GOOS == "windows" {
		candidates = append(candidates, filepath.Join(`Z:\tmp`, name, "go"+p.Exe()))
	}
	for _, c := range candidates {
		if _, err := os.Stat(c); err == nil {
			fakeGoBuilds.path[p] = c
			return c
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.MkdirTemp(dir, "src")
	if err != nil {
		t.Fatal(err)
	}
	defer removeTree(src)
	if err := os.WriteFile(filepath.Join(src, "main.go"), []byte(fakeGoSource), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "go.mod"), []byte("module fakego\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(src, "go"+p.Exe())
	cmd := exec.Command(goTool(), "build", "-trimpath", "-ldflags=-s -w", "-o", tmp, ".")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOOS="+p.OS, "GOARCH="+p.Arch, "CGO_ENABLED=0", "GOWORK=off", "GOFLAGS=", "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the fake go for %s: %v\n%s\n(under Wine, run go test ./internal/fake on the host first)", p, err, out)
	}
	// Rename into place: a concurrent test process either sees no binary
	// or a whole one.
	if err := os.Rename(tmp, bin); err != nil {
		t.Fatal(err)
	}
	fakeGoBuilds.path[p] = bin
	return bin
}

// goTool is the go command of the toolchain running the tests, never a go
// shim that may come first on PATH.
func goTool() string {
	if root := runtime.GOROOT(); root != "" {
		bin := filepath.Join(root, "bin", "go"+exeSuffix())
		if _, err := os.Stat(bin); err == nil {
			return bin
		}
	}
	return "go"
}

func exeSuffix() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}

// SDK makes a tiny GOROOT for version (with or without the "go" prefix) and
// platform p in a fresh TempDir and returns its path. It holds
//
//	VERSION                      "go1.22.5\ntime 2024-06-27T20:11:12Z\n"
//	bin/go, bin/gofmt            the fake go program (.exe on Windows)
//	src/go.mod, src/runtime/x.go
//	pkg/tool/<os>_<arch>/compile (executable)
//	lib/wasm/go_js_wasm_exec     (executable)
//	api/, doc/, misc/, test/     one small file each; module zips leave them out
//
// The fake go prints "go version go1.22.5 <os>/<arch>" for `go version`;
// otherwise it prints each argument as `arg: "..."`, then GOROOT= and
// GOTOOLCHAIN= lines, copies stdin to stdout when one argument is -stdin,
// and exits with the code in GOVER_FAKE_EXIT (decimal or 0x hex, 32 bits) if
// set.
func SDK(t testing.TB, version string, p versions.Platform) string {
	t.Helper()
	return SDKFiles(t, version, p, 0)
}

// SDKFiles is SDK with extra small source files under src/extra/, for
// extraction tests that need many entries.
func SDKFiles(t testing.TB, version string, p versions.Platform, extra int) string {
	t.Helper()
	version = "go" + strings.TrimPrefix(version, "go")
	bin := fakeGo(t, p)
	prog, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(TempDir(t), "go")
	tool := "pkg/tool/" + p.OS + "_" + p.Arch + "/"
	files := []struct {
		name string
		data []byte
		mode fs.FileMode
	}{
		{"VERSION", []byte(version + "\ntime 2024-06-27T20:11:12Z\n"), 0o644},
		{"bin/go" + p.Exe(), prog, 0o755},
		{"bin/gofmt" + p.Exe(), prog, 0o755},
		{"src/go.mod", []byte("module std\n\ngo " + langVersion(version) + "\n"), 0o644},
		{"src/runtime/x.go", []byte("package runtime\n\nconst fakeVersion = \"" + version + "\"\n"), 0o644},
		{tool + "compile" + p.Exe(), []byte("fake compile for " + p.String() + "\n"), 0o755},
		{"lib/wasm/go_js_wasm_exec", []byte("#!/bin/sh\nexec node \"$@\"\n"), 0o755},
		{"api/go1.txt", []byte("pkg fake\n"), 0o644},
		{"doc/go_spec.html", []byte("<!-- fake -->\n"), 0o644},
		{"misc/README", []byte("fake\n"), 0o644},
		{"test/README", []byte("fake\n"), 0o644},
	}
	for i := range extra {
		files = append(files, struct {
			name string
			data []byte
			mode fs.FileMode
		}{
			fmt.Sprintf("src/extra/d%03d/f%05d.go", i/100, i),
			[]byte(fmt.Sprintf("package d%03d\n\nconst F%05d = %d\n", i/100, i, i)),
			0o644,
		})
	}
	for _, f := range files {
		name := filepath.Join(root, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, f.data, f.mode); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// langVersion turns go1.22.5 into 1.22 for the go line of src/go.mod.
func langVersion(version string) string {
	v := strings.TrimPrefix(version, "go")
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return v
	}
	minor := parts[1]
	if i := strings.IndexAny(minor, "abcdefghijklmnopqrstuvwxyz"); i >= 0 {
		minor = minor[:i]
	}
	return parts[0] + "." + minor
}

type sdkFile struct {
	rel  string // slash-separated, relative to the GOROOT
	dir  bool
	mode fs.FileMode
	path string
}

// walk lists goroot in the lexical order archive writers use.
func walk(t testing.TB, goroot string) []sdkFile {
	t.Helper()
	var out []sdkFile
	err := filepath.WalkDir(goroot, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(goroot, p)
		if err != nil || rel == "." {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		out = append(out, sdkFile{filepath.ToSlash(rel), d.IsDir(), fi.Mode(), p})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// execMode reports the mode an official archive gives a file: 0755 when
// it is executable. Files made on Windows have no exec bits, so bin/ and
// pkg/tool/ count as executable there, as in a real SDK.
func execMode(f sdkFile) int64 {
	if f.mode&0o111 != 0 || strings.HasPrefix(f.rel, "bin/") || strings.HasPrefix(f.rel, "pkg/tool/") {
		return 0o755
	}
	return 0o644
}

// TarGz packs goroot as an official .tar.gz release does: every entry under
// "go/", directories included, exec bits kept.
func TarGz(t testing.TB, goroot string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gw)
	check := func(err error) {
		if err != nil {
			t.Helper()
			t.Fatal(err)
		}
	}
	check(tw.WriteHeader(&tar.Header{Name: "go/", Typeflag: tar.TypeDir, Mode: 0o755}))
	for _, f := range walk(t, goroot) {
		if f.dir {
			check(tw.WriteHeader(&tar.Header{Name: "go/" + f.rel + "/", Typeflag: tar.TypeDir, Mode: 0o755}))
			continue
		}
		data, err := os.ReadFile(f.path)
		check(err)
		check(tw.WriteHeader(&tar.Header{Name: "go/" + f.rel, Typeflag: tar.TypeReg, Mode: execMode(f), Size: int64(len(data))}))
		_, err = tw.Write(data)
		check(err)
	}
	check(tw.Close())
	check(gw.Close())
	return buf.Bytes()
}

// Zip packs goroot as an official Windows .zip release does: every entry
// under "go/", directories included.
func Zip(t testing.TB, goroot string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range walk(t, goroot) {
		h := &zip.FileHeader{Name: "go/" + f.rel, Method: zip.Deflate}
		if f.dir {
			h.Name += "/"
			h.Method = zip.Store
			h.SetMode(fs.ModeDir | 0o755)
		} else {
			h.SetMode(fs.FileMode(execMode(f)))
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if !f.dir {
			if err := copyFile(w, f.path); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ModuleZip packs goroot as the golang.org/toolchain module version
// v0.0.1-go<version>.<os>-<arch>, the way golang/build's dl2mod does: files
// only, under "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64/", without
// api/, doc/, misc/, test/ and .github/, every go.mod stored as _go.mod, and
// no exec bits.
func ModuleZip(t testing.TB, goroot, version string, p versions.Platform) []byte {
	t.Helper()
	prefix := "golang.org/toolchain@v0.0.1-go" + strings.TrimPrefix(version, "go") + "." + p.Dashed() + "/"
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range walk(t, goroot) {
		top, _, _ := strings.Cut(f.rel, "/")
		switch top {
		case "api", "doc", "misc", "test", ".github":
			continue
		}
		if f.dir {
			continue
		}
		name := f.rel
		if path.Base(name) == "go.mod" {
			name = path.Join(path.Dir(name), "_go.mod")
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: prefix + name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if err := copyFile(w, f.path); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func copyFile(w io.Writer, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// TempDir is t.TempDir with a cleanup that also works under Wine, where
// os.RemoveAll in Go 1.26 fails ("Invalid function") on the POSIX-semantics
// delete it uses, which would fail every test that made a fake SDK.
func TempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "gover-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { removeTree(dir) })
	return dir
}

// removeTree removes dir one entry at a time, deepest first, never through
// a link. Folders are made writable first: tests plant read-only trees.
func removeTree(dir string) {
	var all []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			all = append(all, p)
			if d.IsDir() {
				os.Chmod(p, 0o755)
			}
		}
		return nil
	})
	for i := len(all) - 1; i >= 0; i-- {
		os.Remove(all[i])
	}
}
