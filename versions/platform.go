package versions

import (
	"errors"
	"runtime"
	"strconv"
	"strings"
)

// Platform is a GOOS/GOARCH pair, the platform an SDK archive is built for.
type Platform struct {
	OS   string // GOOS: "linux", "windows", "darwin", ...
	Arch string // GOARCH: "amd64", "arm64", "386", ...
}

// Host returns the platform gover itself was built for.
func Host() Platform { return Platform{OS: runtime.GOOS, Arch: runtime.GOARCH} }

// Known GOOS and GOARCH values, from `go tool dist list`.
var (
	knownOS = []string{
		"aix", "android", "darwin", "dragonfly", "freebsd", "illumos", "ios", "js",
		"linux", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows",
	}
	knownArch = []string{
		"386", "amd64", "arm", "arm64", "loong64", "mips", "mips64", "mips64le",
		"mipsle", "ppc64", "ppc64le", "riscv64", "s390x", "wasm",
	}
)

// osAlias and archAlias map the names people and other tools use to GOOS
// and GOARCH. The Windows names come from installers and Visual Studio (x86,
// x64, ARM64), the Linux ones from uname -m, and armv6l from go.dev/dl
// archive names. They are switches rather than maps so the go shim, which
// links this package, pays nothing at start-up.
func osAlias(s string) string {
	switch s {
	case "macos", "osx", "mac":
		return "darwin"
	case "win":
		return "windows"
	}
	return ""
}

func archAlias(s string) string {
	switch s {
	case "x86", "i386", "i686":
		return "386"
	case "x64", "x86_64", "x86-64":
		return "amd64"
	case "aarch64":
		return "arm64"
	case "armv6l", "armv7l", "arm32":
		return "arm"
	}
	return ""
}

// ParseOS returns the GOOS for s, accepting any letter case and common
// aliases such as "macos" for darwin.
func ParseOS(s string) (string, error) {
	l := strings.ToLower(s)
	if a := osAlias(l); a != "" {
		return a, nil
	}
	for _, os := range knownOS {
		if l == os {
			return os, nil
		}
	}
	return "", errors.New("unknown operating system " + strconv.Quote(s) +
		" (want a GOOS such as windows, linux or darwin)")
}

// ParseArch returns the GOARCH for s, accepting any letter case and the
// aliases x86 (386), x64 and x86_64 (amd64), aarch64 (arm64) and armv6l (arm).
func ParseArch(s string) (string, error) {
	l := strings.ToLower(s)
	if a := archAlias(l); a != "" {
		return a, nil
	}
	for _, arch := range knownArch {
		if l == arch {
			return arch, nil
		}
	}
	return "", errors.New("unknown architecture " + strconv.Quote(s) +
		" (want a GOARCH such as amd64, arm64 or 386, or x64, x86, ARM64)")
}

// ParsePlatform parses "os/arch" or "os-arch" with the aliases of ParseOS and
// ParseArch: "linux/amd64", "windows-x64", "windows/ARM64", "linux/x86".
func ParsePlatform(s string) (Platform, error) {
	i := strings.IndexAny(s, "/-")
	if i < 0 {
		return Platform{}, errors.New("invalid platform " + strconv.Quote(s) +
			": want os/arch, for example linux/amd64 or windows-x64")
	}
	os, err := ParseOS(s[:i])
	if err != nil {
		return Platform{}, errors.New("invalid platform " + strconv.Quote(s) + ": " + err.Error())
	}
	arch, err := ParseArch(s[i+1:])
	if err != nil {
		return Platform{}, errors.New("invalid platform " + strconv.Quote(s) + ": " + err.Error())
	}
	return Platform{OS: os, Arch: arch}, nil
}

// String returns "os/arch", the form go env and go tool dist use.
func (p Platform) String() string { return p.OS + "/" + p.Arch }

// Dashed returns "os-arch", the form in archive and toolchain module names.
func (p Platform) Dashed() string { return p.OS + "-" + p.Arch }

// ArchiveExt returns the extension of go.dev/dl SDK archives for p: ".zip"
// for Windows, ".tar.gz" for everything else.
func (p Platform) ArchiveExt() string {
	if p.OS == "windows" {
		return ".zip"
	}
	return ".tar.gz"
}

// Exe returns the executable suffix on p: ".exe" on Windows, "" elsewhere.
func (p Platform) Exe() string {
	if p.OS == "windows" {
		return ".exe"
	}
	return ""
}
