package shim

import (
	"errors"
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

func TestSelect(t *testing.T) {
	const (
		mod122   = "module example.com/m\n\ngo 1.22.3\n"
		modTC    = "module example.com/m\n\ngo 1.21\n\ntoolchain go1.23.1\n"
		modTCDef = "module example.com/m\n\ngo 1.21.4\ntoolchain default\n"
		modSfx   = "module example.com/m\ngo 1.21\ntoolchain go1.21.3-bigcorp\n"
		work123  = "go 1.23.0\n\nuse ./a\n"
	)
	tests := []struct {
		name    string
		files   map[string]string
		dir     string            // working folder, relative
		env     map[string]string // GOWORK values may use $ROOT
		args    []string
		global  string
		want    string // Selection.Version
		min     string
		kind    string
		path    string // source path relative to root, "" for none
		wantErr string
	}{
		{name: "GOVER_VERSION beats everything", files: map[string]string{".go-version": "1.21.0", "go.mod": modTC}, env: map[string]string{"GOVER_VERSION": "1.22.5", "GOTOOLCHAIN": "go1.20.1"}, want: "go1.22.5", kind: FromGoverVersion},
		{name: "GOVER_VERSION partial", env: map[string]string{"GOVER_VERSION": "go1.22"}, want: "go1.22", kind: FromGoverVersion},
		{name: "GOVER_VERSION invalid", env: map[string]string{"GOVER_VERSION": "../../etc"}, wantErr: "GOVER_VERSION"},
		{name: "GOTOOLCHAIN release", files: map[string]string{".go-version": "1.21.0"}, env: map[string]string{"GOTOOLCHAIN": "go1.22.5"}, want: "go1.22.5", kind: FromGOTOOLCHAIN},
		{name: "GOTOOLCHAIN +auto", env: map[string]string{"GOTOOLCHAIN": "go1.22.5+auto"}, global: "1.20", want: "go1.22.5", kind: FromGOTOOLCHAIN},
		{name: "GOTOOLCHAIN +path", env: map[string]string{"GOTOOLCHAIN": "go1.22.5+path"}, want: "go1.22.5", kind: FromGOTOOLCHAIN},
		{name: "GOTOOLCHAIN local names none", files: map[string]string{".go-version": "1.21.0"}, env: map[string]string{"GOTOOLCHAIN": "local"}, want: "go1.21.0", kind: FromGoVersion, path: ".go-version"},
		{name: "GOTOOLCHAIN auto names none", env: map[string]string{"GOTOOLCHAIN": "auto"}, global: "1.22.1", want: "go1.22.1", kind: FromGlobal},
		{name: "GOTOOLCHAIN path names none", env: map[string]string{"GOTOOLCHAIN": "path"}, global: "1.22.1", want: "go1.22.1", kind: FromGlobal},
		{name: "GOTOOLCHAIN local+auto names none", env: map[string]string{"GOTOOLCHAIN": "local+auto"}, global: "1.22.1", want: "go1.22.1", kind: FromGlobal},

		{name: "go-version here", files: map[string]string{".go-version": "1.22.5\n"}, want: "go1.22.5", kind: FromGoVersion, path: ".go-version"},
		{name: "go-version nearest wins", files: map[string]string{".go-version": "1.21.0", "a/b/.go-version": "1.22.5", "a/b/c/d/": ""}, dir: "a/b/c/d", want: "go1.22.5", kind: FromGoVersion, path: "a/b/.go-version"},
		{name: "go-version above beats closer go.mod", files: map[string]string{".go-version": "1.21.0", "a/go.mod": modTC}, dir: "a", want: "go1.21.0", kind: FromGoVersion, path: ".go-version"},
		{name: "go-version partial", files: map[string]string{".go-version": "1.22"}, want: "go1.22", kind: FromGoVersion, path: ".go-version"},
		{name: "go-version comments and CRLF", files: map[string]string{".go-version": "\ufeff# pinned for CI\r\n\r\ngo1.22.5  # latest\r\n"}, want: "go1.22.5", kind: FromGoVersion, path: ".go-version"},
		{name: "go-version hostile", files: map[string]string{".go-version": "../../../bin/sh"}, wantErr: "invalid Go version"},
		{name: "go-version two versions", files: map[string]string{".go-version": "1.22.5\n1.21.0\n"}, wantErr: "more than one"},
		{name: "go-version empty", files: map[string]string{".go-version": "# nothing\n"}, wantErr: "empty"},
		{name: "go-version directory is ignored", files: map[string]string{".go-version/x": "", "go.mod": mod122}, want: "go1.22", min: "go1.22.3", kind: FromGoLine, path: "go.mod", wantErr: ""},

		{name: "go.mod go line", files: map[string]string{"go.mod": mod122, "a/b/c/d/e/f/": ""}, dir: "a/b/c/d/e/f", want: "go1.22", min: "go1.22.3", kind: FromGoLine, path: "go.mod"},
		{name: "go.mod toolchain beats go", files: map[string]string{"go.mod": modTC}, want: "go1.23.1", kind: FromToolchain, path: "go.mod"},
		{name: "go.mod toolchain default", files: map[string]string{"go.mod": modTCDef}, want: "go1.21", min: "go1.21.4", kind: FromGoLine, path: "go.mod"},
		{name: "go.mod toolchain suffix stripped", files: map[string]string{"go.mod": modSfx}, want: "go1.21.3", kind: FromToolchain, path: "go.mod"},
		{name: "nearest go.mod wins", files: map[string]string{"go.mod": modTC, "sub/go.mod": mod122}, dir: "sub", want: "go1.22", min: "go1.22.3", kind: FromGoLine, path: "sub/go.mod"},
		{name: "go.mod without go line falls to global", files: map[string]string{"go.mod": "module m\n"}, global: "1.21.5", want: "go1.21.5", kind: FromGlobal},

		{name: "go.work beats closer go.mod", files: map[string]string{"go.work": work123, "a/go.mod": mod122}, dir: "a", want: "go1.23", min: "go1.23.0", kind: FromGoLine, path: "go.work"},
		{name: "go.work toolchain", files: map[string]string{"go.work": "go 1.22.0\ntoolchain go1.23.2\nuse ./a\n", "a/go.mod": modTC}, dir: "a", want: "go1.23.2", kind: FromToolchain, path: "go.work"},
		{name: "GOWORK=off uses go.mod", files: map[string]string{"go.work": work123, "a/go.mod": mod122}, dir: "a", env: map[string]string{"GOWORK": "off"}, want: "go1.22", min: "go1.22.3", kind: FromGoLine, path: "a/go.mod"},
		{name: "GOWORK explicit", files: map[string]string{"ws/my.work": "go 1.24.1\n", "a/go.mod": mod122}, dir: "a", env: map[string]string{"GOWORK": "$ROOT/ws/my.work"}, want: "go1.24", min: "go1.24.1", kind: FromGoLine, path: "ws/my.work"},
		{name: "GOWORK explicit ignores walked go.work", files: map[string]string{"go.work": work123, "ws/my.work": "go 1.24.1\n"}, env: map[string]string{"GOWORK": "$ROOT/ws/my.work"}, want: "go1.24", min: "go1.24.1", kind: FromGoLine, path: "ws/my.work"},
		{name: "GOWORK relative is rejected as cmd/go does", files: map[string]string{"go.mod": mod122, "x.work": "go 1.24.1\n"}, env: map[string]string{"GOWORK": "x.work"}, want: "go1.22", min: "go1.22.3", kind: FromGoLine, path: "go.mod"},

		{name: "-C moves the start", files: map[string]string{"a/.go-version": "1.21.1", "b/.go-version": "1.22.2"}, dir: "a", args: []string{"-C", "../b", "build"}, want: "go1.22.2", kind: FromGoVersion, path: "b/.go-version"},
		{name: "-C= after the command", files: map[string]string{"a/.go-version": "1.21.1", "b/.go-version": "1.22.2"}, dir: "a", args: []string{"build", "-C=../b", "."}, want: "go1.22.2", kind: FromGoVersion, path: "b/.go-version"},
		{name: "--C after mod tidy", files: map[string]string{"a/.go-version": "1.21.1", "b/.go-version": "1.22.2"}, dir: "a", args: []string{"mod", "tidy", "--C", "../b"}, want: "go1.22.2", kind: FromGoVersion, path: "b/.go-version"},
		{name: "-C later is not cmd/go's", files: map[string]string{"a/.go-version": "1.21.1", "b/.go-version": "1.22.2"}, dir: "a", args: []string{"run", ".", "-C", "../b"}, want: "go1.21.1", kind: FromGoVersion, path: "a/.go-version"},

		{name: "global", global: "1.22.5", want: "go1.22.5", kind: FromGlobal},
		{name: "global invalid", global: "banana", wantErr: "global default"},
		{name: "nothing", wantErr: ErrNoVersion.Error()},
		{name: "bad go.mod go line", files: map[string]string{"go.mod": "module m\ngo 1.22.x\n"}, wantErr: "invalid go version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := tree(t, tt.files)
			env := map[string]string{}
			for k, v := range tt.env {
				env[k] = filepath.FromSlash(strings.ReplaceAll(v, "$ROOT", filepath.ToSlash(root)))
			}
			sel, err := Select(Env{
				Getenv:   func(k string) string { return env[k] },
				Dir:      filepath.Join(root, filepath.FromSlash(tt.dir)),
				ReadFile: os.ReadFile,
				Global:   func() (string, error) { return tt.global, nil },
			}, tt.args)
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
			if sel.Version != tt.want || sel.Min != tt.min || sel.Source.Kind != tt.kind || sel.Source.Path != wantPath {
				t.Errorf("Select = %+v\nwant version %q min %q kind %q path %q", sel, tt.want, tt.min, tt.kind, wantPath)
			}
		})
	}
}

func TestSelectReadError(t *testing.T) {
	boom := errors.New("permission denied")
	_, err := Select(Env{
		Getenv:   func(string) string { return "" },
		Dir:      filepath.FromSlash("/x/y"),
		ReadFile: func(string) ([]byte, error) { return nil, boom },
	}, nil)
	if !errors.Is(err, boom) {
		t.Fatalf("Select = %v, want the read error", err)
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
	installed := []string{"go1.21.0", "go1.22.1", "go1.22.7", "go1.22.3", "go1.23rc2", "go1.20", "go1.20.4"}
	tests := []struct {
		sel  Selection
		want string
		ok   bool
	}{
		{Selection{Version: "go1.22.3"}, "go1.22.3", true},
		{Selection{Version: "go1.22.5"}, "go1.22.5", false},
		{Selection{Version: "go1.22"}, "go1.22.7", true},
		{Selection{Version: "go1.22", Min: "go1.22.5"}, "go1.22.7", true},
		{Selection{Version: "go1.22", Min: "go1.22.8"}, "go1.22", false},
		{Selection{Version: "go1.21", Min: "go1.21"}, "go1.21.0", true},
		{Selection{Version: "go1.20"}, "go1.20.4", true},
		{Selection{Version: "go1.24", Min: "go1.24.0"}, "go1.24", false},
		{Selection{Version: "go1.23", Min: "go1.23.0"}, "go1.23", false},    // rc2 is not a release
		{Selection{Version: "go1.23", Min: "go1.23rc1"}, "go1.23rc2", true}, // unless the go line asks for one
		{Selection{Version: "go1.25", Min: "go1.25rc1"}, "go1.25rc1", false},
	}
	for _, tt := range tests {
		got, ok := Resolve(tt.sel, installed)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Resolve(%+v) = %q, %v; want %q, %v", tt.sel, got, ok, tt.want, tt.ok)
		}
	}
}

func TestChildEnv(t *testing.T) {
	env := ChildEnv([]string{"PATH=/bin", "GOROOT=/old", "HOME=/h", "GOROOT=/older"}, "/sdk")
	want := []string{"PATH=/bin", "HOME=/h", "GOROOT=/sdk", "GOTOOLCHAIN=local"}
	if strings.Join(env, "\n") != strings.Join(want, "\n") {
		t.Errorf("ChildEnv = %q, want %q", env, want)
	}
	env = ChildEnv([]string{"GOTOOLCHAIN=go1.22.5+auto"}, "/sdk")
	if strings.Join(env, " ") != "GOTOOLCHAIN=go1.22.5+auto GOROOT=/sdk" {
		t.Errorf("ChildEnv kept %q", env)
	}
	env = ChildEnv([]string{"GOTOOLCHAIN="}, "/sdk")
	if strings.Join(env, " ") != "GOROOT=/sdk GOTOOLCHAIN=local" {
		t.Errorf("ChildEnv with empty GOTOOLCHAIN = %q", env)
	}
}
