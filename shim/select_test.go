package shim

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gover/gover/internal/fake"
)

// tree writes files (slash-separated paths relative to a fresh folder) and
// returns the folder.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := fake.TempDir(t)
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, "/") {
			continue
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func osOpen(name string) (io.ReadCloser, error) { return os.Open(name) }

// testEnv is a selection environment over root with the given variables
// ($ROOT in values is replaced by root), global default and installed
// versions; the go env file is $ROOT/goenv unless GOENV is given.
func testEnv(root, dir string, vars map[string]string, global string, installed []string) Env {
	env := map[string]string{"GOENV": filepath.Join(root, "goenv")}
	for k, v := range vars {
		env[k] = filepath.FromSlash(strings.ReplaceAll(v, "$ROOT", filepath.ToSlash(root)))
	}
	return Env{
		Getenv:    func(k string) string { return env[k] },
		Dir:       filepath.Join(root, filepath.FromSlash(dir)),
		Open:      osOpen,
		Global:    func() (string, error) { return global, nil },
		Installed: func() []string { return installed },
	}
}

func TestSelect(t *testing.T) {
	const (
		mod122   = "module example.com/m\n\ngo 1.22.3\n"
		modTC    = "module example.com/m\n\ngo 1.21\n\ntoolchain go1.23.1\n"
		modTCDef = "module example.com/m\n\ngo 1.21.4\ntoolchain default\n"
		modSfx   = "module example.com/m\ngo 1.21\ntoolchain go1.21.3-bigcorp\n"
		modOld   = "module example.com/m\n\ngo 1.22.5\n\ntoolchain go1.21.13\n"
		mod1274  = "module example.com/m\n\ngo 1.27.4\n"
		work123  = "go 1.23.0\n\nuse ./a\n"
	)
	tests := []struct {
		name      string
		files     map[string]string
		dir       string            // working folder, relative
		env       map[string]string // values may use $ROOT
		args      []string
		global    string
		installed []string
		want      string // Selection.Version
		min       string
		kind      string
		path      string // source path relative to root, "" for none
		pin       string // Selection.Pin.Version
		why       string // part of Selection.Why; "" means Why is empty
		wantErr   string
	}{
		// Issue 12, case 1: a toolchain line older than the go line.
		{name: "toolchain older than go", files: map[string]string{"go.mod": modOld}, want: "go1.22", min: "go1.22.5", kind: FromGoLine, path: "go.mod"},
		// Issue 12, case 2: a pin below the module's requirement is raised.
		{name: "pin below go line is raised", files: map[string]string{".go-version": "1.22.5", "go.mod": mod1274}, want: "go1.27", min: "go1.27.4", kind: FromGoLine, path: "go.mod", pin: "go1.22.5", why: "requires go1.27.4 or later (its go line); " + filepath.FromSlash("$ROOT/.go-version") + " asks for go1.22.5"},
		{name: "pin below toolchain line is raised", files: map[string]string{".go-version": "1.22.5", "go.mod": modTC}, want: "go1.23.1", kind: FromToolchain, path: "go.mod", pin: "go1.22.5", why: "its toolchain line"},
		{name: "pin above requirement stays", files: map[string]string{".go-version": "1.24.0", "go.mod": modTC}, want: "go1.24.0", kind: FromGoVersion, path: ".go-version", pin: "go1.24.0"},
		{name: "global default raised", files: map[string]string{"go.mod": mod122}, global: "1.21.5", want: "go1.22", min: "go1.22.3", kind: FromGoLine, path: "go.mod", pin: "go1.21.5", why: "global default asks for go1.21.5"},
		{name: "partial pin resolved before comparing", files: map[string]string{".go-version": "1.22", "go.mod": mod122}, installed: []string{"go1.22.7"}, want: "go1.22", kind: FromGoVersion, path: ".go-version", pin: "go1.22"},
		{name: "partial pin with old patches raised", files: map[string]string{".go-version": "1.22", "go.mod": mod122}, installed: []string{"go1.22.1"}, want: "go1.22", min: "go1.22.3", kind: FromGoLine, path: "go.mod", pin: "go1.22", why: "requires go1.22.3"},
		{name: "GOVER_VERSION raised too", files: map[string]string{"go.mod": mod1274}, env: map[string]string{"GOVER_VERSION": "1.22.5"}, want: "go1.27", min: "go1.27.4", kind: FromGoLine, path: "go.mod", pin: "go1.22.5", why: "GOVER_VERSION environment variable asks for go1.22.5"},
		{name: "GOVER_VERSION beats .go-version", files: map[string]string{".go-version": "1.21.0"}, env: map[string]string{"GOVER_VERSION": "1.22.5"}, want: "go1.22.5", kind: FromGoverVersion, pin: "go1.22.5"},
		{name: "GOVER_VERSION partial", env: map[string]string{"GOVER_VERSION": "go1.22"}, want: "go1.22", kind: FromGoverVersion, pin: "go1.22"},
		{name: "GOVER_VERSION invalid", env: map[string]string{"GOVER_VERSION": "../../etc"}, wantErr: "GOVER_VERSION"},

		// Issue 12, case 4: every GOTOOLCHAIN form.
		{name: "GOTOOLCHAIN name beats GOVER_VERSION", files: map[string]string{"go.mod": mod1274}, env: map[string]string{"GOVER_VERSION": "1.27.4", "GOTOOLCHAIN": "go1.22.5"}, want: "go1.22.5", kind: FromGOTOOLCHAIN, pin: "go1.27.4", why: "GOTOOLCHAIN=go1.22.5 replaces the pin"},
		{name: "GOTOOLCHAIN name forbids switching", files: map[string]string{".go-version": "1.21.0", "go.mod": mod1274}, env: map[string]string{"GOTOOLCHAIN": "go1.22.5"}, want: "go1.22.5", kind: FromGOTOOLCHAIN, pin: "go1.21.0", why: "replaces the pin"},
		{name: "GOTOOLCHAIN +auto raised", files: map[string]string{"go.mod": mod1274}, env: map[string]string{"GOTOOLCHAIN": "go1.22.12+auto"}, want: "go1.27", min: "go1.27.4", kind: FromGoLine, path: "go.mod", why: "GOTOOLCHAIN=go1.22.12+auto asks for go1.22.12"},
		{name: "GOTOOLCHAIN +auto above requirement", files: map[string]string{"go.mod": mod122}, env: map[string]string{"GOTOOLCHAIN": "go1.22.5+auto"}, global: "1.20", want: "go1.22.5", kind: FromGOTOOLCHAIN, pin: "go1.20", why: "replaces the pin"},
		{name: "GOTOOLCHAIN +path", files: map[string]string{"go.mod": modTC}, env: map[string]string{"GOTOOLCHAIN": "go1.22.5+path"}, want: "go1.23.1", kind: FromToolchain, path: "go.mod", why: "asks for go1.22.5"},
		{name: "GOTOOLCHAIN local keeps the pin", files: map[string]string{".go-version": "1.21.0", "go.mod": mod1274}, env: map[string]string{"GOTOOLCHAIN": "local"}, want: "go1.21.0", kind: FromGoVersion, path: ".go-version", pin: "go1.21.0"},
		{name: "GOTOOLCHAIN auto raises", files: map[string]string{"go.mod": mod122}, env: map[string]string{"GOTOOLCHAIN": "auto"}, global: "1.22.1", want: "go1.22", min: "go1.22.3", kind: FromGoLine, path: "go.mod", pin: "go1.22.1", why: "global default"},
		{name: "GOTOOLCHAIN path raises", files: map[string]string{"go.mod": mod122}, env: map[string]string{"GOTOOLCHAIN": "path"}, global: "1.22.1", want: "go1.22", min: "go1.22.3", kind: FromGoLine, path: "go.mod", pin: "go1.22.1", why: "global default"},
		{name: "GOTOOLCHAIN local+auto raises", files: map[string]string{"go.mod": mod122}, env: map[string]string{"GOTOOLCHAIN": "local+auto"}, global: "1.22.1", want: "go1.22", min: "go1.22.3", kind: FromGoLine, path: "go.mod", pin: "go1.22.1", why: "global default"},
		{name: "GOTOOLCHAIN local without module", env: map[string]string{"GOTOOLCHAIN": "local"}, global: "1.22.1", want: "go1.22.1", kind: FromGlobal, pin: "go1.22.1"},
		{name: "GOTOOLCHAIN from go env -w", files: map[string]string{"goenv": "GOPROXY=x\nGOTOOLCHAIN=go1.22.5\n", ".go-version": "1.21.0"}, want: "go1.22.5", kind: FromGOTOOLCHAIN, path: "goenv", pin: "go1.21.0", why: "GOTOOLCHAIN=go1.22.5 replaces"},
		{name: "environment beats go env -w", files: map[string]string{"goenv": "GOTOOLCHAIN=go1.22.5\n"}, env: map[string]string{"GOTOOLCHAIN": "go1.21.1"}, want: "go1.21.1", kind: FromGOTOOLCHAIN},
		{name: "GOENV=off ignores the file", files: map[string]string{"goenv": "GOTOOLCHAIN=go1.22.5\n"}, env: map[string]string{"GOENV": "off"}, global: "1.21.0", want: "go1.21.0", kind: FromGlobal, pin: "go1.21.0"},
		{name: "GOTOOLCHAIN invalid", env: map[string]string{"GOTOOLCHAIN": "bash"}, wantErr: `invalid GOTOOLCHAIN "bash"`},
		{name: "GOTOOLCHAIN bad suffix", env: map[string]string{"GOTOOLCHAIN": "go1.22.5+never"}, wantErr: "only version suffixes"},
		{name: "GOTOOLCHAIN language version", env: map[string]string{"GOTOOLCHAIN": "go1.22"}, wantErr: "language version"},
		{name: "GOTOOLCHAIN suffix stripped", env: map[string]string{"GOTOOLCHAIN": "go1.21.3-bigcorp"}, want: "go1.21.3", kind: FromGOTOOLCHAIN},
		{name: "GO111MODULE=off ignores go.mod and GOTOOLCHAIN", files: map[string]string{"go.mod": mod1274}, env: map[string]string{"GO111MODULE": "off", "GOTOOLCHAIN": "go1.22.5"}, global: "1.21.0", want: "go1.21.0", kind: FromGlobal, pin: "go1.21.0", why: "GO111MODULE=off"},
		{name: "GO111MODULE=auto outside a module", env: map[string]string{"GO111MODULE": "auto", "GOTOOLCHAIN": "go1.22.5"}, global: "1.21.0", want: "go1.21.0", kind: FromGlobal, pin: "go1.21.0", why: "GO111MODULE=auto"},

		{name: "go env -w GOTOOLCHAIN runs the pin", files: map[string]string{"goenv": "GOTOOLCHAIN=go1.99.0\n", ".go-version": "1.22.5", "go.mod": mod1274}, args: []string{"env", "-w", "GOTOOLCHAIN=auto"}, want: "go1.22.5", kind: FromGoVersion, path: ".go-version", pin: "go1.22.5"},
		{name: "go env GOTOOLCHAIN runs the pin", env: map[string]string{"GOTOOLCHAIN": "go1.99.0"}, args: []string{"env", "GOTOOLCHAIN"}, global: "1.21.0", want: "go1.21.0", kind: FromGlobal, pin: "go1.21.0"},
		{name: "go env GOMOD ignores go.mod", files: map[string]string{"go.mod": mod1274}, args: []string{"env", "GOMOD"}, global: "1.21.0", want: "go1.21.0", kind: FromGlobal, pin: "go1.21.0"},
		{name: "go env GOROOT is not special", files: map[string]string{"go.mod": mod1274}, args: []string{"env", "GOROOT"}, global: "1.21.0", want: "go1.27", min: "go1.27.4", kind: FromGoLine, path: "go.mod", pin: "go1.21.0", why: "requires"},

		// Issue 12, case 6: version files users already have.
		{name: "tool-versions golang", files: map[string]string{".tool-versions": "nodejs 20.1.0\ngolang 1.22.5 1.21.0\n"}, want: "go1.22.5", kind: FromToolVersions, path: ".tool-versions", pin: "go1.22.5"},
		{name: "tool-versions go", files: map[string]string{".tool-versions": "# tools\ngo 1.22.5 # pinned\n"}, want: "go1.22.5", kind: FromToolVersions, path: ".tool-versions", pin: "go1.22.5"},
		{name: "go-version wins in the same folder", files: map[string]string{".tool-versions": "golang 1.22.5\n", ".go-version": "1.21.0"}, want: "go1.21.0", kind: FromGoVersion, path: ".go-version", pin: "go1.21.0"},
		{name: "nearest tool-versions wins", files: map[string]string{".go-version": "1.21.0", "a/.tool-versions": "golang 1.22.5\n"}, dir: "a", want: "go1.22.5", kind: FromToolVersions, path: "a/.tool-versions", pin: "go1.22.5"},
		{name: "tool-versions without go is passed over", files: map[string]string{".go-version": "1.21.0", "a/.tool-versions": "nodejs 20.1.0\n"}, dir: "a", want: "go1.21.0", kind: FromGoVersion, path: ".go-version", pin: "go1.21.0"},
		{name: "tool-versions hostile", files: map[string]string{".tool-versions": "golang ../../bin/sh\n"}, wantErr: "invalid Go version"},
		{name: "go-version UTF-16LE", files: map[string]string{".go-version": "\xff\xfe1\x00.\x002\x002\x00.\x005\x00\r\x00\n\x00"}, want: "go1.22.5", kind: FromGoVersion, path: ".go-version", pin: "go1.22.5"},
		{name: "go-version UTF-16BE", files: map[string]string{".go-version": "\xfe\xff\x001\x00.\x002\x002"}, want: "go1.22", kind: FromGoVersion, path: ".go-version", pin: "go1.22"},

		{name: "go-version here", files: map[string]string{".go-version": "1.22.5\n"}, want: "go1.22.5", kind: FromGoVersion, path: ".go-version", pin: "go1.22.5"},
		{name: "go-version nearest wins", files: map[string]string{".go-version": "1.21.0", "a/b/.go-version": "1.22.5", "a/b/c/d/": ""}, dir: "a/b/c/d", want: "go1.22.5", kind: FromGoVersion, path: "a/b/.go-version", pin: "go1.22.5"},
		{name: "go-version comments and CRLF", files: map[string]string{".go-version": "\ufeff# pinned for CI\r\n\r\ngo1.22.5  # latest\r\n"}, want: "go1.22.5", kind: FromGoVersion, path: ".go-version", pin: "go1.22.5"},
		{name: "go-version hostile", files: map[string]string{".go-version": "../../../bin/sh"}, wantErr: "invalid Go version"},
		{name: "go-version two versions", files: map[string]string{".go-version": "1.22.5\n1.21.0\n"}, wantErr: "more than one"},
		{name: "go-version empty", files: map[string]string{".go-version": "# nothing\n"}, wantErr: "empty"},
		{name: "go-version long line", files: map[string]string{".go-version": strings.Repeat("1", 5000)}, wantErr: "longer than 4 KiB"},
		{name: "go-version directory is ignored", files: map[string]string{".go-version/x": "", "go.mod": mod122}, want: "go1.22", min: "go1.22.3", kind: FromGoLine, path: "go.mod"},

		{name: "go.mod go line", files: map[string]string{"go.mod": mod122, "a/b/c/d/e/f/": ""}, dir: "a/b/c/d/e/f", want: "go1.22", min: "go1.22.3", kind: FromGoLine, path: "go.mod"},
		{name: "go.mod toolchain newer than go", files: map[string]string{"go.mod": modTC}, want: "go1.23.1", kind: FromToolchain, path: "go.mod"},
		{name: "toolchain default turns raising off", files: map[string]string{"go.mod": modTCDef}, global: "1.20.1", want: "go1.20.1", kind: FromGlobal, pin: "go1.20.1"},
		{name: "toolchain default without pin", files: map[string]string{"go.mod": modTCDef}, want: "go1.21", min: "go1.21.4", kind: FromGoLine, path: "go.mod"},
		{name: "go.mod toolchain suffix stripped", files: map[string]string{"go.mod": modSfx}, want: "go1.21.3", kind: FromToolchain, path: "go.mod"},
		{name: "first go line counts, as in cmd/go", files: map[string]string{"go.mod": "module m\ngo 1.22.1\ngo 1.23.0\n"}, want: "go1.22", min: "go1.22.1", kind: FromGoLine, path: "go.mod"},
		{name: "nearest go.mod wins", files: map[string]string{"go.mod": modTC, "sub/go.mod": mod122}, dir: "sub", want: "go1.22", min: "go1.22.3", kind: FromGoLine, path: "sub/go.mod"},
		{name: "go.mod without go line falls to global", files: map[string]string{"go.mod": "module m\n"}, global: "1.21.5", want: "go1.21.5", kind: FromGlobal, pin: "go1.21.5"},
		{name: "go.mod folder is not a go.mod", files: map[string]string{"go.mod": mod122, "a/go.mod/x": ""}, dir: "a", want: "go1.22", min: "go1.22.3", kind: FromGoLine, path: "go.mod"},

		{name: "go.work beats closer go.mod", files: map[string]string{"go.work": work123, "a/go.mod": mod122}, dir: "a", want: "go1.23", min: "go1.23.0", kind: FromGoLine, path: "go.work"},
		{name: "go.work toolchain", files: map[string]string{"go.work": "go 1.22.0\ntoolchain go1.23.2\nuse ./a\n", "a/go.mod": modTC}, dir: "a", want: "go1.23.2", kind: FromToolchain, path: "go.work"},
		{name: "GOWORK=off uses go.mod", files: map[string]string{"go.work": work123, "a/go.mod": mod122}, dir: "a", env: map[string]string{"GOWORK": "off"}, want: "go1.22", min: "go1.22.3", kind: FromGoLine, path: "a/go.mod"},
		{name: "GOWORK=off from go env -w", files: map[string]string{"goenv": "GOWORK=off\n", "go.work": work123, "a/go.mod": mod122}, dir: "a", want: "go1.22", min: "go1.22.3", kind: FromGoLine, path: "a/go.mod"},
		{name: "GOWORK explicit", files: map[string]string{"ws/my.work": "go 1.24.1\n", "a/go.mod": mod122}, dir: "a", env: map[string]string{"GOWORK": "$ROOT/ws/my.work"}, want: "go1.24", min: "go1.24.1", kind: FromGoLine, path: "ws/my.work"},
		{name: "GOWORK explicit ignores walked go.work", files: map[string]string{"go.work": work123, "ws/my.work": "go 1.24.1\n"}, env: map[string]string{"GOWORK": "$ROOT/ws/my.work"}, want: "go1.24", min: "go1.24.1", kind: FromGoLine, path: "ws/my.work"},
		{name: "GOWORK explicit missing uses go.mod", files: map[string]string{"go.mod": mod122}, env: map[string]string{"GOWORK": "$ROOT/none.work"}, want: "go1.22", min: "go1.22.3", kind: FromGoLine, path: "go.mod"},
		{name: "GOWORK relative is an error as in cmd/go", files: map[string]string{"go.mod": mod122}, env: map[string]string{"GOWORK": "x.work"}, wantErr: "not an absolute path"},

		{name: "-C moves the start", files: map[string]string{"a/.go-version": "1.21.1", "b/.go-version": "1.22.2"}, dir: "a", args: []string{"-C", "../b", "build"}, want: "go1.22.2", kind: FromGoVersion, path: "b/.go-version", pin: "go1.22.2"},
		{name: "-C= after the command", files: map[string]string{"a/.go-version": "1.21.1", "b/.go-version": "1.22.2"}, dir: "a", args: []string{"build", "-C=../b", "."}, want: "go1.22.2", kind: FromGoVersion, path: "b/.go-version", pin: "go1.22.2"},
		{name: "-C later is not cmd/go's", files: map[string]string{"a/.go-version": "1.21.1", "b/.go-version": "1.22.2"}, dir: "a", args: []string{"run", ".", "-C", "../b"}, want: "go1.21.1", kind: FromGoVersion, path: "a/.go-version", pin: "go1.21.1"},

		{name: "global", global: "1.22.5", want: "go1.22.5", kind: FromGlobal, pin: "go1.22.5"},
		{name: "global invalid", global: "banana", wantErr: "global default"},
		{name: "nothing", wantErr: ErrNoVersion.Error()},
		{name: "bad go.mod go line", files: map[string]string{"go.mod": "module m\ngo 1.22.x\n"}, wantErr: "invalid go line"},
		{name: "bad go.mod toolchain line", files: map[string]string{"go.mod": "module m\ngo 1.22.1\ntoolchain 1.22.5\n"}, wantErr: "invalid toolchain line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := tree(t, tt.files)
			sel, err := Select(testEnv(root, tt.dir, tt.env, tt.global, tt.installed), tt.args)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Select = %+v, %v; want error containing %q", sel, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			wantPath := ""
			if tt.path != "" {
				wantPath = filepath.Join(root, filepath.FromSlash(tt.path))
			}
			if sel.Version != tt.want || sel.Min != tt.min || sel.Source.Kind != tt.kind || sel.Source.Path != wantPath || sel.Pin.Version != tt.pin {
				t.Errorf("Select = %+v\nwant version %q min %q kind %q path %q pin %q", sel, tt.want, tt.min, tt.kind, wantPath, tt.pin)
			}
			why := strings.ReplaceAll(tt.why, "$ROOT", root)
			if why == "" && sel.Why != "" || why != "" && !strings.Contains(sel.Why, why) {
				t.Errorf("Why = %q, want %q", sel.Why, why)
			}
		})
	}
}

// TestSelectNamesEveryFile: current lists the pin file, the module file
// and the go env file that took part.
func TestSelectNamesEveryFile(t *testing.T) {
	root := tree(t, map[string]string{".go-version": "1.22.5", "go.mod": "module m\ngo 1.27.4\n", "goenv": "GOTOOLCHAIN=path\n", "a/": ""})
	sel, err := Select(testEnv(root, "a", nil, "", nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(root, ".go-version"), filepath.Join(root, "go.mod"), filepath.Join(root, "goenv")}
	if strings.Join(sel.Files, "\n") != strings.Join(want, "\n") || sel.GOTOOLCHAIN != "path" || sel.GOTOOLCHAINFile != want[2] {
		t.Errorf("Files = %q, GOTOOLCHAIN %q from %q; want %q", sel.Files, sel.GOTOOLCHAIN, sel.GOTOOLCHAINFile, want)
	}
}

// TestSelectBigFiles: a go.mod over 1 MiB is read (issue 12 case 5) with
// its go line past the first MiB, and a 200 MB .go-version is refused
// after at most 64 KiB, never read whole.
func TestSelectBigFiles(t *testing.T) {
	big := "module m\n" + strings.Repeat("// "+strings.Repeat("x", 100)+"\n", 12000) + strings.Repeat("x", 10000) + "\ngo 1.22.3\n"
	if len(big) <= 1<<20 {
		t.Fatal("go.mod not big enough")
	}
	root := tree(t, map[string]string{"go.mod": big})
	sel, err := Select(testEnv(root, "", nil, "", nil), nil)
	if err != nil || sel.Min != "go1.22.3" {
		t.Fatalf("Select with a %d-byte go.mod = %+v, %v", len(big), sel, err)
	}

	var n countReader
	n.r = io.LimitReader(zeros{}, 200<<20)
	if _, err := readGoVersion(&n); err == nil {
		t.Error("a 200 MB .go-version was accepted")
	}
	if n.n > 2*maxVersionFile {
		t.Errorf("read %d bytes of a 200 MB .go-version", n.n)
	}
	n = countReader{r: io.LimitReader(repeat("# comment\n"), 200<<20)}
	if _, err := readGoVersion(&n); err == nil || n.n > 2*maxVersionFile {
		t.Errorf("200 MB of comments: %v after %d bytes", err, n.n)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

type repeat string

func (r repeat) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], r)
	}
	return n, nil
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// TestSelectUnreadable: a file that exists but cannot be read is an error
// naming it, in the shim and the CLI alike (they share this code); cmd/go
// also stops on an unreadable go.mod. A name that cannot even be stat'ed
// (a link in a loop) counts as absent, as cmd/go's walk up counts it.
func TestSelectUnreadable(t *testing.T) {
	boom := errors.New("permission denied")
	for _, name := range []string{".go-version", ".tool-versions", "go.mod", "go.work"} {
		root := tree(t, map[string]string{name: "go 1.22.5\n"})
		env := testEnv(root, "", nil, "1.22.5", nil)
		bad := filepath.Join(root, name)
		env.Open = func(p string) (io.ReadCloser, error) {
			if p == bad {
				return nil, &fs.PathError{Op: "open", Path: p, Err: boom}
			}
			return os.Open(p)
		}
		_, err := Select(env, nil)
		if !errors.Is(err, boom) || !strings.Contains(err.Error(), bad) {
			t.Errorf("%s unreadable: Select = %v, want the read error naming it", name, err)
		}
	}
	root := tree(t, map[string]string{"go.mod": "module m\ngo 1.22.3\n", "a/": ""})
	for _, name := range []string{".go-version", ".tool-versions", "go.mod", "go.work"} {
		if err := os.Symlink(name, filepath.Join(root, "a", name)); err != nil {
			t.Skipf("no symbolic links: %v", err)
		}
	}
	sel, err := Select(testEnv(root, "a", nil, "", nil), nil)
	if err != nil || sel.Min != "go1.22.3" || sel.Source.Path != filepath.Join(root, "go.mod") {
		t.Errorf("links in a loop: Select = %+v, %v; want the go.mod above", sel, err)
	}
}

func TestParseSpec(t *testing.T) {
	good := map[string]string{
		"1.22.5": "go1.22.5", "go1.22.5": "go1.22.5", "1.22": "go1.22", "go1.22": "go1.22",
		"1.23rc1": "go1.23rc1", "1.23beta2": "go1.23beta2", "1.21.0": "go1.21.0",
		"1.20": "go1.20", "1.20.0": "go1.20", "1.20.3": "go1.20.3", "go1.21.3-bigcorp": "go1.21.3",
	}
	for in, want := range good {
		if got, err := ParseSpec(in); err != nil || got != want {
			t.Errorf("ParseSpec(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "go", "1", "go1", "latest", "1.22.5 ", "v1.22.5", "1.22.5/..", "../1.22", `1.22\..`, "1.022", "1.22.5.1",
		"1.22rc", "1.22.x", "~1.22", "1.22.5\x00", "1.22.5\n", strings.Repeat("1", 40), "-bigcorp", "1.22.5+auto", "C:1.22"} {
		if got, err := ParseSpec(in); err == nil {
			t.Errorf("ParseSpec(%q) = %q, want error", in, got)
		}
	}
}

func TestChdirFlag(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, ""},
		{[]string{"-C", "d"}, "d"},
		{[]string{"-C=d", "build"}, "d"},
		{[]string{"build", "-C", "d"}, "d"},
		{[]string{"build", "--C=d"}, "d"},
		{[]string{"mod", "tidy", "-C", "d"}, "d"},
		{[]string{"work", "sync", "-C=d"}, "d"},
		{[]string{"build", "-C"}, ""},
		{[]string{"build", "-v", "-C", "d"}, ""},
		{[]string{"run", "x.go", "-C", "d"}, ""},
		{[]string{"version"}, ""},
	}
	for _, tt := range tests {
		if got := chdirFlag(tt.args); got != tt.want {
			t.Errorf("chdirFlag(%q) = %q, want %q", tt.args, got, tt.want)
		}
	}
}

func TestResolve(t *testing.T) {
	installed := []string{"go1.21.0", "go1.22.1", "go1.22.7", "go1.22.3", "go1.23rc2", "go1.20", "go1.20.4", "go1.22.10"}
	tests := []struct {
		r    Request
		want string
		ok   bool
	}{
		{Request{Version: "go1.22.3"}, "go1.22.3", true},
		{Request{Version: "go1.22.5"}, "go1.22.5", false},
		{Request{Version: "go1.22"}, "go1.22.10", true}, // not a string comparison: 10 > 7
		{Request{Version: "go1.22", Min: "go1.22.5"}, "go1.22.10", true},
		{Request{Version: "go1.22", Min: "go1.22.11"}, "go1.22", false},
		{Request{Version: "go1.21", Min: "go1.21"}, "go1.21.0", true},
		{Request{Version: "go1.20"}, "go1.20.4", true},
		{Request{Version: "go1.24", Min: "go1.24.0"}, "go1.24", false},
		{Request{Version: "go1.23", Min: "go1.23.0"}, "go1.23", false},    // rc2 is not a release
		{Request{Version: "go1.23", Min: "go1.23rc1"}, "go1.23rc2", true}, // unless the go line asks for one
		{Request{Version: "go1.25", Min: "go1.25rc1"}, "go1.25rc1", false},
	}
	for _, tt := range tests {
		got, ok := Resolve(tt.r, installed)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Resolve(%+v) = %q, %v; want %q, %v", tt.r, got, ok, tt.want, tt.ok)
		}
	}
}

func TestBelow(t *testing.T) {
	for _, tt := range []struct {
		pin, req Request
		want     bool
	}{
		{Request{Version: "go1.22.5"}, Request{Version: "go1.27", Min: "go1.27.4"}, true},
		{Request{Version: "go1.27.4"}, Request{Version: "go1.27", Min: "go1.27.4"}, false},
		{Request{Version: "go1.22.10"}, Request{Version: "go1.22.9"}, false},
		{Request{Version: "go1.22.9"}, Request{Version: "go1.22.10"}, true},
		{Request{Version: "go1.22"}, Request{Version: "go1.22", Min: "go1.22.3"}, false},
		{Request{Version: "go1.21"}, Request{Version: "go1.22", Min: "go1.22.3"}, true},
	} {
		if got := Below(tt.pin, tt.req); got != tt.want {
			t.Errorf("Below(%v, %v) = %v", tt.pin, tt.req, got)
		}
	}
}

func TestShimEnv(t *testing.T) {
	bin := filepath.FromSlash("/g/bin")
	sep := string(os.PathListSeparator)
	env := shimEnv([]string{"PATH=/usr/bin", "GOROOT=/old", "HOME=/h", "GOROOT=/older"}, "/sdk", false, bin)
	want := []string{"PATH=/usr/bin" + sep + bin, "HOME=/h", "GOROOT=/sdk", "GOTOOLCHAIN=path"}
	if strings.Join(env, "\n") != strings.Join(want, "\n") {
		t.Errorf("shimEnv = %q, want %q", env, want)
	}
	// The user's GOTOOLCHAIN passes untouched; so does a PATH that has bin.
	env = shimEnv([]string{"GOTOOLCHAIN=go1.22.5+auto", "PATH=" + bin + sep + "/usr/bin"}, "/sdk", false, bin)
	if strings.Join(env, " ") != "GOTOOLCHAIN=go1.22.5+auto PATH="+bin+sep+"/usr/bin GOROOT=/sdk" {
		t.Errorf("shimEnv kept %q", env)
	}
	// Set with go env -w: go reads it there, so nothing is added.
	env = shimEnv([]string{"GOTOOLCHAIN=", "PATH="}, "/sdk", true, bin)
	if strings.Join(env, " ") != "PATH="+bin+" GOROOT=/sdk" {
		t.Errorf("shimEnv with the go env -w GOTOOLCHAIN = %q", env)
	}
}

func TestChildEnv(t *testing.T) {
	env := ChildEnv([]string{"PATH=/bin", "GOROOT=/old", "HOME=/h", "GOROOT=/older"}, "/sdk")
	want := []string{"PATH=/bin", "HOME=/h", "GOROOT=/sdk", "GOTOOLCHAIN=local"}
	if strings.Join(env, "\n") != strings.Join(want, "\n") {
		t.Errorf("ChildEnv = %q, want %q", env, want)
	}
}

// TestInDirIsJoin checks the walk's path building against filepath.Join
// for the clean folders the walk visits, roots included.
func TestInDirIsJoin(t *testing.T) {
	dirs := []string{".", "a", "a/b", "/", "/a", "/a/b/c", `C:\`, `C:\a\b`, `\\host\share`, `\\host\share\`, `\\host\share\a`, "C:", "C:a"}
	for _, d := range dirs {
		d = filepath.Clean(filepath.FromSlash(d))
		for _, name := range []string{".go-version", ".tool-versions", "go.work", "go.mod"} {
			if got, want := inDir(d, name), filepath.Join(d, name); got != want {
				t.Errorf("inDir(%q, %q) = %q, want %q", d, name, got, want)
			}
		}
	}
}
