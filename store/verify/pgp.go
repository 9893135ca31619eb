package verify

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/gover/gover/internal/exitcode"
)

// GoogleFingerprint is the primary key fingerprint of "Google Inc. (Linux
// Packages Signing Authority)", which signs the Go release tarballs. A
// refreshed copy of the key is acceptable only with this primary key.
const GoogleFingerprint = "EB4C1BFD4F042F6DDDCCEC917721F63BD38B4796"

//go:embed google-linux-signing-key.asc
var googleKey []byte

// maxClockSkew is how far in the future a signature may claim to have been
// made before it is refused: release machines and users' clocks drift, but a
// signature from next week was not made by a release.
const maxClockSkew = 24 * time.Hour

// A Keyring holds one OpenPGP public key, pinned by its primary fingerprint,
// with all its subkeys.
type Keyring struct {
	entity *openpgp.Entity
	now    func() time.Time
}

// Signature describes a verified detached signature.
type Signature struct {
	KeyID       string    // 16 hex digits of the (sub)key that signed
	Fingerprint string    // 40 hex digits of the (sub)key that signed
	Created     time.Time // when the signature was made
	Primary     string    // the pinned primary key's fingerprint (VerifyDetachedAny)
}

// NewKeyring parses an armored public key and keeps it only if its primary
// fingerprint is fingerprint (hex, spaces and case ignored).
func NewKeyring(armored []byte, fingerprint string) (*Keyring, error) {
	want := normalizeFingerprint(fingerprint)
	if len(want) != 40 {
		return nil, fmt.Errorf("pinned OpenPGP fingerprint %q is not 40 hex digits", fingerprint)
	}
	list, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(armored))
	if err != nil {
		return nil, exitcode.Verify(fmt.Errorf("reading OpenPGP key %s: %w", want, err), "")
	}
	var found []string
	for _, e := range list {
		got := fmt.Sprintf("%X", e.PrimaryKey.Fingerprint)
		if got == want {
			return &Keyring{entity: e, now: time.Now}, nil
		}
		found = append(found, got)
	}
	return nil, exitcode.Verify(fmt.Errorf("OpenPGP key refused: primary fingerprint %s, want %s", strings.Join(found, ", "), want), "")
}

// GoogleKeyring returns the keyring of Google's Linux packages signing key
// built into gover, pinned to [GoogleFingerprint].
func GoogleKeyring() (*Keyring, error) {
	return NewKeyring(googleKey, GoogleFingerprint)
}

// Fingerprint reports the primary key's fingerprint in upper-case hex.
func (k *Keyring) Fingerprint() string {
	return fmt.Sprintf("%X", k.entity.PrimaryKey.Fingerprint)
}

// SigningSubkeys reports the fingerprints of the subkeys allowed to sign,
// expired ones included, oldest first.
func (k *Keyring) SigningSubkeys() []string {
	var fps []string
	for _, sk := range k.entity.Subkeys {
		if sk.Sig != nil && sk.Sig.FlagsValid && sk.Sig.FlagSign {
			fps = append(fps, fmt.Sprintf("%X", sk.PublicKey.Fingerprint))
		}
	}
	return fps
}

// VerifyDetached checks the detached signature asc (armored, or binary)
// over data, streaming data once.
//
// The signing subkey is judged at the signature's creation time, not today:
// Google rotates its signing subkeys every few years, and a Go release signed
// in 2019 was signed by a subkey that has since expired. It had to be valid
// (created, not yet expired, not revoked) when it signed. A compromised key's
// revocation counts at any time.
func (k *Keyring) VerifyDetached(data io.Reader, asc []byte) (Signature, error) {
	fail := func(err error) (Signature, error) {
		return Signature{}, exitcode.Verify(fmt.Errorf("OpenPGP signature check failed: %w", err), "")
	}
	body, err := signatureBody(asc)
	if err != nil {
		return fail(err)
	}
	sig, err := k.pickSignature(body)
	if err != nil {
		return fail(err)
	}
	created := sig.CreationTime
	if created.After(k.now().Add(maxClockSkew)) {
		return fail(fmt.Errorf("signature claims to be made in the future (%s)", created.UTC().Format(time.RFC3339)))
	}
	issuer := fmt.Sprintf("%016X", *sig.IssuerKeyId)
	cfg := &packet.Config{Time: func() time.Time { return created }}
	got, _, err := openpgp.VerifyDetachedSignature(openpgp.EntityList{k.entity}, data, bytes.NewReader(body), cfg)
	switch {
	case err == nil:
	case errors.Is(err, pgperrors.ErrUnknownIssuer):
		return fail(fmt.Errorf("signed by key %s, which is not a signing key of %s", issuer, k.Fingerprint()))
	case errors.Is(err, pgperrors.ErrKeyExpired), errors.Is(err, pgperrors.ErrSignatureExpired):
		return fail(fmt.Errorf("signing key %s was not valid when the signature was made (%s)", issuer, created.UTC().Format(time.RFC3339)))
	case errors.Is(err, pgperrors.ErrKeyRevoked):
		return fail(fmt.Errorf("signing key %s is revoked", issuer))
	default:
		var serr pgperrors.SignatureError
		if errors.As(err, &serr) {
			return fail(fmt.Errorf("bad signature by key %s: the file does not match it: %w", issuer, err))
		}
		return fail(err)
	}
	s := Signature{KeyID: issuer, Created: created}
	if got != nil {
		s.Fingerprint = k.keyFingerprint(*got.IssuerKeyId)
	}
	return s, nil
}

// signatureBody strips the ASCII armor from asc, accepting a binary
// signature as is.
func signatureBody(asc []byte) ([]byte, error) {
	if len(asc) == 0 {
		return nil, errors.New("signature file is empty")
	}
	// A binary OpenPGP packet starts with its high bit set; armor is text.
	if asc[0]&0x80 != 0 {
		return asc, nil
	}
	block, err := armor.Decode(bytes.NewReader(asc))
	if err != nil {
		return nil, fmt.Errorf("signature file is not an OpenPGP signature: %w", err)
	}
	if block.Type != openpgp.SignatureType {
		return nil, fmt.Errorf("signature file holds a %q, not a signature", block.Type)
	}
	body, err := io.ReadAll(block.Body)
	if err != nil {
		return nil, fmt.Errorf("reading armored signature: %w", err)
	}
	return body, nil
}

// pickSignature finds the signature packet openpgp will verify: the first
// one issued by a key of k, or else the first one.
func (k *Keyring) pickSignature(body []byte) (*packet.Signature, error) {
	var first, match *packet.Signature
	err := eachSignature(body, func(sig *packet.Signature) bool {
		if first == nil {
			first = sig
		}
		if len(openpgp.EntityList{k.entity}.KeysById(*sig.IssuerKeyId)) > 0 {
			match = sig
			return false
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	if match != nil {
		return match, nil
	}
	return first, nil
}

func (k *Keyring) keyFingerprint(id uint64) string {
	for _, key := range (openpgp.EntityList{k.entity}).KeysById(id) {
		return fmt.Sprintf("%X", key.PublicKey.Fingerprint)
	}
	return ""
}

func normalizeFingerprint(s string) string {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	return strings.TrimPrefix(s, "0X")
}

// A StreamVerifier checks a detached signature over data written to it, so
// that the signature is checked on the same pass as the download instead
// of reading the file again. Create it with [Keyring.StreamVerifier], write
// the signed data, then call Finish for the result.
type StreamVerifier struct {
	pw   *io.PipeWriter
	done chan struct{}
	sig  Signature
	err  error
}

// StreamVerifier starts checking asc against the data written to the
// returned StreamVerifier. Writes never fail: a signature that is refused
// before all the data arrived stops taking it, and Finish reports why.
func (k *Keyring) StreamVerifier(asc []byte) *StreamVerifier {
	pr, pw := io.Pipe()
	v := &StreamVerifier{pw: pw, done: make(chan struct{})}
	go func() {
		defer close(v.done)
		v.sig, v.err = k.VerifyDetached(pr, asc)
		// Unblock a writer if the check ended before the data did.
		pr.CloseWithError(io.ErrClosedPipe)
	}()
	return v
}

// Write feeds signed data to the check.
func (v *StreamVerifier) Write(p []byte) (int, error) {
	v.pw.Write(p) // an error means the check is over; Finish says how
	return len(p), nil
}

// Finish ends the data and returns the result of [Keyring.VerifyDetached]
// on it.
func (v *StreamVerifier) Finish() (Signature, error) {
	v.pw.Close()
	<-v.done
	return v.sig, v.err
}

// Abort ends the check without a result, for a download that failed.
func (v *StreamVerifier) Abort() {
	v.pw.CloseWithError(errors.New("aborted"))
	<-v.done
}

// VerifyDetachedAny checks the detached signature asc over data against a
// list of pinned keys, as gover checks its own releases: the list holds
// every key a release may be signed with, so a key can be rotated by adding
// the new one before the old one goes. The signature must be made by one of
// them; which one is in the result's Primary field.
func VerifyDetachedAny(rings []*Keyring, data []byte, asc []byte) (Signature, error) {
	if len(rings) == 0 {
		return Signature{}, exitcode.Verify(errors.New("no OpenPGP key is pinned to check the signature against"), "")
	}
	body, err := signatureBody(asc)
	if err != nil {
		return Signature{}, exitcode.Verify(fmt.Errorf("OpenPGP signature check failed: %w", err), "")
	}
	issuers, err := signatureIssuers(body)
	if err != nil {
		return Signature{}, exitcode.Verify(fmt.Errorf("OpenPGP signature check failed: %w", err), "")
	}
	for _, k := range rings {
		for _, id := range issuers {
			if len(openpgp.EntityList{k.entity}.KeysById(id)) == 0 {
				continue
			}
			sig, err := k.VerifyDetached(bytes.NewReader(data), asc)
			if err != nil {
				return Signature{}, err
			}
			sig.Primary = k.Fingerprint()
			return sig, nil
		}
	}
	var ids, pinned []string
	for _, id := range issuers {
		ids = append(ids, fmt.Sprintf("%016X", id))
	}
	for _, k := range rings {
		pinned = append(pinned, k.Fingerprint())
	}
	return Signature{}, exitcode.Verify(fmt.Errorf("OpenPGP signature check failed: signed by key %s, which is none of the pinned keys (%s)", strings.Join(ids, ", "), strings.Join(pinned, ", ")), "")
}

// signatureIssuers lists the issuer key IDs of the signature packets in body.
func signatureIssuers(body []byte) ([]uint64, error) {
	var ids []uint64
	err := eachSignature(body, func(sig *packet.Signature) bool {
		ids = append(ids, *sig.IssuerKeyId)
		return true
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// eachSignature reads the signature packets of body in order and hands each
// to visit until visit returns false. Every packet must be a signature that
// names its issuer key, and there must be at least one.
func eachSignature(body []byte, visit func(*packet.Signature) bool) error {
	r := packet.NewReader(bytes.NewReader(body))
	seen := false
	for {
		p, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("reading signature: %w", err)
		}
		sig, ok := p.(*packet.Signature)
		if !ok {
			return errors.New("signature file holds something other than a signature")
		}
		if sig.IssuerKeyId == nil {
			return errors.New("signature names no issuer key")
		}
		seen = true
		if !visit(sig) {
			return nil
		}
	}
	if !seen {
		return errors.New("signature file holds no signature")
	}
	return nil
}
