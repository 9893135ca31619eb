package release

import (
	"embed"
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/gover/gover/store/verify"
)

// keyFiles are the public halves of the keys gover's releases are signed
// with, one file per key, named gover-release-<primary fingerprint>.asc.
// The private halves live only in the release CI's secrets (SECURITY.md).
// To rotate, add the new key's file in one release, sign the releases after
// it with the new key, and remove the old file once no supported gover
// needs it.
//
//go:embed keys/*.asc
var keyFiles embed.FS

var pinned struct {
	once  sync.Once
	rings []*verify.Keyring
	err   error
}

// PinnedKeys returns the release keys built into gover, each pinned to the
// fingerprint its file name carries.
func PinnedKeys() ([]*verify.Keyring, error) {
	pinned.once.Do(func() { pinned.rings, pinned.err = loadKeys() })
	return pinned.rings, pinned.err
}

func loadKeys() ([]*verify.Keyring, error) {
	entries, err := keyFiles.ReadDir("keys")
	if err != nil {
		return nil, err
	}
	var rings []*verify.Keyring
	for _, e := range entries {
		fpr, ok := strings.CutPrefix(strings.TrimSuffix(e.Name(), ".asc"), "gover-release-")
		if !ok {
			return nil, fmt.Errorf("release key file %s is not named gover-release-<fingerprint>.asc", e.Name())
		}
		data, err := keyFiles.ReadFile(path.Join("keys", e.Name()))
		if err != nil {
			return nil, err
		}
		kr, err := verify.NewKeyring(data, fpr)
		if err != nil {
			return nil, fmt.Errorf("release key %s: %w", e.Name(), err)
		}
		rings = append(rings, kr)
	}
	if len(rings) == 0 {
		return nil, fmt.Errorf("no release key is built into this gover")
	}
	return rings, nil
}
