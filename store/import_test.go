package store

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/versions"
)

func TestImport(t *testing.T) {
	s := newStore(t)
	goroot := filepath.Join(tempDir(t), "go")
	writeFakeGOROOT(t, goroot, "go1.21.0")
	m, err := s.Import(context.Background(), goroot)
	if err != nil {
		t.Fatal(err)
	}
	want := Manifest{Schema: 1, Version: "1.21.0", GOROOT: goroot, Platform: versions.Host().String(), Imported: true,
		Source: Source{Kind: SourceImport, URL: goroot}, Trust: TrustImported, InstalledAt: m.InstalledAt}
	if m.InstalledAt.IsZero() || !manifestEqual(*m, want) {
		t.Errorf("Import = %+v, want %+v", *m, want)
	}
	v := versions.MustParse("1.21.0")
	if got, err := s.GOROOT(v); err != nil || got != goroot {
		t.Errorf("GOROOT = %q, %v; want the imported folder", got, err)
	}
	if exists(s.SDKDir(v)) {
		t.Error("Import created a folder in the store")
	}

	// Importing the same folder again changes nothing.
	again, err := s.Import(context.Background(), goroot)
	if err != nil || !again.InstalledAt.Equal(m.InstalledAt) {
		t.Errorf("re-import = %+v, %v", again, err)
	}
	// Importing the same version from elsewhere re-points it.
	other := filepath.Join(tempDir(t), "go-other")
	writeFakeGOROOT(t, other, "go1.21.0")
	if _, err := s.Import(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GOROOT(v); got != other {
		t.Errorf("GOROOT after re-pointing = %q, want %q", got, other)
	}
}

func manifestEqual(a, b Manifest) bool {
	return a.Schema == b.Schema && a.Version == b.Version && a.GOROOT == b.GOROOT && a.Platform == b.Platform &&
		a.Imported == b.Imported && a.Source == b.Source && a.Trust == b.Trust && a.InstalledAt.Equal(b.InstalledAt) &&
		len(a.Checks) == len(b.Checks)
}

func TestImportRelativePath(t *testing.T) {
	s := newStore(t)
	dir := tempDir(t)
	writeFakeGOROOT(t, filepath.Join(dir, "go"), "go1.22.1")
	t.Chdir(dir)
	m, err := s.Import(context.Background(), "go")
	if err != nil {
		t.Fatal(err)
	}
	if m.GOROOT != filepath.Join(dir, "go") {
		t.Errorf("GOROOT = %q, want absolute", m.GOROOT)
	}
}

func TestImportPlatformFromTools(t *testing.T) {
	s := newStore(t)
	goroot := filepath.Join(tempDir(t), "go")
	writeFakeGOROOT(t, goroot, "go1.22.1")
	tool := filepath.Join(goroot, "pkg", "tool")
	removeAll(tool)
	os.MkdirAll(filepath.Join(tool, "windows_arm64"), 0o755)
	m, err := s.Import(context.Background(), goroot)
	if err != nil {
		t.Fatal(err)
	}
	if m.Platform != "windows/arm64" {
		t.Errorf("platform = %q, want windows/arm64", m.Platform)
	}
}

func TestImportVersionFromGo(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake go is a shell script")
	}
	s := newStore(t)
	goroot := filepath.Join(tempDir(t), "go")
	writeFakeGOROOT(t, goroot, "")
	script := "#!/bin/sh\n[ \"$GOTOOLCHAIN\" = local ] || exit 3\necho go version go1.21.4 linux/arm64\n"
	if err := os.WriteFile(filepath.Join(goroot, "bin", "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	m, err := s.Import(context.Background(), goroot)
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != "1.21.4" || m.Platform != "linux/arm64" {
		t.Errorf("Import = %s %s, want 1.21.4 linux/arm64", m.Version, m.Platform)
	}

	// A go that cannot say: a clear error.
	os.WriteFile(filepath.Join(goroot, "bin", "go"), []byte("#!/bin/sh\necho boom >&2\nexit 1\n"), 0o755)
	os.Remove(s.ManifestPath(versions.MustParse("1.21.4")))
	_, err = s.Import(context.Background(), goroot)
	if err == nil || !strings.Contains(err.Error(), "cannot tell which Go version") || !strings.Contains(err.Error(), "boom") {
		t.Errorf("Import without VERSION and a broken go = %v", err)
	}
}

func TestImportErrors(t *testing.T) {
	s := newStore(t)
	base := tempDir(t)
	mk := func(name string, parts ...string) string {
		dir := filepath.Join(base, name)
		os.MkdirAll(dir, 0o755)
		for _, p := range parts {
			p = filepath.Join(dir, p)
			if strings.HasSuffix(p, string(filepath.Separator)) || filepath.Base(p) == "src" {
				os.MkdirAll(p, 0o755)
			} else {
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, []byte("x"), 0o755)
			}
		}
		return dir
	}
	gobin := "bin/go" + exeSuffix
	file := filepath.Join(base, "a-file")
	os.WriteFile(file, nil, 0o644)
	tests := []struct {
		name string
		path string
		code int
		want []string
	}{
		{"missing", filepath.Join(base, "nope"), exitcode.CodeNotFound, []string{"no folder"}},
		{"a file", file, exitcode.CodeUsage, []string{"is a file"}},
		{"empty folder", mk("empty"), exitcode.CodeUsage, []string{"not a Go installation", "bin/go", "src/"}},
		{"no src", mk("nosrc", gobin, "VERSION"), exitcode.CodeUsage, []string{"src/"}},
		{"no go", mk("nogo", "src", "VERSION"), exitcode.CodeUsage, []string{"bin/go"}},
		{"inside the store", func() string {
			d := filepath.Join(s.Root(), "tmp", "go")
			writeFakeGOROOT(t, d, "go1.22.5")
			return d
		}(), exitcode.CodeUsage, []string{"inside the gover store"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Import(context.Background(), tt.path)
			if err == nil {
				t.Fatal("Import succeeded")
			}
			if exitcode.Code(err) != tt.code || exitcode.Hint(err) == "" {
				t.Errorf("code %d hint %q, want code %d and a hint", exitcode.Code(err), exitcode.Hint(err), tt.code)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	if vs, _ := s.Installed(); len(vs) != 0 {
		t.Errorf("failed imports installed %v", vs)
	}
}

func TestImportRefusesInstalledVersion(t *testing.T) {
	s := newStore(t)
	install(t, s, "1.22.5")
	goroot := filepath.Join(tempDir(t), "go")
	writeFakeGOROOT(t, goroot, "go1.22.5")
	_, err := s.Import(context.Background(), goroot)
	if err == nil || exitcode.Hint(err) != "gover uninstall 1.22.5" {
		t.Fatalf("Import over an installed SDK = %v (hint %q)", err, exitcode.Hint(err))
	}
	if got, _ := s.GOROOT(versions.MustParse("1.22.5")); got != s.SDKDir(versions.MustParse("1.22.5")) {
		t.Errorf("GOROOT changed to %q", got)
	}
}

func TestImportOverCrashedInstall(t *testing.T) {
	s := newStore(t)
	v := versions.MustParse("1.22.5")
	tx, err := s.Begin(t.Context(), v)
	if err != nil {
		t.Fatal(err)
	}
	tx.lock.fl.Unlock() // crashed
	goroot := filepath.Join(tempDir(t), "go")
	writeFakeGOROOT(t, goroot, "go1.22.5")
	if _, err := s.Import(context.Background(), goroot); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GOROOT(v); err != nil || got != goroot {
		t.Errorf("GOROOT = %q, %v", got, err)
	}
	if exists(s.SDKDir(v)) || exists(s.PartialMarker(v)) {
		t.Error("crashed install's files left")
	}
}

func TestParseGoVersion(t *testing.T) {
	tests := []struct {
		out, version, platform string
		ok                     bool
	}{
		{"go version go1.22.5 linux/amd64\n", "1.22.5", "linux/amd64", true},
		{"go version go1.20 windows/386", "1.20", "windows/386", true},
		{"go version go1.23rc1 darwin/arm64", "1.23rc1", "darwin/arm64", true},
		{"go version go1.22.5", "1.22.5", "", true},
		{"go version devel go1.23-abcdef linux/amd64", "", "", false},
		{"hello", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		v, p, err := parseGoVersion(tt.out)
		if (err == nil) != tt.ok || v.String() != tt.version || p != tt.platform {
			t.Errorf("parseGoVersion(%q) = %q, %q, %v", tt.out, v, p, err)
		}
	}
}

func TestGoEnv(t *testing.T) {
	env := goEnv([]string{"PATH=/bin", "GOOS=windows", "goarch=arm", "GOTOOLCHAIN=go1.30.0", "GOFLAGS=-mod=vendor", "HOME=/h"}, "/g")
	got := strings.Join(env, " ")
	if got != "PATH=/bin HOME=/h GOROOT=/g GOTOOLCHAIN=local GOENV=off" {
		t.Errorf("goEnv = %s", got)
	}
}

func FuzzParseGoVersion(f *testing.F) {
	f.Add("go version go1.22.5 linux/amd64")
	f.Add("go version go1.20 windows/386")
	f.Add("go version devel go1.23-abc linux/amd64")
	f.Fuzz(func(t *testing.T, out string) {
		v, p, err := parseGoVersion(out)
		if err != nil {
			return
		}
		if v.IsZero() || !strings.Contains(out, v.Name()[2:]) {
			t.Errorf("parseGoVersion(%q) = %v", out, v)
		}
		if p != "" {
			if _, err := versions.ParsePlatform(p); err != nil {
				t.Errorf("platform %q does not parse: %v", p, err)
			}
		}
	})
}

func FuzzDecodeManifest(f *testing.F) {
	v := versions.MustParse("1.22.5")
	good, _ := encodeManifest(&Manifest{Schema: 1, Version: "1.22.5", GOROOT: filepath.Join(string(filepath.Separator), "x"), Checks: []string{"a"}})
	f.Add(good)
	f.Add([]byte(`{"schema":1}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := decodeManifest(data, v)
		if err != nil {
			return
		}
		if m.Version != "1.22.5" || !filepath.IsAbs(m.GOROOT) || m.Schema != ManifestSchema {
			t.Fatalf("accepted %+v", m)
		}
		again, err := encodeManifest(m)
		if err != nil {
			t.Fatal(err)
		}
		m2, err := decodeManifest(again, v)
		if err != nil || !manifestEqual(*m, *m2) {
			t.Fatalf("round trip: %+v, %v", m2, err)
		}
	})
}
