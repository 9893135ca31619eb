package exitcode

import (
	"errors"
	"fmt"
	"testing"
)

func TestCodeAndHint(t *testing.T) {
	base := errors.New("go1.22.5 is not installed")
	tests := []struct {
		name string
		err  error
		code int
		hint string
	}{
		{"nil", nil, CodeOK, ""},
		{"plain", base, CodeError, ""},
		{"not found", NotFound(base, "gover install 1.22.5"), CodeNotFound, "gover install 1.22.5"},
		{"wrapped keeps code and hint", fmt.Errorf("running go: %w", NotFound(base, "gover install 1.22.5")), CodeNotFound, "gover install 1.22.5"},
		{"outer hint wins, inner code kept", WithHint(Verify(base, "inner"), "outer"), CodeVerify, "outer"},
		{"empty outer hint falls through", New(CodeUsage, Verify(base, "inner"), ""), CodeUsage, "inner"},
		{"usage", Usage(base, "gover --help"), CodeUsage, "gover --help"},
		{"locked", Locked(base, ""), CodeLocked, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Code(tt.err); got != tt.code {
				t.Errorf("Code = %d, want %d", got, tt.code)
			}
			if got := Hint(tt.err); got != tt.hint {
				t.Errorf("Hint = %q, want %q", got, tt.hint)
			}
			if tt.err != nil && !errors.Is(tt.err, base) {
				t.Errorf("errors.Is(err, base) = false for %v", tt.err)
			}
		})
	}
	if New(CodeVerify, nil, "x") != nil {
		t.Error("New with a nil error is not nil")
	}
}

func TestCodesAreDistinct(t *testing.T) {
	seen := map[int]string{}
	for name, c := range map[string]int{"OK": CodeOK, "Error": CodeError, "Usage": CodeUsage, "Verify": CodeVerify, "NotFound": CodeNotFound, "Locked": CodeLocked, "Doctor": CodeDoctor} {
		if other, ok := seen[c]; ok {
			t.Errorf("%s and %s share exit code %d", name, other, c)
		}
		seen[c] = name
	}
}
