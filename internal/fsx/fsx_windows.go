package fsx

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

const exeSuffix = ".exe"

// placeLink refuses, so [Place] copies: hard links on Windows share the
// read-only attribute, so attrib +r (or an anti-virus quarantine) on one
// shim would change every shim and gover-shim.exe itself. The shim is
// small enough to copy.
func placeLink(src, dst string) error {
	return errors.New("shims are copied on Windows, not hard linked")
}

// Windows refuses to rename or delete a file while another process (an
// anti-virus scanner, the search indexer, a shim reading a manifest) has it
// open without FILE_SHARE_DELETE. Those holds are short, so retry for a
// while, as cmd/go's robustio does.
const retryFor = 2 * time.Second

// Retry runs op until it succeeds, fails for a reason that is not a
// transient sharing violation, or two seconds have passed.
func Retry(op func() error) error {
	deadline := time.Now().Add(retryFor)
	delay := 5 * time.Millisecond
	for {
		err := op()
		if err == nil || !IsTransient(err) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(delay)
		delay = min(2*delay, 200*time.Millisecond)
	}
}

const (
	errorAccessDenied     = syscall.Errno(5)
	errorSharingViolation = syscall.Errno(32)
	errorDirNotEmpty      = syscall.Errno(145)
)

// IsTransient reports whether err is one Windows gives while another
// process briefly holds a file.
func IsTransient(err error) bool {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return false
	}
	return errno == errorAccessDenied || errno == errorSharingViolation || errno == errorDirNotEmpty
}

// Rename renames oldpath to newpath, replacing it, retrying while another
// process briefly holds either.
func Rename(oldpath, newpath string) error {
	return Retry(func() error { return os.Rename(oldpath, newpath) })
}

// SyncDir is a no-op: NTFS journals renames, and Windows cannot fsync a
// folder handle opened the ordinary way.
func SyncDir(string) error { return nil }

// replace renames src over dst; when dst is a running program (or a
// junction MoveFileEx will not replace) it moves dst aside first.
func replace(src, dst string) error {
	if !exists(dst) {
		return os.Rename(src, dst)
	}
	if err := os.Rename(src, dst); err == nil {
		return nil
	}
	old := dst + ".old"
	if err := os.Remove(old); err != nil && exists(old) {
		// What an earlier replace set aside is still running.
		old = fmt.Sprintf("%s.old-%d", dst, time.Now().UnixNano())
	}
	if err := os.Rename(dst, old); err != nil {
		return fmt.Errorf("moving it aside: %w", err)
	}
	if err := os.Rename(src, dst); err != nil {
		if rerr := os.Rename(old, dst); rerr != nil {
			return fmt.Errorf("%w (and restoring it from %s: %v)", err, old, rerr)
		}
		return err
	}
	// Succeeds unless dst was running; RemoveAside gets it later.
	os.Remove(old)
	return nil
}
