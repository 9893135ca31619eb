package tools

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/semver"
)

// The compat.go files in testdata/delve are Delve's own, copied from the
// module proxy (MIT licence): the parser must read what Delve ships.
func TestParseDelveCompat(t *testing.T) {
	for _, tc := range []struct {
		file string
		want DelveSupport
	}{
		{"compat-v1.20.0.go.txt", DelveSupport{MinGo: "1.18", MaxGo: "1.20"}},
		{"compat-v1.22.1.go.txt", DelveSupport{MinGo: "1.19", MaxGo: "1.22"}},
		{"compat-v1.27.2.go.txt", DelveSupport{MinGo: "1.25", MaxGo: "1.27", DWARF5BuildGo: "1.25", VersionedDevel: true}},
	} {
		src, err := os.ReadFile(filepath.Join("testdata", "delve", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseDelveCompat(src)
		if err != nil || got != tc.want {
			t.Errorf("%s: got %+v, %v; want %+v", tc.file, got, err, tc.want)
		}
		v := strings.TrimSuffix(strings.TrimPrefix(tc.file, "compat-"), ".go.txt")
		tc.want.Version = v
		if r, ok := DelveRange(v); !ok || r != tc.want {
			t.Errorf("DelveTable for %s = %+v, %v; want %+v (regenerate: go generate ./tools)", v, r, ok, tc.want)
		}
	}
	if _, err := ParseDelveCompat([]byte("package goversion\nvar MinSupportedVersionOfGoMajor = 1\n")); err == nil {
		t.Error("a compat.go without the constants parsed")
	}
}

func TestDelveTableSorted(t *testing.T) {
	if len(DelveTable) < 20 {
		t.Fatalf("DelveTable has %d releases", len(DelveTable))
	}
	for i := 1; i < len(DelveTable); i++ {
		if semver.Compare(DelveTable[i-1].Version, DelveTable[i].Version) >= 0 {
			t.Errorf("%s before %s", DelveTable[i-1].Version, DelveTable[i].Version)
		}
	}
}

func TestDelveProblem(t *testing.T) {
	for _, tc := range []struct {
		dlv, built, goV string
		want            string // substring of the problem; "" = accepted
		known           bool
	}{
		{"v1.22.1", "go1.22.5", "go1.22.5", "", true},
		{"v1.22.1", "go1.22.5", "go1.19.13", "", true},
		{"v1.22.1", "go1.22.5", "go1.19beta1", "", true}, // betaRev(0): a prerelease of the minimum minor is accepted
		{"v1.22.1", "go1.22.5", "go1.18.10", "too old", true},
		{"v1.22.1", "go1.22.5", "go1.23.0", "too old for Go version go1.23.0", true},
		{"v1.22.1", "go1.22.5", "go1.23rc1", "too old for Go version go1.23rc1", true}, // next minor's prereleases are refused
		{"v1.22.1", "go1.22.5", "go1.26.8", "supports Go 1.19 to 1.22", true},
		{"v1.22.1", "go1.22.5", "devel +abcdef Tue Jan 1", "", true},
		{"v1.22.1", "go1.22.5", "devel go1.27-abcdef", "", true}, // before IsOldDevel: every devel build passes
		{"v1.27.2", "go1.26.8", "devel +abcdef Tue Jan 1", "", true},
		{"v1.27.2", "go1.26.8", "devel go1.28-abcdef", "", true}, // the minor after the maximum: Delve's own dev cycle
		{"v1.27.2", "go1.26.8", "go1.28-devel_abcdef", "", true}, // the go1.25+ spelling
		{"v1.27.2", "go1.26.8", "devel go1.29-abcdef", "too old for Go", true},
		{"v1.27.2", "go1.26.8", "devel go1.25-abcdef", "too old for it", true}, // a devel build ranks below the minimum minor's betas
		{"v1.27.2", "go1.26.8", "devel go1.26-abcdef", "", true},
		{"v1.25.0", "go1.24.5", "go1.25.1", "1.21 to 1.24", true},
		{"v1.25.1", "go1.24.5", "go1.25.1", "DWARFv5", true}, // built with a Go older than its check wants
		{"v1.25.1", "go1.25.0", "go1.25.1", "", true},
		{"v1.25.1", "go1.24.5", "go1.24.5", "", true}, // go1.24 writes DWARF 4
		{"v1.24.1", "go1.23.0", "go1.24.5", "", true}, // v1.24.1 has no DWARFv5 check
		{"v1.24.2", "go1.23.0", "go1.24.5", "", true},
		{"v1.27.2", "go1.26.8", "go1.26.8", "", true},
		{"v1.27.2", "go1.26.8", "go1.24.9", "too old", true},
		{"v1.22.2", "go1.22.5", "go1.23.0", "1.19 to 1.22", true}, // missing from the table: v1.22.1's range
		{"v1.22.2-0.20240101000000-abcdefabcdef", "go1.22.5", "go1.22.0", "", true},
		{"v1.99.0", "go1.30.0", "go1.30.0", "", false},
		{"(devel)", "go1.22.5", "go1.22.5", "", false},
	} {
		got, known := DelveProblem(tc.dlv, tc.built, tc.goV)
		if known != tc.known || (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("DelveProblem(%s, %s, %s) = %q, %v; want %q, %v", tc.dlv, tc.built, tc.goV, got, known, tc.want, tc.known)
		}
	}
}

func TestDelveFor(t *testing.T) {
	for _, tc := range []struct{ goV, line, want string }{
		{"go1.22.5", "", "v1.22.0"},
		{"go1.25.1", "", "v1.25.1"},
		{"go1.26.8", "", "v1.26.0"},
		{"go1.99.0", "", "latest"},
		{"go1.26.8", "v1.22", ""},
		{"go1.25.0", "v1.25", "v1.25.1"},
	} {
		if got := DelveFor(tc.goV, tc.line); got != tc.want {
			t.Errorf("DelveFor(%s, %q) = %q, want %q", tc.goV, tc.line, got, tc.want)
		}
	}
}

// TestDelveTableMatchesSource downloads every release in DelveTable from the
// module proxy and parses its compat.go again, and fails when the proxy
// lists a release the table lacks (run go generate ./tools).
func TestDelveTableMatchesSource(t *testing.T) {
	if os.Getenv("GOVER_E2E_NETWORK") != "1" {
		t.Skip("set GOVER_E2E_NETWORK=1 to read Delve's sources from the module proxy")
	}
	env := append(os.Environ(), "GOMODCACHE="+t.TempDir(), "GOFLAGS=-modcacherw")
	for _, want := range DelveTable {
		cmd := exec.Command("go", "mod", "download", "-json", DelveModule+"@"+want.Version)
		cmd.Env = env
		out, err := cmd.Output()
		var m struct{ Dir string }
		if err == nil {
			err = json.Unmarshal(out, &m)
		}
		if err != nil {
			t.Errorf("%s: %v\n%s", want.Version, err, out)
			continue
		}
		src, err := os.ReadFile(filepath.Join(m.Dir, "pkg", "goversion", "compat.go"))
		if err != nil {
			t.Errorf("%s: %v", want.Version, err)
			continue
		}
		got, err := ParseDelveCompat(src)
		got.Version = want.Version
		if err != nil || got != want {
			t.Errorf("%s: compat.go says %+v (%v); DelveTable has %+v", want.Version, got, err, want)
		}
	}
	list := exec.Command("go", "list", "-m", "-versions", DelveModule)
	list.Env = env
	out, err := list.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range strings.Fields(string(out))[1:] {
		if semver.Prerelease(v) == "" {
			if r, ok := DelveRange(v); !ok || r.Version != v {
				t.Errorf("the proxy lists Delve %s, missing from DelveTable: go generate ./tools", v)
			}
		}
	}
}
