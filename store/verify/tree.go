package verify

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fsx"
)

// Diff is how an installed tree differs from its file list. Each slice holds
// slash-separated paths relative to the tree, sorted.
type Diff struct {
	Changed []string // contents differ from install time
	Added   []string // present now, absent at install time
	Missing []string // present at install time, absent now
}

// Empty reports whether the tree matches its file list exactly.
func (d Diff) Empty() bool {
	return len(d.Changed) == 0 && len(d.Added) == 0 && len(d.Missing) == 0
}

// fileSum is one line of a file list: a file's SHA-256 and its path.
type fileSum struct {
	sum  [sha256.Size]byte
	name string // slash-separated, relative to the tree
}

// TreeHash returns the dirhash "h1:" hash of the files under dir, the
// hash go computes for module trees (golang.org/x/mod/sumdb/dirhash.HashDir
// with an empty prefix). Files are hashed in parallel.
func TreeHash(dir string) (string, error) {
	sums, err := hashTree(dir, "")
	if err != nil {
		return "", err
	}
	return h1(summary(sums)), nil
}

// WriteFileList hashes every file under dir and writes the list to
// listPath, one sorted "sha256  relpath" line per file (the summary dirhash
// hashes), for [CompareFileList] to check later. It returns the tree's "h1:"
// hash, which equals [TreeHash]. A listPath inside dir is left out of the
// list.
func WriteFileList(dir, listPath string) (treeHash string, err error) {
	sums, err := hashTree(dir, listPath)
	if err != nil {
		return "", err
	}
	data := summary(sums)
	if err := os.MkdirAll(filepath.Dir(listPath), 0o755); err != nil {
		return "", err
	}
	if err := fsx.WriteFileAtomic(listPath, data, 0o644); err != nil {
		return "", fmt.Errorf("writing file list: %w", err)
	}
	return h1(data), nil
}

// FileSum is the SHA-256 of one file of a tree and its slash-separated path
// relative to the tree.
type FileSum struct {
	Name string
	Sum  [sha256.Size]byte
}

// WriteSums writes the file list of a tree whose files were hashed as they
// were written (extract.Options.Sums), in any order, and returns its "h1:"
// hash: the same list and hash [WriteFileList] computes by reading the tree
// again, which an extraction that hashes as it writes makes redundant.
func WriteSums(sums []FileSum, listPath string) (treeHash string, err error) {
	list := make([]fileSum, len(sums))
	for i, s := range sums {
		switch {
		case s.Name == "":
			return "", errors.New("a file without a name cannot be listed")
		case strings.Contains(s.Name, "\n"):
			return "", fmt.Errorf("%q: file names with newlines cannot be listed", s.Name)
		}
		list[i] = fileSum{sum: s.Sum, name: s.Name}
	}
	slices.SortFunc(list, func(a, b fileSum) int { return strings.Compare(a.name, b.name) })
	for i := 1; i < len(list); i++ {
		if list[i].name == list[i-1].name {
			return "", fmt.Errorf("%s is listed twice", list[i].name)
		}
	}
	data := summary(list)
	if err := os.MkdirAll(filepath.Dir(listPath), 0o755); err != nil {
		return "", err
	}
	if err := fsx.WriteFileAtomic(listPath, data, 0o644); err != nil {
		return "", fmt.Errorf("writing file list: %w", err)
	}
	return h1(data), nil
}

// ZipH1 returns the "h1:" hash of a zip from the SHA-256 of each of its
// entries under its name in the zip (extract.Options.EntrySums), in any
// order: the hash golang.org/x/mod/sumdb/dirhash.HashZip computes over
// every entry, directories included, and the hash the Go checksum database
// records for a module zip. A name listed twice or holding a newline is an
// error, as it is for dirhash.
func ZipH1(entries []FileSum) (string, error) {
	if len(entries) == 0 {
		return "", errors.New("the zip has no entries")
	}
	list := make([]fileSum, len(entries))
	for i, e := range entries {
		if strings.Contains(e.Name, "\n") {
			return "", fmt.Errorf("%w: entry name %q has a newline", errBadZip, e.Name)
		}
		list[i] = fileSum{sum: e.Sum, name: e.Name}
	}
	slices.SortFunc(list, func(a, b fileSum) int { return strings.Compare(a.name, b.name) })
	for i := 1; i < len(list); i++ {
		if list[i].name == list[i-1].name {
			return "", fmt.Errorf("%w: duplicate entry %s", errBadZip, list[i].name)
		}
	}
	return h1(summary(list)), nil
}

// CompareFileList hashes every file under dir again and reports how the tree
// differs from the list written by [WriteFileList]. A list that cannot be
// parsed is a verification error: the tree can no longer be vouched for.
func CompareFileList(dir, listPath string) (Diff, error) {
	data, err := os.ReadFile(listPath)
	if err != nil {
		return Diff{}, fmt.Errorf("reading file list: %w", err)
	}
	want, err := parseFileList(data)
	if err != nil {
		return Diff{}, exitcode.Verify(fmt.Errorf("file list %s is corrupt: %w", listPath, err), "")
	}
	sums, err := hashTree(dir, listPath)
	if err != nil {
		return Diff{}, err
	}
	var d Diff
	for _, s := range sums {
		w, ok := want[s.name]
		switch {
		case !ok:
			d.Added = append(d.Added, s.name)
		case w != s.sum:
			d.Changed = append(d.Changed, s.name)
		}
		delete(want, s.name)
	}
	for name := range want {
		d.Missing = append(d.Missing, name)
	}
	slices.Sort(d.Missing)
	return d, nil
}

func parseFileList(data []byte) (map[string][sha256.Size]byte, error) {
	m := make(map[string][sha256.Size]byte)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		sum, name, ok := strings.Cut(line, "  ")
		var b [sha256.Size]byte
		if !ok || len(sum) != hex.EncodedLen(sha256.Size) || name == "" {
			return nil, fmt.Errorf("line %d: want \"<sha256>  <path>\", have %q", n, line)
		}
		if _, err := hex.Decode(b[:], []byte(sum)); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if _, dup := m[name]; dup {
			return nil, fmt.Errorf("line %d: %s listed twice", n, name)
		}
		m[name] = b
	}
	return m, sc.Err()
}

// summary formats sums as dirhash.Hash1 does before hashing.
func summary(sums []fileSum) []byte {
	var buf bytes.Buffer
	buf.Grow(len(sums) * 100)
	var hx [2 * sha256.Size]byte
	for _, s := range sums {
		hex.Encode(hx[:], s.sum[:])
		buf.Write(hx[:])
		buf.WriteString("  ")
		buf.WriteString(s.name)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

func h1(summary []byte) string {
	sum := sha256.Sum256(summary)
	return "h1:" + base64.StdEncoding.EncodeToString(sum[:])
}

// hashTree returns the SHA-256 of every file under dir except skip, sorted
// by slash-separated path as dirhash sorts them. Like dirhash.DirFiles it
// walks with Lstat and opens what it finds, so a symbolic link counts as
// the file it points to.
//
// Walking is serial (directory reads are cheap) and hashing runs on every
// core: SDK trees hold ~10,000 files and SHA-256 is the bottleneck.
func hashTree(dir, skip string) ([]fileSum, error) {
	dir = filepath.Clean(dir)
	skipAbs, _ := filepath.Abs(skip)
	var sums []fileSum
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if p == dir {
			return fmt.Errorf("%s is not a directory", dir)
		}
		if skip != "" {
			if a, _ := filepath.Abs(p); a == skipAbs {
				return nil
			}
		}
		name := filepath.ToSlash(p[len(dir)+1:])
		if strings.Contains(name, "\n") {
			return fmt.Errorf("%s: file names with newlines cannot be listed", p)
		}
		sums = append(sums, fileSum{name: name})
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(sums, func(a, b fileSum) int { return strings.Compare(a.name, b.name) })

	err = parallel(len(sums), func(i int, h hash.Hash, buf []byte) error {
		if err := hashFile(h, filepath.Join(dir, filepath.FromSlash(sums[i].name)), buf); err != nil {
			return err
		}
		h.Sum(sums[i].sum[:0])
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sums, nil
}

// parallel calls f(i) for i in [0, n) on every core, each worker with its
// own SHA-256 state (reset before each call) and copy buffer, and returns
// the first error, after which no new calls start.
func parallel(n int, f func(i int, h hash.Hash, buf []byte) error) error {
	var (
		next  atomic.Int64
		stop  atomic.Bool
		once  sync.Once
		first error
		wg    sync.WaitGroup
	)
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			buf := make([]byte, 128<<10)
			h := sha256.New()
			for !stop.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				h.Reset()
				if err := f(i, h, buf); err != nil {
					stop.Store(true)
					once.Do(func() { first = err })
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}

func hashFile(w io.Writer, p string, buf []byte) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	// Hide *os.File's WriteTo: io.CopyBuffer would call it, and it ignores
	// buf and allocates a fresh one for every file.
	if _, err := io.CopyBuffer(w, struct{ io.Reader }{f}, buf); err != nil {
		return fmt.Errorf("hashing %s: %w", p, err)
	}
	return nil
}
