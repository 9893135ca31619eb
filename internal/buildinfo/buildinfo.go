// Package buildinfo is the one place that knows which gover this is.
//
// Release builds stamp it through the linker:
//
//	go build -ldflags "-X github.com/gover/gover/internal/buildinfo.version=1.2.3 \
//	  -X github.com/gover/gover/internal/buildinfo.commit=abc1234 \
//	  -X github.com/gover/gover/internal/buildinfo.date=2026-11-21T10:00:00Z" ./cmd/gover
//
// A `go install` build is not stamped; [Get] then falls back to what the Go
// toolchain recorded in the binary (module version, VCS revision and time).
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Set by -ldflags -X at release time. The linker can only stamp package-level
// string variables, which is why these are not injected like everything else.
var (
	version string
	commit  string
	date    string
)

// Info describes a gover build.
type Info struct {
	Version string `json:"version"`
	Commit  string `json:"commit,omitempty"`
	Date    string `json:"date,omitempty"`
	Go      string `json:"go"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
}

// Get reports the stamped build information, filling gaps from the Go
// toolchain's own record of the build.
func Get() Info {
	info := Info{Version: version, Commit: commit, Date: date, Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			info.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && info.Commit == "":
				info.Commit = s.Value
			case s.Key == "vcs.time" && info.Date == "":
				info.Date = s.Value
			}
		}
	}
	if info.Version == "" {
		info.Version = "devel"
	}
	return info
}

// String is the one-line form `gover --version` prints.
func (i Info) String() string {
	s := i.Version
	if i.Commit != "" {
		c := i.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		s += " (" + c
		if i.Date != "" {
			s += ", " + i.Date
		}
		s += ")"
	}
	return fmt.Sprintf("%s %s %s/%s", s, i.Go, i.OS, i.Arch)
}
