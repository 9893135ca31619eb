package release

import (
	"strings"
	"testing"

	"github.com/gover/gover/versions"
)

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"1.2.3", "1.2.3", true},
		{"v1.2.3", "1.2.3", true},
		{" v0.1.0\n", "0.1.0", true},
		{"1.3.0-rc.1", "1.3.0-rc.1", true},
		{"0.0.1-next", "0.0.1-next", true},
		{"1.2", "", false},
		{"1", "", false},
		{"", "", false},
		{"v", "", false},
		{"latest", "", false},
		{"1.2.3/../../x", "", false},
		{"1.2.3 extra", "", false},
		{"01.2.3", "", false},
		{"1.2.3\\x", "", false},
		{"vv1.2.3", "", false},
	}
	for _, tt := range tests {
		got, err := ParseVersion(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseVersion(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestNewer(t *testing.T) {
	tests := []struct {
		candidate, current string
		want               bool
	}{
		{"1.1.0", "1.0.0", true},
		{"1.0.0", "1.0.0", false},
		{"1.0.0", "1.1.0", false},
		{"1.0.10", "1.0.9", true},
		{"1.1.0", "1.1.0-rc.1", true},
		{"1.1.0-rc.1", "1.1.0", false},
		{"v1.1.0", "1.0.0", true},
		{"1.0.0", "devel", true},
		{"1.0.0", "", true},
		{"garbage", "1.0.0", false},
	}
	for _, tt := range tests {
		if got := Newer(tt.candidate, tt.current); got != tt.want {
			t.Errorf("Newer(%q, %q) = %v, want %v", tt.candidate, tt.current, got, tt.want)
		}
	}
}

func TestArchiveNames(t *testing.T) {
	// These names are fixed by .goreleaser.yml's archive name_template and
	// format_overrides; install.sh, install.ps1 and self-update depend on them.
	want := map[versions.Platform]string{
		{OS: "darwin", Arch: "amd64"}:  "gover_1.2.3_darwin_amd64.tar.gz",
		{OS: "darwin", Arch: "arm64"}:  "gover_1.2.3_darwin_arm64.tar.gz",
		{OS: "linux", Arch: "amd64"}:   "gover_1.2.3_linux_amd64.tar.gz",
		{OS: "linux", Arch: "arm64"}:   "gover_1.2.3_linux_arm64.tar.gz",
		{OS: "windows", Arch: "386"}:   "gover_1.2.3_windows_386.zip",
		{OS: "windows", Arch: "amd64"}: "gover_1.2.3_windows_amd64.zip",
		{OS: "windows", Arch: "arm64"}: "gover_1.2.3_windows_arm64.zip",
	}
	ps := Platforms()
	if len(ps) != len(want) {
		t.Fatalf("Platforms() = %v, want the %d platforms .goreleaser.yml builds", ps, len(want))
	}
	for _, p := range ps {
		if got := ArchiveName("1.2.3", p); got != want[p] {
			t.Errorf("ArchiveName(1.2.3, %v) = %q, want %q", p, got, want[p])
		}
	}
	if got := ChecksumsName("1.2.3"); got != "gover_1.2.3_checksums.txt" {
		t.Errorf("ChecksumsName = %q", got)
	}
	for _, base := range []string{"https://example.com/r", "https://example.com/r/"} {
		if got := DownloadURL(base, "1.2.3", "f.zip"); got != "https://example.com/r/download/v1.2.3/f.zip" {
			t.Errorf("DownloadURL(%q) = %q", base, got)
		}
	}
	if got := Binaries("windows"); got[0] != "gover.exe" || got[1] != "gover-shim.exe" {
		t.Errorf("Binaries(windows) = %q", got)
	}
	if got := Binaries("linux"); got[0] != "gover" || got[1] != "gover-shim" {
		t.Errorf("Binaries(linux) = %q", got)
	}
}

const (
	sumA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	sumB = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
)

func TestParseChecksums(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    map[string]string
		wantErr string
	}{
		{"goreleaser", sumA + "  gover_1.2.3_linux_amd64.tar.gz\n" + sumB + "  gover_1.2.3_windows_amd64.zip\n",
			map[string]string{"gover_1.2.3_linux_amd64.tar.gz": sumA, "gover_1.2.3_windows_amd64.zip": sumB}, ""},
		{"binary mode and CRLF", sumA + " *a.zip\r\n\r\n", map[string]string{"a.zip": sumA}, ""},
		{"uppercase hex", strings.ToUpper(sumA) + "  a.zip\n", map[string]string{"a.zip": sumA}, ""},
		{"empty", "", map[string]string{}, ""},
		{"same twice", sumA + "  a\n" + sumA + "  a\n", map[string]string{"a": sumA}, ""},
		{"conflict", sumA + "  a\n" + sumB + "  a\n", nil, "twice"},
		{"short digest", "abc  a\n", nil, "line 1"},
		{"not hex", strings.Repeat("z", 64) + "  a\n", nil, "not a hex"},
		{"no name", sumA + "\n", nil, "line 1"},
		{"path", sumA + "  ../a\n", nil, "line 1"},
		{"windows path", sumA + "  dir\\a\n", nil, "line 1"},
		{"second line bad", sumA + "  a\nfoo\n", nil, "line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseChecksums([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s: got %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

func TestManagedBy(t *testing.T) {
	tests := []struct {
		exe, manager string
	}{
		{"/opt/homebrew/Caskroom/gover/1.2.3/gover", "Homebrew"},
		{"/usr/local/Cellar/gover/1.2.3/bin/gover", "Homebrew"},
		{`C:\Users\me\scoop\apps\gover\current\gover.exe`, "Scoop"},
		{`C:\Users\me\AppData\Local\Microsoft\WinGet\Packages\gover.gover_Microsoft.Winget.Source_8wekyb3d8bbwe\gover.exe`, "WinGet"},
		{"/home/me/.gover/bin/gover", ""},
		{`C:\Users\me\.gover\bin\gover.exe`, ""},
		{"/home/me/go/bin/gover", ""},
	}
	for _, tt := range tests {
		m, hint := ManagedBy(tt.exe)
		if m != tt.manager || (m != "") != (hint != "") {
			t.Errorf("ManagedBy(%q) = %q, %q; want %q", tt.exe, m, hint, tt.manager)
		}
	}
}

func FuzzParseChecksums(f *testing.F) {
	f.Add([]byte(sumA + "  gover_1.2.3_linux_amd64.tar.gz\n"))
	f.Add([]byte(sumA + " *a.zip\r\n\n"))
	f.Add([]byte("garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sums, err := ParseChecksums(data)
		if err != nil {
			return
		}
		for name, sum := range sums {
			if name == "" || strings.ContainsAny(name, "/\\") || name == ".." {
				t.Errorf("accepted file name %q", name)
			}
			if len(sum) != 64 || strings.ToLower(sum) != sum {
				t.Errorf("accepted digest %q", sum)
			}
		}
	})
}

func FuzzParseVersion(f *testing.F) {
	for _, s := range []string{"1.2.3", "v1.2.3-rc.1", "1.2", "../x", "1.2.3+meta"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseVersion(s)
		if err != nil {
			return
		}
		// Anything accepted is safe in a URL path and a file name.
		if strings.ContainsAny(v, "/\\ \t\n%?#:") || strings.Contains(v, "..") || v == "" {
			t.Errorf("ParseVersion(%q) accepted %q", s, v)
		}
		if again, err := ParseVersion(v); err != nil || again != v {
			t.Errorf("ParseVersion(%q) = %q, but that parses as %q, %v", s, v, again, err)
		}
	})
}
