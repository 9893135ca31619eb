//go:build !windows

package registry

import (
	"io/fs"
	"os"
	"path/filepath"
)

// exe is the file name suffix of programs on this system.
const exe = ""

// makeDirLink makes link a symbolic link to the folder target.
func makeDirLink(target, link string) error { return os.Symlink(target, link) }

// makeFileLink makes link a symbolic link to the file target.
func makeFileLink(target, link string) error { return os.Symlink(target, link) }

// replaceLink renames tmp over link; rename(2) replaces a symbolic link
// atomically.
func replaceLink(tmp, link string) error { return os.Rename(tmp, link) }

// removeLink deletes a link, never what it points at.
func removeLink(link string) error { return os.Remove(link) }

// isLink reports whether fi, from os.Lstat(path), describes a link.
func isLink(path string, fi fs.FileInfo) bool { return fi.Mode()&fs.ModeSymlink != 0 }

// samePath reports whether two absolute paths name the same file.
func samePath(a, b string) bool { return filepath.Clean(a) == filepath.Clean(b) }

// fileLinkHint is what to do when a file link cannot be made.
const fileLinkHint = ""
