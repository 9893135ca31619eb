package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fsx"
	"github.com/gover/gover/versions"
)

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

// Uninstalled says what Uninstall did.
type Uninstalled struct {
	// Manifest is the removed SDK's manifest; nil when it was corrupt.
	Manifest *Manifest
	// ClearedGlobal is set when v was the global default (Force): the
	// version file and the current link are gone.
	ClearedGlobal bool
	// CacheFreed is the size of the cached downloads of v that were
	// removed with it.
	CacheFreed int64
}

// UninstallOptions are the choices Uninstall leaves to the user.
type UninstallOptions struct {
	// Force removes the global default too, and clears the default.
	Force bool
	// KeepCache keeps v's downloaded archives in the cache.
	KeepCache bool
	// Reinstall removes v to install it again straight after (a repair):
	// the global default may be removed and stays as it is, and the
	// cache is kept.
	Reinstall bool
}

// Uninstall removes installed SDK v, waiting for v's lock until ctx is
// done. It refuses the global default unless o.Force is set; forced, it
// also clears the default (the version file and the current link), so
// nothing points at the removed SDK. The SDK is marked partial first and
// its manifest goes next, so a crash halfway leaves a marked tree (hidden,
// and removed by Clean), never a manifest naming a half-deleted tree. An
// imported SDK loses only its manifest: gover never deletes a folder it did
// not create.
//
// A corrupt manifest does not stop Uninstall: removing it is how the user
// repairs the store.
func (s *Store) Uninstall(ctx context.Context, v versions.Version, o UninstallOptions) (*Uninstalled, error) {
	global, gerr := s.Global()
	isGlobal := gerr == nil && global == v && !o.Reinstall
	if isGlobal && !o.Force {
		return nil, exitcode.WithHint(fmt.Errorf("%s is the global default; choose another default first, or force it (which leaves no default)", v.Name()), "gover uninstall --force "+v.String())
	}
	l, err := s.lock(ctx, v, opUninstall)
	if err != nil {
		return nil, err
	}
	defer l.unlock()

	m, err := s.Lookup(v)
	switch {
	case errors.Is(err, ErrNotInstalled):
		return nil, exitcode.NotFound(err, "gover list")
	case errors.Is(err, ErrNewerManifest):
		// This gover cannot tell what a newer one recorded (an import
		// of the user's own folder, say): only that one may remove it.
		return nil, err
	}
	res := &Uninstalled{Manifest: m}
	if s.ownsTree(v) {
		if err := s.markPartial(v, opUninstall); err != nil {
			return nil, fmt.Errorf("uninstalling %s: %w", v.Name(), err)
		}
	}
	if err := os.Remove(s.ManifestPath(v)); err != nil {
		return nil, fmt.Errorf("uninstalling %s: %w", v.Name(), err)
	}
	if err := ignoreNotExist(os.Remove(s.FileListPath(v))); err != nil {
		return nil, fmt.Errorf("uninstalling %s: %w", v.Name(), err)
	}
	fsx.SyncDir(s.metaRoot())
	if isGlobal {
		if err := s.ClearGlobal(); err != nil {
			return res, fmt.Errorf("%s is uninstalled, but the global default still names it: %w", v.Name(), err)
		}
		res.ClearedGlobal = true
	}
	if !o.KeepCache && !o.Reinstall {
		res.CacheFreed, _ = s.RemoveCached(v)
	}
	if err := s.removeTree(v); err != nil {
		return res, exitcode.WithHint(fmt.Errorf("%s is uninstalled, but some of its files are left in %s: %w", v.Name(), s.SDKDir(v), err), "gover prune")
	}
	return res, nil
}

// ClearGlobal leaves the store without a global default: it removes the
// version file and the current link (the link only, never a folder).
func (s *Store) ClearGlobal() error {
	if err := ignoreNotExist(os.Remove(s.VersionFile())); err != nil {
		return err
	}
	info, err := os.Lstat(s.CurrentLink())
	if err != nil || !isLink(info) {
		return nil
	}
	return ignoreNotExist(os.Remove(s.CurrentLink()))
}

// Prune removes old patch releases: for each minor (1.22, 1.23, ...) it
// keeps the newest keep SDKs, and it never removes the global default or an
// imported SDK (neither counts towards keep). It returns what it removed,
// or with dryRun what it would remove, newest first. Before removing, it
// cleans up after crashed runs (Clean).
func (s *Store) Prune(ctx context.Context, keep int, dryRun bool) ([]versions.Version, error) {
	if keep < 1 {
		return nil, exitcode.Usage(fmt.Errorf("prune keeps at least one SDK per minor version, not %d; remove the rest with gover uninstall", keep), "gover prune --keep 1")
	}
	ms, listErr := s.List()
	if ms == nil && listErr != nil {
		return nil, listErr
	}
	global, err := s.Global()
	if err != nil && !errors.Is(err, ErrNoGlobal) {
		return nil, err
	}
	items := make([]pruneItem, 0, len(ms))
	for _, m := range ms {
		v, err := versions.Parse(m.Version)
		if err != nil {
			continue // Lookup checked it; unreachable
		}
		items = append(items, pruneItem{v: v, imported: m.Imported})
	}
	plan := planPrune(items, global, keep)
	if dryRun {
		return plan, listErr
	}
	errs := []error{listErr}
	if err := s.Clean(); err != nil {
		errs = append(errs, fmt.Errorf("cleaning up: %w", err))
	}
	var removed []versions.Version
	for _, v := range plan {
		if _, err := s.Uninstall(ctx, v, UninstallOptions{}); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, v)
	}
	return removed, errors.Join(errs...)
}

type pruneItem struct {
	v        versions.Version
	imported bool
}

// planPrune picks the SDKs Prune removes: all but the newest keep of each
// minor, sparing the global default and imported SDKs. The result is newest
// first.
func planPrune(items []pruneItem, global versions.Version, keep int) []versions.Version {
	sorted := slices.Clone(items)
	slices.SortFunc(sorted, func(a, b pruneItem) int { return versions.Compare(b.v, a.v) })
	kept := make(map[string]int)
	var remove []versions.Version
	for _, it := range sorted {
		if it.imported || it.v == global {
			continue
		}
		if kept[it.v.Lang()] < keep {
			kept[it.v.Lang()]++
			continue
		}
		remove = append(remove, it.v)
	}
	return remove
}
