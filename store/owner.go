package store

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gover/gover/versions"
)

// Ownership: the one home for what gover may delete.
//
// gover deletes only what it created, and it knows what it created by its
// own mark, written when the entry is created:
//
//   - sdk/<v>.partial, the partial marker, says that sdk/<v> is being
//     written or removed by gover. It is created before the folder and
//     removed after it, so a crash at any point leaves the mark next to
//     whatever is left.
//   - a manifest in meta/ that is not an import says that sdk/<v> is an
//     SDK gover installed; Uninstall turns it back into a partial marker
//     before it removes anything.
//   - tmp/<v>-<n>/.gover, the scratch record, says that a tmp/ folder is a
//     transaction's scratch space.
//
// Anything else in sdk/, tmp/ and cache/ (all three may be links to
// another drive, shared with other tools) is not gover's and is never
// removed. Removal never follows a link: a link is removed as a link.

// markPrefix starts every mark gover writes.
const markPrefix = "gover:"

// scratchRecord is the name of the mark inside a scratch folder.
const scratchRecord = ".gover"

// writeMark creates the mark file path, saying what gover is doing.
func writeMark(path, what string) error {
	return os.WriteFile(path, fmt.Appendf(nil, "%s %s (pid %d)\n", markPrefix, what, os.Getpid()), 0o644)
}

// isMark reports whether path is a mark gover wrote: a regular file, not a
// link, that starts with markPrefix.
func isMark(path string) bool {
	info, err := os.Lstat(path)
	if err != nil || !info.Mode().IsRegular() {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, len(markPrefix))
	n, _ := f.Read(buf)
	return bytes.Equal(buf[:n], []byte(markPrefix))
}

// markPartial marks v's SDK folder as gover's work in progress.
func (s *Store) markPartial(v versions.Version, op string) error {
	if err := os.MkdirAll(s.sdkRoot(), 0o755); err != nil {
		return err
	}
	return writeMark(s.PartialMarker(v), op+" "+v.Name())
}

// ownsTree reports whether SDKDir(v) is gover's to remove: it carries a
// partial marker, or a manifest says gover installed it there. A corrupt
// manifest counts when the file list gover writes with every install is
// there too (imports have none). The caller holds v's lock.
func (s *Store) ownsTree(v versions.Version) bool {
	if isMark(s.PartialMarker(v)) {
		return true
	}
	m, err := s.lookup(v, false)
	switch {
	case err == nil:
		return !m.Imported
	case errors.Is(err, ErrNotInstalled):
		return false
	}
	_, ferr := os.Lstat(s.FileListPath(v))
	return ferr == nil
}

// removeTree removes v's SDK folder and then its partial marker, if v's
// folder is gover's; the marker stays until the folder is gone, so a
// failure halfway leaves the rest marked. A folder that is not gover's is
// left alone. The caller holds v's lock.
func (s *Store) removeTree(v versions.Version) error {
	if !isMark(s.PartialMarker(v)) {
		return nil
	}
	if err := removeAll(s.SDKDir(v)); err != nil {
		return err
	}
	if err := os.Remove(s.PartialMarker(v)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// foreignTreeError says that sdk/<v> is in the way and is not gover's.
func (s *Store) foreignTreeError(v versions.Version) error {
	dir := s.SDKDir(v)
	return fmt.Errorf("%s exists and gover did not create it, so gover will not replace it; use it as it is with: gover import %s (or move it away and run the command again)", dir, dir)
}

// isScratch reports whether the tmp/ entry at path is a transaction's
// scratch folder: a real folder (not a link) holding gover's record.
func isScratch(path string) bool {
	info, err := os.Lstat(path)
	if err != nil || !info.IsDir() {
		return false
	}
	return isMark(filepath.Join(path, scratchRecord))
}

// isLink reports whether info is a symbolic link or, on Windows, a
// junction or other reparse point: something to remove as a link.
func isLink(info fs.FileInfo) bool {
	return info.Mode()&(fs.ModeSymlink|fs.ModeIrregular) != 0
}
