//go:build !gover_testkey

package main

import (
	"github.com/gover/gover/release"
	"github.com/gover/gover/store/verify"
)

// releaseKeys are the keys self-update accepts a release signed with: the
// ones built into gover. Only a test build (-tags gover_testkey) adds one.
func releaseKeys() ([]*verify.Keyring, error) { return release.PinnedKeys() }
