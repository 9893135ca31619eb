package shim

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestLineScanner checks the fixed-buffer scanner against strings.Lines
// across buffer boundaries and one-byte reads.
func TestLineScanner(t *testing.T) {
	inputs := []string{"", "a", "a\n", "a\r\nb", "\n\n", strings.Repeat("x", 8191) + "\nend\n", strings.Repeat("y", 9000) + "\nz",
		strings.Repeat("go 1.22\n", 3000), strings.Repeat("w", maxLine) + "\n" + strings.Repeat("v", maxLine+1) + "\nlast"}
	for _, in := range inputs {
		for _, oneByte := range []bool{false, true} {
			var r io.Reader = strings.NewReader(in)
			if oneByte {
				r = iotest.OneByteReader(r)
			}
			s := newLineScanner(r)
			var got []string
			for s.scan() {
				l := string(s.line)
				if s.long {
					l = "LONG:" + l[:3]
				}
				got = append(got, l)
			}
			var want []string
			for l := range strings.Lines(in) {
				l = strings.TrimSuffix(strings.TrimSuffix(l, "\n"), "\r")
				if len(l) > maxLine {
					l = "LONG:" + l[:3]
				}
				want = append(want, l)
			}
			if strings.Join(got, "|") != strings.Join(want, "|") || s.err != nil {
				t.Errorf("scan of %d bytes (one byte at a time: %v): %d lines, want %d; err %v", len(in), oneByte, len(got), len(want), s.err)
			}
		}
	}
	s := newLineScanner(iotest.ErrReader(io.ErrClosedPipe))
	if s.scan() || s.err != io.ErrClosedPipe {
		t.Errorf("read error: scan %v, err %v", s.scan(), s.err)
	}
}

func TestModLines(t *testing.T) {
	for _, tt := range []struct{ in, g, tc string }{
		{"module m\n\ngo 1.22.3\n", "1.22.3", ""},
		{"module m\n  go\t1.22 // c\ntoolchain go1.23.1 // x\n", "1.22", "go1.23.1"},
		{"module m\ngopher 1\ngo1.22\ngo 1.21\n", "1.21", ""},
		{"module m\r\ngo 1.22.0\r\n", "1.22.0", ""},
		{"toolchain default\n", "", "default"},
	} {
		g, tc, err := modLines(bytes.NewReader([]byte(tt.in)))
		if g != tt.g || tc != tt.tc || err != nil {
			t.Errorf("modLines(%q) = %q, %q, %v; want %q, %q", tt.in, g, tc, err, tt.g, tt.tc)
		}
	}
}
