package registry

import (
	"strings"
	"testing"
)

func testExpand(s string) string {
	return ExpandWindows(s, func(name string) (string, bool) {
		switch strings.ToUpper(name) {
		case "USERPROFILE":
			return `C:\Users\Ann`, true
		case "SYSTEMROOT":
			return `C:\Windows`, true
		}
		return "", false
	})
}

func TestPrependPath(t *testing.T) {
	const entry = `%USERPROFILE%\.gover\bin`
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", entry},
		{"prepend", `C:\Go\bin;%USERPROFILE%\go\bin`, entry + `;C:\Go\bin;%USERPROFILE%\go\bin`},
		{"already first", entry + `;C:\Go\bin`, entry + `;C:\Go\bin`},
		{"moved to front", `C:\Go\bin;` + entry + `;D:\x`, entry + `;C:\Go\bin;D:\x`},
		{"expanded duplicate", `C:\A;C:\Users\Ann\.gover\bin;C:\B`, entry + `;C:\A;C:\B`},
		{"case and trailing slash", `c:\users\ann\.GOVER\BIN\;C:\B`, entry + `;C:\B`},
		{"forward slashes", `C:/Users/Ann/.gover/bin/;C:\B`, entry + `;C:\B`},
		{"quoted duplicate", `"C:\Users\Ann\.gover\bin";C:\B`, entry + `;C:\B`},
		{"several duplicates", entry + `;X;` + entry + `;Y;%userprofile%\.gover\bin`, entry + `;X;Y`},
		{"keeps unknown vars", `%NOPE%\bin;%SystemRoot%\system32`, entry + `;%NOPE%\bin;%SystemRoot%\system32`},
		{"keeps empty entries and trailing semicolon", `A;;B;`, entry + `;A;;B;`},
		{"keeps other duplicates", `A;B;A`, entry + `;A;B;A`},
		{"keeps spaces", `C:\Program Files\Go\bin`, entry + `;C:\Program Files\Go\bin`},
		{"similar but different", `C:\Users\Ann\.gover\bin2;C:\Users\Ann\.gover`, entry + `;C:\Users\Ann\.gover\bin2;C:\Users\Ann\.gover`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PrependPath(tt.in, entry, testExpand)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("PrependPath(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			again, err := PrependPath(got, entry, testExpand)
			if err != nil || again != got {
				t.Errorf("second PrependPath changed %q to %q (%v)", got, again, err)
			}
		})
	}
}

func TestPrependPathTooLong(t *testing.T) {
	long := strings.Repeat(`C:\some\folder;`, MaxPathLen/15)
	long = long[:MaxPathLen-5]
	if _, err := PrependPath(long, `C:\gover\bin`, nil); err == nil || !strings.Contains(err.Error(), "8191") {
		t.Fatalf("want a length error naming the limit, got %v", err)
	}
	// Exactly at the limit is fine.
	exact := strings.Repeat("a", MaxPathLen-len(`C:\g;`))
	if _, err := PrependPath(exact, `C:\g`, nil); err != nil {
		t.Fatalf("at the limit: %v", err)
	}
}

func TestPrependPathBadEntry(t *testing.T) {
	for _, e := range []string{"", `C:\a;C:\b`} {
		if _, err := PrependPath("X", e, nil); err == nil {
			t.Errorf("entry %q accepted", e)
		}
	}
}

func TestRemovePathEntry(t *testing.T) {
	got := RemovePathEntry(`A;C:\Users\Ann\.gover\bin\;B;%USERPROFILE%\.gover\bin`, `%USERPROFILE%\.gover\bin`, testExpand)
	if got != "A;B" {
		t.Fatalf("got %q", got)
	}
}

func TestExpandWindows(t *testing.T) {
	tests := []struct{ in, want string }{
		{`%USERPROFILE%\x`, `C:\Users\Ann\x`},
		{`%userprofile%\x`, `C:\Users\Ann\x`},
		{`%NOPE%\x`, `%NOPE%\x`},
		{`50%;%SystemRoot%`, `50%;C:\Windows`},
		{`%%`, `%%`},
		{`a%b`, `a%b`},
		{`%NOPE%%SYSTEMROOT%`, `%NOPE%C:\Windows`},
	}
	for _, tt := range tests {
		if got := testExpand(tt.in); got != tt.want {
			t.Errorf("expand(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestShadowingGo(t *testing.T) {
	hasGo := func(dir string) bool {
		return dir == `C:\Program Files\Go\bin` || dir == `C:\Other\go\bin`
	}
	bin := `C:\Users\Ann\.gover\bin`
	tests := []struct {
		name, machine string
		want          []string
	}{
		{"msi go", `%SystemRoot%\system32;C:\Program Files\Go\bin`, []string{`C:\Program Files\Go\bin`}},
		{"shims first", bin + `;C:\Program Files\Go\bin`, nil},
		{"after one", `C:\Other\go\bin;` + bin + `\;C:\Program Files\Go\bin`, []string{`C:\Other\go\bin`}},
		{"quoted", `"C:\Program Files\Go\bin"`, []string{`C:\Program Files\Go\bin`}},
		{"none", `%SystemRoot%\system32`, nil},
	}
	for _, tt := range tests {
		got := ShadowingGo(tt.machine, bin, testExpand, hasGo)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func FuzzPrependPath(f *testing.F) {
	f.Add(`C:\Go\bin;%USERPROFILE%\go\bin`, `%USERPROFILE%\.gover\bin`)
	f.Add(`;;A;;`, `A`)
	f.Add(`%X%%Y%;c:\;C:`, `C:\`)
	f.Fuzz(func(t *testing.T, path, entry string) {
		out, err := PrependPath(path, entry, testExpand)
		if err != nil {
			return
		}
		if len(out) > MaxPathLen {
			t.Fatalf("result longer than %d", MaxPathLen)
		}
		if !strings.HasPrefix(out, entry) || (len(out) > len(entry) && out[len(entry)] != ';') {
			t.Fatalf("%q does not start with %q", out, entry)
		}
		again, err := PrependPath(out, entry, testExpand)
		if err != nil || again != out {
			t.Fatalf("not idempotent: %q -> %q (%v)", out, again, err)
		}
		// Every entry that is not the same folder survives, in order.
		want := samePathKey(entry, testExpand)
		var kept []string
		for _, e := range strings.Split(path, ";") {
			if e == "" || samePathKey(e, testExpand) != want {
				kept = append(kept, e)
			}
		}
		rest := strings.Split(out, ";")[1:]
		if path == "" {
			kept = nil
		}
		if strings.Join(rest, ";") != strings.Join(kept, ";") {
			t.Fatalf("entries changed: in %q out %q", path, out)
		}
	})
}

func TestPathValueWithFirst(t *testing.T) {
	const entry = `%USERPROFILE%\.gover\bin`
	tests := []struct {
		name string
		in   PathValue
		add  string
		want PathValue
	}{
		{"REG_SZ gets a %VAR% entry", PathValue{Text: `C:\A`}, entry, PathValue{Text: entry + `;C:\A`, Expand: true}},
		{"REG_SZ literal gover entry", PathValue{Text: entry + `;C:\A`}, entry, PathValue{Text: entry + `;C:\A`, Expand: true}},
		{"REG_SZ plain entry stays REG_SZ", PathValue{Text: `C:\A`}, `D:\gover\bin`, PathValue{Text: `D:\gover\bin;C:\A`}},
		{"REG_EXPAND_SZ stays", PathValue{Text: `C:\A`, Expand: true}, `D:\gover\bin`, PathValue{Text: `D:\gover\bin;C:\A`, Expand: true}},
		{"new value", PathValue{Expand: true}, entry, PathValue{Text: entry, Expand: true}},
	}
	for _, tt := range tests {
		got, err := tt.in.WithFirst(tt.add, testExpand)
		if err != nil || got != tt.want {
			t.Errorf("%s: %+v.WithFirst(%q) = %+v, %v; want %+v", tt.name, tt.in, tt.add, got, err, tt.want)
		}
	}
}

func TestPathValueResolved(t *testing.T) {
	p := PathValue{Text: `%USERPROFILE%\.gover\bin;C:\A`}
	if got := p.Resolved(testExpand); got[0] != `%USERPROFILE%\.gover\bin` {
		t.Errorf("REG_SZ resolved to %q; Windows does not expand it", got)
	}
	p.Expand = true
	if got := p.Resolved(testExpand); got[0] != `C:\Users\Ann\.gover\bin` {
		t.Errorf("REG_EXPAND_SZ resolved to %q", got)
	}
}

func TestHasVarRef(t *testing.T) {
	for s, want := range map[string]bool{
		`%USERPROFILE%\bin`: true, `C:\100%`: false, `C:\A%;%B`: false, `%%`: false, `a%b%c`: true, ``: false,
	} {
		if got := HasVarRef(s); got != want {
			t.Errorf("HasVarRef(%q) = %v", s, got)
		}
	}
}
