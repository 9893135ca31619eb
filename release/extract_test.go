package release

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func writeArchive(t *testing.T, dir, name string, files map[string]string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, packArchive(t, name, files), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExtract(t *testing.T) {
	for _, tt := range []struct {
		archive string
		goos    string
	}{
		{"gover_1.0.0_linux_amd64.tar.gz", "linux"},
		{"gover_1.0.0_windows_amd64.zip", "windows"},
	} {
		t.Run(tt.goos, func(t *testing.T) {
			names := Binaries(tt.goos)
			src := tempDir(t)
			a := writeArchive(t, src, tt.archive, map[string]string{
				names[0]:           "gover",
				"./" + names[1]:    "shim",
				"README.md":        "readme",
				"LICENSE":          "license",
				"sub/" + names[0]:  "nested, not a release binary",
				"other" + names[0]: "x",
			})
			out := tempDir(t)
			bins, err := Extract(a, out, names)
			if err != nil {
				t.Fatal(err)
			}
			if len(bins) != 2 {
				t.Fatalf("got %v, want gover and the shim", bins)
			}
			for name, want := range map[string]string{names[0]: "gover", names[1]: "shim"} {
				got, err := os.ReadFile(bins[name])
				if err != nil || string(got) != want {
					t.Errorf("%s = %q, %v; want %q", name, got, err, want)
				}
				if fi, err := os.Stat(bins[name]); runtime.GOOS != "windows" && (err != nil || fi.Mode().Perm() != 0o755) {
					t.Errorf("%s mode = %v, %v", name, fi.Mode(), err)
				}
			}
			if left, _ := os.ReadDir(out); len(left) != 2 {
				t.Errorf("extracted more than the binaries: %v", left)
			}
		})
	}
}

func TestExtractWithoutShim(t *testing.T) {
	a := writeArchive(t, tempDir(t), "gover_1.0.0_darwin_arm64.tar.gz", map[string]string{"gover": "g", "LICENSE": "l"})
	bins, err := Extract(a, tempDir(t), Binaries("darwin"))
	if err != nil || len(bins) != 1 || bins["gover"] == "" {
		t.Fatalf("Extract = %v, %v", bins, err)
	}
}

func TestExtractRejects(t *testing.T) {
	dir := tempDir(t)
	corrupt := filepath.Join(dir, "gover_1.0.0_linux_amd64.tar.gz")
	os.WriteFile(corrupt, []byte("this is not a gzip stream, just some text"), 0o644)
	wrongExt := filepath.Join(dir, "gover.rar")
	os.WriteFile(wrongExt, nil, 0o644)

	// A tar whose second copy of gover would overwrite the first.
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, body := range []string{"first", "second"} {
		tw.WriteHeader(&tar.Header{Name: "gover", Mode: 0o755, Size: int64(len(body)), Typeflag: tar.TypeReg})
		tw.Write([]byte(body))
	}
	tw.Close()
	gz.Close()
	dup := filepath.Join(dir, "dup.tar.gz")
	os.WriteFile(dup, buf.Bytes(), 0o644)

	// A symlink named gover is not a binary.
	buf.Reset()
	gz = gzip.NewWriter(&buf)
	tw = tar.NewWriter(gz)
	tw.WriteHeader(&tar.Header{Name: "gover", Linkname: "/bin/sh", Typeflag: tar.TypeSymlink})
	tw.Close()
	gz.Close()
	link := filepath.Join(dir, "link.tar.gz")
	os.WriteFile(link, buf.Bytes(), 0o644)

	for _, tt := range []struct {
		path, msg string
	}{
		{corrupt, "gzip"},
		{wrongExt, "not a .zip or .tar.gz"},
		{dup, "appears twice"},
	} {
		out := tempDir(t)
		if _, err := Extract(tt.path, out, Binaries("linux")); err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("Extract(%s) err = %v, want %q", filepath.Base(tt.path), err, tt.msg)
		}
		if left, _ := os.ReadDir(out); len(left) != 0 {
			t.Errorf("Extract(%s) left %v", filepath.Base(tt.path), left)
		}
	}
	bins, err := Extract(link, tempDir(t), Binaries("linux"))
	if err != nil || len(bins) != 0 {
		t.Errorf("symlink entry: got %v, %v; want it skipped", bins, err)
	}
}
