package shim

import (
	"github.com/gover/gover/versions"
)

// Resolve picks the SDK that satisfies r among the installed versions
// (go-prefixed names, in any order). It reports the name to run and whether
// that SDK is installed; when it is not, name is what to install, as a
// go-prefixed version that may be partial ("go1.22").
//
// An exact request matches only itself. A partial one ("go1.22", from a
// .go-version "1.22" or a go line) takes the newest installed patch of that
// minor that is at least r.Min, preferring releases over prereleases
// unless r.Min is itself a prerelease.
func Resolve(r Request, installed []string) (name string, ok bool) {
	want, err := versions.Parse(r.Version)
	if err != nil {
		return r.Version, false
	}
	if r.Exact() {
		for _, s := range installed {
			if v, err := versions.Parse(s); err == nil && v == want {
				return r.Version, true
			}
		}
		return r.Version, false
	}
	var min versions.Version
	if r.Min != "" {
		min, _ = versions.Parse(r.Min)
	}
	allowPre := min.Prerelease()
	var best versions.Version
	for _, s := range installed {
		v, err := versions.Parse(s)
		if err != nil || v.Lang() != want.Lang() || versions.Compare(v, min) < 0 {
			continue
		}
		if v.Prerelease() && !allowPre {
			continue
		}
		if versions.Compare(v, best) > 0 {
			best = v
		}
	}
	if !best.IsZero() {
		return best.Name(), true
	}
	return "go" + r.Spec(), false
}

// Below reports whether pin asks for an older version than req requires:
// an exact pin older than req's minimum, or a partial pin ("1.22") whose
// whole minor is older.
func Below(pin, req Request) bool {
	need := req.Version
	if req.Min != "" {
		need = req.Min
	}
	if pin.Exact() {
		return cmp(pin.Version, need) < 0
	}
	p, _ := versions.Parse(pin.Version)
	n, _ := versions.Parse(need)
	return p.Major() < n.Major() || p.Major() == n.Major() && p.Minor() < n.Minor()
}
