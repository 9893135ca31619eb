package registry

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/gover/gover/internal/fsx"
)

// exe is the file name suffix of programs on this system.
const exe = ".exe"

// makeDirLink makes link a directory junction to target. Junctions, unlike
// symbolic links, need neither administrator rights nor Developer Mode; the
// reparse data is written with FSCTL_SET_REPARSE_POINT, as mklink /J does.
func makeDirLink(target, link string) error {
	target, err := filepath.Abs(target)
	if err != nil {
		return err
	}
	if err := os.Mkdir(link, 0o777); err != nil {
		return err
	}
	err = setJunction(link, target)
	if err == nil {
		return nil
	}
	os.Remove(link)
	if errors.Is(err, windows.ERROR_NOT_SUPPORTED) || errors.Is(err, windows.ERROR_INVALID_FUNCTION) {
		// The file system has no junctions (FAT, some network shares,
		// Wine before 9): a directory symbolic link is the next best
		// thing where Developer Mode or administrator rights allow it.
		if serr := os.Symlink(target, link); serr == nil {
			// Wine 8 reports success and makes nothing; believe only a
			// link that is there.
			if _, lerr := os.Lstat(link); lerr == nil {
				return nil
			}
		}
	}
	return err
}

func setJunction(link, target string) error {
	p, err := windows.UTF16PtrFromString(link)
	if err != nil {
		return err
	}
	h, err := windows.CreateFile(p, windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING,
		windows.FILE_FLAG_OPEN_REPARSE_POINT|windows.FILE_FLAG_BACKUP_SEMANTICS, 0)
	if err != nil {
		return err
	}
	defer windows.CloseHandle(h)
	buf := junctionData(target)
	var n uint32
	return windows.DeviceIoControl(h, windows.FSCTL_SET_REPARSE_POINT, &buf[0], uint32(len(buf)), nil, 0, &n, nil)
}

// junctionData builds a REPARSE_DATA_BUFFER for a mount point: the NT
// path (\??\C:\...) to follow and the plain path to show.
func junctionData(target string) []byte {
	subst, _ := windows.UTF16FromString(`\??\` + strings.TrimPrefix(target, `\\?\`)) // NUL-terminated
	print, _ := windows.UTF16FromString(target)
	names := append(subst, print...)
	dataLen := 8 + 2*len(names) // four uint16 offsets and lengths, then the names
	buf := make([]byte, 8+dataLen)
	le := func(off int, v uint32, size int) {
		for i := 0; i < size; i++ {
			buf[off+i] = byte(v >> (8 * i))
		}
	}
	le(0, windows.IO_REPARSE_TAG_MOUNT_POINT, 4)
	le(4, uint32(dataLen), 2)
	le(8, 0, 2)                         // SubstituteNameOffset
	le(10, uint32(2*(len(subst)-1)), 2) // SubstituteNameLength, no NUL
	le(12, uint32(2*len(subst)), 2)     // PrintNameOffset
	le(14, uint32(2*(len(print)-1)), 2) // PrintNameLength
	copy(buf[16:], unsafe.Slice((*byte)(unsafe.Pointer(&names[0])), 2*len(names)))
	return buf
}

// makeFileLink makes link a symbolic link to the file target. Windows
// allows that only with Developer Mode or administrator rights; the error
// says so.
func makeFileLink(target, link string) error {
	if err := os.Symlink(target, link); err != nil {
		return err
	}
	if _, err := os.Lstat(link); err != nil {
		return fmt.Errorf("symbolic link %s was not created: %w", link, err)
	}
	return nil
}

// replaceLink puts the link tmp in place of link. MoveFileEx does not
// replace an existing junction, so fsx.Replace moves the old link aside
// first (and puts it back if the second rename fails), as it does for a
// running program.
func replaceLink(tmp, link string) error { return fsx.Replace(tmp, link) }

// removeLink deletes a junction or symbolic link, never what it points at.
func removeLink(link string) error { return os.Remove(link) }

// isLink reports whether fi, from os.Lstat(path), describes a symbolic
// link or a junction. Since Go 1.23 junctions are not ModeSymlink.
func isLink(path string, fi fs.FileInfo) bool {
	if fi.Mode()&fs.ModeSymlink != 0 {
		return true
	}
	if fi.Mode()&fs.ModeIrregular == 0 {
		return false
	}
	_, err := os.Readlink(path)
	return err == nil
}

// samePath reports whether two absolute paths name the same file; Windows
// paths compare without case and without a \\?\ prefix.
func samePath(a, b string) bool {
	clean := func(p string) string {
		return strings.ToLower(filepath.Clean(strings.TrimPrefix(p, `\\?\`)))
	}
	return clean(a) == clean(b)
}

// fileLinkHint is what to do when a file link cannot be made: Windows
// lets only administrators make symbolic links unless Developer Mode is
// on.
const fileLinkHint = "turn on Developer Mode (Settings > System > For developers), then: gover sync"
