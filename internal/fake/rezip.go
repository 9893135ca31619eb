package fake

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
)

// ZipEntry is an entry [RewriteZip] appends: a file holding Data, or a
// directory when Name ends in "/".
type ZipEntry struct {
	Name string
	Data string
}

// RewriteZip copies the zip data entry by entry, compressed bytes as they
// are, letting edit change each entry's header first (it returns false to
// drop the entry; nil keeps every entry unchanged), then appends extra.
// Tests use it to tamper with a well-formed archive: every CRC stays right.
func RewriteZip(t testing.TB, data []byte, edit func(h *zip.FileHeader) bool, extra ...ZipEntry) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		h := f.FileHeader
		if edit != nil && !edit(&h) {
			continue
		}
		raw, err := f.OpenRaw()
		if err != nil {
			t.Fatal(err)
		}
		fw, err := zw.CreateRaw(&h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(fw, raw); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range extra {
		fw, err := zw.Create(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(fw, e.Data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
