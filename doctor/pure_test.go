package doctor

import (
	"context"
	"crypto/rand"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gover/gover/internal/fake"
	"golang.org/x/mod/sumdb/note"
)

func TestParseGOSUMDB(t *testing.T) {
	_, corpKey, err := note.GenerateKey(rand.Reader, "corp")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		in, name, url string
		ok            bool
	}{
		{"sum.golang.org", "sum.golang.org", "https://sum.golang.org", true},
		{"sum.golang.google.cn", "sum.golang.org", "https://sum.golang.google.cn", true}, // cmd/go: the same database, another host
		{"sum.golang.org https://goproxy.cn/sumdb/sum.golang.org", "sum.golang.org", "https://goproxy.cn/sumdb/sum.golang.org", true},
		{"sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8", "sum.golang.org", "https://sum.golang.org", true},
		{corpKey + " http://127.0.0.1:8080/", "corp", "http://127.0.0.1:8080", true},
		{"sum.example.com", "", "", false},
		{"corp+abcd+key http://127.0.0.1:8080/", "", "", false},
		{"+0", "", "", false},
		{corpKey + " ftp://x", "", "", false},
		{"a b c", "", "", false},
		{"", "", "", false},
	}
	for _, tc := range cases {
		name, u, err := parseGOSUMDB(tc.in)
		if (err == nil) != tc.ok || name != tc.name || u != tc.url {
			t.Errorf("parseGOSUMDB(%q) = %q, %q, %v; want %q, %q, ok=%v", tc.in, name, u, err, tc.name, tc.url, tc.ok)
		}
	}
}

func TestPatterns(t *testing.T) {
	cases := []struct {
		in   string
		bad  string
		good string
	}{
		{"github.com/corp,*.corp.example.com", "", "github.com/corp,*.corp.example.com"},
		{"github.com/corp/[x", "github.com/corp/[x", ""},
		{"https://github.com/corp,corp.io", "https://github.com/corp", "corp.io"},
		{",corp.io,,", "", "corp.io"},
		{"a b", "a b", ""},
	}
	for _, tc := range cases {
		if got := strings.Join(badPatterns(tc.in), ","); got != tc.bad {
			t.Errorf("badPatterns(%q) = %q, want %q", tc.in, got, tc.bad)
		}
		if got := strings.Join(goodPatterns(tc.in), ","); got != tc.good {
			t.Errorf("goodPatterns(%q) = %q, want %q", tc.in, got, tc.good)
		}
	}
	if got := strings.Join(uncovered("a.com,b.com, c.com", "b.com,d.com"), ","); got != "a.com,c.com" {
		t.Errorf("uncovered = %q", got)
	}
}

func TestLookPathOrder(t *testing.T) {
	base := fake.TempDir(t)
	first, second := filepath.Join(base, "first"), filepath.Join(base, "second")
	writeExec(t, filepath.Join(second, exeName("go")), "x")
	writeExec(t, filepath.Join(first, exeName("gofmt")), "x")
	entries := []string{"", "relative", first, second}
	p, i := lookPath(entries, "go", func(k string) string {
		if k == "PATHEXT" {
			return ".EXE"
		}
		return ""
	})
	if i != 3 || !samePath(p, filepath.Join(second, exeName("go"))) {
		t.Errorf("lookPath = %q, %d", p, i)
	}
	if p, i := lookPath(entries, "dlv", func(string) string { return "" }); p != "" || i != -1 {
		t.Errorf("lookPath(dlv) = %q, %d", p, i)
	}
}

func TestVSCodeProblems(t *testing.T) {
	shimGo := filepath.Join(string(filepath.Separator)+"gover", "bin", exeName("go"))
	cases := []struct {
		name, in string
		want     []string // substrings of the problems, in order
		after    string   // must be in the fixed file
	}{
		{"empty", "", nil, ""},
		{"unrelated", `{"editor.tabSize": 2}`, nil, ""},
		{"goroot", "{\n  \"go.goroot\": \"/usr/local/go\" // pinned\n}", []string{`"go.goroot"`}, "{"},
		{"alternateTools shim", `{"go.alternateTools": {"go": ` + quoteJSON(shimGo) + `}}`, nil, ""},
		{"alternateTools elsewhere", `{"go.alternateTools": {"go": "/opt/go/bin/go", "dlv": "/x/dlv"}}`, []string{"/opt/go/bin/go"}, `"dlv": "/x/dlv"`},
		{"toolsEnvVars", `{"go.toolsEnvVars": {"GOROOT": "/opt/go", "GOFLAGS": "-tags=x"},}`, []string{"go.toolsEnvVars"}, `"GOFLAGS": "-tags=x"`},
		{"all three", `{"go.goroot": "/a", /* c */ "go.alternateTools": {"go": "/b"}, "go.toolsEnvVars": {"GOROOT": "/c"}}`, []string{"go.goroot", "/b", "GOROOT"}, "/* c */"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			probs, err := vscodeProblems([]byte(tc.in), shimGo)
			if err != nil {
				t.Fatal(err)
			}
			if len(probs) != len(tc.want) {
				t.Fatalf("%d problems, want %d: %+v", len(probs), len(tc.want), probs)
			}
			for i, w := range tc.want {
				if !strings.Contains(probs[i].what, w) {
					t.Errorf("problem %d %q lacks %q", i, probs[i].what, w)
				}
			}
			if len(probs) == 0 {
				return
			}
			out, err := fixVSCode([]byte(tc.in), probs)
			if err != nil {
				t.Fatal(err)
			}
			if left, err := vscodeProblems(out, shimGo); err != nil || len(left) > 0 {
				t.Errorf("after the fix: %v %+v\n%s", err, left, out)
			}
			if !strings.Contains(string(out), tc.after) {
				t.Errorf("fixed file lacks %q:\n%s", tc.after, out)
			}
		})
	}
}

func quoteJSON(s string) string {
	return `"` + strings.ReplaceAll(s, `\`, `\\`) + `"`
}

// FuzzVSCodeSettings checks that any settings file either is refused or,
// once fixed, has no problem left and still parses.
func FuzzVSCodeSettings(f *testing.F) {
	for _, s := range []string{
		`{"go.goroot": "/a"}`,
		"{\n // c\n \"go.goroot\": \"/a\",\n \"x\": 1,\n}",
		`{"go.alternateTools": {"go": "/b"}, "go.toolsEnvVars": {"GOROOT": "/c"}}`,
		`[]`, `{"go.goroot": 1}`, `{"go.alternateTools": "x"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		probs, err := vscodeProblems([]byte(in), "/gover/bin/go")
		if err != nil || len(probs) == 0 {
			return
		}
		out, err := fixVSCode([]byte(in), probs)
		if err != nil {
			return // a patch go cannot apply is reported, not written
		}
		left, err := vscodeProblems(out, "/gover/bin/go")
		if err != nil {
			t.Fatalf("fixed settings do not parse: %v\n%s", err, out)
		}
		if len(left) > 0 {
			t.Fatalf("problems left after the fix: %+v\n%s", left, out)
		}
	})
}

// FuzzParseGOSUMDB checks that accepted values give a name and an http(s)
// URL.
func FuzzParseGOSUMDB(f *testing.F) {
	for _, s := range []string{"sum.golang.org", "a+b+c http://x", "sum.golang.google.cn", "off", " x  y "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		name, u, err := parseGOSUMDB(in)
		if err != nil {
			return
		}
		if name == "" || !(strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) {
			t.Fatalf("parseGOSUMDB(%q) = %q, %q", in, name, u)
		}
	})
}

// BenchmarkRunOffline measures a whole offline doctor run over a planted
// environment: every local check, with the SDK's quick sample verification.
func BenchmarkRunOffline(b *testing.B) {
	e := newTestEnv(b)
	for b.Loop() {
		Run(context.Background(), e.env)
	}
}

// TestVSCodeFixKeepsBOMAndCRLF: doctor reads a settings.json with a byte
// order mark and CRLF lines, and its fix keeps both.
func TestVSCodeFixKeepsBOMAndCRLF(t *testing.T) {
	in := "\ufeff{\r\n\t\"go.goroot\": \"C:\\\\Go\",\r\n\t\"editor.tabSize\": 4\r\n}\r\n"
	probs, err := vscodeProblems([]byte(in), `C:\gover\bin\go.exe`)
	if err != nil || len(probs) != 1 {
		t.Fatalf("problems %+v, %v", probs, err)
	}
	out, err := fixVSCode([]byte(in), probs)
	if err != nil {
		t.Fatal(err)
	}
	if want := "\ufeff{\r\n\t\"editor.tabSize\": 4\r\n}\r\n"; string(out) != want {
		t.Errorf("fixed settings %q, want %q", out, want)
	}
}
