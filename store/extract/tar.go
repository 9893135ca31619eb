package extract

import (
	"archive/tar"
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
	"sync"
	"sync/atomic"

	"github.com/klauspost/pgzip"
	"github.com/mholt/archives"
)

// A .tar.gz is extracted by a pipeline, the split `gzip -d | tar -x` makes
// between processes, over goroutines:
//
//	inflate (pgzip, reading ahead on its own goroutine)
//	  → tar parse and entry checks (one goroutine, in archive order)
//	  → file writers (a small pool: create, write, close, hash)
//
// Inflating a single gzip stream cannot be split, so it bounds the whole;
// everything else runs beside it. Creating ~10,000 files is most of the
// rest, and the writers overlap those system calls with each other and with
// inflating. Every entry is checked, and its parent directories created,
// before it is handed to a writer.
const (
	// smallFile is the largest file read whole into memory and handed to a
	// writer; larger ones (a few binaries in an SDK) are written by the
	// parser itself, while the writers carry on with what is queued.
	smallFile = 256 << 10
	// queued bounds the files in memory between parser and writers: at
	// most (queued + writers) × smallFile bytes.
	queued = 64
)

// fileJob is one small file on its way to a writer.
type fileJob struct {
	name string // as in the archive, for errors
	rel  string
	mode os.FileMode
	buf  *[]byte // data is (*buf)[:size]
	size int64
}

// tarWriters writes small files on a few goroutines.
type tarWriters struct {
	dst     string
	archive string
	sums    bool
	jobs    chan fileJob
	bufs    sync.Pool
	wg      sync.WaitGroup
	failed  atomic.Bool
	errOnce sync.Once
	err     error
	results [][]FileSum // one slice per writer
	files   atomic.Int64
	bytes   atomic.Int64
}

func newTarWriters(dst, archive string, sums bool) *tarWriters {
	// On two cores, three writers: creating a file blocks in the kernel
	// (for milliseconds on Windows, where anti-virus scans each new file),
	// and the third keeps a core busy meanwhile. On Linux tmpfs one to
	// four writers measure the same: there, inflating is the bound.
	n := min(max(runtime.GOMAXPROCS(0)+1, 3), 8)
	w := &tarWriters{
		dst: dst, archive: archive, sums: sums,
		jobs:    make(chan fileJob, queued),
		results: make([][]FileSum, n),
	}
	w.bufs.New = func() any { b := make([]byte, smallFile); return &b }
	for i := range n {
		w.wg.Go(func() { w.run(i) })
	}
	return w
}

func (w *tarWriters) fail(err error) {
	w.errOnce.Do(func() { w.err = err })
	w.failed.Store(true)
}

func (w *tarWriters) run(i int) {
	var h hash.Hash
	if w.sums {
		h = sha256.New()
	}
	for j := range w.jobs {
		w.write(i, h, j)
	}
}

// write writes one file and returns its buffer to the pool; after a
// failure anywhere it only returns the buffer.
func (w *tarWriters) write(i int, h hash.Hash, j fileJob) {
	defer w.bufs.Put(j.buf)
	if w.failed.Load() {
		return
	}
	data := (*j.buf)[:j.size]
	if err := writeData(w.dst, j.rel, j.mode, data); err != nil {
		w.fail(fmt.Errorf("%s: entry %q: %w", w.archive, j.name, err))
		return
	}
	w.files.Add(1)
	w.bytes.Add(j.size)
	if h != nil {
		h.Reset()
		h.Write(data)
		s := FileSum{Name: j.rel}
		h.Sum(s.Sum[:0])
		w.results[i] = append(w.results[i], s)
	}
}

// wait stops the writers once the queue is drained.
func (w *tarWriters) wait() error {
	close(w.jobs)
	w.wg.Wait()
	return w.err
}

func tarGz(ctx context.Context, r io.Reader, dst string, opt Options, archive string) (st Stats, err error) {
	// pgzip inflates ahead on its own goroutine, as gzip does when piped
	// into tar. Measured on go1.22.5's archive (BenchmarkInflate), it
	// inflates as fast as klauspost/compress/gzip (0.90 s vs 0.87 s) and
	// faster than compress/gzip (1.15 s) and gzip -d (1.29 s), and its
	// read-ahead keeps inflating while the parser works.
	//
	// pgzip reads through a bufio.Reader of 4 KB unless r can read bytes
	// itself: a read, or with a stream from the network a goroutine
	// hand-over, per 4 KB. A larger buffer makes that one per 256 KB.
	if _, ok := r.(io.ByteReader); !ok {
		r = bufio.NewReaderSize(r, 256<<10)
	}
	gz, err := pgzip.NewReader(r)
	if err != nil {
		return Stats{}, fmt.Errorf("%s: %w", archive, err)
	}
	defer gz.Close()

	dirs, err := newDirMaker(dst)
	if err != nil {
		return Stats{}, err
	}
	c := newChecker(opt, archive)
	w := newTarWriters(dst, archive, opt.Sums)
	p := &tarParser{c: c, dirs: dirs, dst: dst, w: w, buf: make([]byte, 256<<10)}
	if opt.Sums {
		p.h = sha256.New()
	}
	perr := p.parse(ctx, gz)
	werr := w.wait()
	st = Stats{Files: int(w.files.Load()) + p.files, Bytes: w.bytes.Load() + p.bytes}
	if opt.Sums {
		st.Sums = p.sums
		for _, s := range w.results {
			st.Sums = append(st.Sums, s...)
		}
	}
	// A writer's failure (disk full, a file already there) comes first:
	// the parser stopped because of it.
	if werr != nil {
		return st, werr
	}
	if perr != nil {
		return st, perr
	}
	// Read to the end of the gzip stream so its CRC and length trailer are
	// checked: tar stops at its end-of-archive marker before it.
	// readerOnly hides pgzip's WriteTo, which cannot resume a stream that
	// was partly read (it panics).
	if _, err := io.CopyBuffer(io.Discard, readerOnly{gz}, p.buf); err != nil {
		return st, fmt.Errorf("%s: %w", archive, err)
	}
	return st, nil
}

// tarParser reads entries in order, checks them and hands files on.
type tarParser struct {
	c     *checker
	dirs  *dirMaker
	dst   string
	w     *tarWriters
	buf   []byte
	h     hash.Hash // for large files, when sums are wanted
	sums  []FileSum // of large files
	files int       // large files written here
	bytes int64
}

// parse walks the archive with mholt/archives. An entry's error stops the
// walk (fs.SkipAll) and is returned as it is, already naming the archive
// and the entry.
func (p *tarParser) parse(ctx context.Context, r io.Reader) error {
	var entryErr error
	err := archives.Tar{}.Extract(ctx, r, func(ctx context.Context, f archives.FileInfo) error {
		if p.w.failed.Load() {
			return fs.SkipAll // the writer's error is reported
		}
		hdr, ok := f.Header.(*tar.Header)
		if !ok {
			entryErr = fmt.Errorf("%s: entry %q: not a tar header", p.c.archive, f.NameInArchive)
			return fs.SkipAll
		}
		data, err := f.Open()
		if err != nil {
			entryErr = fmt.Errorf("%s: entry %q: %w", p.c.archive, hdr.Name, err)
			return fs.SkipAll
		}
		defer data.Close()
		if entryErr = p.entry(hdr, data); entryErr != nil {
			return fs.SkipAll
		}
		return nil
	})
	if entryErr != nil {
		return entryErr
	}
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("%s: %w", p.c.archive, err)
	}
	return err
}

func (p *tarParser) entry(hdr *tar.Header, tr io.Reader) error {
	archive := p.c.archive
	var k kind
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeRegA:
		k = kindFile
	case tar.TypeDir:
		k = kindDir
	case tar.TypeSymlink, tar.TypeLink:
		k = kindLink
	default:
		k = kindOther
	}
	rel, mode, err := p.c.check(hdr.Name, k, hdr.Size)
	if err != nil || rel == "" {
		return err
	}
	if k == kindDir {
		if err := p.dirs.mkdir(rel); err != nil {
			return fmt.Errorf("%s: entry %q: %w", archive, hdr.Name, err)
		}
		return nil
	}
	if err := p.dirs.mkdir(parent(rel)); err != nil {
		return fmt.Errorf("%s: entry %q: %w", archive, hdr.Name, err)
	}
	if hdr.Size > smallFile {
		var h hash.Hash
		if p.h != nil {
			h = p.h
			h.Reset()
		}
		if err := writeFile(p.dst, rel, mode, tr, hdr.Size, p.buf, h); err != nil {
			return fmt.Errorf("%s: entry %q: %w", archive, hdr.Name, truncated(err))
		}
		if h != nil {
			s := FileSum{Name: rel}
			h.Sum(s.Sum[:0])
			p.sums = append(p.sums, s)
		}
		p.files++
		p.bytes += hdr.Size
		return nil
	}
	buf := p.w.bufs.Get().(*[]byte)
	if _, err := io.ReadFull(tr, (*buf)[:hdr.Size]); err != nil {
		p.w.bufs.Put(buf)
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		err = fmt.Errorf("short entry: %w", err)
		return fmt.Errorf("%s: entry %q: %w", archive, hdr.Name, truncated(err))
	}
	p.w.jobs <- fileJob{name: hdr.Name, rel: rel, mode: mode, buf: buf, size: hdr.Size}
	return nil
}

// truncated names the likely cause of an entry cut short.
func truncated(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("truncated archive: %w", err)
	}
	return err
}

type readerOnly struct{ io.Reader }
