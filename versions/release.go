package versions

import "strings"

// Release is one entry of the go.dev/dl JSON index
// (https://go.dev/dl/?mode=json&include=all), as served by
// golang/website internal/dl. Version is the release name, "go1.22.5".
// versions/index parses and validates the index.
type Release struct {
	Version string `json:"version"`
	Stable  bool   `json:"stable"`
	Files   []File `json:"files"`
}

// File is one downloadable file of a Release.
type File struct {
	Filename string `json:"filename"` // "go1.22.5.linux-amd64.tar.gz"
	OS       string `json:"os"`       // GOOS; "" for the source archive
	Arch     string `json:"arch"`     // GOARCH, "armv6l" for linux/arm; "" for the source archive
	Version  string `json:"version"`  // "go1.22.5"
	SHA256   string `json:"sha256"`   // lower-case hex
	Size     int64  `json:"size"`     // bytes
	Kind     string `json:"kind"`     // "archive", "installer" or "source"
}

// File kinds in the index.
const (
	KindArchive   = "archive"
	KindInstaller = "installer"
	KindSource    = "source"
)

// Archive returns the SDK archive of r for p: the .zip on Windows and the
// .tar.gz elsewhere, never an installer. The index names 32-bit ARM
// "armv6l"; any arch spelling ParseArch knows matches.
func (r Release) Archive(p Platform) (File, bool) {
	for _, f := range r.Files {
		if f.Kind != KindArchive || f.OS != p.OS || !strings.HasSuffix(f.Filename, p.ArchiveExt()) {
			continue
		}
		if arch, err := ParseArch(f.Arch); err != nil || arch != p.Arch {
			continue
		}
		return f, true
	}
	return File{}, false
}

// ParsedVersion returns the parsed r.Version, or the zero Version if it is
// not a valid Go version.
func (r Release) ParsedVersion() Version {
	v, err := Parse(r.Version)
	if err != nil {
		return Version{}
	}
	return v
}
