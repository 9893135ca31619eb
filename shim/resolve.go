package shim

import (
	"go/version"
	"slices"
)

// Resolve picks the SDK that satisfies sel among the installed versions
// (go-prefixed names, in any order). It reports the name to run and whether
// that SDK is installed; when it is not, name is what to install, as a
// go-prefixed version that may be partial ("go1.22").
//
// An exact selection matches only itself. A partial one ("go1.22", from a
// .go-version "1.22" or a go line) takes the newest installed patch of that
// minor that is at least sel.Min, preferring releases over prereleases
// unless sel.Min is itself a prerelease.
func Resolve(sel Selection, installed []string) (name string, ok bool) {
	if sel.Exact() {
		return sel.Version, slices.Contains(installed, sel.Version)
	}
	allowPre := prerelease(sel.Min)
	best := ""
	for _, v := range installed {
		if version.Lang(v) != sel.Version || sel.Min != "" && version.Compare(v, sel.Min) < 0 {
			continue
		}
		if prerelease(v) && !allowPre {
			continue
		}
		if best == "" || version.Compare(v, best) > 0 {
			best = v
		}
	}
	if best != "" {
		return best, true
	}
	return "go" + sel.Spec(), false
}
