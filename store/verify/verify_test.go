package verify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fake"
)

func TestSHA256File(t *testing.T) {
	p := filepath.Join(fake.TempDir(t), "a")
	if err := os.WriteFile(p, []byte("abc"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := SHA256File(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; got != want {
		t.Errorf("SHA256File = %s, want %s", got, want)
	}
	if _, err := SHA256File(filepath.Join(fake.TempDir(t), "missing")); err == nil {
		t.Error("missing file hashed")
	}
}

func TestCheckSHA256(t *testing.T) {
	const sum = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	tests := []struct {
		got, want string
		ok        bool
	}{
		{sum, sum, true},
		{sum, strings.ToUpper(sum), true},
		{sum, " " + sum + "\n", true},
		{sum, strings.Replace(sum, "b", "c", 1), false},
		{sum, "", false},
		{sum, sum[:63], false},
		{sum, sum[:63] + "z", false},
		{"", sum, false},
	}
	for _, tc := range tests {
		err := CheckSHA256("go1.22.5.linux-amd64.tar.gz", tc.got, tc.want)
		if (err == nil) != tc.ok {
			t.Errorf("CheckSHA256(%q, %q) = %v, want ok=%v", tc.got, tc.want, err, tc.ok)
			continue
		}
		if err == nil {
			continue
		}
		if exitcode.Code(err) != exitcode.CodeVerify {
			t.Errorf("exit code %d, want %d", exitcode.Code(err), exitcode.CodeVerify)
		}
		msg := err.Error()
		for _, s := range []string{"go1.22.5.linux-amd64.tar.gz", "SHA-256"} {
			if !strings.Contains(msg, s) {
				t.Errorf("error %q does not mention %q", msg, s)
			}
		}
	}
	err := CheckSHA256("x.tar.gz", sum, strings.Replace(sum, "b", "c", 1))
	if !strings.Contains(err.Error(), sum) || !strings.Contains(err.Error(), strings.Replace(sum, "b", "c", 1)) {
		t.Errorf("mismatch error %q does not name expected and actual", err)
	}
}
