package fake

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
)

// releaseTestKey is a fixed OpenPGP key pair, private half included, that
// stands in for gover's release key in tests that run a built gover: such a
// gover is built with -tags gover_testkey, which adds this key's public
// half to the pinned release keys (cmd/gover/releasekeys_testkey.go). No
// release is built with that tag, and nothing at run time can add a key.
//
//go:embed release-test-key.asc
var releaseTestKey []byte

// ReleaseTestFingerprint is the primary fingerprint of the release test key.
const ReleaseTestFingerprint = "9ED7B840C8F8088D5CB31BDBC65ED01FC0FF6F88"

func releaseTestEntity() (*openpgp.Entity, error) {
	list, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(releaseTestKey))
	if err != nil || len(list) != 1 {
		return nil, fmt.Errorf("reading the release test key: %v", err)
	}
	return list[0], nil
}

// ReleaseTestPublicKey returns the armored public half of the release test
// key.
func ReleaseTestPublicKey() ([]byte, error) {
	e, err := releaseTestEntity()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.PublicKeyType, nil)
	if err != nil {
		return nil, err
	}
	if err := e.Serialize(w); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// SignRelease returns an armored detached signature over data by the
// release test key, as `gpg --armor --detach-sign` makes for a release's
// checksums file.
func SignRelease(data []byte) ([]byte, error) {
	e, err := releaseTestEntity()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := openpgp.ArmoredDetachSign(&buf, e, bytes.NewReader(data), nil); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
