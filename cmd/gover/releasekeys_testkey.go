//go:build gover_testkey

package main

import (
	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/release"
	"github.com/gover/gover/store/verify"
)

// releaseKeys, in a gover built for the end-to-end tests, are the pinned
// keys and the release test key of internal/fake, so that tests can publish
// signed releases. No release is built with the gover_testkey tag.
func releaseKeys() ([]*verify.Keyring, error) {
	keys, err := release.PinnedKeys()
	if err != nil {
		return nil, err
	}
	pub, err := fake.ReleaseTestPublicKey()
	if err != nil {
		return nil, err
	}
	kr, err := verify.NewKeyring(pub, fake.ReleaseTestFingerprint)
	if err != nil {
		return nil, err
	}
	return append(append([]*verify.Keyring(nil), keys...), kr), nil
}
