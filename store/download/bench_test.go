//go:build linux

package download

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/store/extract"
	"github.com/gover/gover/versions"
)

// BenchmarkInstall compares downloading and extracting a 9,500-file SDK
// from a local server, SHA-256 checked, with `curl | tar -xz`, which checks
// nothing. It works in /dev/shm so that the filesystem is not what is
// measured.
//
//	go test -run '^$' -bench Install -benchtime 10x ./store/download
func BenchmarkInstall(b *testing.B) {
	if _, err := os.Stat("/dev/shm"); err != nil {
		b.Skip("no /dev/shm")
	}
	for _, tool := range []string{"curl", "tar"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.Skipf("%s not installed", tool)
		}
	}
	root := fake.SDKFiles(b, "1.22.5", versions.Platform{OS: "linux", Arch: "amd64"}, 9500)
	data := fake.TarGz(b, root)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "go.tar.gz", time.Time{}, bytes.NewReader(data))
	}))
	defer srv.Close()
	want := Expect{Size: int64(len(data)), SHA256: sum(data)}
	b.Logf("%d bytes", len(data))

	run := func(name string, install func(dst string) error) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			var prev string
			for b.Loop() {
				b.StopTimer()
				os.RemoveAll(prev)
				dst, err := os.MkdirTemp("/dev/shm", "gover-bench-")
				if err != nil {
					b.Fatal(err)
				}
				prev = dst
				b.StartTimer()
				if err := install(dst); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			os.RemoveAll(prev)
		})
	}
	d := &Downloader{Client: &http.Client{}}
	run("gover", func(dst string) error {
		_, err := d.Stream(context.Background(), srv.URL, want, func(r io.Reader) error {
			_, err := extract.TarGz(context.Background(), r, dst, extract.Options{StripPrefix: "go/"})
			return err
		})
		return err
	})
	run("curl-tar", func(dst string) error {
		return exec.Command("sh", "-c", `curl -sf "$0" | tar -xz -C "$1"`, srv.URL, dst).Run()
	})
}
