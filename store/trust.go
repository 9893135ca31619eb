package store

import (
	"fmt"
	"strings"
)

// Trust says how strongly an installed SDK was verified: the strongest
// root of evidence its archive was checked against. The levels, strongest
// first:
//
//	sumdb      the toolchain module's h1 matched the Go checksum database
//	signature  a .tar.gz verified against Google's pinned release key
//	index      the SHA-256 of the release index, fetched over HTTPS
//	mirror     only a mirror's own .sha256 (refused unless opted in)
//	none       nothing was checked (--insecure-skip-verify)
//
// An install needs at least a minimum (by default [DefaultMinTrust]), and
// the manifest records both.
type Trust string

// Trust levels, strongest first.
const (
	TrustSumDB     Trust = "sumdb"
	TrustSignature Trust = "signature"
	TrustIndex     Trust = "index"
	TrustMirror    Trust = "mirror"
	TrustNone      Trust = "none"
	// TrustImported marks an SDK folder the user handed to gover import:
	// gover downloaded nothing, so it vouches for nothing. It ranks as
	// none.
	TrustImported Trust = "imported"
)

// DefaultMinTrust is the trust an install needs unless the user says
// otherwise (GOVER_MIN_TRUST, gover install --min-trust).
const DefaultMinTrust = TrustIndex

// trustOrder ranks the levels, strongest first: the one place the order is
// written down.
var trustOrder = []Trust{TrustSumDB, TrustSignature, TrustIndex, TrustMirror, TrustNone}

// legacyTrust maps the names gover's first manifests used.
var legacyTrust = map[string]Trust{
	"index-sha256":  TrustIndex,
	"user-sha256":   TrustIndex,
	"mirror-sha256": TrustMirror,
	"insecure":      TrustNone,
}

// rank is t's place in trustOrder: 0 is the strongest. Anything unknown
// ranks with none.
func (t Trust) rank() int {
	for i, o := range trustOrder {
		if o == t {
			return i
		}
	}
	return len(trustOrder) - 1
}

// AtLeast reports whether t is as strong as min or stronger.
func (t Trust) AtLeast(min Trust) bool { return t.rank() <= min.rank() }

// Stronger returns the stronger of a and b.
func Stronger(a, b Trust) Trust {
	if b.rank() < a.rank() {
		return b
	}
	return a
}

// Weaker returns the weaker of a and b.
func Weaker(a, b Trust) Trust {
	if b.rank() > a.rank() {
		return b
	}
	return a
}

// UnmarshalText reads a trust level, accepting the names older manifests
// used ("index-sha256", "insecure", ...).
func (t *Trust) UnmarshalText(b []byte) error {
	if l, ok := legacyTrust[string(b)]; ok {
		*t = l
		return nil
	}
	*t = Trust(b)
	return nil
}

// ParseMinTrust parses a required minimum as GOVER_MIN_TRUST or
// --min-trust give it: sumdb, signature, index or mirror. "none" is not a
// minimum: skipping verification is --insecure-skip-verify.
func ParseMinTrust(s string) (Trust, error) {
	t := Trust(strings.ToLower(strings.TrimSpace(s)))
	switch t {
	case TrustSumDB, TrustSignature, TrustIndex, TrustMirror:
		return t, nil
	case TrustNone:
		return "", fmt.Errorf("minimum trust %q: installing unverified SDKs is --insecure-skip-verify", s)
	}
	return "", fmt.Errorf("unknown trust level %q (want sumdb, signature, index or mirror)", s)
}
