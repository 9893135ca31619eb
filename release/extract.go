package release

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// maxBinary caps one extracted executable; gover is about 10 MB.
const maxBinary = 256 << 20

// Extract copies the executables named in names (see [Binaries]) from the
// top level of a release archive (.zip or .tar.gz, told by its name) into
// dir, executable, and returns where each one went. Names the archive does
// not hold are left out of the result; everything else in the archive
// (README.md, LICENSE) is skipped. On error nothing is left in dir.
func Extract(archive, dir string, names []string) (map[string]string, error) {
	out := make(map[string]string)
	var err error
	switch {
	case strings.HasSuffix(archive, ".zip"):
		err = extractZip(archive, dir, names, out)
	case strings.HasSuffix(archive, ".tar.gz"), strings.HasSuffix(archive, ".tgz"):
		err = extractTarGz(archive, dir, names, out)
	default:
		err = errors.New("not a .zip or .tar.gz file")
	}
	if err != nil {
		for _, p := range out {
			os.Remove(p)
		}
		return nil, fmt.Errorf("unpacking %s: %w", filepath.Base(archive), err)
	}
	return out, nil
}

// wanted reports which of names an archive entry is, if any: only regular
// files at the top level count.
func wanted(entry string, names []string) (string, bool) {
	entry = path.Clean(strings.TrimPrefix(entry, "./"))
	if slices.Contains(names, entry) {
		return entry, true
	}
	return "", false
}

func extractTarGz(archive, dir string, names []string, out map[string]string) error {
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		name, ok := wanted(h.Name, names)
		if !ok || h.Typeflag != tar.TypeReg {
			continue
		}
		if err := writeBinary(dir, name, tr, h.Size, out); err != nil {
			return err
		}
	}
}

func extractZip(archive, dir string, names []string, out map[string]string) error {
	zr, err := zip.OpenReader(archive)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, zf := range zr.File {
		name, ok := wanted(zf.Name, names)
		if !ok || !zf.Mode().IsRegular() {
			continue
		}
		r, err := zf.Open()
		if err != nil {
			return err
		}
		err = writeBinary(dir, name, r, int64(zf.UncompressedSize64), out)
		r.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func writeBinary(dir, name string, r io.Reader, size int64, out map[string]string) error {
	if _, dup := out[name]; dup {
		return fmt.Errorf("%s appears twice", name)
	}
	if size > maxBinary {
		return fmt.Errorf("%s is larger than %d bytes", name, maxBinary)
	}
	p := filepath.Join(dir, name)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	out[name] = p
	n, err := io.Copy(f, io.LimitReader(r, maxBinary+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > maxBinary {
		err = fmt.Errorf("%s is larger than %d bytes", name, maxBinary)
	}
	return err
}
