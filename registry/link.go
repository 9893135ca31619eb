package registry

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
)

// SetCurrent points the link at target, creating or retargeting it.
//
// The new link is made under a temporary name next to link and renamed over
// it, so a reader sees the old target or the new one, never a missing link.
// On Windows the link is a directory junction (no administrator rights or
// Developer Mode needed); elsewhere it is a symbolic link. A real folder at
// link is refused rather than replaced.
func SetCurrent(link, target string) error {
	target, err := filepath.Abs(target)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(target); err != nil {
		return fmt.Errorf("link target: %w", err)
	} else if !fi.IsDir() {
		return fmt.Errorf("link target %s is not a folder", target)
	}
	if fi, err := os.Lstat(link); err == nil && !isLink(link, fi) {
		return fmt.Errorf("%s exists and is not a link; move it away first", link)
	}
	if t, err := ReadLink(link); err == nil && samePath(t, target) {
		return nil
	}
	tmp, err := tempName(link)
	if err != nil {
		return err
	}
	if err := makeDirLink(target, tmp); err != nil {
		return fmt.Errorf("linking %s to %s: %w", link, target, err)
	}
	if err := replaceLink(tmp, link); err != nil {
		removeLink(tmp)
		return fmt.Errorf("replacing %s: %w", link, err)
	}
	return nil
}

// ReadLink reports the folder a link made by gover points at. It reads the
// link itself instead of resolving it with filepath.EvalSymlinks, which
// mishandles junctions (golang/go#63703).
func ReadLink(link string) (string, error) {
	return os.Readlink(link)
}

// tempName returns an unused name next to path for building a replacement.
func tempName(path string) (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp-"+hex.EncodeToString(b[:])), nil
}

// linkFile makes link a link to the file or folder target, replacing an
// earlier link (never a real file). dir says target is a folder.
func linkFile(target, link string, dir bool) error {
	if fi, err := os.Lstat(link); err == nil {
		if !isLink(link, fi) {
			return fmt.Errorf("%s exists and is not a link", link)
		}
		if t, err := ReadLink(link); err == nil && samePath(t, target) {
			return nil
		}
	}
	tmp, err := tempName(link)
	if err != nil {
		return err
	}
	mk := makeFileLink
	if dir {
		mk = makeDirLink
	}
	if err := mk(target, tmp); err != nil {
		return err
	}
	if err := replaceLink(tmp, link); err != nil {
		removeLink(tmp)
		return err
	}
	return nil
}
