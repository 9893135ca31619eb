// Package spec parses what a user asks for when naming a Go version, and
// picks the release that answers it.
//
//	s, err := spec.Parse("1.22")
//	v, ok := s.Resolve(installed)                      // newest installed 1.22.x
//	r, f, ok := s.ResolveRelease(index, versions.Host()) // newest 1.22.x with an archive here
//
// A spec is one of:
//
//   - An exact version: "1.22.5", "go1.22.5", "1.22rc1", "1.22beta1". Pin a
//     first release from before Go 1.21 as "1.20.0" (the release named
//     go1.20).
//   - A minor: "1.22" or "go1.22", the newest final 1.22.x release. When no
//     final release of that minor exists among the candidates (1.23 before
//     1.23.0 ships), the newest pre-release of it is chosen instead, so
//     "1.23" finds 1.23rc1 during the freeze. "1.20" is a minor too, even
//     though go1.20 was also the name of a release.
//   - "latest" or "stable": the newest final release. Betas and release
//     candidates never match, and in a release index only releases flagged
//     stable do (go.dev flags every final release stable). The two words are
//     synonyms; "stable" reads better in .go-version files.
//   - A constraint, handled by github.com/Masterminds/semver/v3: "~1.22",
//     "^1.21", ">=1.21 <1.23", "1.22.x", "1.21 - 1.22", ">=1.21, <1.23 || 1.19.x".
//     Go versions map to semver as 1.20 → 1.20.0, 1.22.5 → 1.22.5,
//     1.22beta1 → 1.22.0-beta.1 and 1.22rc1 → 1.22.0-rc.1, which keeps Go's
//     order beta < rc < final. As in semver, a partial version stands for
//     its whole minor where that makes sense: "<=1.20" includes 1.20.14, and
//     "<=1.20.0" does not. Go names may be used inside a constraint
//     (">=go1.22rc1"). As in semver, a constraint matches pre-releases only if
//     one of its terms names a pre-release: ">=1.22" never picks 1.23rc1,
//     ">=1.23.0-rc.1" or ">=1.23rc1" does.
//
// Language versions such as 1.21 (from go.mod's go line) are not releases
// and match no spec.
package spec

import (
	"errors"
	"strconv"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/gover/gover/versions"
)

type kind uint8

const (
	kindNone       kind = iota
	kindExact           // one version
	kindMinor           // newest of one minor
	kindLatest          // newest final release
	kindConstraint      // semver constraint
)

// Spec is a parsed version request. The zero Spec matches nothing.
type Spec struct {
	kind kind
	text string           // canonical text, for String
	v    versions.Version // kindExact: the version; kindMinor: its language version
	c    *semver.Constraints
}

// usage is appended to every parse error so the user sees what would work.
const usage = "want a version (1.22.5, go1.22.5, 1.22rc1), a minor (1.22), latest, stable, " +
	"or a constraint (~1.22, >=1.21 <1.23, 1.22.x)"

func bad(s, reason string) error {
	return errors.New("invalid version spec " + strconv.Quote(s) + ": " + reason + "; " + usage)
}

// Parse parses a version request; see the package documentation for the
// forms. Surrounding space is ignored.
func Parse(s string) (Spec, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Spec{}, bad(s, "empty")
	}
	if len(t) > semver.MaxConstraintLen {
		return Spec{}, bad(s[:32]+"...", "longer than "+strconv.Itoa(semver.MaxConstraintLen)+" characters")
	}
	switch strings.ToLower(t) {
	case "latest", "stable":
		return Spec{kind: kindLatest, text: strings.ToLower(t)}, nil
	}
	if !isConstraint(t) {
		if d := strings.TrimPrefix(strings.ToLower(t), "go"); d == "" || d[0] < '0' || d[0] > '9' {
			return Spec{}, bad(s, "not a Go version")
		}
		v, err := versions.Parse(t)
		if err != nil {
			var se *versions.SyntaxError
			if errors.As(err, &se) {
				return Spec{}, bad(s, se.Reason)
			}
			return Spec{}, bad(s, err.Error())
		}
		if isMinor(t) {
			l := v.LangVersion()
			return Spec{kind: kindMinor, text: l.Lang(), v: l}, nil
		}
		text := v.String()
		if isMinor(text) {
			// go1.20 as an exact pin: "1.20" alone would read back as a minor.
			text += ".0"
		}
		return Spec{kind: kindExact, text: text, v: v}, nil
	}
	c, err := semver.NewConstraint(goToSemver(t))
	if err != nil {
		// The semver library's words ("improper constraint") mean nothing
		// to someone who typed a Go version range.
		return Spec{}, bad(s, "not a version range (conditions are separated by spaces or commas, alternatives by ||)")
	}
	return Spec{kind: kindConstraint, text: t, c: c}, nil
}

// isConstraint reports whether t uses constraint syntax: an operator, a
// separator or a wildcard. Anything else must be a Go version, so that a
// typo like "1.22-rc1" is rejected instead of read as a semver pre-release.
func isConstraint(t string) bool {
	return strings.ContainsAny(t, "<>=!~^|, *xX")
}

// isMinor reports whether the valid Go version t is a bare major.minor,
// with or without the go prefix.
func isMinor(t string) bool {
	t = strings.TrimPrefix(t, "go")
	return strings.Count(t, ".") == 1 && !strings.ContainsAny(t, "abcdefghijklmnopqrstuvwxyz")
}

// goToSemver rewrites the Go-style versions in a constraint ("go1.22.5",
// "1.22rc1") to semver; everything else passes through.
func goToSemver(t string) string {
	var b strings.Builder
	for len(t) > 0 {
		i := strings.IndexFunc(t, isWordByte)
		if i < 0 {
			b.WriteString(t)
			break
		}
		b.WriteString(t[:i])
		t = t[i:]
		j := strings.IndexFunc(t, func(r rune) bool { return !isWordByte(r) })
		if j < 0 {
			j = len(t)
		}
		word := t[:j]
		t = t[j:]
		if len(word) > 2 && strings.HasPrefix(word, "go") && '0' <= word[2] && word[2] <= '9' {
			word = word[2:] // go1.22.x
		}
		if v, err := versions.Parse(word); err == nil && v.Prerelease() {
			word = toSemver(v).String()
		}
		b.WriteString(word)
	}
	return b.String()
}

func isWordByte(r rune) bool {
	return '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || r == '.'
}

// toSemver maps a Go version to semver: 1.20 → 1.20.0, 1.22rc1 → 1.22.0-rc.1.
func toSemver(v versions.Version) *semver.Version {
	pre := ""
	if kind, n := v.Pre(); kind != "" {
		pre = kind + "." + strconv.Itoa(n)
	}
	return semver.New(uint64(v.Major()), uint64(v.Minor()), uint64(v.Patch()), pre, "")
}

// String returns the spec in canonical form: "1.22.5", "1.22", "latest",
// "stable", or the constraint as written.
func (s Spec) String() string { return s.text }

// IsZero reports whether s is the zero Spec.
func (s Spec) IsZero() bool { return s.kind == kindNone }

// Exact returns the version an exact spec names. It reports false for
// minors, latest, stable and constraints, which need a list of candidates
// to resolve.
func (s Spec) Exact() (versions.Version, bool) {
	if s.kind != kindExact {
		return versions.Version{}, false
	}
	return s.v, true
}

// Match reports whether v satisfies s on its own. For a minor, that is
// every release and pre-release of the minor; Resolve then prefers final
// releases.
func (s Spec) Match(v versions.Version) bool {
	if v.IsZero() || v.IsLang() {
		return false
	}
	switch s.kind {
	case kindExact:
		return v == s.v
	case kindMinor:
		return v.Major() == s.v.Major() && v.Minor() == s.v.Minor()
	case kindLatest:
		return !v.Prerelease()
	case kindConstraint:
		return s.c.Check(toSemver(v))
	}
	return false
}

// better reports whether a matching v should be chosen over the matching
// best so far. A minor prefers any final release to any pre-release.
func (s Spec) better(v, best versions.Version) bool {
	if best.IsZero() {
		return true
	}
	if s.kind == kindMinor && v.Prerelease() != best.Prerelease() {
		return !v.Prerelease()
	}
	return versions.Compare(v, best) > 0
}

// Resolve returns the newest candidate matching s, preferring final
// releases for a minor. It reports false if none matches.
func (s Spec) Resolve(candidates []versions.Version) (versions.Version, bool) {
	var best versions.Version
	for _, v := range candidates {
		if s.Match(v) && s.better(v, best) {
			best = v
		}
	}
	return best, !best.IsZero()
}

// ResolveRelease returns the newest release in rs that matches s and has an
// SDK archive for p, with that archive. Releases with invalid version
// strings are skipped; latest and stable also skip releases the index does
// not flag stable.
func (s Spec) ResolveRelease(rs []versions.Release, p versions.Platform) (versions.Release, versions.File, bool) {
	var (
		best     versions.Version
		bestRel  versions.Release
		bestFile versions.File
	)
	for _, r := range rs {
		v, err := versions.Parse(r.Version)
		if err != nil || !s.Match(v) || s.kind == kindLatest && !r.Stable || !s.better(v, best) {
			continue
		}
		f, ok := r.Archive(p)
		if !ok {
			continue
		}
		best, bestRel, bestFile = v, r, f
	}
	return bestRel, bestFile, !best.IsZero()
}
