package store

import (
	"encoding/json"
	"testing"
)

func TestTrustOrder(t *testing.T) {
	order := []Trust{TrustSumDB, TrustSignature, TrustIndex, TrustMirror, TrustNone}
	for i, a := range order {
		for k, b := range order {
			if got := a.AtLeast(b); got != (i <= k) {
				t.Errorf("%s.AtLeast(%s) = %v", a, b, got)
			}
		}
	}
	if Stronger(TrustMirror, TrustSignature) != TrustSignature || Weaker(TrustIndex, TrustMirror) != TrustMirror {
		t.Error("Stronger/Weaker disagree with the order")
	}
	if TrustImported.AtLeast(TrustMirror) || Trust("bogus").AtLeast(TrustMirror) {
		t.Error("an imported or unknown trust counts as evidence")
	}
}

func TestParseMinTrust(t *testing.T) {
	for _, s := range []string{"sumdb", "signature", "index", " Mirror "} {
		if _, err := ParseMinTrust(s); err != nil {
			t.Errorf("ParseMinTrust(%q): %v", s, err)
		}
	}
	for _, s := range []string{"none", "insecure", "", "index-sha256"} {
		if _, err := ParseMinTrust(s); err == nil {
			t.Errorf("ParseMinTrust(%q) accepted", s)
		}
	}
}

// TestLegacyTrustNames: manifests written before the Trust type still read
// as the level they meant.
func TestLegacyTrustNames(t *testing.T) {
	for old, want := range map[string]Trust{"index-sha256": TrustIndex, "user-sha256": TrustIndex, "mirror-sha256": TrustMirror, "insecure": TrustNone, "sumdb": TrustSumDB} {
		var m Manifest
		if err := json.Unmarshal([]byte(`{"trust":"`+old+`"}`), &m); err != nil || m.Trust != want {
			t.Errorf("%q read as %q, %v; want %q", old, m.Trust, err, want)
		}
	}
}
