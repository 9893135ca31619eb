package extract

import (
	"archive/zip"
	"bufio"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/flate"
)

// zipFile extracts a zip archive with the standard library's archive/zip
// rather than mholt/archives: archives.Zip walks entries one at a time, and
// a zip's central directory lets us check every entry first and then
// inflate and write files on all cores at once, which is what beats
// `unzip` on a 15,000-file SDK. Inflating uses klauspost/compress/flate
// (also what mholt/archives uses), about twice as fast as compress/flate.
func zipFile(ctx context.Context, ra io.ReaderAt, size int64, dst string, opt Options, archive string) (Stats, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return Stats{}, fmt.Errorf("%s: %w", archive, err)
	}
	var pool sync.Pool
	zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser {
		if in, ok := pool.Get().(*inflater); ok {
			in.br.Reset(r)
			if err := in.fr.(flate.Resetter).Reset(in.br, nil); err == nil {
				return pooled{in, &pool}
			}
		}
		// flate reads through a bufio.Reader of 4 KB unless given one:
		// a system call per 4 KB of a large entry.
		br := bufio.NewReaderSize(r, 64<<10)
		return pooled{&inflater{fr: flate.NewReader(br), br: br}, &pool}
	})

	// Check everything before writing anything.
	c := newChecker(opt, archive)
	type job struct {
		f    *zip.File
		rel  string
		mode os.FileMode
	}
	var jobs []job
	var dirList []string
	var entries []FileSum // directory entries, for EntrySums
	names := make(map[string]bool, len(zr.File))
	for _, f := range zr.File {
		// Every name once: a hash of the zip's entries (dirhash.HashZip)
		// would not say which copy of a name was meant.
		if names[f.Name] {
			return Stats{}, entryError(archive, f.Name, errors.New("duplicate entry"))
		}
		names[f.Name] = true
		var k kind
		mode := f.Mode()
		isDirName := strings.HasSuffix(f.Name, "/")
		switch {
		case mode&fs.ModeSymlink != 0:
			k = kindLink
		case isDirName:
			// archive/zip reads a directory entry as no bytes at all,
			// or fails when it declares some.
			if f.UncompressedSize64 != 0 {
				return Stats{}, entryError(archive, f.Name, errors.New("directory entry with data"))
			}
			k = kindDir
		case mode.IsDir():
			return Stats{}, entryError(archive, f.Name, errors.New("directory entry without a trailing slash"))
		case mode.IsRegular():
			k = kindFile
		default:
			k = kindOther
		}
		if k == kindFile && f.UncompressedSize64 > 1<<62 {
			return Stats{}, entryError(archive, f.Name, errors.New("impossible size"))
		}
		rel, m, err := c.check(f.Name, k, int64(f.UncompressedSize64))
		if err != nil {
			return Stats{}, err
		}
		switch {
		case k == kindDir:
			if rel != "" {
				dirList = append(dirList, rel)
			}
			if opt.EntrySums {
				entries = append(entries, FileSum{Name: f.Name, Sum: emptySum})
			}
		default:
			jobs = append(jobs, job{f, rel, m})
			dirList = append(dirList, parent(rel))
		}
	}

	dirs, err := newDirMaker(dst)
	if err != nil {
		return Stats{}, err
	}
	sort.Strings(dirList)
	for _, d := range dirList {
		if err := dirs.mkdir(d); err != nil {
			return Stats{}, fmt.Errorf("%s: %q: %w", archive, d, err)
		}
	}

	// Large files first, so that one big binary at the end does not run
	// alone on one core while the others sit idle.
	sort.SliceStable(jobs, func(i, j int) bool {
		return jobs[i].f.CompressedSize64 > jobs[j].f.CompressedSize64
	})
	// Twice as many workers as cores: creating and closing a file blocks in
	// the kernel (for milliseconds on Windows, where anti-virus scans each
	// new file), and the extra workers keep inflating meanwhile.
	workers := min(2*runtime.GOMAXPROCS(0), 16, max(len(jobs), 1))
	var (
		next     atomic.Int64
		files    atomic.Int64
		bytes    atomic.Int64
		errOnce  sync.Once
		firstErr error
		failed   atomic.Bool
		wg       sync.WaitGroup
		results  = make([][]FileSum, workers)
		byName   = make([][]FileSum, workers)
	)
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err })
		failed.Store(true)
	}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 128<<10)
			var h hash.Hash
			if opt.Sums || opt.EntrySums {
				h = sha256.New()
			}
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= len(jobs) {
					return
				}
				if err := ctx.Err(); err != nil {
					fail(err)
					return
				}
				j := jobs[i]
				if h != nil {
					h.Reset()
				}
				if err := extractZipEntry(j.f, dst, j.rel, j.mode, buf, h); err != nil {
					fail(fmt.Errorf("%s: entry %q: %w", archive, j.f.Name, err))
					return
				}
				if h != nil {
					s := FileSum{Name: j.rel}
					h.Sum(s.Sum[:0])
					if opt.Sums {
						results[w] = append(results[w], s)
					}
					if opt.EntrySums {
						byName[w] = append(byName[w], FileSum{Name: j.f.Name, Sum: s.Sum})
					}
				}
				files.Add(1)
				bytes.Add(int64(j.f.UncompressedSize64))
			}
		}()
	}
	wg.Wait()
	st := Stats{Files: int(files.Load()), Bytes: bytes.Load()}
	if opt.Sums {
		for _, r := range results {
			st.Sums = append(st.Sums, r...)
		}
	}
	if opt.EntrySums {
		st.Entries = entries
		for _, r := range byName {
			st.Entries = append(st.Entries, r...)
		}
	}
	return st, firstErr
}

func extractZipEntry(f *zip.File, dst, rel string, mode os.FileMode, buf []byte, h hash.Hash) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	err = writeFile(dst, rel, mode, rc, int64(f.UncompressedSize64), buf, h)
	// Reading to EOF makes archive/zip check the CRC-32; writeFile stopped
	// at the declared size.
	if err == nil {
		var one [1]byte
		if n, rerr := rc.Read(one[:]); n > 0 {
			err = errors.New("entry is longer than its declared size")
		} else if rerr != nil && rerr != io.EOF {
			err = rerr
		}
	}
	if cerr := rc.Close(); err == nil {
		err = cerr
	}
	return err
}

// emptySum is the SHA-256 of no bytes: what a directory entry hashes to.
var emptySum = sha256.Sum256(nil)

// pooled returns its flate reader to the pool on Close.
type pooled struct {
	*inflater
	pool *sync.Pool
}

func (p pooled) Close() error {
	err := p.fr.Close()
	p.br.Reset(nil)
	p.pool.Put(p.inflater)
	return err
}

// inflater is a flate reader and the buffer it reads through.
type inflater struct {
	fr io.ReadCloser
	br *bufio.Reader
}

func (in *inflater) Read(p []byte) (int, error) { return in.fr.Read(p) }
