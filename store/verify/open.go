package verify

import (
	"fmt"
	"os"
)

// OpenRegular opens p for reading only if it is a regular file: a symbolic
// link is not followed, and a FIFO, device or socket is refused unopened,
// so reading p can neither block nor leave the tree p is in. CompareTree
// opens every file it hashes the same way.
func OpenRegular(p string) (*os.File, error) {
	info, err := os.Lstat(p)
	if err != nil {
		return nil, err
	}
	if m := info.Mode(); !m.IsRegular() {
		kind := "folder"
		if !m.IsDir() {
			kind = typeName(m.Type())
		}
		return nil, fmt.Errorf("%s is not a regular file (%s)", p, kind)
	}
	return openRegular(p)
}

// openRegular opens p, which was a regular file when Lstat looked, without
// blocking, and refuses whatever replaced it since.
func openRegular(p string) (*os.File, error) {
	f, err := openFile(p)
	if err != nil {
		return nil, err
	}
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s is no longer a regular file", p)
	}
	return f, nil
}
