package versions

import (
	"encoding/json"
	goversion "go/version"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in                          string
		str, name, lang             string
		major, minor, patch         int
		preKind                     string
		preNum                      int
		prerelease, isLang, release bool
	}{
		{in: "1.22.5", str: "1.22.5", name: "go1.22.5", lang: "1.22", major: 1, minor: 22, patch: 5, release: true},
		{in: "go1.22.5", str: "1.22.5", name: "go1.22.5", lang: "1.22", major: 1, minor: 22, patch: 5, release: true},
		{in: "1.22rc1", str: "1.22rc1", name: "go1.22rc1", lang: "1.22", major: 1, minor: 22, preKind: "rc", preNum: 1, prerelease: true},
		{in: "go1.22beta1", str: "1.22beta1", name: "go1.22beta1", lang: "1.22", major: 1, minor: 22, preKind: "beta", preNum: 1, prerelease: true},
		{in: "1.21.0", str: "1.21.0", name: "go1.21.0", lang: "1.21", major: 1, minor: 21, release: true},
		{in: "1.21", str: "1.21", name: "go1.21", lang: "1.21", major: 1, minor: 21, isLang: true},
		{in: "1.22", str: "1.22", name: "go1.22", lang: "1.22", major: 1, minor: 22, isLang: true},
		{in: "1.20", str: "1.20", name: "go1.20", lang: "1.20", major: 1, minor: 20, release: true},
		{in: "1.20.0", str: "1.20", name: "go1.20", lang: "1.20", major: 1, minor: 20, release: true},
		{in: "go1.20.14", str: "1.20.14", name: "go1.20.14", lang: "1.20", major: 1, minor: 20, patch: 14, release: true},
		{in: "1.20rc3", str: "1.20rc3", name: "go1.20rc3", lang: "1.20", major: 1, minor: 20, preKind: "rc", preNum: 3, prerelease: true},
		{in: "1.0", str: "1.0", name: "go1.0", lang: "1.0", major: 1, release: true},
		{in: "1.0.3", str: "1.0.3", name: "go1.0.3", lang: "1.0", major: 1, patch: 3, release: true},
		{in: "1.4beta1", str: "1.4beta1", name: "go1.4beta1", lang: "1.4", major: 1, minor: 4, preKind: "beta", preNum: 1, prerelease: true},
		{in: "2.0", str: "2.0", name: "go2.0", lang: "2.0", major: 2, release: true},
		{in: "1.9999.9999", str: "1.9999.9999", name: "go1.9999.9999", lang: "1.9999", major: 1, minor: 9999, patch: 9999, release: true},
		{in: "1.30rc1000", str: "1.30rc1000", name: "go1.30rc1000", lang: "1.30", major: 1, minor: 30, preKind: "rc", preNum: 1000, prerelease: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			v, err := Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			kind, n := v.Pre()
			got := []any{v.String(), v.Name(), v.Lang(), v.Major(), v.Minor(), v.Patch(), kind, n, v.Prerelease(), v.IsLang(), v.IsRelease(), v.IsZero()}
			want := []any{tt.str, tt.name, tt.lang, tt.major, tt.minor, tt.patch, tt.preKind, tt.preNum, tt.prerelease, tt.isLang, tt.release, false}
			if !slices.Equal(got, want) {
				t.Errorf("Parse(%q)\n(String, Name, Lang, Major, Minor, Patch, Pre, Prerelease, IsLang, IsRelease, IsZero)\n got %v\nwant %v", tt.in, got, want)
			}
			if MustParse(tt.str) != v || MustParse(tt.name) != v {
				t.Errorf("String %q or Name %q does not parse back to the same version", tt.str, tt.name)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, reason string }{
		{"", "empty"},
		{"go", `no version number after "go"`},
		{"1", "missing minor version"},
		{"1.", "missing minor version"},
		{"1.22.", "missing patch version"},
		{"1.22.5.1", `unexpected ".1" after patch version`},
		{"1.22-rc1", `unexpected "-rc1" after minor version`},
		{"1.22rc", "missing pre-release number"},
		{"1.22rc0", "pre-release number must be between 1 and 1000"},
		{"1.22rc1001", "pre-release number must be between 1 and 1000"},
		{"1.22rc01", "leading zero in pre-release number"},
		{"1.22alpha1", `unexpected "alpha1" after minor version`},
		{"1.22RC1", `unexpected "RC1" after minor version`},
		{"1.22.5rc1", `unexpected "rc1" after patch version`},
		{"1.22rc1.5", `unexpected ".5" after pre-release number`},
		{"../x", "missing major version"},
		{"1.22.5 ", `unexpected " " after patch version`},
		{" 1.22.5", "missing major version"},
		{"1.022", "leading zero in minor version"},
		{"01.22", "leading zero in major version"},
		{"1.22.05", "leading zero in patch version"},
		{"v1.22.5", `no "v" prefix allowed`},
		{"gov1.22.5", `no "v" prefix allowed`},
		{"Go1.22.5", "missing major version"},
		{"gogo1.22", "missing major version"},
		{"0.5", "major version must be at least 1"},
		{"1.12345", "minor version has more than 4 digits"},
		{"1.22.99999", "patch version has more than 4 digits"},
		{"1.22.5/../../etc", `unexpected "/../../etc" after patch version`},
		{"1.22.5\x00", `unexpected "\x00" after patch version`},
		{"1.２２", "missing minor version"},
		{"1.2.3.4.5.6.7.8.9.10.11.12.13.14.15", "longer than 32 characters"},
		{"latest", "missing major version"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) succeeded, want error", tt.in)
			continue
		}
		want := "invalid Go version " + strconv.Quote(tt.in) + ": " + tt.reason +
			" (want a version like 1.22.5, go1.22.5, 1.22rc1 or 1.22)"
		if err.Error() != want {
			t.Errorf("Parse(%q) error\n got %s\nwant %s", tt.in, err, want)
		}
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParse(\"bad\") did not panic")
		}
	}()
	MustParse("bad")
}

func TestZero(t *testing.T) {
	var v Version
	if !v.IsZero() || v.String() != "" || v.Name() != "" || v.Lang() != "" || v.IsLang() || v.IsRelease() || v.Prerelease() {
		t.Errorf("zero Version: IsZero %v String %q Name %q Lang %q IsLang %v IsRelease %v Prerelease %v",
			v.IsZero(), v, v.Name(), v.Lang(), v.IsLang(), v.IsRelease(), v.Prerelease())
	}
	if Compare(v, MustParse("1.0")) >= 0 {
		t.Error("zero Version does not sort before 1.0")
	}
	if !Max(nil).IsZero() {
		t.Error("Max(nil) is not zero")
	}
}

// propertyVersions returns every version of majors 1 and 2, minors 0..30 and
// patches 0..20, with bare X.Y, beta1..3 and rc1..3 of every minor, and the
// explicit X.Y.0 spellings of the pre-1.21 first releases.
func propertyVersions() []string {
	var vs []string
	for major := 1; major <= 2; major++ {
		for minor := 0; minor <= 30; minor++ {
			mm := strconv.Itoa(major) + "." + strconv.Itoa(minor)
			vs = append(vs, mm)
			for patch := 0; patch <= 20; patch++ {
				vs = append(vs, mm+"."+strconv.Itoa(patch))
			}
			for n := 1; n <= 3; n++ {
				vs = append(vs, mm+"beta"+strconv.Itoa(n), mm+"rc"+strconv.Itoa(n))
			}
		}
	}
	return vs
}

// TestCompareAgreesWithGoVersion checks Compare against go/version.Compare
// on every ordered pair of propertyVersions.
func TestCompareAgreesWithGoVersion(t *testing.T) {
	strs := propertyVersions()
	vs := make([]Version, len(strs))
	for i, s := range strs {
		vs[i] = MustParse(s)
		if !goversion.IsValid(vs[i].Name()) {
			t.Fatalf("go/version rejects %s", vs[i].Name())
		}
	}
	pairs := 0
	for i, a := range vs {
		for j, b := range vs {
			pairs++
			got := Compare(a, b)
			want := goversion.Compare("go"+strs[i], "go"+strs[j])
			if got != want {
				t.Fatalf("Compare(%s, %s) = %d, go/version says %d", strs[i], strs[j], got, want)
			}
			if canon := goversion.Compare(a.Name(), b.Name()); canon != want {
				t.Fatalf("canonical names %s, %s compare %d, inputs %s, %s compare %d", a.Name(), b.Name(), canon, strs[i], strs[j], want)
			}
			if (got == 0) != (a == b) {
				t.Fatalf("Compare(%s, %s) = %d but == says %v", strs[i], strs[j], got, a == b)
			}
		}
	}
	t.Logf("checked %d versions, %d ordered pairs", len(vs), pairs)
}

func TestSortAndMax(t *testing.T) {
	in := []string{"1.22.0", "1.21rc1", "1.20", "1.21.0", "1.21", "1.22rc2", "1.20rc1", "1.19.13", "1.22beta1", "1.20.1", "1.21.10", "1.21.2"}
	want := []string{"1.19.13", "1.20rc1", "1.20", "1.20.1", "1.21", "1.21rc1", "1.21.0", "1.21.2", "1.21.10", "1.22beta1", "1.22rc2", "1.22.0"}
	vs := make([]Version, len(in))
	for i, s := range in {
		vs[i] = MustParse(s)
	}
	if got := Max(vs); got.String() != "1.22.0" {
		t.Errorf("Max = %s, want 1.22.0", got)
	}
	Sort(vs)
	var got []string
	for _, v := range vs {
		got = append(got, v.String())
	}
	if !slices.Equal(got, want) {
		t.Errorf("Sort:\n got %v\nwant %v", got, want)
	}
	if !Less(vs[0], vs[1]) || Less(vs[1], vs[0]) {
		t.Error("Less disagrees with Sort")
	}
}

func TestLangVersion(t *testing.T) {
	for in, want := range map[string]string{
		"1.22.5": "1.22", "1.22rc1": "1.22", "1.22": "1.22", "1.20.3": "1.20", "1.20rc1": "1.20",
	} {
		l := MustParse(in).LangVersion()
		if l != MustParse(want) {
			t.Errorf("LangVersion(%s) = %s, want %s", in, l, want)
		}
	}
}

func TestJSON(t *testing.T) {
	type manifest struct {
		Version Version `json:"version"`
	}
	b, err := json.Marshal(manifest{MustParse("go1.22rc1")})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"version":"1.22rc1"}` {
		t.Errorf("Marshal = %s", b)
	}
	var m manifest
	if err := json.Unmarshal([]byte(`{"version":"go1.21.0"}`), &m); err != nil || m.Version != MustParse("1.21.0") {
		t.Errorf("Unmarshal = %v, %v", m.Version, err)
	}
	if err := json.Unmarshal([]byte(`{"version":"../1.21"}`), &m); err == nil || !strings.Contains(err.Error(), `invalid Go version "../1.21"`) {
		t.Errorf("Unmarshal of a bad version: err = %v", err)
	}
}

// TestShimDeps keeps the go shim's start-up cheap: this package must not pull
// in semver, HTTP, JSON or fmt.
func TestShimDeps(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	for _, bad := range []string{"github.com/Masterminds/semver/v3", "net/http", "encoding/json", "fmt", "reflect"} {
		if slices.Contains(deps, bad) {
			t.Errorf("versions depends on %s", bad)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range propertyVersions()[:40] {
		f.Add(s)
	}
	for _, s := range []string{"go1.22.5", "1.22rc1", "1.22beta1", "1.22-rc1", "1.022", "../x", "1.22.5 ", "v1.2", "1.0", "gogo", "1.2rc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Parse(s)
		if err != nil {
			if !strings.Contains(err.Error(), strconv.Quote(s)) {
				t.Errorf("error %q does not name the input", err)
			}
			if !v.IsZero() {
				t.Errorf("Parse(%q) failed but returned %v", s, v)
			}
			return
		}
		if v.IsZero() {
			t.Fatalf("Parse(%q) returned the zero Version", s)
		}
		if w, err := Parse(v.String()); err != nil || w != v {
			t.Errorf("Parse(String %q) = %v, %v; want %v", v.String(), w, err, v)
		}
		if w, err := Parse(v.Name()); err != nil || w != v {
			t.Errorf("Parse(Name %q) = %v, %v; want %v", v.Name(), w, err, v)
		}
		if !goversion.IsValid("go" + v.String()) {
			t.Errorf("go/version rejects %q, accepted from %q", "go"+v.String(), s)
		}
		if c := goversion.Compare("go"+strings.TrimPrefix(s, "go"), v.Name()); c != 0 {
			t.Errorf("go/version compares input %q and canonical %q as %d", s, v.Name(), c)
		}
		if strings.ContainsAny(v.Name(), "/\\ :") || strings.Contains(v.Name(), "..") {
			t.Errorf("Name %q is not a plain file name", v.Name())
		}
	})
}

func FuzzCompare(f *testing.F) {
	f.Add("1.21", "1.21rc1")
	f.Add("1.20", "1.20.0")
	f.Add("go1.22beta2", "1.22rc1")
	f.Fuzz(func(t *testing.T, a, b string) {
		va, err := Parse(a)
		if err != nil {
			return
		}
		vb, err := Parse(b)
		if err != nil {
			return
		}
		if got, want := Compare(va, vb), goversion.Compare(va.Name(), vb.Name()); got != want {
			t.Errorf("Compare(%s, %s) = %d, go/version says %d", a, b, got, want)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse("go1.22.5"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompare(b *testing.B) {
	x, y := MustParse("1.22rc1"), MustParse("1.22.0")
	for b.Loop() {
		Compare(x, y)
	}
}
