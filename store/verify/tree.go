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
	// Modes lists files and folders whose permissions break gover's
	// rule: setuid, setgid or sticky, writable by group or others, or
	// (with a mode rule) an exec bit gained or lost.
	Modes []ModeChange
	// Special lists what is neither a regular file nor a folder: symbolic
	// links, FIFOs, devices, sockets. They are never followed or opened.
	Special []SpecialFile
}

// ModeChange is a file whose permissions are not what gover gave it.
type ModeChange struct {
	Name      string
	Got, Want fs.FileMode
}

// String says "bin/go: mode 4755 (setuid), want 0755" in Unix octal.
func (m ModeChange) String() string {
	return fmt.Sprintf("%s: mode %s, want %s", m.Name, octal(m.Got), octal(m.Want))
}

// octal writes a mode as chmod takes it, naming the special bits.
func octal(m fs.FileMode) string {
	n := uint32(m.Perm())
	var names []string
	for _, b := range []struct {
		bit  fs.FileMode
		unix uint32
		name string
	}{{fs.ModeSetuid, 0o4000, "setuid"}, {fs.ModeSetgid, 0o2000, "setgid"}, {fs.ModeSticky, 0o1000, "sticky"}} {
		if m&b.bit != 0 {
			n |= b.unix
			names = append(names, b.name)
		}
	}
	if m.Perm()&0o022 != 0 {
		names = append(names, "writable by others")
	}
	s := fmt.Sprintf("%04o", n)
	if len(names) > 0 {
		s += " (" + strings.Join(names, ", ") + ")"
	}
	return s
}

// SpecialFile is a tree entry that is not a regular file or folder.
type SpecialFile struct {
	Name string
	Type string // "symbolic link", "FIFO", "device", "socket", "irregular file"
}

func (s SpecialFile) String() string { return s.Name + ": " + s.Type }

// Empty reports whether the tree matches its file list exactly.
func (d Diff) Empty() bool {
	return len(d.Changed) == 0 && len(d.Added) == 0 && len(d.Missing) == 0 && len(d.Modes) == 0 && len(d.Special) == 0
}

// fileSum is one line of a file list: a file's SHA-256 and its path.
type fileSum struct {
	sum  [sha256.Size]byte
	name string      // slash-separated, relative to the tree
	mode fs.FileMode // as found by hashTree; not part of the list
}

// tree is what hashTree found under a folder.
type tree struct {
	files   []fileSum // regular files, sorted by name, hashed
	dirs    []fileSum // folders (sum unused), for their modes
	special []SpecialFile
}

// errSpecial is returned where a tree must hold only files and folders.
func errSpecial(dir string, s []SpecialFile) error {
	return fmt.Errorf("%s holds %d entries that are not regular files or folders, first %s", dir, len(s), s[0])
}

// TreeHash returns the dirhash "h1:" hash of the files under dir, the
// hash go computes for module trees (golang.org/x/mod/sumdb/dirhash.HashDir
// with an empty prefix). Files are hashed in parallel.
//
// Unlike dirhash, it never follows a symbolic link: a tree holding a link,
// a FIFO or a device is an error.
func TreeHash(dir string) (string, error) {
	t, err := hashTree(dir, "")
	if err != nil {
		return "", err
	}
	if len(t.special) > 0 {
		return "", errSpecial(dir, t.special)
	}
	return h1(summary(t.files)), nil
}

// WriteFileList hashes every file under dir and writes the list to
// listPath, one sorted "sha256  relpath" line per file (the summary dirhash
// hashes), for [CompareFileList] to check later. It returns the tree's "h1:"
// hash, which equals [TreeHash]. A listPath inside dir is left out of the
// list.
func WriteFileList(dir, listPath string) (treeHash string, err error) {
	t, err := hashTree(dir, listPath)
	if err != nil {
		return "", err
	}
	if len(t.special) > 0 {
		return "", errSpecial(dir, t.special)
	}
	data := summary(t.files)
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
// differs from the list written by [WriteFileList]: contents, files added
// and missing, entries that are not regular files or folders (never
// followed or opened), and permissions no file of an SDK should have
// (setuid, setgid, sticky, writable by group or others). A list that cannot
// be parsed is a verification error: the tree can no longer be vouched for.
func CompareFileList(dir, listPath string) (Diff, error) {
	return CompareTree(dir, listPath, nil)
}

// CompareTree is [CompareFileList] that also checks every file's exec bit
// against mode, the permissions gover gives the file rel (slash-separated)
// when it installs it. Permissions mean nothing on Windows, where only the
// contents and entry types are checked.
func CompareTree(dir, listPath string, mode func(rel string) fs.FileMode) (Diff, error) {
	data, err := os.ReadFile(listPath)
	if err != nil {
		return Diff{}, fmt.Errorf("reading file list: %w", err)
	}
	want, err := parseFileList(data)
	if err != nil {
		return Diff{}, exitcode.Verify(fmt.Errorf("file list %s is corrupt: %w", listPath, err), "")
	}
	t, err := hashTree(dir, listPath)
	if err != nil {
		return Diff{}, err
	}
	d := Diff{Special: t.special}
	if runtime.GOOS != "windows" {
		for _, f := range t.files {
			if m, ok := checkMode(f, mode); !ok {
				d.Modes = append(d.Modes, m)
			}
		}
		for _, f := range t.dirs {
			if m, ok := checkMode(f, nil); !ok {
				d.Modes = append(d.Modes, m)
			}
		}
		slices.SortFunc(d.Modes, func(a, b ModeChange) int { return strings.Compare(a.Name, b.Name) })
	}
	for _, s := range t.files {
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

// badBits are permissions no file or folder of an installed SDK has.
const badBits = fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky | 0o022

// checkMode compares f's permissions with gover's rule: none of badBits,
// and, when want is set, exactly the exec bits it gives.
func checkMode(f fileSum, want func(string) fs.FileMode) (ModeChange, bool) {
	got := f.mode & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
	expect := got &^ badBits
	if want != nil && f.mode.IsRegular() {
		// Only the exec bits are the rule's: a file the user made
		// read-only is not a finding.
		expect = expect&^0o111 | want(f.name)&0o111
	}
	if got == expect {
		return ModeChange{}, true
	}
	return ModeChange{Name: f.name, Got: f.mode.Type() | got, Want: f.mode.Type() | expect}, false
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

// hashTree returns the SHA-256 of every regular file under dir except
// skip, sorted by slash-separated path as dirhash sorts them, with the
// folders and the entries that are neither (links, FIFOs, devices,
// sockets). It walks with Lstat and opens only regular files, so a link is
// never followed and a FIFO never blocks it.
//
// Walking is serial (directory reads are cheap) and hashing runs on every
// core: SDK trees hold ~10,000 files and SHA-256 is the bottleneck.
func hashTree(dir, skip string) (*tree, error) {
	dir = filepath.Clean(dir)
	skipAbs, _ := filepath.Abs(skip)
	t := new(tree)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			if !d.IsDir() {
				return fmt.Errorf("%s is not a directory", dir)
			}
			return nil
		}
		name := filepath.ToSlash(p[len(dir)+1:])
		if strings.Contains(name, "\n") {
			return fmt.Errorf("%s: file names with newlines cannot be listed", p)
		}
		typ := d.Type()
		switch {
		case typ.IsDir(), typ.IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			if typ.IsDir() {
				t.dirs = append(t.dirs, fileSum{name: name, mode: info.Mode()})
				return nil
			}
			if skip != "" {
				if a, _ := filepath.Abs(p); a == skipAbs {
					return nil
				}
			}
			t.files = append(t.files, fileSum{name: name, mode: info.Mode()})
		default:
			t.special = append(t.special, SpecialFile{Name: name, Type: typeName(typ)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(t.files, func(a, b fileSum) int { return strings.Compare(a.name, b.name) })
	slices.SortFunc(t.special, func(a, b SpecialFile) int { return strings.Compare(a.Name, b.Name) })

	err = parallel(len(t.files), func(i int, h hash.Hash, buf []byte) error {
		if err := hashFile(h, filepath.Join(dir, filepath.FromSlash(t.files[i].name)), buf); err != nil {
			return err
		}
		h.Sum(t.files[i].sum[:0])
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// typeName names a file type that is not a regular file or folder.
func typeName(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "FIFO"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "device"
	case m&fs.ModeSocket != 0:
		return "socket"
	}
	return "irregular file"
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
	// The walk saw a regular file; refuse whatever replaced it since.
	f, err := openRegular(p)
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
