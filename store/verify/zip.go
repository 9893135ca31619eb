package verify

import (
	"archive/zip"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"
	"strings"
)

// corruptZip reports whether err from [HashZip] means the zip itself is bad
// (a failed download or tampering) rather than unreadable.
func corruptZip(err error) bool {
	return errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrAlgorithm) ||
		errors.Is(err, zip.ErrChecksum) || errors.Is(err, errBadZip) ||
		errors.Is(err, io.ErrUnexpectedEOF)
}

// errBadZip marks a module zip whose entries make its hash ambiguous.
var errBadZip = errors.New("bad module zip")

// HashZip returns the "h1:" hash of a module zip, the same hash as
// golang.org/x/mod/sumdb/dirhash.HashZip with dirhash.Hash1, computed on
// every core: a toolchain zip holds ~10,000 files and 250 MB once
// decompressed, and inflating plus SHA-256 is the bottleneck. Duplicate
// entry names are refused rather than hashed: go itself rejects such zips,
// and their hash would not say which copy was meant.
func HashZip(zipPath string) (string, error) {
	z, err := zip.OpenReader(zipPath)
	if err != nil {
		return "", err
	}
	defer z.Close()
	files := slices.Clone(z.File)
	slices.SortFunc(files, func(a, b *zip.File) int { return strings.Compare(a.Name, b.Name) })
	for i, f := range files {
		if strings.Contains(f.Name, "\n") {
			return "", fmt.Errorf("%w: entry name %q has a newline", errBadZip, f.Name)
		}
		if i > 0 && files[i-1].Name == f.Name {
			return "", fmt.Errorf("%w: duplicate entry %s", errBadZip, f.Name)
		}
	}
	sums := make([]fileSum, len(files))
	for i, f := range files {
		sums[i].name = f.Name
	}
	err = parallel(len(files), func(i int, h hash.Hash, buf []byte) error {
		rc, err := files[i].Open()
		if err != nil {
			return fmt.Errorf("%s: %w", files[i].Name, err)
		}
		defer rc.Close()
		if _, err := io.CopyBuffer(h, rc, buf); err != nil {
			return fmt.Errorf("%s: %w", files[i].Name, err)
		}
		h.Sum(sums[i].sum[:0])
		return nil
	})
	if err != nil {
		return "", err
	}
	return h1(summary(sums)), nil
}
