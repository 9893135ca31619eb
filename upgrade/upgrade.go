// Package upgrade plans moving the Go minors in use to their newest patch
// release: which versions to install, where the global default goes and
// which superseded patches may be removed. It only decides; the caller
// installs and removes.
package upgrade

import (
	"slices"

	"github.com/gover/gover/versions"
)

// Step is one minor in use and the newest patch release of it.
type Step struct {
	Minor   string           `json:"minor"`   // "1.22"
	Current versions.Version `json:"current"` // the newest installed patch of the minor
	Latest  versions.Version `json:"latest"`  // the newest released patch
}

// Outdated reports whether a newer patch exists than the installed one.
func (s Step) Outdated() bool { return versions.Less(s.Current, s.Latest) }

// Plan lists the minors in use (those of the installed SDKs and of the
// global default) with their newest installed and newest released patch,
// oldest minor first. Prereleases are neither in use nor offered: a 1.23rc1
// is not upgraded to 1.23.0. A minor the release list does not know keeps
// its installed version as Latest.
func Plan(installed []versions.Version, global versions.Version, released []versions.Version) []Step {
	newest := map[string]versions.Version{}
	for _, v := range released {
		if v.IsRelease() && !v.Prerelease() && versions.Less(newest[v.Lang()], v) {
			newest[v.Lang()] = v
		}
	}
	inUse := map[string]versions.Version{}
	for _, v := range append(slices.Clone(installed), global) {
		if v.IsZero() || v.Prerelease() {
			continue
		}
		if versions.Less(inUse[v.Lang()], v) {
			inUse[v.Lang()] = v
		}
	}
	var steps []Step
	for minor, cur := range inUse {
		latest := newest[minor]
		if versions.Less(latest, cur) {
			latest = cur
		}
		steps = append(steps, Step{Minor: minor, Current: cur, Latest: latest})
	}
	slices.SortFunc(steps, func(a, b Step) int { return versions.Compare(a.Current, b.Current) })
	return steps
}

// Global is where the global default moves: the newest patch of its minor.
func Global(global versions.Version, steps []Step) versions.Version {
	for _, s := range steps {
		if !global.IsZero() && s.Minor == global.Lang() && versions.Less(global, s.Latest) {
			return s.Latest
		}
	}
	return global
}

// Superseded lists the installed versions that an upgrade leaves behind:
// older patches of a minor whose newest patch is installed, minus the ones
// pinned (the global default, the folder's selection, imported SDKs).
// Newest first.
func Superseded(installed []versions.Version, steps []Step, pinned func(versions.Version) bool) []versions.Version {
	latest := map[string]versions.Version{}
	for _, s := range steps {
		latest[s.Minor] = s.Latest
	}
	var out []versions.Version
	for _, v := range installed {
		l, ok := latest[v.Lang()]
		if ok && !v.Prerelease() && versions.Less(v, l) && !pinned(v) {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b versions.Version) int { return versions.Compare(b, a) })
	return out
}
