package fake

import (
	"bytes"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

func TestSigner(t *testing.T) {
	s := NewSigner(t)
	keys, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(s.Armored()))
	if err != nil || len(keys) != 1 {
		t.Fatalf("published key: %d entities, %v", len(keys), err)
	}
	e := keys[0]
	if got := s.Fingerprint(); got != fmtFP(e.PrimaryKey.Fingerprint) {
		t.Errorf("Fingerprint %s, key says %s", got, fmtFP(e.PrimaryKey.Fingerprint))
	}
	now := time.Now()
	var current, old *openpgp.Subkey
	for i := range e.Subkeys {
		switch fmtFP(e.Subkeys[i].PublicKey.Fingerprint) {
		case s.SubkeyFingerprint():
			current = &e.Subkeys[i]
		case s.ExpiredSubkeyFingerprint():
			old = &e.Subkeys[i]
		}
	}
	if current == nil || old == nil {
		t.Fatal("signing subkeys missing from the published key")
	}
	if current.PublicKey.KeyExpired(current.Sig, now) {
		t.Error("current subkey expired")
	}
	if !old.PublicKey.KeyExpired(old.Sig, now) {
		t.Error("old subkey has not expired")
	}

	data := []byte("release")
	check := func(asc []byte, at time.Time) error {
		_, err := openpgp.CheckArmoredDetachedSignature(keys, bytes.NewReader(data), bytes.NewReader(asc),
			&packet.Config{Time: func() time.Time { return at }})
		return err
	}
	if err := check(s.Sign(data), now); err != nil {
		t.Errorf("Sign: %v", err)
	}
	if err := check(s.SignWithExpiredSubkey(data), now); err == nil {
		t.Error("expired subkey's signature verifies today; the test key proves nothing")
	}
	if err := check(s.SignWithExpiredSubkey(data), now.Add(-oldSubkeySignAge)); err != nil {
		t.Errorf("expired subkey's signature at signing time: %v", err)
	}
}

func fmtFP(fp []byte) string {
	const hex = "0123456789ABCDEF"
	out := make([]byte, 0, 2*len(fp))
	for _, b := range fp {
		out = append(out, hex[b>>4], hex[b&15])
	}
	return string(out)
}
