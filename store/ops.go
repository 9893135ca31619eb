package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gofrs/flock"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fsx"
	"github.com/gover/gover/versions"
)

// tmpMaxAge is how old a TmpDir entry that belongs to no transaction must be
// before Clean removes it: such entries have no lock to ask.
const tmpMaxAge = time.Hour

// Clean removes garbage that crashed runs left behind: TmpDir entries, SDK
// folders with a partial marker, SDK folders without a manifest, and
// half-written manifest files. It skips anything whose version lock is held,
// since a live gover is working on it, and it never touches an installed SDK.
func (s *Store) Clean() error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}

	tmps, err := os.ReadDir(s.TmpDir())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		add(err)
	}
	for _, e := range tmps {
		p := filepath.Join(s.TmpDir(), e.Name())
		if v, ok := scratchVersion(e.Name()); ok {
			add(s.ifUnlocked(v, func() error { return removeAll(p) }))
			continue
		}
		if info, err := e.Info(); err == nil && s.now().Sub(info.ModTime()) > tmpMaxAge {
			add(removeAll(p))
		}
	}

	sdks, err := os.ReadDir(s.sdkRoot())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		add(err)
	}
	seen := make(map[versions.Version]bool)
	for _, e := range sdks {
		v, err := parseName(strings.TrimSuffix(e.Name(), partialSuffix))
		if err != nil || seen[v] {
			continue // not ours
		}
		seen[v] = true
		add(s.ifUnlocked(v, func() error { return s.cleanVersion(v) }))
	}

	metas, err := os.ReadDir(s.metaRoot())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		add(err)
	}
	for _, e := range metas {
		if fsx.IsTempName(e.Name()) {
			if info, err := e.Info(); err == nil && s.now().Sub(info.ModTime()) > tmpMaxAge {
				add(os.Remove(filepath.Join(s.metaRoot(), e.Name())))
			}
		}
	}
	return errors.Join(errs...)
}

// ifUnlocked runs f holding v's lock, or skips it when someone holds it.
func (s *Store) ifUnlocked(v versions.Version, f func() error) error {
	if err := os.MkdirAll(s.metaRoot(), 0o755); err != nil {
		return err
	}
	l := flock.New(s.lockPath(v))
	ok, err := l.TryLock()
	if err != nil || !ok {
		return err
	}
	defer l.Unlock()
	return f()
}

// cleanVersion removes v's unfinished install, if any. The caller holds v's
// lock.
func (s *Store) cleanVersion(v versions.Version) error {
	_, markerErr := os.Lstat(s.PartialMarker(v))
	marked := markerErr == nil
	_, manifestErr := os.Lstat(s.ManifestPath(v))
	hasManifest := manifestErr == nil
	switch {
	case marked:
		// Unfinished: whatever is there goes, marker last so the tree
		// stays hidden until it is gone.
		if hasManifest {
			if err := os.Remove(s.ManifestPath(v)); err != nil {
				return err
			}
		}
	case hasManifest:
		return nil // installed (or corrupt, which only the user should resolve)
	}
	if err := removeAll(s.SDKDir(v)); err != nil {
		return err
	}
	if err := os.Remove(s.PartialMarker(v)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// Uninstall removes installed SDK v. It refuses the global default unless
// force is set. The manifest goes first, so a crash halfway leaves an SDK
// folder without a manifest (invisible, and removed by Clean), never a
// manifest naming a half-deleted tree. An imported SDK loses only its
// manifest: gover never deletes a folder it did not create.
//
// A corrupt manifest does not stop Uninstall: removing it is how the user
// repairs the store.
func (s *Store) Uninstall(v versions.Version, force bool) error {
	if !force {
		if g, err := s.Global(); err == nil && g == v {
			return exitcode.WithHint(fmt.Errorf("%s is the global default; choose another default first, or force it", v.Name()), "gover uninstall --force "+v.String())
		}
	}
	l, err := s.lockFor(v)
	if err != nil {
		return err
	}
	defer l.Unlock()

	m, err := s.Lookup(v)
	if errors.Is(err, ErrNotInstalled) {
		return exitcode.NotFound(err, "gover list")
	}
	imported := err == nil && m.Imported
	if err := os.Remove(s.ManifestPath(v)); err != nil {
		return fmt.Errorf("uninstalling %s: %w", v.Name(), err)
	}
	if err := os.Remove(s.FileListPath(v)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("uninstalling %s: %w", v.Name(), err)
	}
	fsx.SyncDir(s.metaRoot())
	if imported {
		return nil
	}
	if err := removeAll(s.SDKDir(v)); err != nil {
		return exitcode.WithHint(fmt.Errorf("%s is uninstalled, but some of its files are left in %s: %w", v.Name(), s.SDKDir(v), err), "gover prune")
	}
	return nil
}

// Prune removes old patch releases: for each minor (1.22, 1.23, ...) it
// keeps the newest keep SDKs, and it never removes the global default or an
// imported SDK (neither counts towards keep). It returns what it removed,
// or with dryRun what it would remove, newest first. Before removing, it
// cleans up after crashed runs (Clean).
func (s *Store) Prune(keep int, dryRun bool) ([]versions.Version, error) {
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
		if err := s.Uninstall(v, false); err != nil {
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
