// Package extract unpacks Go SDK archives (the official .tar.gz and .zip
// releases and golang.org/toolchain module zips) into a folder, checking
// every entry before anything of it reaches the disk.
//
// An official Linux release:
//
//	st, err := extract.File(ctx, "go1.22.5.linux-amd64.tar.gz", partial,
//		extract.Options{StripPrefix: "go/"})
//
// A toolchain module zip, whose exec bits and go.mod names must be restored:
//
//	st, err := extract.File(ctx, zipPath, partial, extract.Options{
//		StripPrefix: "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64/",
//		Module:      true,
//	})
//
// or a tar.gz while it downloads, with [TarGz] reading the response stream.
//
// What is refused, with an error naming the entry and the archive: names
// [CheckPath] rejects, entries outside StripPrefix, duplicate names and names
// that differ only in case (they would overwrite each other on Windows and
// macOS), a file used as a directory, symbolic and hard links of any kind
// (Go's archives hold none, so refusing all of them is simpler and safer than
// judging where each one points), device files, and anything beyond the size
// and count caps. Zip archives are checked whole before the first file is
// written; a tar.gz is a stream, so each entry is checked before it is
// written. A failed extraction leaves what it wrote in dst for the caller to
// remove: extraction goes into a partial area the store throws away.
//
// Files are created new (O_EXCL): dst must not already hold any of the
// archive's files. Nothing is fsynced here; the store decides when the tree
// must be durable.
package extract

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/gover/gover/internal/exitcode"
)

// Default caps, used where Options leaves a cap at zero. A Go SDK holds about
// 15,000 files and 300 MB; its largest file is under 50 MB. Caps are
// checked against each entry's declared size before it is written, and no
// entry is written beyond its declared size, so an archive that inflates
// far beyond what it declares (a zip bomb) stops at the cap.
const (
	DefaultMaxFileSize  = 512 << 20
	DefaultMaxTotalSize = 1 << 30
	DefaultMaxFiles     = 200_000
)

// Options controls an extraction.
type Options struct {
	// StripPrefix is removed from every entry name; entries outside it are
	// refused. It ends in a slash: "go/" for official archives,
	// "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64/" for module zips.
	StripPrefix string
	// Module restores the name go.mod for files a golang.org/toolchain
	// module zip stores as _go.mod.
	Module bool
	// Caps; zero means the Default value, negative means no cap.
	MaxFileSize, MaxTotalSize int64
	MaxFiles                  int
	// Sums asks for the SHA-256 of every file written, in Stats.Sums. They
	// are computed from the bytes as they are written, so a file list of
	// the tree costs no second read of it.
	Sums bool
	// EntrySums asks a zip extraction for the SHA-256 of every entry,
	// directories included (the hash of no bytes), under its name in the
	// zip, in Stats.Entries: what dirhash.HashZip hashes.
	EntrySums bool
}

// Stats reports what an extraction wrote: regular files and their bytes.
type Stats struct {
	Files int
	Bytes int64
	// Sums holds one entry per file written when Options.Sums is set, in
	// no particular order.
	Sums []FileSum
	// Entries holds one entry per zip entry when Options.EntrySums is set,
	// in no particular order.
	Entries []FileSum
}

// FileSum is the SHA-256 of a file's contents and its name in the tree
// (slash-separated, relative to dst, after module renames).
type FileSum struct {
	Name string
	Sum  [sha256.Size]byte
}

var (
	gzipMagic = []byte{0x1f, 0x8b}
	zipMagic  = []byte("PK\x03\x04")
	zipEmpty  = []byte("PK\x05\x06")
)

// File extracts the archive at src into dst, creating dst if needed. The
// format, .tar.gz or .zip, is told by the first bytes, not by the name.
func File(ctx context.Context, src, dst string, opt Options) (Stats, error) {
	f, err := os.Open(src)
	if err != nil {
		return Stats{}, err
	}
	defer f.Close()
	var magic [4]byte
	n, err := io.ReadFull(f, magic[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && err != io.EOF {
		return Stats{}, fmt.Errorf("read %s: %w", src, err)
	}
	switch head := magic[:n]; {
	case bytes.HasPrefix(head, gzipMagic):
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return Stats{}, err
		}
		st, err := tarGz(ctx, f, dst, opt, filepath.Base(src))
		return st, err
	case bytes.Equal(head, zipMagic), bytes.Equal(head, zipEmpty):
		fi, err := f.Stat()
		if err != nil {
			return Stats{}, err
		}
		return zipFile(ctx, f, fi.Size(), dst, opt, filepath.Base(src))
	default:
		return Stats{}, fmt.Errorf("%s: not a .tar.gz or .zip archive", src)
	}
}

// TarGz extracts a gzip-compressed tar stream into dst, creating dst if
// needed. It reads r to the end of the gzip stream, checking its CRC, and
// may read ahead beyond it.
func TarGz(ctx context.Context, r io.Reader, dst string, opt Options) (Stats, error) {
	return tarGz(ctx, r, dst, opt, "tar.gz stream")
}

// entryError reports a refused entry: the archive fails gover's checks even
// if its checksum matched, so it is a verification failure.
func entryError(archive, name string, err error) error {
	return exitcode.Verify(fmt.Errorf("%s: entry %q: %w", archive, name, err), "")
}

func (o Options) limits() (maxFile, maxTotal int64, maxFiles int) {
	maxFile, maxTotal, maxFiles = o.MaxFileSize, o.MaxTotalSize, o.MaxFiles
	if maxFile == 0 {
		maxFile = DefaultMaxFileSize
	}
	if maxTotal == 0 {
		maxTotal = DefaultMaxTotalSize
	}
	if maxFiles == 0 {
		maxFiles = DefaultMaxFiles
	}
	return
}

// checker applies the per-entry rules that need memory of earlier entries:
// duplicates, case collisions, files used as directories, and the caps.
type checker struct {
	opt      Options
	archive  string
	maxFile  int64
	maxTotal int64
	maxFiles int

	seen  map[string]seenEntry // foldKey(rel) -> entry
	files int
	total int64
}

type seenEntry struct {
	rel   string
	isDir bool
}

func newChecker(opt Options, archive string) *checker {
	c := &checker{opt: opt, archive: archive, seen: make(map[string]seenEntry)}
	c.maxFile, c.maxTotal, c.maxFiles = opt.limits()
	return c
}

type kind int

const (
	kindFile kind = iota
	kindDir
	kindLink
	kindOther
)

// check validates one entry and returns its destination relative to dst (in
// slash form, with module renames applied) and its mode, which comes from
// [Mode], never from the archive. rel is "" for the root directory entry,
// which needs no action.
func (c *checker) check(name string, k kind, size int64) (rel string, mode os.FileMode, err error) {
	fail := func(err error) (string, os.FileMode, error) {
		return "", 0, entryError(c.archive, name, err)
	}
	rel, err = CheckPath(c.opt.StripPrefix, name)
	if err != nil {
		return fail(err)
	}
	switch k {
	case kindLink:
		return fail(errors.New("links are not allowed in Go SDK archives"))
	case kindOther:
		return fail(errors.New("not a regular file or directory"))
	}
	if rel == "." {
		if k != kindDir {
			return fail(errors.New("names the extraction root but is not a directory"))
		}
		return "", 0, nil
	}
	if c.opt.Module && k == kindFile && path.Base(rel) == "_go.mod" {
		rel = path.Join(path.Dir(rel), "go.mod")
	}
	if err := c.remember(rel, k == kindDir); err != nil {
		return fail(err)
	}
	if k == kindDir {
		return rel, os.ModeDir | 0o755, nil
	}
	c.files++
	if c.maxFiles > 0 && c.files > c.maxFiles {
		return fail(fmt.Errorf("more than %d files", c.maxFiles))
	}
	if size < 0 {
		return fail(fmt.Errorf("negative size %d", size))
	}
	if c.maxFile > 0 && size > c.maxFile {
		return fail(fmt.Errorf("size %d exceeds the limit of %d bytes per file", size, c.maxFile))
	}
	c.total += size
	if c.maxTotal > 0 && c.total > c.maxTotal {
		return fail(fmt.Errorf("archive expands beyond the limit of %d bytes", c.maxTotal))
	}
	return rel, Mode(rel), nil
}

// remember records rel and its parents, refusing duplicates, case
// collisions and files that would have to be directories.
func (c *checker) remember(rel string, isDir bool) error {
	key := foldKey(rel)
	if prev, ok := c.seen[key]; ok {
		switch {
		case prev.rel != rel:
			return fmt.Errorf("collides with %q on case-insensitive filesystems", prev.rel)
		case !prev.isDir || !isDir:
			// A directory named twice is harmless (tar writers do it);
			// anything else would overwrite or clash.
			return errors.New("duplicate entry")
		}
		return nil
	}
	c.seen[key] = seenEntry{rel, isDir}
	for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
		key := foldKey(dir)
		prev, ok := c.seen[key]
		if !ok {
			c.seen[key] = seenEntry{dir, true}
			continue
		}
		if prev.rel != dir {
			return fmt.Errorf("directory %q collides with %q on case-insensitive filesystems", dir, prev.rel)
		}
		if !prev.isDir {
			return fmt.Errorf("%q is a file, not a directory", dir)
		}
		break // its parents were recorded with it
	}
	return nil
}

// Mode is the mode of the file rel (slash-separated, relative to GOROOT)
// in an installed SDK, whatever the archive said: 0755 for the commands
// (bin/*, pkg/tool/*/*) and the exec wrappers go runs for other platforms
// (lib/**/go_?*_?*_exec, misc/**/go_?*_?*_exec in releases before Go 1.24),
// 0644 for everything else. cmd/go restores the same bits after unpacking
// a toolchain module zip (toolchain/select.go). Nothing is setuid, setgid
// or writable by group or others.
func Mode(rel string) os.FileMode {
	if Executable(rel) {
		return 0o755
	}
	return 0o644
}

// Executable reports whether rel is executable in an installed SDK; see
// [Mode].
func Executable(rel string) bool {
	dir, base := path.Split(rel)
	switch {
	case dir == "bin/":
		return true
	case strings.HasPrefix(dir, "pkg/tool/") && strings.Count(dir, "/") == 3:
		return true
	case strings.HasPrefix(dir, "lib/") || strings.HasPrefix(dir, "misc/"):
		ok, _ := path.Match("go_?*_?*_exec", base)
		return ok
	}
	return false
}

// dirMaker creates each directory once.
type dirMaker struct {
	root string
	made map[string]bool
}

func newDirMaker(root string) (*dirMaker, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	return &dirMaker{root: root, made: map[string]bool{".": true}}, nil
}

func (m *dirMaker) mkdir(rel string) error {
	if m.made[rel] {
		return nil
	}
	if err := m.mkdir(path.Dir(rel)); err != nil {
		return err
	}
	err := os.Mkdir(filepath.Join(m.root, filepath.FromSlash(rel)), 0o755)
	if err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	if err != nil {
		// Refuse to descend into something already there that is not a
		// plain directory (a symlink planted in dst, for one).
		fi, lerr := os.Lstat(filepath.Join(m.root, filepath.FromSlash(rel)))
		if lerr != nil {
			return lerr
		}
		if !fi.IsDir() {
			return fmt.Errorf("%s exists and is not a directory", rel)
		}
	}
	m.made[rel] = true
	return nil
}

// writeFile creates dst/rel with mode and copies exactly size bytes from r,
// also into h unless it is nil.
func writeFile(root, rel string, mode os.FileMode, r io.Reader, size int64, buf []byte, h hash.Hash) error {
	name := filepath.Join(root, filepath.FromSlash(rel))
	f, err := createNew(name, mode)
	if err != nil {
		return err
	}
	var w io.Writer = f
	if h != nil {
		w = io.MultiWriter(f, h)
	}
	n, err := io.CopyBuffer(w, io.LimitReader(r, size), buf)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n != size {
		err = fmt.Errorf("short entry: got %d of %d bytes: %w", n, size, io.ErrUnexpectedEOF)
	}
	return err
}

// writeData creates dst/rel with mode and writes data to it.
func writeData(root, rel string, mode os.FileMode, data []byte) error {
	f, err := createNew(filepath.Join(root, filepath.FromSlash(rel)), mode)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

type writerOnly struct{ io.Writer }

func parent(rel string) string { return path.Dir(rel) }
