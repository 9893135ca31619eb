package spec

import (
	"strings"
	"testing"

	"github.com/gover/gover/versions"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in, str, exact string
	}{
		{"1.22.5", "1.22.5", "1.22.5"},
		{"go1.22.5", "1.22.5", "1.22.5"},
		{"1.22rc1", "1.22rc1", "1.22rc1"},
		{"go1.22beta1", "1.22beta1", "1.22beta1"},
		{"1.21.0", "1.21.0", "1.21.0"},
		{"1.20.0", "1.20.0", "1.20"},
		{"1.22", "1.22", ""},
		{"go1.22", "1.22", ""},
		{"1.20", "1.20", ""},
		{" 1.22\n", "1.22", ""},
		{"latest", "latest", ""},
		{"LATEST", "latest", ""},
		{"stable", "stable", ""},
		{"~1.22", "~1.22", ""},
		{">=1.21 <1.23", ">=1.21 <1.23", ""},
		{"1.22.x", "1.22.x", ""},
		{"1.22.*", "1.22.*", ""},
		{"^1.21", "^1.21", ""},
		{">=go1.21rc1, <1.23", ">=go1.21rc1, <1.23", ""},
		{"1.21 - 1.22", "1.21 - 1.22", ""},
		{"<1.21 || 1.22.x", "<1.21 || 1.22.x", ""},
	}
	for _, tt := range tests {
		s, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		v, ok := s.Exact()
		if s.String() != tt.str || v.String() != tt.exact || ok != (tt.exact != "") {
			t.Errorf("Parse(%q): String %q, Exact %q %v; want %q, %q", tt.in, s, v, ok, tt.str, tt.exact)
		}
		if s2, err := Parse(s.String()); err != nil || s2.String() != s.String() || s2.kind != s.kind || s2.v != s.v {
			t.Errorf("Parse(%q).String() = %q does not parse back: %v", tt.in, s, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	const usageText = "; want a version (1.22.5, go1.22.5, 1.22rc1), a minor (1.22), latest, stable, or a constraint (~1.22, >=1.21 <1.23, 1.22.x)"
	tests := []struct{ in, want string }{
		{"", `invalid version spec "": empty`},
		{"  ", `invalid version spec "  ": empty`},
		{"1", `invalid version spec "1": missing minor version`},
		{"1.22-rc1", `invalid version spec "1.22-rc1": unexpected "-rc1" after minor version`},
		{"1.022", `invalid version spec "1.022": leading zero in minor version`},
		{"1.22.5.1", `invalid version spec "1.22.5.1": unexpected ".1" after patch version`},
		{"newest", `invalid version spec "newest": not a Go version`},
		{"../1.22", `invalid version spec "../1.22": not a Go version`},
		{">=banana", `invalid version spec ">=banana": not a version range (conditions are separated by spaces or commas, alternatives by ||)`},
		{"~", `invalid version spec "~": not a version range (conditions are separated by spaces or commas, alternatives by ||)`},
		{"banana", `invalid version spec "banana": not a Go version`},
		{">=1.21 <", `invalid version spec ">=1.21 <": not a version range (conditions are separated by spaces or commas, alternatives by ||)`},
		{strings.Repeat(">=1.21 ", 80), `invalid version spec ">=1.21 >=1.21 >=1.21 >=1.21 >=1....": longer than 512 characters`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if err == nil || err.Error() != tt.want+usageText {
			t.Errorf("Parse(%q) error\n got %v\nwant %s", tt.in, err, tt.want+usageText)
		}
	}
}

func parseAll(ss ...string) []versions.Version {
	vs := make([]versions.Version, len(ss))
	for i, s := range ss {
		vs[i] = versions.MustParse(s)
	}
	return vs
}

// realistic is an installed set as a user might have it, out of order.
var realistic = []string{
	"1.22.3", "1.19.13", "1.20", "1.20.1", "1.21rc2", "1.21.0", "1.22.0", "1.22.1",
	"1.22.2", "1.22.4", "1.22.5", "1.23rc1", "1.23.0",
}

func TestResolve(t *testing.T) {
	all := parseAll(realistic...)
	before123 := parseAll("1.22.5", "1.23rc1", "1.22.4")
	onlyLang := parseAll("1.21", "1.22")
	tests := []struct {
		spec       string
		candidates []versions.Version
		want       string // "" for no match
	}{
		{"1.22", all, "1.22.5"},
		{"go1.22", all, "1.22.5"},
		{"1.20", all, "1.20.1"},
		{"1.21", all, "1.21.0"},
		{"1.19", all, "1.19.13"},
		{"1.23", all, "1.23.0"},
		{"1.23", before123, "1.23rc1"},
		{"1.24", all, ""},
		{"1.18", all, ""},
		{"latest", all, "1.23.0"},
		{"stable", all, "1.23.0"},
		{"latest", before123, "1.22.5"},
		{"latest", nil, ""},
		{"1.22.3", all, "1.22.3"},
		{"1.22.6", all, ""},
		{"1.20.0", all, "1.20"},
		{"go1.20.1", all, "1.20.1"},
		{"1.21rc2", all, "1.21rc2"},
		{"1.21rc1", all, ""},
		{"~1.22", all, "1.22.5"},
		{"~1.22.2", all, "1.22.5"},
		{">=1.21 <1.23", all, "1.22.5"},
		{">=1.21, <1.23", all, "1.22.5"},
		{"1.22.x", all, "1.22.5"},
		{"1.22.*", all, "1.22.5"},
		{"go1.22.x", all, "1.22.5"},
		{"~go1.21", all, "1.21.0"},
		{"1.19.x", all, "1.19.13"},
		{"^1.21", all, "1.23.0"},
		{"<1.21", all, "1.20.1"},
		{"<=1.20", all, "1.20.1"}, // a partial version covers its whole minor
		{"<=1.20.0", all, "1.20"},
		{">=1.24", all, ""},
		{">=1.22", before123, "1.22.5"}, // pre-releases only when asked for
		{">=1.23rc1", before123, "1.23rc1"},
		{">=1.23.0-rc.1", before123, "1.23rc1"},
		{">=1.21rc1 <1.21.0", all, "1.21rc2"},
		{">=go1.21beta1 <go1.21.0", all, "1.21rc2"},
		{"1.21 - 1.22.2", all, "1.22.2"},
		{"<1.21 || 1.22.x", all, "1.22.5"},
		{"!=1.23.0", all, "1.22.5"},
		{"1.21", onlyLang, ""}, // language versions are not releases
		{"latest", onlyLang, ""},
		{">=1.0", onlyLang, ""},
	}
	for _, tt := range tests {
		s, err := Parse(tt.spec)
		if err != nil {
			t.Fatal(err)
		}
		v, ok := s.Resolve(tt.candidates)
		if v.String() != tt.want || ok != (tt.want != "") {
			t.Errorf("Parse(%q).Resolve(%v) = %s, %v; want %q", tt.spec, tt.candidates, v, ok, tt.want)
		}
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		spec, v string
		want    bool
	}{
		{"1.23", "1.23rc1", true},
		{"1.23", "1.23beta1", true},
		{"1.23", "1.23.0", true},
		{"1.23", "1.23", false},
		{"1.23", "1.22.9", false},
		{"1.23", "2.23.0", false},
		{"latest", "1.23rc1", false},
		{"latest", "1.23.1", true},
		{"1.20.0", "1.20", true},
		{"~1.22", "1.22rc1", false},
		{"~1.22", "1.22.9", true},
		{">=1.22rc1", "1.22beta2", false},
		{">=1.22beta1", "1.22rc1", true},
		{">=1.22beta1", "1.22beta2", true},
	}
	for _, tt := range tests {
		s, err := Parse(tt.spec)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Match(versions.MustParse(tt.v)); got != tt.want {
			t.Errorf("Parse(%q).Match(%s) = %v, want %v", tt.spec, tt.v, got, tt.want)
		}
	}
	var zero Spec
	if zero.Match(versions.MustParse("1.22.5")) || !zero.IsZero() {
		t.Error("the zero Spec matches something")
	}
	if s, _ := Parse("latest"); s.Match(versions.Version{}) {
		t.Error("latest matches the zero Version")
	}
}

func release(version string, stable bool, platforms ...string) versions.Release {
	r := versions.Release{Version: version, Stable: stable}
	r.Files = append(r.Files, versions.File{Filename: version + ".src.tar.gz", Version: version, Kind: versions.KindSource})
	for _, p := range platforms {
		os, arch, _ := strings.Cut(p, "-")
		ext := ".tar.gz"
		if os == "windows" {
			ext = ".zip"
			r.Files = append(r.Files, versions.File{Filename: version + "." + p + ".msi", OS: os, Arch: arch, Version: version, Kind: versions.KindInstaller})
		}
		r.Files = append(r.Files, versions.File{Filename: version + "." + p + ext, OS: os, Arch: arch, Version: version, Kind: versions.KindArchive})
	}
	return r
}

func TestResolveRelease(t *testing.T) {
	// Newest first, as go.dev serves it.
	index := []versions.Release{
		release("go1.24rc1", false, "linux-amd64", "windows-amd64"),
		release("go1.23.0", true, "linux-amd64", "darwin-arm64"),
		release("go1.23rc1", false, "linux-amd64", "windows-amd64", "linux-armv6l"),
		release("go1.22.6", false, "linux-amd64", "windows-amd64"), // not flagged stable
		release("go1.22.5", true, "linux-amd64", "windows-amd64", "windows-386", "linux-armv6l"),
		release("go1.22.4", true, "linux-amd64", "windows-amd64", "windows-arm64"),
		release("go1.21.0", true, "linux-amd64", "windows-amd64"),
		release("go1.20", true, "linux-amd64", "windows-amd64"),
		release("go1.9.2rc2", false, "linux-amd64"),
		release("../go1.99.0", true, "linux-amd64"),
	}
	tests := []struct {
		spec, platform string
		want, file     string
	}{
		{"latest", "linux/amd64", "go1.23.0", "go1.23.0.linux-amd64.tar.gz"},
		{"stable", "darwin/arm64", "go1.23.0", "go1.23.0.darwin-arm64.tar.gz"},
		{"latest", "windows/amd64", "go1.22.5", "go1.22.5.windows-amd64.zip"},
		{"latest", "windows/386", "go1.22.5", "go1.22.5.windows-386.zip"},
		{"latest", "windows/arm64", "go1.22.4", "go1.22.4.windows-arm64.zip"},
		{"latest", "linux/arm", "go1.22.5", "go1.22.5.linux-armv6l.tar.gz"},
		{"latest", "freebsd/amd64", "", ""},
		{"1.23", "linux/amd64", "go1.23.0", "go1.23.0.linux-amd64.tar.gz"},
		{"1.23", "windows/amd64", "go1.23rc1", "go1.23rc1.windows-amd64.zip"},
		{"1.24", "linux/amd64", "go1.24rc1", "go1.24rc1.linux-amd64.tar.gz"},
		{"1.22", "windows/amd64", "go1.22.6", "go1.22.6.windows-amd64.zip"},
		{"1.22", "windows/arm64", "go1.22.4", "go1.22.4.windows-arm64.zip"},
		{"1.22.5", "windows/arm64", "", ""},
		{"1.22.5", "windows/386", "go1.22.5", "go1.22.5.windows-386.zip"},
		{"1.20", "linux/amd64", "go1.20", "go1.20.linux-amd64.tar.gz"},
		{"1.20.0", "windows/amd64", "go1.20", "go1.20.windows-amd64.zip"},
		{"1.9", "linux/amd64", "", ""},
		{"1.99", "linux/amd64", "", ""},
		{"~1.22", "linux/amd64", "go1.22.6", "go1.22.6.linux-amd64.tar.gz"},
		{">=1.21 <1.23", "windows/arm64", "go1.22.4", "go1.22.4.windows-arm64.zip"},
		{">=1.23rc1", "windows/amd64", "go1.24rc1", "go1.24rc1.windows-amd64.zip"},
		{"^1.20", "linux/arm", "go1.22.5", "go1.22.5.linux-armv6l.tar.gz"},
	}
	for _, tt := range tests {
		s, err := Parse(tt.spec)
		if err != nil {
			t.Fatal(err)
		}
		p, err := versions.ParsePlatform(tt.platform)
		if err != nil {
			t.Fatal(err)
		}
		r, f, ok := s.ResolveRelease(index, p)
		if r.Version != tt.want || f.Filename != tt.file || ok != (tt.want != "") {
			t.Errorf("Parse(%q).ResolveRelease(%s) = %q, %q, %v; want %q, %q", tt.spec, p, r.Version, f.Filename, ok, tt.want, tt.file)
		}
	}
}

func FuzzSpecParse(f *testing.F) {
	for _, s := range []string{
		"1.22.5", "go1.22.5", "1.22rc1", "1.22", "latest", "stable", "~1.22", ">=1.21 <1.23",
		"1.22.x", "^1.21", "1.21 - 1.22", "<1.21 || 1.22.x", ">=go1.21rc1", "1.22-rc1", "", "~",
	} {
		f.Add(s)
	}
	candidates := parseAll(realistic...)
	f.Fuzz(func(t *testing.T, in string) {
		s, err := Parse(in)
		if err != nil {
			if !s.IsZero() {
				t.Errorf("Parse(%q) failed but returned %v", in, s)
			}
			return
		}
		if s.IsZero() {
			t.Fatalf("Parse(%q) returned the zero Spec", in)
		}
		s2, err := Parse(s.String())
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", in, s, err)
		}
		if s2.String() != s.String() {
			t.Errorf("String not stable: %q then %q", s, s2)
		}
		v, ok := s.Resolve(candidates)
		v2, ok2 := s2.Resolve(candidates)
		if v != v2 || ok != ok2 {
			t.Errorf("%q resolves to %v, its String %q to %v", in, v, s, v2)
		}
		if ok && !s.Match(v) {
			t.Errorf("%q resolves to %v, which it does not match", in, v)
		}
		if e, ok := s.Exact(); ok && !s.Match(e) {
			t.Errorf("%q does not match its own exact version %v", in, e)
		}
	})
}

func BenchmarkResolve(b *testing.B) {
	s, err := Parse(">=1.21 <1.23")
	if err != nil {
		b.Fatal(err)
	}
	candidates := parseAll(realistic...)
	for b.Loop() {
		s.Resolve(candidates)
	}
}
