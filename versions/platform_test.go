package versions

import (
	"runtime"
	"testing"
)

func TestParsePlatform(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"linux/amd64", "linux/amd64"},
		{"windows-x64", "windows/amd64"},
		{"windows/ARM64", "windows/arm64"},
		{"linux/x86", "linux/386"},
		{"Windows/X86", "windows/386"},
		{"linux-armv6l", "linux/arm"},
		{"linux/aarch64", "linux/arm64"},
		{"linux/x86_64", "linux/amd64"},
		{"linux-x86-64", "linux/amd64"},
		{"macos/arm64", "darwin/arm64"},
		{"darwin-amd64", "darwin/amd64"},
		{"freebsd/riscv64", "freebsd/riscv64"},
		{"wasip1/wasm", "wasip1/wasm"},
		{"linux/loong64", "linux/loong64"},
	}
	for _, tt := range tests {
		p, err := ParsePlatform(tt.in)
		if err != nil {
			t.Errorf("ParsePlatform(%q): %v", tt.in, err)
			continue
		}
		if p.String() != tt.want {
			t.Errorf("ParsePlatform(%q) = %s, want %s", tt.in, p, tt.want)
		}
	}
}

func TestParsePlatformErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `invalid platform "": want os/arch, for example linux/amd64 or windows-x64`},
		{"linux", `invalid platform "linux": want os/arch, for example linux/amd64 or windows-x64`},
		{"linux/", `invalid platform "linux/": unknown architecture "" (want a GOARCH such as amd64, arm64 or 386, or x64, x86, ARM64)`},
		{"/amd64", `invalid platform "/amd64": unknown operating system "" (want a GOOS such as windows, linux or darwin)`},
		{"beos/amd64", `invalid platform "beos/amd64": unknown operating system "beos" (want a GOOS such as windows, linux or darwin)`},
		{"linux/sparc", `invalid platform "linux/sparc": unknown architecture "sparc" (want a GOARCH such as amd64, arm64 or 386, or x64, x86, ARM64)`},
		{"linux/amd64/v3", `invalid platform "linux/amd64/v3": unknown architecture "amd64/v3" (want a GOARCH such as amd64, arm64 or 386, or x64, x86, ARM64)`},
		{"../amd64", `invalid platform "../amd64": unknown operating system ".." (want a GOOS such as windows, linux or darwin)`},
	}
	for _, tt := range tests {
		_, err := ParsePlatform(tt.in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParsePlatform(%q) error\n got %v\nwant %s", tt.in, err, tt.want)
		}
	}
}

func TestParseOSArch(t *testing.T) {
	for in, want := range map[string]string{"LINUX": "linux", "win": "windows", "osx": "darwin", "plan9": "plan9"} {
		if got, err := ParseOS(in); got != want || err != nil {
			t.Errorf("ParseOS(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{"x64": "amd64", "X86": "386", "i686": "386", "ARM64": "arm64", "armv6l": "arm", "ppc64le": "ppc64le", "s390x": "s390x"} {
		if got, err := ParseArch(in); got != want || err != nil {
			t.Errorf("ParseArch(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseOS("amd64"); err == nil {
		t.Error("ParseOS accepts an architecture")
	}
	if _, err := ParseArch("linux"); err == nil {
		t.Error("ParseArch accepts an operating system")
	}
}

func TestPlatformNames(t *testing.T) {
	tests := []struct {
		p                     Platform
		str, dashed, ext, exe string
	}{
		{Platform{"windows", "amd64"}, "windows/amd64", "windows-amd64", ".zip", ".exe"},
		{Platform{"linux", "arm64"}, "linux/arm64", "linux-arm64", ".tar.gz", ""},
		{Platform{"darwin", "amd64"}, "darwin/amd64", "darwin-amd64", ".tar.gz", ""},
	}
	for _, tt := range tests {
		if got := [4]string{tt.p.String(), tt.p.Dashed(), tt.p.ArchiveExt(), tt.p.Exe()}; got != [4]string{tt.str, tt.dashed, tt.ext, tt.exe} {
			t.Errorf("%#v: String, Dashed, ArchiveExt, Exe = %q", tt.p, got)
		}
	}
	if h := Host(); h.OS != runtime.GOOS || h.Arch != runtime.GOARCH {
		t.Errorf("Host() = %v", h)
	}
	if _, err := ParsePlatform(Host().String()); err != nil {
		t.Errorf("the host platform does not parse: %v", err)
	}
}

func TestReleaseArchive(t *testing.T) {
	file := func(name, os, arch, kind string) File {
		return File{Filename: name, OS: os, Arch: arch, Version: "go1.22.5", Kind: kind}
	}
	r := Release{Version: "go1.22.5", Stable: true, Files: []File{
		file("go1.22.5.src.tar.gz", "", "", KindSource),
		file("go1.22.5.darwin-amd64.pkg", "darwin", "amd64", KindInstaller),
		file("go1.22.5.darwin-amd64.tar.gz", "darwin", "amd64", KindArchive),
		file("go1.22.5.linux-armv6l.tar.gz", "linux", "armv6l", KindArchive),
		file("go1.22.5.linux-amd64.tar.gz", "linux", "amd64", KindArchive),
		file("go1.22.5.windows-amd64.msi", "windows", "amd64", KindInstaller),
		file("go1.22.5.windows-amd64.zip", "windows", "amd64", KindArchive),
		file("go1.22.5.plan10-amd64.tar.gz", "plan10", "amd64", KindArchive),
	}}
	tests := []struct {
		p    Platform
		want string
	}{
		{Platform{"windows", "amd64"}, "go1.22.5.windows-amd64.zip"},
		{Platform{"darwin", "amd64"}, "go1.22.5.darwin-amd64.tar.gz"},
		{Platform{"linux", "amd64"}, "go1.22.5.linux-amd64.tar.gz"},
		{Platform{"linux", "arm"}, "go1.22.5.linux-armv6l.tar.gz"},
		{Platform{"linux", "arm64"}, ""},
		{Platform{"windows", "arm64"}, ""},
		{Platform{"", ""}, ""},
	}
	for _, tt := range tests {
		f, ok := r.Archive(tt.p)
		if f.Filename != tt.want || ok != (tt.want != "") {
			t.Errorf("Archive(%v) = %q, %v; want %q", tt.p, f.Filename, ok, tt.want)
		}
	}
	if v := r.ParsedVersion(); v != MustParse("1.22.5") {
		t.Errorf("ParsedVersion = %v", v)
	}
	if v := (Release{Version: "go1.9.2rc2"}).ParsedVersion(); !v.IsZero() {
		t.Errorf("ParsedVersion of go1.9.2rc2 = %v, want zero", v)
	}
}
