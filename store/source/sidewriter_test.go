package source

import (
	"bytes"
	"errors"
	"testing"
)

func TestSideWriter(t *testing.T) {
	var got bytes.Buffer
	s := newSideWriter(&got)
	var want bytes.Buffer
	for i := range 500 {
		p := bytes.Repeat([]byte{byte(i)}, i*397%(3*sideChunk))
		want.Write(p)
		if n, err := s.Write(p); n != len(p) || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("wrote %d bytes, want the %d written, in order", got.Len(), want.Len())
	}
}

type failWriter struct{ n int }

var errFull = errors.New("disk full")

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n += len(p); f.n > 1<<20 {
		return 0, errFull
	}
	return len(p), nil
}

func TestSideWriterError(t *testing.T) {
	s := newSideWriter(&failWriter{})
	chunk := make([]byte, 32<<10)
	var werr error
	for range 10_000 { // 320 MB: far past the failure
		if _, werr = s.Write(chunk); werr != nil {
			break
		}
	}
	if werr == nil {
		t.Error("Write kept succeeding after the writer failed")
	}
	if err := s.Close(); !errors.Is(err, errFull) {
		t.Errorf("Close = %v, want %v", err, errFull)
	}
}
