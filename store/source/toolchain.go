package source

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/gover/gover/versions"
)

// ToolchainModule is the module that carries Go toolchains on module proxies.
const ToolchainModule = "golang.org/toolchain"

// ToolchainVersion is the module version holding v for p:
// "v0.0.1-go1.22.5.linux-amd64".
func ToolchainVersion(v versions.Version, p versions.Platform) string {
	return "v0.0.1-" + v.Name() + "." + p.Dashed()
}

var toolchainVersionRE = regexp.MustCompile(`^v0\.0\.1-(go[0-9a-z.]+)\.([a-z0-9]+)-([a-z0-9]+)$`)

// ParseToolchainVersion parses a golang.org/toolchain module version such as
// "v0.0.1-go1.22.5.linux-amd64".
func ParseToolchainVersion(s string) (versions.Version, versions.Platform, error) {
	m := toolchainVersionRE.FindStringSubmatch(s)
	if m == nil {
		return versions.Version{}, versions.Platform{}, fmt.Errorf("%q is not a golang.org/toolchain version (want v0.0.1-go1.22.5.linux-amd64)", s)
	}
	v, err := versions.Parse(m[1])
	if err != nil {
		return versions.Version{}, versions.Platform{}, err
	}
	p, err := versions.ParsePlatform(m[2] + "/" + m[3])
	if err != nil {
		return versions.Version{}, versions.Platform{}, err
	}
	// Only canonical spellings: the name must be the one cmd/go asks for.
	if v.Name() != m[1] || p.Dashed() != m[2]+"-"+m[3] {
		return versions.Version{}, versions.Platform{}, fmt.Errorf("%q is not a canonical golang.org/toolchain version (want %s)", s, ToolchainVersion(v, p))
	}
	return v, p, nil
}

// ParseToolchainList turns a proxy's golang.org/toolchain/@v/list into
// releases, one per Go version, with a file per platform. The files carry
// no checksum: proxies are verified through the checksum database instead.
// Lines that are not toolchain versions are skipped.
func ParseToolchainList(data []byte) ([]versions.Release, error) {
	byName := map[string]int{}
	var rs []versions.Release
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		v, p, err := ParseToolchainVersion(line)
		if err != nil {
			continue
		}
		i, ok := byName[v.Name()]
		if !ok {
			i = len(rs)
			byName[v.Name()] = i
			rs = append(rs, versions.Release{Version: v.Name(), Stable: !v.Prerelease()})
		}
		rs[i].Files = append(rs[i].Files, versions.File{
			Filename: archiveName(v, p),
			OS:       p.OS,
			Arch:     p.Arch,
			Version:  v.Name(),
			Kind:     versions.KindArchive,
		})
	}
	if len(rs) == 0 {
		return nil, errors.New("the proxy lists no Go toolchain")
	}
	return rs, nil
}

// archiveName is the official archive name of v for p. go.dev names 32-bit
// ARM "armv6l".
func archiveName(v versions.Version, p versions.Platform) string {
	arch := p.Arch
	if arch == "arm" {
		arch = "armv6l"
	}
	return v.Name() + "." + p.OS + "-" + arch + p.ArchiveExt()
}

// findArchive looks v's archive for p up in an index.
func findArchive(rs []versions.Release, v versions.Version, p versions.Platform) (versions.File, bool) {
	for _, r := range rs {
		if r.Version == v.Name() {
			return r.Archive(p)
		}
	}
	return versions.File{}, false
}
