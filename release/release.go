// Package release is gover's own releases: what they are named, where they
// live, how to find the newest one, and how to fetch, verify and install one
// over a running gover. `gover self-update` is built on it; install.sh and
// install.ps1 follow the same layout.
//
// .goreleaser.yml publishes every release under a base URL B (GitHub's
// https://github.com/gover/gover/releases, or any mirror that copies it):
//
//	B/latest                                          newest release: GitHub redirects to B/tag/v1.2.3,
//	                                                  a mirror serves a text file holding "v1.2.3"
//	B/download/v1.2.3/gover_1.2.3_checksums.txt       "<sha256>  <file name>" per archive
//	B/download/v1.2.3/gover_1.2.3_checksums.txt.asc   its detached OpenPGP signature (release key)
//	B/download/v1.2.3/gover_1.2.3_linux_amd64.tar.gz  gover (and gover-shim when built), README.md, LICENSE
//	B/download/v1.2.3/gover_1.2.3_windows_amd64.zip   gover.exe ...
//
// The redirect-or-text rule for "latest" keeps mirrors static (one small file)
// and spares GitHub's rate-limited API.
//
// Trust: a release is accepted only if its checksums file carries a valid
// signature by one of the release keys built into gover ([PinnedKeys],
// release/keys/*.asc; SECURITY.md), and its archive's SHA-256 is the one
// listed there. Every URL, redirects included, must be https (http only on
// loopback, for tests). Nothing downloaded runs before both checks passed.
// Tests put their own key in [Source].Keys; nothing a mirror, a flag or an
// environment variable controls can.
//
// Updating the running binary, step by step (Updater.Install does all of
// it, staged in a folder next to exe):
//
//	src := release.Source{BaseURL: release.DefaultBaseURL, Download: &download.Downloader{Client: client}}
//	v, err := src.Latest(ctx)
//	a, err := src.Fetch(ctx, v, versions.Host(), stage) // signature, then SHA-256
//	bins, err := release.Extract(a.Path, stage, release.Binaries(runtime.GOOS))
//	err = fsx.Replace(bins["gover"], exe) // atomic rename; on Windows the running exe moves aside
//
// or in one call, which also refuses a downgrade unless AllowDowngrade:
//
//	u := &release.Updater{Source: src, Exe: exe, Platform: versions.Host(), Current: "1.2.0", Log: os.Stderr}
//	a, err := u.Install(ctx, v)
//
// Windows cannot delete a running gover.exe, so fsx.Replace renames it to
// gover.exe.old; cmd/gover calls [RemoveOld] first thing on every run.
//
// The pure parts (names, versions, checksum files, package-manager detection)
// are separate from the I/O (fetch.go, keys.go, extract.go, update.go).
package release

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/gover/gover/versions"
)

// DefaultBaseURL is where gover's releases are published.
const DefaultBaseURL = "https://github.com/gover/gover/releases"

// platforms is every platform .goreleaser.yml builds.
var platforms = []versions.Platform{
	{OS: "darwin", Arch: "amd64"}, {OS: "darwin", Arch: "arm64"},
	{OS: "linux", Arch: "amd64"}, {OS: "linux", Arch: "arm64"},
	{OS: "windows", Arch: "386"}, {OS: "windows", Arch: "amd64"}, {OS: "windows", Arch: "arm64"},
}

// Platforms reports every platform gover is released for.
func Platforms() []versions.Platform { return append([]versions.Platform(nil), platforms...) }

// ParseVersion checks that s names a gover release (1.2.3, v1.2.3,
// 1.3.0-rc.1) and returns it without the "v". Versions become parts of URLs
// and file names, so nothing else gets through.
func ParseVersion(s string) (string, error) {
	v := strings.TrimPrefix(strings.TrimSpace(s), "v")
	if _, err := semver.StrictNewVersion(v); err != nil {
		return "", fmt.Errorf("invalid gover version %q: want a release such as 1.2.3", s)
	}
	return v, nil
}

// Newer reports whether candidate is a newer release than current. A current
// version that is not a release (a "devel" build from source) is older than
// every release.
func Newer(candidate, current string) bool {
	c, err := semver.StrictNewVersion(strings.TrimPrefix(candidate, "v"))
	if err != nil {
		return false
	}
	cur, err := semver.StrictNewVersion(strings.TrimPrefix(current, "v"))
	if err != nil {
		return true
	}
	return c.GreaterThan(cur)
}

// ArchiveName is the release archive for a version and platform, exactly as
// .goreleaser.yml names it: zip on Windows, tar.gz elsewhere.
func ArchiveName(version string, p versions.Platform) string {
	return "gover_" + version + "_" + p.OS + "_" + p.Arch + p.ArchiveExt()
}

// ChecksumsName is the checksums file published with a version.
func ChecksumsName(version string) string {
	return "gover_" + version + "_checksums.txt"
}

// SignatureName is the detached, armored OpenPGP signature of the checksums
// file, made with the project's release key (see SECURITY.md).
func SignatureName(version string) string {
	return ChecksumsName(version) + ".asc"
}

// DownloadURL is where a file of a release lives under base.
func DownloadURL(base, version, file string) string {
	return strings.TrimSuffix(base, "/") + "/download/v" + version + "/" + file
}

// Binaries lists the executables a release archive for goos may hold, in
// the order they are installed: gover itself, then the go shim when the
// release ships it as a separate program.
func Binaries(goos string) []string {
	if goos == "windows" {
		return []string{"gover.exe", "gover-shim.exe"}
	}
	return []string{"gover", "gover-shim"}
}

// ParseChecksums reads a checksums file in sha256sum's format ("<hex>  <name>",
// or "<hex> *<name>" in binary mode) into a map from file name to lowercase
// hex digest. Blank lines are skipped; anything else malformed is an error,
// and so is a name listed twice with different digests.
func ParseChecksums(data []byte) (map[string]string, error) {
	sums := make(map[string]string)
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		sum, name, ok := strings.Cut(line, " ")
		name = strings.TrimPrefix(strings.TrimPrefix(name, " "), "*")
		if !ok || len(sum) != 64 || name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\\") || filepath.Base(name) != name {
			return nil, fmt.Errorf("checksums line %d is not \"<sha256>  <file>\": %q", n, line)
		}
		if _, err := hex.DecodeString(sum); err != nil {
			return nil, fmt.Errorf("checksums line %d: %q is not a hex sha256", n, sum)
		}
		sum = strings.ToLower(sum)
		if old, dup := sums[name]; dup && old != sum {
			return nil, fmt.Errorf("checksums list %s twice with different digests", name)
		}
		sums[name] = sum
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading checksums: %w", err)
	}
	return sums, nil
}

// ManagedBy reports which package manager installed the executable at exe,
// and the command that updates it there, or "" when gover installed itself.
// Replacing a binary a package manager owns would leave that manager's
// records wrong, so self-update defers to it.
func ManagedBy(exe string) (manager, update string) {
	p := strings.ToLower(filepath.ToSlash(exe))
	p = strings.ReplaceAll(p, "\\", "/")
	switch {
	case strings.Contains(p, "/cellar/gover/") || strings.Contains(p, "/caskroom/gover/"):
		return "Homebrew", "brew upgrade gover"
	case strings.Contains(p, "/scoop/apps/gover/"):
		return "Scoop", "scoop update gover"
	case strings.Contains(p, "/microsoft/winget/packages/"):
		return "WinGet", "winget upgrade gover.gover"
	}
	return "", ""
}
