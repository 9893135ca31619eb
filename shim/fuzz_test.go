package shim

import (
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"

	"github.com/gover/gover/versions"
)

// checkName fails unless name is safe to join onto the store's sdk folder
// and agrees with the versions package.
func checkName(t *testing.T, in, name string) {
	t.Helper()
	if !strings.HasPrefix(name, "go") || strings.Trim(name[2:], "0123456789.rcbeta") != "" ||
		filepath.Base(name) != name || strings.Contains(name, "..") {
		t.Fatalf("%q gave unsafe name %q", in, name)
	}
	if _, err := versions.Parse(name); err != nil {
		t.Fatalf("%q gave %q, which versions.Parse rejects: %v", in, name, err)
	}
}

func FuzzParseGoVersionFile(f *testing.F) {
	for _, s := range []string{"1.22.5\n", "go1.22\r\n", "# c\n\n1.23rc1 # x\n", "\ufeff1.20", "../../x", "1.22.5\n1.22.6", "", "1.21.3-bigcorp"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		name, err := ParseGoVersionFile(data)
		if err != nil {
			return
		}
		checkName(t, string(data), name)
	})
}

// FuzzScanModFile checks the shim's go.mod/go.work line scanner against
// golang.org/x/mod/modfile on every input modfile accepts.
func FuzzScanModFile(f *testing.F) {
	for _, s := range []string{
		"module m\n\ngo 1.22.3\n",
		"module m\ngo 1.21\ntoolchain go1.23.1\n",
		"module m\ngo 1.21 // comment\ntoolchain default\n",
		"module m\n// go 1.19\ngo 1.20\n",
		"module m\ngo 1.21\ntoolchain go1.21.3-bigcorp\n",
		"module m\nrequire (\n\tgo 1.0\n)\ngo 1.22rc1\n",
		"module m\r\ngo 1.22.0\r\n",
		"module m\ngo (\n\t1.22\n)\n",
		"go 1.23.0\nuse ./a\n",
		"go 1.22\ntoolchain go1.22.4\nuse (\n\t./a\n\t./b\n)\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		goLine, toolchain, err := ScanModFile(data)
		if err == nil {
			if goLine != "" {
				checkName(t, string(data), goLine)
			}
			if toolchain != "" && toolchain != "default" {
				checkName(t, string(data), toolchain)
			}
		}
		want := func(g, tc string) {
			t.Helper()
			if g != "" {
				g = "go" + g
			}
			if tc != "" && tc != "default" {
				tc, _, _ = strings.Cut(tc, "-")
				if n, perr := ParseSpec(tc); perr == nil {
					tc = n
				}
			}
			if err != nil || goLine != g || toolchain != tc {
				t.Fatalf("ScanModFile(%q) = %q, %q, %v; modfile says go %q toolchain %q", data, goLine, toolchain, err, g, tc)
			}
		}
		if mf, merr := modfile.Parse("go.mod", data, nil); merr == nil && validFor(mf.Go, mf.Toolchain) {
			g, tc := "", ""
			if mf.Go != nil {
				g = mf.Go.Version
			}
			if mf.Toolchain != nil {
				tc = mf.Toolchain.Name
			}
			want(g, tc)
		}
		if wf, werr := modfile.ParseWork("go.work", data, nil); werr == nil && validFor(wf.Go, wf.Toolchain) {
			g, tc := "", ""
			if wf.Go != nil {
				g = wf.Go.Version
			}
			if wf.Toolchain != nil {
				tc = wf.Toolchain.Name
			}
			want(g, tc)
		}
	})
}

// validFor reports whether modfile's go and toolchain values are versions
// a Go release could name; modfile's syntax check is looser than that
// (it takes "1.22.0rc1", "go1.22.x") and cmd/go rejects the rest later.
func validFor(g *modfile.Go, tc *modfile.Toolchain) bool {
	if g != nil {
		if _, err := versions.Parse(g.Version); err != nil {
			return false
		}
	}
	if tc != nil && tc.Name != "default" {
		name, _, _ := strings.Cut(tc.Name, "-")
		if !strings.HasPrefix(name, "go") {
			return false
		}
		if _, err := versions.Parse(name); err != nil {
			return false
		}
	}
	return true
}

// FuzzSelectEnv feeds arbitrary GOVER_VERSION, GOTOOLCHAIN, GOWORK and -C
// values to Select over an in-memory tree: it must never panic, and what
// it selects must be a safe store name.
func FuzzSelectEnv(f *testing.F) {
	f.Add("", "go1.22.5+auto", "", "-C", "sub")
	f.Add("1.22", "local", "off", "build", "-C=..")
	f.Add("../x", "go1.21.3-bigcorp+path", "/w/go.work", "mod", "tidy")
	files := map[string]string{
		filepath.FromSlash("/w/go.work"):           "go 1.23.0\n",
		filepath.FromSlash("/w/p/go.mod"):          "module p\ngo 1.22.1\ntoolchain go1.22.9\n",
		filepath.FromSlash("/w/p/sub/.go-version"): "1.21\n",
	}
	f.Fuzz(func(t *testing.T, goverVersion, gotoolchain, gowork, a0, a1 string) {
		env := map[string]string{"GOVER_VERSION": goverVersion, "GOTOOLCHAIN": gotoolchain, "GOWORK": gowork}
		sel, err := Select(Env{
			Getenv: func(k string) string { return env[k] },
			Dir:    filepath.FromSlash("/w/p"),
			Open: func(p string) (io.ReadCloser, error) {
				if d, ok := files[filepath.Clean(p)]; ok {
					return io.NopCloser(strings.NewReader(d)), nil
				}
				return nil, fs.ErrNotExist
			},
			Global: func() (string, error) { return "1.20", nil },
		}, []string{a0, a1})
		if err != nil {
			return
		}
		checkName(t, goverVersion+"|"+gotoolchain, sel.Version)
	})
}
