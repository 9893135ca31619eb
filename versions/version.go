// Package versions is gover's model of Go versions: what a Go release is
// called, how releases order, which platforms exist, and the go.dev/dl release
// index.
//
// A Version is a parsed Go release or language version:
//
//	v, err := versions.Parse("go1.22.5") // also "1.22.5", "1.22rc1", "1.22beta1", "1.20", "1.22"
//	v.String() // "1.22.5"
//	v.Name()   // "go1.22.5", the store directory and toolchain module name
//	v.Lang()   // "1.22"
//
// Versions order exactly as the standard library's go/version does:
//
//	1.20beta1 < 1.20rc1 < 1.20 == 1.20.0 < 1.20.1 < 1.21 < 1.21rc1 < 1.21.0
//
// Up to Go 1.20 the first release of a minor was named without a patch
// ("go1.20"), so "1.20" and "1.20.0" are the same version and print as "1.20".
// From Go 1.21 on, "1.21" is the language version, which sorts below the
// release candidates and the first release "1.21.0".
//
// Parse is strict because version strings end up in file paths: digits only,
// no leading zeros, no spaces, no "v", and bounded length. Only beta and rc
// pre-releases exist.
//
// This package is linked into the go shim, so it imports only small parts of
// the standard library (no fmt, no encoding/json, no net/http); see
// versions/index for the go.dev/dl JSON index and versions/spec for version
// constraints.
package versions

import (
	"slices"
	"strconv"
	"strings"
)

// Bounds on what Parse accepts; they keep absurd input away from paths and
// out of integer overflow.
const (
	maxLen    = 32   // longest accepted input, "go" prefix included
	maxNumLen = 4    // digits in one number
	maxPre    = 1000 // highest beta/rc number; go1.x releases never needed more than rc4
)

// Pre-release kinds, ordered as go/version orders them: beta < rc < final.
// The zero value is a final release (or a language version).
const (
	kindNone uint8 = iota
	kindBeta
	kindRC
)

// Version is a parsed Go version. It is a comparable value; the zero value
// means no version. Compare orders versions; == reports whether two versions
// are the same ("1.20" and "1.20.0" are).
type Version struct {
	major, minor int32
	patch        int32 // -1: none (a language version like 1.21, or a pre-release)
	kind         uint8 // kindNone, kindBeta, kindRC
	pre          int32 // beta/rc number; 0 for final releases
}

// SyntaxError reports a string that is not a valid Go version.
type SyntaxError struct {
	Input  string // the string as given
	Reason string // what is wrong with it
}

func (e *SyntaxError) Error() string {
	return "invalid Go version " + strconv.Quote(e.Input) + ": " + e.Reason +
		" (want a version like 1.22.5, go1.22.5, 1.22rc1 or 1.22)"
}

// Parse parses a Go version with or without the "go" prefix: "1.22.5",
// "go1.22.5", "1.22rc1", "1.22beta1", "1.21.0", "1.20", "1.22".
func Parse(s string) (Version, error) {
	bad := func(reason string) (Version, error) {
		return Version{}, &SyntaxError{Input: s, Reason: reason}
	}
	if s == "" {
		return bad("empty")
	}
	if len(s) > maxLen {
		return bad("longer than " + strconv.Itoa(maxLen) + " characters")
	}
	x := strings.TrimPrefix(s, "go")
	if x == "" {
		return bad("no version number after \"go\"")
	}
	if x[0] == 'v' || x[0] == 'V' {
		return bad("no \"v\" prefix allowed")
	}

	var v Version
	var err string
	if v.major, x, err = cutNum(x, "major version"); err != "" {
		return bad(err)
	}
	if v.major == 0 {
		return bad("major version must be at least 1")
	}
	if x == "" {
		return bad("missing minor version")
	}
	if x[0] != '.' {
		return bad("unexpected " + strconv.Quote(x[:1]) + " after major version")
	}
	if v.minor, x, err = cutNum(x[1:], "minor version"); err != "" {
		return bad(err)
	}
	v.patch = -1
	switch {
	case x == "":
		// Before Go 1.21 a bare X.Y named the first release of that minor.
		if v.minor < 21 {
			v.patch = 0
		}
		return v, nil
	case x[0] == '.':
		if v.patch, x, err = cutNum(x[1:], "patch version"); err != "" {
			return bad(err)
		}
		if x != "" {
			return bad("unexpected " + strconv.Quote(x) + " after patch version")
		}
		return v, nil
	}

	switch {
	case strings.HasPrefix(x, "beta"):
		v.kind, x = kindBeta, x[len("beta"):]
	case strings.HasPrefix(x, "rc"):
		v.kind, x = kindRC, x[len("rc"):]
	default:
		return bad("unexpected " + strconv.Quote(x) + " after minor version")
	}
	if v.pre, x, err = cutNum(x, "pre-release number"); err != "" {
		return bad(err)
	}
	if x != "" {
		return bad("unexpected " + strconv.Quote(x) + " after pre-release number")
	}
	if v.pre == 0 || v.pre > maxPre {
		return bad("pre-release number must be between 1 and " + strconv.Itoa(maxPre))
	}
	return v, nil
}

// cutNum parses the decimal number at the start of x. It returns a non-empty
// reason naming what (a "major version", say) is malformed.
func cutNum(x, what string) (n int32, rest string, reason string) {
	i := 0
	for i < len(x) && '0' <= x[i] && x[i] <= '9' {
		i++
	}
	switch {
	case i == 0:
		return 0, "", "missing " + what
	case i > 1 && x[0] == '0':
		return 0, "", "leading zero in " + what
	case i > maxNumLen:
		return 0, "", what + " has more than " + strconv.Itoa(maxNumLen) + " digits"
	}
	for _, c := range x[:i] {
		n = n*10 + int32(c-'0')
	}
	return n, x[i:], ""
}

// MustParse is like Parse but panics on error. It is for constants in code
// and tests.
func MustParse(s string) Version {
	v, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return v
}

// Compare returns -1, 0 or +1 as a is older than, the same as, or newer
// than b. It agrees with go/version.Compare on the "go"-prefixed names. The
// zero Version sorts before every version.
func Compare(a, b Version) int {
	if c := cmpInt(a.major, b.major); c != 0 {
		return c
	}
	if c := cmpInt(a.minor, b.minor); c != 0 {
		return c
	}
	if c := cmpInt(a.patch, b.patch); c != 0 {
		return c
	}
	if c := cmpInt(int32(a.kind), int32(b.kind)); c != 0 {
		return c
	}
	return cmpInt(a.pre, b.pre)
}

func cmpInt(a, b int32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return +1
	}
	return 0
}

// Less reports whether a is older than b.
func Less(a, b Version) bool { return Compare(a, b) < 0 }

// Sort sorts vs from oldest to newest.
func Sort(vs []Version) { slices.SortFunc(vs, Compare) }

// Max returns the newest of vs, or the zero Version if vs is empty.
func Max(vs []Version) Version {
	var m Version
	for _, v := range vs {
		if m.IsZero() || Compare(v, m) > 0 {
			m = v
		}
	}
	return m
}

// String returns the canonical form without the "go" prefix: "1.22.5",
// "1.22rc1", "1.22beta2", "1.22" (a language version) or "1.20" (the first
// Go 1.20 release). The zero Version prints as "".
func (v Version) String() string {
	if v.IsZero() {
		return ""
	}
	b := make([]byte, 0, 16)
	return string(v.append(b))
}

// Name returns the release name with the "go" prefix, as used for store
// directories, toolchain module versions and archive file names: "go1.22.5".
func (v Version) Name() string {
	if v.IsZero() {
		return ""
	}
	b := make([]byte, 0, 18)
	return string(v.append(append(b, "go"...)))
}

func (v Version) append(b []byte) []byte {
	b = strconv.AppendInt(b, int64(v.major), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(v.minor), 10)
	switch {
	case v.kind == kindBeta:
		b = strconv.AppendInt(append(b, "beta"...), int64(v.pre), 10)
	case v.kind == kindRC:
		b = strconv.AppendInt(append(b, "rc"...), int64(v.pre), 10)
	case v.patch > 0 || v.patch == 0 && v.minor >= 21:
		b = strconv.AppendInt(append(b, '.'), int64(v.patch), 10)
	}
	return b
}

// MarshalText implements encoding.TextMarshaler with the canonical form, so
// versions read and write as "1.22.5" in JSON manifests.
func (v Version) MarshalText() ([]byte, error) { return v.append(nil), nil }

// UnmarshalText implements encoding.TextUnmarshaler with Parse.
func (v *Version) UnmarshalText(b []byte) error {
	p, err := Parse(string(b))
	if err != nil {
		return err
	}
	*v = p
	return nil
}

// Lang returns the language version, the major and minor: "1.22" for 1.22.5,
// 1.22rc1 and 1.22.
func (v Version) Lang() string {
	if v.IsZero() {
		return ""
	}
	return strconv.Itoa(int(v.major)) + "." + strconv.Itoa(int(v.minor))
}

// LangVersion returns the language version as a Version. For Go 1.21 and
// later that is the bare X.Y, which sorts below every release of that minor;
// before Go 1.21 it is the same as the first release X.Y.
func (v Version) LangVersion() Version {
	if v.IsZero() {
		return v
	}
	l := Version{major: v.major, minor: v.minor, patch: -1}
	if l.minor < 21 {
		l.patch = 0
	}
	return l
}

// IsZero reports whether v is the zero Version, meaning no version.
func (v Version) IsZero() bool { return v == Version{} }

// Prerelease reports whether v is a beta or release candidate.
func (v Version) Prerelease() bool { return v.kind != kindNone }

// IsLang reports whether v is a language version like "1.21" rather than a
// release. Before Go 1.21, "1.20" names a release and IsLang is false.
func (v Version) IsLang() bool { return !v.IsZero() && v.patch < 0 && v.kind == kindNone }

// IsRelease reports whether v names a final release: not a pre-release and
// not a language version.
func (v Version) IsRelease() bool { return !v.IsZero() && v.patch >= 0 }

// Major returns the major version, 1 for every Go release so far.
func (v Version) Major() int { return int(v.major) }

// Minor returns the minor version: 22 for 1.22.5.
func (v Version) Minor() int { return int(v.minor) }

// Patch returns the patch version: 5 for 1.22.5, and 0 for 1.20, 1.22,
// 1.22rc1 and other versions without one.
func (v Version) Patch() int { return int(max(v.patch, 0)) }

// Pre returns the pre-release kind ("beta" or "rc") and number: "rc", 1 for
// 1.22rc1. Final releases and language versions return "", 0.
func (v Version) Pre() (kind string, n int) {
	switch v.kind {
	case kindBeta:
		return "beta", int(v.pre)
	case kindRC:
		return "rc", int(v.pre)
	}
	return "", 0
}
