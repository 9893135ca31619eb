// Package fsx is the one home for the two file operations gover must get
// right everywhere it writes: replacing a file so that readers see the old
// content or the new, never a mix ([WriteFileAtomic]), and replacing an
// executable that may be running at the time ([Replace], [Place]) — the
// shims, the gover next to them, and gover itself on self-update.
//
//	err := fsx.WriteFileAtomic(path, data, 0o644)
//	err = fsx.Place(newShim, filepath.Join(bin, "go"+fsx.Exe))
//
// The go shim links this package, so it imports only the standard library.
package fsx

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// WriteFileAtomic replaces path with data so that readers, gover processes
// running at the same time among them, see either the old or the new
// content: write a temporary file next to it, fsync, rename (retrying while
// Windows anti-virus holds the old file), then fsync the folder so the
// rename survives a power cut. Every file gover rewrites goes through it.
// A path that is a symbolic link is replaced, not followed: callers that
// edit a link's target resolve it first.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := Rename(f.Name(), path); err != nil {
		return err
	}
	return SyncDir(dir)
}

// IsTempName reports whether name is one of WriteFileAtomic's or Place's
// temporary files, which a crash can leave behind.
func IsTempName(name string) bool {
	return strings.HasPrefix(name, ".") && (strings.Contains(name, ".tmp-") || strings.Contains(name, ".new-"))
}

// Exe is what executables' names end with on this system.
const Exe = exeSuffix

// Place makes dst a copy of the executable src (a hard link when it can,
// outside Windows)
// without ever leaving dst missing or half written: the copy is made under
// a temporary name next to dst and then put in its place with [Replace],
// so a running dst (a go.exe shim serving a build) is no obstacle. It does
// nothing when dst already is src.
func Place(src, dst string) error {
	if a, err := os.Stat(src); err == nil {
		if b, err := os.Stat(dst); err == nil && os.SameFile(a, b) {
			return nil
		}
	}
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	RemoveAside(dst)
	tmp := filepath.Join(dir, fmt.Sprintf(".%s.new-%d", filepath.Base(dst), os.Getpid()))
	os.Remove(tmp)
	if err := placeLink(src, tmp); err != nil {
		if err := copyExecutable(src, tmp); err != nil {
			os.Remove(tmp)
			return err
		}
	}
	if err := Replace(tmp, dst); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

func copyExecutable(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Replace puts the file src in place of dst, which may be a running
// executable. src must be in dst's folder or a folder inside it, on the
// same volume, so the move is a rename: every start of dst runs either the
// old program or the new one. On Windows, which refuses to replace a
// running .exe but lets it be renamed, dst is first moved aside (and put
// back if the second rename fails); [RemoveAside] deletes it once it no
// longer runs.
func Replace(src, dst string) error {
	if !beside(src, dst) {
		return fmt.Errorf("replacing %s: %s is not inside its folder", dst, src)
	}
	if err := replace(src, dst); err != nil {
		return fmt.Errorf("replacing %s: %w", dst, err)
	}
	return nil
}

// asidePattern matches what Replace set aside for dst.
func asidePattern(dst string) string { return dst + ".old*" }

// RemoveAside deletes the copies of dst that Replace moved aside while they
// were running, and the ones older gover versions left (.go.exe.old-123).
// Copies still running stay for the next call. It is cheap and silent.
func RemoveAside(dst string) {
	patterns := []string{asidePattern(dst), filepath.Join(filepath.Dir(dst), "."+filepath.Base(dst)+".old-*")}
	for _, p := range patterns {
		matches, _ := filepath.Glob(p)
		for _, m := range matches {
			os.Remove(m)
		}
	}
}

// beside reports whether src is in dst's folder or a folder inside it.
func beside(src, dst string) bool {
	rel, err := filepath.Rel(filepath.Dir(dst), src)
	return err == nil && rel != "." && !filepath.IsAbs(rel) && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// exists reports whether something (a link included) is at p.
func exists(p string) bool {
	_, err := os.Lstat(p)
	return !errors.Is(err, fs.ErrNotExist)
}
