//go:build linux

package extract

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The benchmarks compare gover's extractor with tar and unzip on an
// SDK-shaped archive (about 9,500 small text files plus a few large
// binaries) and, when present, on the Go installation running them. They
// work in /dev/shm when it exists: on ext4, extracting right after deleting
// thousands of files measures the filesystem, not the extractor.
//
//	go test -run '^$' -bench . -benchtime 10x ./store/extract

func benchDir(b *testing.B) string {
	base := ""
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		base = "/dev/shm"
	}
	dir, err := os.MkdirTemp(base, "gover-bench-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

type benchFile struct {
	name string
	body []byte
	mode fs.FileMode
}

// syntheticSDK returns ~9,500 files shaped like a Go SDK: source-like text
// of a few KB each and a handful of large, less compressible binaries.
func syntheticSDK() []benchFile {
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("func return if err != nil package import type struct interface for range " +
		"go defer select case switch map chan string int byte error context ctx buf n i x y := = ( ) { } //")
	var files []benchFile
	for i := range 9500 {
		var sb strings.Builder
		size := 500 + rng.IntN(12000)
		for sb.Len() < size {
			sb.WriteString(words[rng.IntN(len(words))])
			if rng.IntN(8) == 0 {
				sb.WriteString("\n\t")
			} else {
				sb.WriteByte(' ')
			}
		}
		name := fmt.Sprintf("go/src/pkg%03d/sub%d/file%04d.go", i/40, i%3, i)
		files = append(files, benchFile{name, []byte(sb.String()), 0o644})
	}
	for i := range 6 {
		body := make([]byte, 8<<20)
		for j := range body {
			// Half random, half repetitive: compresses like a binary.
			if j%2 == 0 {
				body[j] = byte(rng.IntN(256))
			} else {
				body[j] = byte(j >> 10)
			}
		}
		files = append(files, benchFile{fmt.Sprintf("go/pkg/tool/linux_amd64/tool%d", i), body, 0o755})
	}
	return files
}

func gorootFiles(b testing.TB) []benchFile {
	root := runtime.GOROOT()
	var files []benchFile
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fi, _ := d.Info()
		files = append(files, benchFile{"go/" + filepath.ToSlash(rel), body, fi.Mode().Perm()})
		return nil
	})
	if err != nil {
		b.Skip(err)
	}
	return files
}

func writeBenchArchives(b testing.TB, dir string, files []benchFile) (tgz, zp string) {
	var tb, zb bytes.Buffer
	gw, _ := gzip.NewWriterLevel(&tb, gzip.DefaultCompression)
	tw := tar.NewWriter(gw)
	zw := zip.NewWriter(&zb)
	for _, f := range files {
		tw.WriteHeader(&tar.Header{Name: f.name, Mode: int64(f.mode), Size: int64(len(f.body)), Typeflag: tar.TypeReg})
		tw.Write(f.body)
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate}
		h.SetMode(f.mode)
		w, _ := zw.CreateHeader(h)
		w.Write(f.body)
	}
	tw.Close()
	gw.Close()
	zw.Close()
	tgz, zp = filepath.Join(dir, "sdk.tar.gz"), filepath.Join(dir, "sdk.zip")
	if err := os.WriteFile(tgz, tb.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(zp, zb.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return tgz, zp
}

func BenchmarkExtract(b *testing.B) {
	for _, set := range []struct {
		name  string
		files func(*testing.B) []benchFile
	}{
		{"synthetic", func(*testing.B) []benchFile { return syntheticSDK() }},
		{"goroot", func(b *testing.B) []benchFile { return gorootFiles(b) }},
	} {
		b.Run(set.name, func(b *testing.B) {
			dir := benchDir(b)
			files := set.files(b)
			tgz, zp := writeBenchArchives(b, dir, files)
			var total int64
			for _, f := range files {
				total += int64(len(f.body))
			}
			b.Logf("%d files, %.1f MB; tar.gz %.1f MB", len(files), float64(total)/1e6, fileMB(tgz))
			run := func(name string, extract func(dst string) error) {
				benchExtract(b, name, dir, total, extract)
			}
			opt := Options{StripPrefix: "go/"}
			run("targz/gover", func(dst string) error { _, err := File(context.Background(), tgz, dst, opt); return err })
			run("targz/tar", func(dst string) error { return command("tar", "-xzf", tgz, "-C", dst) })
			run("zip/gover", func(dst string) error { _, err := File(context.Background(), zp, dst, opt); return err })
			run("zip/unzip", func(dst string) error { return command("unzip", "-q", zp, "-d", dst) })
		})
	}
}

// cpuTime is the CPU time used so far by this process and its waited-for
// children (tar, gzip, unzip).
func cpuTime() time.Duration {
	var self, children syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(children.Utime) + tv(children.Stime)
}

func fileMB(p string) float64 {
	fi, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return float64(fi.Size()) / 1e6
}

func command(name string, args ...string) error {
	if _, err := exec.LookPath(name); err != nil {
		return fmt.Errorf("%s not installed: %w", name, err)
	}
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v\n%s", name, err, out)
	}
	return nil
}

// BenchmarkExtractArchive extracts GOVER_BENCH_TARGZ (a real SDK archive;
// bench/install.sh prepares go1.22.5's) with gover, hashing every file as
// an install does, and with tar -xzf; and GOVER_BENCH_ZIP likewise with
// unzip.
func BenchmarkExtractArchive(b *testing.B) {
	tgz := os.Getenv("GOVER_BENCH_TARGZ")
	if tgz == "" {
		b.Skip("GOVER_BENCH_TARGZ is not set")
	}
	dir := benchDir(b)
	run := func(name string, extract func(dst string) error) {
		benchExtract(b, name, dir, 0, extract)
	}
	opt := Options{StripPrefix: "go/", Sums: true}
	run("targz/gover", func(dst string) error { _, err := File(context.Background(), tgz, dst, opt); return err })
	run("targz/tar", func(dst string) error { return command("tar", "-xzf", tgz, "-C", dst) })
	// GOVER_BENCH_ZIP: the toolchain module zip of the same SDK, named as
	// the proxy names it (v0.0.1-go1.22.5.linux-amd64.zip).
	if zp := os.Getenv("GOVER_BENCH_ZIP"); zp != "" {
		mod := Options{StripPrefix: "golang.org/toolchain@" + strings.TrimSuffix(filepath.Base(zp), ".zip") + "/", Module: true, Sums: true}
		run("zip/gover", func(dst string) error { _, err := File(context.Background(), zp, dst, mod); return err })
		run("zip/unzip", func(dst string) error { return command("unzip", "-q", zp, "-d", dst) })
	}
}

// benchExtract times extract into a fresh folder under dir per round,
// reporting CPU time (user+sys, with any child's) beside wall time: on a
// machine shared with other work, CPU time is the steadier of the two.
// total, when known, is the bytes extracted per round.
func benchExtract(b *testing.B, name, dir string, total int64, extract func(dst string) error) {
	b.Run(name, func(b *testing.B) {
		if total > 0 {
			b.SetBytes(total)
		}
		var prev string
		var cpu time.Duration
		for b.Loop() {
			b.StopTimer()
			os.RemoveAll(prev)
			dst, err := os.MkdirTemp(dir, "out")
			if err != nil {
				b.Fatal(err)
			}
			prev = dst
			before := cpuTime()
			b.StartTimer()
			if err := extract(dst); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			cpu += cpuTime() - before
			b.StartTimer()
		}
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	})
}
