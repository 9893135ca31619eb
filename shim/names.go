package shim

// Version names as the shim handles them: exact or not, ordering, and the
// validation a version passes before it becomes part of a path.

import (
	"fmt"
	"strings"

	"github.com/gover/gover/versions"
)

// IsExact reports whether name ("go1.22.5", "go1.22", "go1.23rc1") names
// one release. Minor versions ("go1.22", and "go1.20", which ParseSpec
// also makes of "1.20.0") mean the newest patch and are not exact.
func IsExact(name string) bool {
	v, err := versions.Parse(name)
	if err != nil {
		return false
	}
	return v.Prerelease() || strings.Count(name, ".") >= 2
}

// prerelease reports whether name is a beta or release candidate.
func prerelease(name string) bool {
	v, err := versions.Parse(name)
	return err == nil && v.Prerelease()
}

// cmp orders two valid go-prefixed versions as go/version does.
func cmp(a, b string) int {
	va, _ := versions.Parse(a)
	vb, _ := versions.Parse(b)
	return versions.Compare(va, vb)
}

// validGoLine reports whether a go line's value is a Go version as
// cmd/go writes it ("1.22", "1.22.3", "1.23rc1"; no "go" prefix).
func validGoLine(v string) bool {
	if strings.HasPrefix(v, "go") {
		return false
	}
	_, err := versions.Parse(v)
	return err == nil
}

// maxSpec bounds version strings read from files: a real one is at most
// a dozen bytes.
const maxSpec = 32

// ParseSpec validates a version as a user writes it ("1.22.5", "go1.22.5",
// "1.22", "1.23rc1", "go1.21.3-bigcorp") and returns the canonical
// go-prefixed name without suffix: "go1.22.5", or "go1.22" for a minor
// version, which asks for its newest patch. It is strict on purpose: the
// result becomes part of a file path (goenv CVE-2022-35861), so it must
// pass versions.Parse, which allows only digits, dots and rc/beta.
func ParseSpec(s string) (string, error) {
	if len(s) > maxSpec {
		return "", fmt.Errorf("invalid Go version %.32q...", s)
	}
	x := s
	if i := strings.IndexByte(x, '-'); i >= 0 {
		// Toolchain suffixes (go1.21.3-bigcorp) name a vendor build of
		// that release; the release is what gover can install.
		x = x[:i]
	}
	v, err := versions.Parse(x)
	if err != nil {
		if x != s {
			return "", fmt.Errorf("invalid Go version %q", s)
		}
		return "", err
	}
	if strings.Count(x, ".") == 1 && !v.Prerelease() {
		return "go" + v.Lang(), nil
	}
	return v.Name(), nil
}
