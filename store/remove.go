package store

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Removed says what [Store.RemoveAll] did.
type Removed struct {
	// SDKs are the versions whose SDK folders gover removed.
	SDKs []string
	// Imported are the folders of imported SDKs: gover forgot them and
	// left them where they are.
	Imported []string
	// Kept are the entries in the store gover did not create, left in
	// place (with the store's root when any are left).
	Kept []string
	// Busy are gover's own files that could not be removed (a running
	// go.exe on Windows); the store's root stays with them.
	Busy []string
	// Unlinked are the links (sdk/, cache/, tmp/ on another drive) that
	// were removed as links, as "link -> target": the targets and
	// whatever else is in them stay.
	Unlinked []string
}

// isToolchainEntry reports whether n is one of the goX.Y.Z entries gover
// keeps in bin/: what ^go1(\.[0-9]+)*((rc|beta)[0-9]+)?(\.exe)?$ matches.
// It is written out rather than a package-level regexp because the go
// shim links this package, and compiling a regexp at start-up cost it
// about 0.1 ms (94 allocations) on every go command.
func isToolchainEntry(n string) bool {
	n, ok := strings.CutPrefix(n, "go1")
	if !ok {
		return false
	}
	n = strings.TrimSuffix(n, ".exe")
	digits := func() bool {
		i := 0
		for i < len(n) && '0' <= n[i] && n[i] <= '9' {
			i++
		}
		n = n[i:]
		return i > 0
	}
	for strings.HasPrefix(n, ".") {
		n = n[1:]
		if !digits() {
			return false
		}
	}
	if rest, ok := strings.CutPrefix(n, "rc"); ok {
		n = rest
		return digits() && n == ""
	}
	if rest, ok := strings.CutPrefix(n, "beta"); ok {
		n = rest
		return digits() && n == ""
	}
	return n == ""
}

// RemoveAll removes the store, but only what gover created there: every
// installed SDK (imported ones lose only their record, never their
// folder), leftovers of crashed runs, the download cache, the global
// default and current link, the shims, gover's copies and the goX.Y.Z
// entries in bin/, the backups, and finally the marker and the root when
// nothing else is left. sdk/, cache/ and tmp/ may be links to another
// drive: gover removes its own entries inside them and then the link, never
// the folder it points at. Anything gover did not create stays, and is
// listed in Kept.
func (s *Store) RemoveAll(ctx context.Context) (*Removed, error) {
	res := &Removed{}
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	vs, err := s.Installed()
	add(err)
	for _, v := range vs {
		m, _ := s.Lookup(v)
		if _, err := s.Uninstall(ctx, v, UninstallOptions{Force: true}); err != nil {
			add(err)
			continue
		}
		if m != nil && m.Imported {
			res.Imported = append(res.Imported, m.GOROOT)
		} else {
			res.SDKs = append(res.SDKs, v.Name())
		}
	}
	add(s.Clean())
	_, err = s.CleanCache()
	add(err)
	add(s.ClearGlobal())

	// bin/: the shims, gover's copy, the goX.Y.Z entries and what fsx
	// left aside while they ran.
	if es, err := os.ReadDir(s.BinDir()); err == nil {
		for _, e := range es {
			n := e.Name()
			base := strings.TrimSuffix(n, exeSuffix)
			ours := base == "go" || base == "gofmt" || base == "gover" || base == "gover-shim" || isToolchainEntry(n) || strings.HasPrefix(n, ".gover") ||
				strings.HasPrefix(n, ".") && (strings.Contains(n, ".new-") || strings.Contains(n, ".old") || strings.Contains(n, ".tmp-") || strings.HasPrefix(n, ".build-")) ||
				strings.Contains(n, exeSuffix+".old")
			if !ours {
				continue
			}
			p := filepath.Join(s.BinDir(), n)
			var err error
			if e.IsDir() {
				err = removeAll(p) // a .build- folder of setup's
			} else {
				err = os.Remove(p)
			}
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				res.Busy = append(res.Busy, p)
			}
		}
	}
	// The checksum database's tree head and gover's backups.
	for _, p := range []string{filepath.Join(s.CacheDir(), "sumdb"), filepath.Join(s.root, "backup")} {
		if info, err := os.Lstat(p); err == nil {
			if isLink(info) {
				add(os.Remove(p))
			} else {
				add(removeAll(p))
			}
		}
	}
	// meta/ holds only gover's records now, unless someone put files
	// there: lock files and half-written manifests go.
	if es, err := os.ReadDir(s.metaRoot()); err == nil {
		for _, e := range es {
			n := e.Name()
			if strings.HasSuffix(n, ".lock") || strings.HasSuffix(n, ".lock.json") || strings.HasPrefix(n, ".") && strings.Contains(n, ".tmp-") {
				os.Remove(filepath.Join(s.metaRoot(), n))
			}
		}
	}
	for _, d := range []string{s.DownloadsDir(), s.ListsDir(), s.sdkRoot(), s.metaRoot(), s.CacheDir(), s.TmpDir(), s.BinDir()} {
		if target := removeEmptyOrLink(d); target != "" {
			res.Unlinked = append(res.Unlinked, d+" -> "+target)
		}
	}
	for _, n := range []string{"registry-backup.json", MarkerName} {
		add(ignoreNotExist(os.Remove(filepath.Join(s.root, n))))
	}
	// What is left is not gover's: list it, looking inside gover's own
	// folders for the foreign entries themselves.
	std := []string{s.root, s.BinDir(), s.sdkRoot(), s.metaRoot(), s.CacheDir(), s.DownloadsDir(), s.ListsDir(), s.TmpDir()}
	filepath.WalkDir(s.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || slices.Contains(res.Busy, p) {
			return nil
		}
		if d.IsDir() && slices.Contains(std, p) {
			return nil
		}
		res.Kept = append(res.Kept, p)
		if d.IsDir() {
			return filepath.SkipDir
		}
		return nil
	})
	if len(res.Kept) == 0 && len(res.Busy) == 0 {
		add(ignoreNotExist(os.Remove(s.root)))
	}
	return res, errors.Join(errs...)
}

// removeEmptyOrLink removes a link (never what it points at), returning
// its target, or a folder when it is empty.
func removeEmptyOrLink(p string) string {
	info, err := os.Lstat(p)
	if err != nil {
		return ""
	}
	if isLink(info) {
		target, _ := os.Readlink(p)
		if os.Remove(p) == nil {
			return target
		}
		return ""
	}
	os.Remove(p) // fails unless empty
	return ""
}
