package index

import (
	"strings"
	"testing"

	"github.com/gover/gover/versions"
)

// sample is an excerpt of https://go.dev/dl/?mode=json&include=all, trimmed
// to a few files per release, with the historic go1.9.2rc2 entry.
const sample = `[
 {
  "version": "go1.23rc1",
  "stable": false,
  "files": [
   {"filename": "go1.23rc1.linux-amd64.tar.gz", "os": "linux", "arch": "amd64", "version": "go1.23rc1",
    "sha256": "2a6a1c9fba4ef2e0a0d9a0d3ad6f1d2b5de6c8a5d0b0c2e0a1f3a5c7e9d1b3f5", "size": 68970080, "kind": "archive"}
  ]
 },
 {
  "version": "go1.22.5",
  "stable": true,
  "files": [
   {"filename": "go1.22.5.src.tar.gz", "os": "", "arch": "", "version": "go1.22.5",
    "sha256": "ac9c723f224969aee624bc34fd34c9e13f2a212d75c71c807de644bb46e112f6", "size": 27560180, "kind": "source"},
   {"filename": "go1.22.5.linux-amd64.tar.gz", "os": "linux", "arch": "amd64", "version": "go1.22.5",
    "sha256": "904b924d435eaea086515bc63235b192ea441bd8c9b198c507e85009e6e4c7f0", "size": 68944820, "kind": "archive"},
   {"filename": "go1.22.5.linux-armv6l.tar.gz", "os": "linux", "arch": "armv6l", "version": "go1.22.5",
    "sha256": "8c4587cf3e63c9aefbcafa92818c4d9d51683af93ea687bf6c7508d6fa36f85e", "size": 66096436, "kind": "archive"},
   {"filename": "go1.22.5.windows-amd64.msi", "os": "windows", "arch": "amd64", "version": "go1.22.5",
    "sha256": "29ab86e4adc48e0a2a9bd66ec93ba1cb2bab8eb5e0eba6ec6ad0ec4f7e3b4e0e", "size": 61087744, "kind": "installer"},
   {"filename": "go1.22.5.windows-amd64.zip", "os": "windows", "arch": "amd64", "version": "go1.22.5",
    "sha256": "59968438b8d90f108fd240d4d2f95b037e59716995f7409e0a322dcb996e9f42", "size": 71224587, "kind": "archive"},
   {"filename": "go1.22.5.plan10-amd64.tar.gz", "os": "plan10", "arch": "amd64", "version": "go1.22.5",
    "sha256": "59968438b8d90f108fd240d4d2f95b037e59716995f7409e0a322dcb996e9f42", "size": 1, "kind": "bootstrap"}
  ]
 },
 {
  "version": "go1.9.2rc2",
  "stable": false,
  "files": [
   {"filename": "go1.9.2rc2.linux-amd64.tar.gz", "os": "linux", "arch": "amd64", "version": "go1.9.2rc2",
    "sha256": "", "size": 1, "kind": "archive"}
  ]
 },
 {
  "version": "go1.2.2",
  "stable": true,
  "files": [
   {"filename": "go1.2.2.darwin-amd64-osx10.8.tar.gz", "os": "darwin", "arch": "amd64", "version": "go1.2.2",
    "sha256": "", "size": 56300000, "kind": "archive"}
  ]
 }
]`

func TestParse(t *testing.T) {
	rs, err := Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.Version)
	}
	if strings.Join(got, " ") != "go1.23rc1 go1.22.5 go1.2.2" {
		t.Errorf("releases = %v, want go1.23rc1 go1.22.5 go1.2.2 (go1.9.2rc2 left out)", got)
	}
	r := rs[1]
	if !r.Stable || len(r.Files) != 6 {
		t.Fatalf("go1.22.5: stable %v, %d files", r.Stable, len(r.Files))
	}
	f, ok := r.Archive(versions.Platform{OS: "linux", Arch: "arm"})
	if !ok || f.Filename != "go1.22.5.linux-armv6l.tar.gz" || f.Size != 66096436 ||
		f.SHA256 != "8c4587cf3e63c9aefbcafa92818c4d9d51683af93ea687bf6c7508d6fa36f85e" {
		t.Errorf("linux/arm archive = %+v, %v", f, ok)
	}
	if f, ok := r.Archive(versions.Platform{OS: "windows", Arch: "amd64"}); !ok || f.Filename != "go1.22.5.windows-amd64.zip" {
		t.Errorf("windows/amd64 archive = %+v, %v", f, ok)
	}
	if f, ok := rs[2].Archive(versions.Platform{OS: "darwin", Arch: "amd64"}); !ok || f.SHA256 != "" {
		t.Errorf("go1.2.2 darwin/amd64 archive = %+v, %v; want one without sha256", f, ok)
	}
}

func TestParseRejects(t *testing.T) {
	const goodSum = "904b924d435eaea086515bc63235b192ea441bd8c9b198c507e85009e6e4c7f0"
	entry := func(filename, fileVersion, sum string, size string) string {
		return `[{"version": "go1.22.5", "stable": true, "files": [{"filename": "` + filename +
			`", "os": "linux", "arch": "amd64", "version": "` + fileVersion + `", "sha256": "` + sum +
			`", "size": ` + size + `, "kind": "archive"}]}]`
	}
	tests := []struct{ name, data, want string }{
		{"not JSON", `<html>`, "parsing Go release index: invalid character '<'"},
		{"object", `{"version": "go1.22.5"}`, "parsing Go release index: json: cannot unmarshal object"},
		{"truncated", sample[:200], "parsing Go release index: unexpected end of JSON input"},
		{"path in name", entry("../go1.22.5.linux-amd64.tar.gz", "go1.22.5", goodSum, "1"),
			`Go release index entry 0 (go1.22.5): file "../go1.22.5.linux-amd64.tar.gz": file name is not a plain go1.22.5.* name`},
		{"backslash", entry(`go1.22.5.\\evil.zip`, "go1.22.5", goodSum, "1"), "file name is not a plain go1.22.5.* name"},
		{"other release's file", entry("go1.21.0.linux-amd64.tar.gz", "go1.22.5", goodSum, "1"), "file name is not a plain go1.22.5.* name"},
		{"dot dot", entry("go1.22.5..tar.gz", "go1.22.5", goodSum, "1"), "file name is not a plain go1.22.5.* name"},
		{"version mismatch", entry("go1.22.5.linux-amd64.tar.gz", "go1.22.4", goodSum, "1"), `version "go1.22.4" differs from its release`},
		{"upper-case sum", entry("go1.22.5.linux-amd64.tar.gz", "go1.22.5", strings.ToUpper(goodSum), "1"), "is not 64 lower-case hex digits"},
		{"short sum", entry("go1.22.5.linux-amd64.tar.gz", "go1.22.5", goodSum[:63], "1"), "is not 64 lower-case hex digits"},
		{"negative size", entry("go1.22.5.linux-amd64.tar.gz", "go1.22.5", goodSum, "-1"), "negative size -1"},
	}
	for _, tt := range tests {
		rs, err := Parse([]byte(tt.data))
		if err == nil || !strings.Contains(err.Error(), tt.want) || rs != nil {
			t.Errorf("%s: Parse = %d releases, %v; want error containing %q", tt.name, len(rs), err, tt.want)
		}
	}
}

func TestParseEmpty(t *testing.T) {
	for _, data := range []string{`[]`, `null`} {
		rs, err := Parse([]byte(data))
		if err != nil || len(rs) != 0 {
			t.Errorf("Parse(%s) = %v, %v", data, rs, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte(`[{"version":"go1.22.5","files":[{"filename":"go1.22.5.x","version":"go1.22.5"}]}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := Parse(data)
		if err != nil {
			return
		}
		for _, r := range rs {
			if _, err := versions.Parse(r.Version); err != nil {
				t.Errorf("accepted release %q: %v", r.Version, err)
			}
			for _, f := range r.Files {
				if strings.ContainsAny(f.Filename, `/\`) || strings.Contains(f.Filename, "..") {
					t.Errorf("accepted file name %q", f.Filename)
				}
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	data := []byte(sample)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
