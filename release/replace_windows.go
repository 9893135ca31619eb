package release

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Replace puts the executable src in place of dst, which may be running.
// Windows refuses to overwrite or delete a running .exe but lets it be
// renamed, so dst moves aside to dst.old first (restored if the second
// rename fails) and [RemoveOld] deletes it on a later run, once it has
// exited. src must be inside dst's folder.
func Replace(src, dst string) error {
	if !besideDst(src, dst) {
		return fmt.Errorf("replacing %s: %s is not inside its folder", dst, src)
	}
	if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(src, dst); err != nil {
			return fmt.Errorf("installing %s: %w", dst, err)
		}
		return nil
	}
	old := dst + ".old"
	if err := os.Remove(old); err != nil && !errors.Is(err, fs.ErrNotExist) {
		// The binary an earlier update set aside is still running.
		old = fmt.Sprintf("%s.old-%d", dst, time.Now().UnixNano())
	}
	if err := os.Rename(dst, old); err != nil {
		return fmt.Errorf("replacing %s: moving it aside: %w", dst, err)
	}
	if err := os.Rename(src, dst); err != nil {
		if rerr := os.Rename(old, dst); rerr != nil {
			return fmt.Errorf("replacing %s: %w (and restoring it from %s: %v)", dst, err, old, rerr)
		}
		return fmt.Errorf("replacing %s: %w", dst, err)
	}
	// Succeeds when dst was not running; otherwise RemoveOld gets it later.
	os.Remove(old)
	return nil
}

// RemoveOld deletes the executables an earlier update set aside next to the
// running gover, once they no longer run. It is cheap and silent: files
// still in use stay for the next run.
func RemoveOld() {
	exe, err := os.Executable()
	if err != nil {
		return
	}
	removeOld(filepath.Dir(exe))
}

func removeOld(dir string) {
	for _, pattern := range []string{"gover.exe.old*", "gover-shim.exe.old*"} {
		matches, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, m := range matches {
			os.Remove(m)
		}
	}
}
