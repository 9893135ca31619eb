package verify

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp/armor"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fake"
)

func TestVerifyDetached(t *testing.T) {
	s := fake.NewSigner(t)
	other := fake.NewSigner(t)
	kr, err := NewKeyring(s.Armored(), s.Fingerprint())
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("go1.22.5.linux-amd64.tar.gz contents")
	good := s.Sign(data)

	t.Run("good", func(t *testing.T) {
		sig, err := kr.VerifyDetached(bytes.NewReader(data), good)
		if err != nil {
			t.Fatal(err)
		}
		if sig.Fingerprint != s.SubkeyFingerprint() {
			t.Errorf("Fingerprint = %s, want signing subkey %s", sig.Fingerprint, s.SubkeyFingerprint())
		}
		if !strings.HasSuffix(sig.Fingerprint, sig.KeyID) {
			t.Errorf("KeyID %s is not the tail of %s", sig.KeyID, sig.Fingerprint)
		}
		if time.Since(sig.Created) > time.Minute {
			t.Errorf("Created = %v, want about now", sig.Created)
		}
	})

	t.Run("binary signature", func(t *testing.T) {
		block, err := armor.Decode(bytes.NewReader(good))
		if err != nil {
			t.Fatal(err)
		}
		bin, _ := io.ReadAll(block.Body)
		if _, err := kr.VerifyDetached(bytes.NewReader(data), bin); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("expired subkey valid when it signed", func(t *testing.T) {
		sig, err := kr.VerifyDetached(bytes.NewReader(data), s.SignWithExpiredSubkey(data))
		if err != nil {
			t.Fatal(err)
		}
		if sig.Fingerprint != s.ExpiredSubkeyFingerprint() {
			t.Errorf("Fingerprint = %s, want expired subkey %s", sig.Fingerprint, s.ExpiredSubkeyFingerprint())
		}
		if time.Since(sig.Created) < 365*24*time.Hour {
			t.Errorf("Created = %v, want years ago", sig.Created)
		}
	})

	refused := []struct {
		name string
		data []byte
		asc  []byte
		msg  string
	}{
		{"wrong key", data, other.Sign(data), "not a signing key"},
		{"tampered data", []byte("go1.22.5.linux-amd64.tar.gz contentz"), good, "does not match"},
		{"truncated data", data[:10], good, "does not match"},
		{"signature for other data", data, s.Sign([]byte("other")), "does not match"},
		{"expired subkey signing after expiry", data, s.SignWithExpiredSubkeyAt(data, time.Now()), "not valid when the signature was made"},
		{"signature from the future", data, s.SignWithExpiredSubkeyAt(data, time.Now().Add(72*time.Hour)), "future"},
		{"empty", data, nil, "empty"},
		{"garbage text", data, []byte("this is not a signature\n"), "not an OpenPGP signature"},
		{"garbage binary", data, []byte{0x89, 0x01, 0x02, 0x03}, "signature"},
		{"public key instead of signature", data, s.Armored(), "not a signature"},
		{"truncated armor", data, good[:len(good)/2], ""},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			_, err := kr.VerifyDetached(bytes.NewReader(tc.data), tc.asc)
			if err == nil {
				t.Fatal("accepted")
			}
			if exitcode.Code(err) != exitcode.CodeVerify {
				t.Errorf("exit code %d, want %d: %v", exitcode.Code(err), exitcode.CodeVerify, err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not say %q", err, tc.msg)
			}
		})
	}
}

func TestNewKeyringRefusesOtherFingerprint(t *testing.T) {
	a, b := fake.NewSigner(t), fake.NewSigner(t)
	_, err := NewKeyring(a.Armored(), b.Fingerprint())
	if err == nil {
		t.Fatal("key with another primary fingerprint accepted")
	}
	if exitcode.Code(err) != exitcode.CodeVerify || !strings.Contains(err.Error(), a.Fingerprint()) {
		t.Errorf("err = %v (code %d), want a verify error naming %s", err, exitcode.Code(err), a.Fingerprint())
	}
	// A subkey's fingerprint is not the primary's.
	if _, err := NewKeyring(a.Armored(), a.SubkeyFingerprint()); err == nil {
		t.Error("pinning a subkey fingerprint accepted")
	}
	// Spacing and case do not matter in the pin.
	spaced := strings.ToLower(a.Fingerprint()[:4] + " " + a.Fingerprint()[4:])
	if _, err := NewKeyring(a.Armored(), spaced); err != nil {
		t.Errorf("pin %q: %v", spaced, err)
	}
	if _, err := NewKeyring([]byte("garbage"), a.Fingerprint()); err == nil {
		t.Error("garbage key accepted")
	}
	if _, err := NewKeyring(a.Armored(), "1234"); err == nil {
		t.Error("short pin accepted")
	}
}

func TestGoogleKeyring(t *testing.T) {
	kr, err := GoogleKeyring()
	if err != nil {
		t.Fatal(err)
	}
	if kr.Fingerprint() != GoogleFingerprint {
		t.Errorf("Fingerprint = %s, want %s", kr.Fingerprint(), GoogleFingerprint)
	}
	subs := kr.SigningSubkeys()
	if len(subs) != 8 {
		t.Fatalf("%d signing subkeys, want 8: %v", len(subs), subs)
	}
	// The subkey of 2016, long expired, signed older Go releases.
	if want := "1397BC53640DB551"; !strings.HasSuffix(subs[0], want) {
		t.Errorf("oldest signing subkey %s, want key ID %s", subs[0], want)
	}
}

func FuzzVerifyDetached(f *testing.F) {
	s := fake.NewSigner(f)
	kr, err := NewKeyring(s.Armored(), s.Fingerprint())
	if err != nil {
		f.Fatal(err)
	}
	data := []byte("payload")
	good := s.Sign(data)
	block, _ := armor.Decode(bytes.NewReader(good))
	bin, _ := io.ReadAll(block.Body)
	f.Add(good)
	f.Add(bin)
	f.Add([]byte("-----BEGIN PGP SIGNATURE-----\n\n-----END PGP SIGNATURE-----\n"))
	f.Fuzz(func(t *testing.T, asc []byte) {
		_, err := kr.VerifyDetached(bytes.NewReader(data), asc)
		if err != nil && exitcode.Code(err) != exitcode.CodeVerify {
			t.Fatalf("error without verify code: %v", err)
		}
		if err == nil && !bytes.Equal(asc, good) && !bytes.Equal(asc, bin) {
			// Another encoding of the same signature may verify; anything
			// else verifying would be a forgery.
			if _, err := kr.VerifyDetached(bytes.NewReader([]byte("payloae")), asc); err == nil {
				t.Fatalf("signature verifies for different data: %q", asc)
			}
		}
	})
}

// BenchmarkVerifyDetached checks a signature over 64 MB, the size of a Go
// release tarball, streamed from memory.
func BenchmarkVerifyDetached(b *testing.B) {
	s := fake.NewSigner(b)
	kr, err := NewKeyring(s.Armored(), s.Fingerprint())
	if err != nil {
		b.Fatal(err)
	}
	data := bytes.Repeat([]byte("gover"), 64<<20/5)
	asc := s.Sign(data)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := kr.VerifyDetached(bytes.NewReader(data), asc); err != nil {
			b.Fatal(err)
		}
	}
}

func TestStreamVerifier(t *testing.T) {
	s := fake.NewSigner(t)
	kr, err := NewKeyring(s.Armored(), s.Fingerprint())
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("go1.22.5.linux-amd64.tar.gz contents "), 50_000)
	good := s.Sign(data)
	tampered := bytes.Clone(data)
	tampered[len(tampered)/2] ^= 1
	tests := []struct {
		name string
		data []byte
		asc  []byte
		want string // "" for success
	}{
		{"good", data, good, ""},
		{"tampered", tampered, good, "does not match"},
		{"truncated", data[:len(data)-1], good, "does not match"},
		{"not a signature", data, []byte("<html>not found</html>"), "not an OpenPGP signature"},
		{"empty signature", data, nil, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := kr.StreamVerifier(tt.asc)
			// Uneven writes, as a download delivers them; a refused
			// signature must not block them.
			for rest := tt.data; len(rest) > 0; {
				n := min(len(rest), 1+len(rest)%32771)
				if m, err := v.Write(rest[:n]); m != n || err != nil {
					t.Fatalf("Write = %d, %v", m, err)
				}
				rest = rest[n:]
			}
			sig, err := v.Finish()
			if tt.want == "" {
				if err != nil || sig.Fingerprint != s.SubkeyFingerprint() {
					t.Errorf("Finish = %+v, %v; want the subkey %s", sig, err, s.SubkeyFingerprint())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || exitcode.Code(err) != exitcode.CodeVerify {
				t.Errorf("Finish error = %v, want a verification error saying %q", err, tt.want)
			}
		})
	}
	t.Run("abort", func(t *testing.T) {
		v := kr.StreamVerifier(good)
		v.Write(data[:1000])
		v.Abort() // returns: the check ends without waiting for more data
	})
}
