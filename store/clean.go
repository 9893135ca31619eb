package store

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gover/gover/internal/fsx"
	"github.com/gover/gover/versions"
)

// Clean-up after crashed and killed runs: the one home for what counts as
// a leftover and how it goes. What gover may remove at all is owner.go's
// business; this file only finds gover's marked leftovers and removes them
// under their version's lock.

// tmpMaxAge is how old a half-written manifest (a WriteFileAtomic temporary
// file in meta/) must be before Clean removes it: such files have no lock
// to ask.
const tmpMaxAge = time.Hour

// Leftover is something a crashed or killed gover left behind, which Clean
// removes.
type Leftover struct {
	Path string
	// Size is the bytes its files take, links not followed.
	Size int64
	// What says what it is: "half-installed go1.22.5".
	What string

	v      versions.Version // whose lock guards it; zero for none
	remove func() error     // removes it, re-checking gover's mark
	// lockOnly marks a stale lock file: Clean removes it by taking and
	// letting go of the lock, and Leftovers does not list it (looking
	// would remove it).
	lockOnly bool
}

// Leftovers lists what crashed or killed runs left behind and Clean would
// remove now: marked SDK folders (with their marker), scratch folders,
// half-written manifests and stale lock files. Entries a live gover is
// working on are not leftovers.
func (s *Store) Leftovers() ([]Leftover, error) {
	all, err := s.leftovers()
	var out []Leftover
	for _, l := range all {
		if l.lockOnly {
			continue
		}
		if l.v.IsZero() {
			out = append(out, l)
			continue
		}
		if held, lerr := s.lock(tryOnce(), l.v, opClean); lerr == nil {
			held.unlock()
			out = append(out, l)
		}
	}
	return out, err
}

// Clean removes what crashed runs left behind (see Leftovers). It skips
// anything whose version lock is held, since a live gover is working on
// it, and it removes only entries gover marked as its own: a folder in
// sdk/ or tmp/ that another tool or the user put there stays, and links
// are removed as links, never followed.
func (s *Store) Clean() error {
	all, err := s.leftovers()
	errs := []error{err}
	for _, l := range all {
		if l.v.IsZero() {
			errs = append(errs, l.remove())
			continue
		}
		held, lerr := s.lock(tryOnce(), l.v, opClean)
		if lerr != nil {
			continue // a live gover holds it
		}
		errs = append(errs, l.remove(), held.unlock())
	}
	return errors.Join(errs...)
}

// leftovers finds the candidates, without asking their locks.
func (s *Store) leftovers() ([]Leftover, error) {
	var out []Leftover
	var errs []error
	readDir := func(dir string) []fs.DirEntry {
		es, err := os.ReadDir(dir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
		return es
	}

	for _, e := range readDir(s.TmpDir()) {
		p := filepath.Join(s.TmpDir(), e.Name())
		v, ok := scratchVersion(e.Name())
		if !ok || !isScratch(p) {
			continue // not gover's
		}
		out = append(out, Leftover{Path: p, Size: diskUsage(p), What: "download and scratch files of an install of " + v.Name(), v: v,
			remove: func() error {
				if !isScratch(p) {
					return nil
				}
				return removeAll(p)
			}})
	}

	for _, e := range readDir(s.sdkRoot()) {
		name, ok := strings.CutSuffix(e.Name(), partialSuffix)
		if !ok {
			continue
		}
		v, err := parseName(name)
		if err != nil || !isMark(s.PartialMarker(v)) {
			continue // not gover's
		}
		out = append(out, Leftover{Path: s.SDKDir(v), Size: diskUsage(s.SDKDir(v)), What: "half-installed or half-removed " + v.Name(), v: v,
			remove: func() error { return s.cleanVersion(v) }})
	}

	for _, e := range readDir(s.metaRoot()) {
		p := filepath.Join(s.metaRoot(), e.Name())
		if fsx.IsTempName(e.Name()) {
			if info, err := e.Info(); err == nil && s.now().Sub(info.ModTime()) > tmpMaxAge {
				out = append(out, Leftover{Path: p, Size: info.Size(), What: "half-written file",
					remove: func() error { return ignoreNotExist(os.Remove(p)) }})
			}
			continue
		}
		// A lock file nobody holds: taking and letting go of the lock
		// removes it.
		if name, ok := strings.CutSuffix(e.Name(), lockSuffix); ok {
			if v, err := parseName(name); err == nil {
				out = append(out, Leftover{Path: p, What: "stale lock file", v: v, lockOnly: true, remove: func() error { return nil }})
			}
		}
	}
	return out, errors.Join(errs...)
}

// cleanVersion removes v's unfinished install or removal: the marked tree,
// a manifest a crash left next to the marker, then the marker. The caller
// holds v's lock.
func (s *Store) cleanVersion(v versions.Version) error {
	if !isMark(s.PartialMarker(v)) {
		return nil
	}
	// The manifest goes first so no reader ever sees it over a tree
	// being removed.
	if err := ignoreNotExist(os.Remove(s.ManifestPath(v))); err != nil {
		return err
	}
	return s.removeTree(v)
}

func ignoreNotExist(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// diskUsage is the size of the regular files under p, links not followed.
func diskUsage(p string) int64 {
	var n int64
	filepath.WalkDir(p, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
