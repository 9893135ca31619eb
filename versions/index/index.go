// Package index parses the go.dev/dl JSON release index
// (https://go.dev/dl/?mode=json&include=all) into versions.Release values,
// validating every field gover later uses in a path or a check.
//
//	rs, err := index.Parse(body)
//	for _, r := range rs {
//		if f, ok := r.Archive(versions.Host()); ok {
//			fmt.Println(r.Version, f.Filename, f.SHA256)
//		}
//	}
//
// It lives apart from package versions because encoding/json would add
// about 0.8 MB and the reflect package to the go shim, which links versions
// but never reads the index.
package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/gover/gover/versions"
)

// Parse decodes and validates a go.dev/dl JSON index.
//
// Releases whose version gover cannot name are left out: the index carries
// a few historic oddities such as go1.9.2rc2 (a pre-release of a patch
// release, which go/version does not accept either), and nothing can ask
// for them. Everything else is checked, and any violation rejects the whole
// index, since a server sending one hostile entry is not to be trusted for
// the others: file versions must match their release, file names must be
// plain "goX.Y..." names (they become paths), SHA-256 sums must be 64
// lower-case hex digits, and sizes must not be negative.
//
// Some very old files have no SHA-256 in the index; their SHA256 is "" and
// installing them needs another source of trust. Files of an unknown kind,
// OS or architecture (a port newer than gover) are kept; Release.Archive
// never picks them.
func Parse(data []byte) ([]versions.Release, error) {
	var all []versions.Release
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, fmt.Errorf("parsing Go release index: %w", err)
	}
	rs := all[:0]
	for i, r := range all {
		if _, err := versions.Parse(r.Version); err != nil || !strings.HasPrefix(r.Version, "go") {
			continue
		}
		for _, f := range r.Files {
			if err := validateFile(r, f); err != nil {
				return nil, fmt.Errorf("Go release index entry %d (%s): file %q: %w", i, r.Version, f.Filename, err)
			}
		}
		rs = append(rs, r)
	}
	return rs, nil
}

func validateFile(r versions.Release, f versions.File) error {
	if f.Version != r.Version {
		return fmt.Errorf("version %q differs from its release", f.Version)
	}
	// The file name becomes a path in the download cache and a URL path.
	if strings.ContainsAny(f.Filename, `/\:%?#`) || strings.Contains(f.Filename, "..") ||
		!strings.HasPrefix(f.Filename, r.Version+".") || len(f.Filename) > 128 {
		return errors.New("file name is not a plain " + r.Version + ".* name")
	}
	if f.SHA256 != "" && !isSHA256(f.SHA256) {
		return fmt.Errorf("sha256 %q is not 64 lower-case hex digits", f.SHA256)
	}
	if f.Size < 0 {
		return fmt.Errorf("negative size %d", f.Size)
	}
	return nil
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
