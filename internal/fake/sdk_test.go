package fake

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gover/gover/versions"
)

func TestSDKRuns(t *testing.T) {
	host := versions.Host()
	root := SDK(t, "1.22.5", host)
	goBin := filepath.Join(root, "bin", "go"+host.Exe())

	out, err := exec.Command(goBin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "go version go1.22.5 " + host.String() + "\n"; string(out) != want {
		t.Errorf("go version = %q, want %q", out, want)
	}

	cmd := exec.Command(goBin, "build", "a b", `"q"`, "-stdin")
	cmd.Env = append(os.Environ(), "GOROOT="+root, "GOTOOLCHAIN=local")
	cmd.Stdin = strings.NewReader("piped\n")
	out, err = cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	want := "arg: \"build\"\narg: \"a b\"\narg: \"\\\"q\\\"\"\narg: \"-stdin\"\nGOROOT=" + root + "\nGOTOOLCHAIN=local\npiped\n"
	if string(out) != want {
		t.Errorf("output:\n%s\nwant:\n%s", out, want)
	}

	// The same binary serves every version: it reads ../VERSION.
	other := SDK(t, "go1.21.0", host)
	out, err = exec.Command(filepath.Join(other, "bin", "gofmt"+host.Exe()), "version").Output()
	if err != nil || string(out) != "go version go1.21.0 "+host.String()+"\n" {
		t.Errorf("gofmt version = %q, %v", out, err)
	}

	for _, tt := range []struct {
		env  string
		code int
	}{{"3", 3}, {"0x7f", 127}, {"0", 0}} {
		cmd := exec.Command(goBin, "env")
		cmd.Env = append(os.Environ(), "GOVER_FAKE_EXIT="+tt.env)
		err := cmd.Run()
		var ee *exec.ExitError
		switch {
		case tt.code == 0 && err != nil:
			t.Errorf("GOVER_FAKE_EXIT=%s: %v", tt.env, err)
		case tt.code != 0 && (!errors.As(err, &ee) || ee.ExitCode() != tt.code):
			t.Errorf("GOVER_FAKE_EXIT=%s: err = %v, want exit code %d", tt.env, err, tt.code)
		}
	}
}

func TestSDKLayout(t *testing.T) {
	win := versions.Platform{OS: "windows", Arch: "amd64"}
	root := SDKFiles(t, "1.22.5", win, 250)
	for _, name := range []string{
		"VERSION", "bin/go.exe", "bin/gofmt.exe", "src/go.mod", "src/runtime/x.go",
		"pkg/tool/windows_amd64/compile.exe", "lib/wasm/go_js_wasm_exec", "api/go1.txt",
		"src/extra/d002/f00249.go",
	} {
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(name))); err != nil {
			t.Error(err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(root, "VERSION"))
	if string(b) != "go1.22.5\ntime 2024-06-27T20:11:12Z\n" {
		t.Errorf("VERSION = %q", b)
	}
	b, _ = os.ReadFile(filepath.Join(root, "src", "go.mod"))
	if string(b) != "module std\n\ngo 1.22\n" {
		t.Errorf("src/go.mod = %q", b)
	}
	b, _ = os.ReadFile(filepath.Join(root, "bin", "go.exe"))
	if !bytes.HasPrefix(b, []byte("MZ")) {
		t.Error("bin/go.exe is not a Windows executable")
	}
}

func TestArchives(t *testing.T) {
	linux := versions.Platform{OS: "linux", Arch: "amd64"}
	root := SDK(t, "1.22.5", linux)

	tr := tar.NewReader(mustGunzip(t, TarGz(t, root)))
	names := map[string]int64{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names[h.Name] = h.Mode
	}
	if names["go/"] == 0 || names["go/bin/go"] != 0o755 || names["go/VERSION"] != 0o644 || names["go/pkg/tool/linux_amd64/compile"] != 0o755 {
		t.Errorf("tar.gz entries: %v", names)
	}

	zr := openZip(t, Zip(t, root))
	zipNames := map[string]bool{}
	for _, f := range zr.File {
		zipNames[f.Name] = true
	}
	if !zipNames["go/bin/go"] || !zipNames["go/src/go.mod"] || !zipNames["go/api/go1.txt"] {
		t.Errorf("zip entries: %v", zipNames)
	}

	const prefix = "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64/"
	zr = openZip(t, ModuleZip(t, root, "1.22.5", linux))
	modNames := map[string]bool{}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, prefix) || f.Mode()&0o111 != 0 || f.Mode().IsDir() {
			t.Errorf("module zip entry %s, mode %v", f.Name, f.Mode())
		}
		modNames[strings.TrimPrefix(f.Name, prefix)] = true
	}
	for _, name := range []string{"src/_go.mod", "bin/go", "lib/wasm/go_js_wasm_exec", "VERSION"} {
		if !modNames[name] {
			t.Errorf("module zip lacks %s", name)
		}
	}
	for _, name := range []string{"src/go.mod", "api/go1.txt", "doc/go_spec.html", "misc/README", "test/README"} {
		if modNames[name] {
			t.Errorf("module zip holds %s", name)
		}
	}
}

func mustGunzip(t *testing.T, data []byte) io.Reader {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}

func openZip(t *testing.T, data []byte) *zip.Reader {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}

func TestLangVersion(t *testing.T) {
	for in, want := range map[string]string{"go1.22.5": "1.22", "go1.21rc2": "1.21", "go1.20": "1.20", "go1": "1"} {
		if got := langVersion(in); got != want {
			t.Errorf("langVersion(%q) = %q, want %q", in, got, want)
		}
	}
}
