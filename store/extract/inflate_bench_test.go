package extract

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"testing"

	kgzip "github.com/klauspost/compress/gzip"
	"github.com/klauspost/pgzip"
)

// BenchmarkInflate compares gzip readers on GOVER_BENCH_TARGZ (a real SDK
// archive; bench/install.sh prepares one), skipped when unset. Inflating a
// single gzip stream is serial: it bounds how fast a .tar.gz can install.
func BenchmarkInflate(b *testing.B) {
	name := os.Getenv("GOVER_BENCH_TARGZ")
	if name == "" {
		b.Skip("GOVER_BENCH_TARGZ is not set")
	}
	data, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	readers := []struct {
		name string
		open func(io.Reader) (io.Reader, error)
	}{
		{"stdlib", func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
		{"klauspost", func(r io.Reader) (io.Reader, error) { return kgzip.NewReader(r) }},
		{"pgzip", func(r io.Reader) (io.Reader, error) { return pgzip.NewReader(r) }},
	}
	buf := make([]byte, 256<<10)
	for _, rd := range readers {
		b.Run(rd.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				r, err := rd.open(bytes.NewReader(data))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{r}, buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
