// Package fake provides real, small stand-ins for the services gover trusts,
// for tests: an OpenPGP release signer and a Go checksum database. They use
// the same cryptography as the real services, only with throwaway keys, so a
// test that passes against them exercises the real verification code.
//
//	s := fake.NewSigner(t)
//	kr, _ := verify.NewKeyring(s.Armored(), s.Fingerprint())
//	_, err := kr.VerifyDetached(bytes.NewReader(data), s.Sign(data))
//
//	db := fake.NewSumDB(t)
//	db.Add("golang.org/toolchain", "v0.0.1-go1.22.5.linux-amd64", h1)
//	srv := httptest.NewServer(db.Handler())
//	gosumdb := db.GOSUMDB(srv.URL)
package fake

import (
	"bytes"
	"crypto"
	"fmt"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// Lifetimes of the test key, relative to the time NewSigner runs: the old
// subkey was created three years ago and expired two years ago, like the
// Google subkeys that signed older Go releases.
const (
	keyAge           = 3 * 365 * 24 * time.Hour
	oldSubkeyLife    = 365 * 24 * time.Hour
	oldSubkeySignAge = keyAge - 30*24*time.Hour // when the old subkey signed: while it was valid
)

// A Signer is a fresh OpenPGP key pair for tests: a primary key with two
// signing subkeys, a current one and one that has since expired.
type Signer struct {
	t       testing.TB
	entity  *openpgp.Entity
	created time.Time
	current *packet.PrivateKey
	old     *packet.PrivateKey
}

// NewSigner generates a test key pair (Ed25519, fast).
func NewSigner(t testing.TB) *Signer {
	t.Helper()
	now := time.Now().Truncate(time.Second)
	born := now.Add(-keyAge)
	at := func(tm time.Time, life time.Duration) *packet.Config {
		return &packet.Config{
			Algorithm:       packet.PubKeyAlgoEdDSA,
			DefaultHash:     crypto.SHA256,
			Time:            func() time.Time { return tm },
			KeyLifetimeSecs: uint32(life / time.Second),
		}
	}
	e, err := openpgp.NewEntity("gover test", "release signing", "test@gover.invalid", at(born, 0))
	if err != nil {
		t.Fatalf("generating OpenPGP key: %v", err)
	}
	if err := e.AddSigningSubkey(at(born, oldSubkeyLife)); err != nil {
		t.Fatalf("adding old signing subkey: %v", err)
	}
	if err := e.AddSigningSubkey(at(now.Add(-time.Hour), 0)); err != nil {
		t.Fatalf("adding signing subkey: %v", err)
	}
	n := len(e.Subkeys)
	return &Signer{
		t:       t,
		entity:  e,
		created: now,
		old:     e.Subkeys[n-2].PrivateKey,
		current: e.Subkeys[n-1].PrivateKey,
	}
}

// Armored returns the public key, ASCII-armored, as a release would publish it.
func (s *Signer) Armored() []byte {
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.PublicKeyType, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := s.entity.Serialize(w); err != nil {
		s.t.Fatalf("serializing test key: %v", err)
	}
	if err := w.Close(); err != nil {
		s.t.Fatal(err)
	}
	return buf.Bytes()
}

// Fingerprint returns the primary key fingerprint, 40 upper-case hex digits.
func (s *Signer) Fingerprint() string {
	return fmt.Sprintf("%X", s.entity.PrimaryKey.Fingerprint)
}

// SubkeyFingerprint returns the fingerprint of the current signing subkey.
func (s *Signer) SubkeyFingerprint() string {
	return fmt.Sprintf("%X", s.current.PublicKey.Fingerprint)
}

// ExpiredSubkeyFingerprint returns the fingerprint of the subkey that has
// since expired.
func (s *Signer) ExpiredSubkeyFingerprint() string {
	return fmt.Sprintf("%X", s.old.PublicKey.Fingerprint)
}

// Sign returns an armored detached signature over data by the current
// signing subkey, made now.
func (s *Signer) Sign(data []byte) []byte {
	return s.sign(s.current, s.created, data)
}

// SignWithExpiredSubkey returns a signature by the subkey that has since
// expired, made back when it was still valid: verifiers must accept it.
func (s *Signer) SignWithExpiredSubkey(data []byte) []byte {
	return s.sign(s.old, s.created.Add(-oldSubkeySignAge), data)
}

// SignWithExpiredSubkeyAt returns a signature by the since-expired subkey
// claiming to be made at the given time: made after the expiry, verifiers
// must refuse it.
func (s *Signer) SignWithExpiredSubkeyAt(data []byte, at time.Time) []byte {
	return s.sign(s.old, at, data)
}

// sign builds the signature packet by hand rather than with
// openpgp.DetachSign, which refuses to use a key outside its lifetime: tests
// need such signatures to prove verifiers refuse them.
func (s *Signer) sign(key *packet.PrivateKey, at time.Time, data []byte) []byte {
	cfg := &packet.Config{DefaultHash: crypto.SHA256, Time: func() time.Time { return at }}
	sig := &packet.Signature{
		Version:      key.PublicKey.Version,
		SigType:      packet.SigTypeBinary,
		PubKeyAlgo:   key.PublicKey.PubKeyAlgo,
		Hash:         crypto.SHA256,
		CreationTime: at,
		IssuerKeyId:  &key.KeyId,
	}
	h, err := sig.PrepareSign(cfg)
	if err != nil {
		s.t.Fatal(err)
	}
	h.Write(data)
	if err := sig.Sign(h, key, cfg); err != nil {
		s.t.Fatalf("signing: %v", err)
	}
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.SignatureType, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := sig.Serialize(w); err != nil {
		s.t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		s.t.Fatal(err)
	}
	return buf.Bytes()
}
