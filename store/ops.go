package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fsx"
	"github.com/gover/gover/versions"
)

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
