package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fsx"
	"github.com/gover/gover/versions"
)

// Tx is one install of one version, from Begin to Commit or Abort. While it
// runs it holds the version's lock, and the partial marker hides its tree.
type Tx struct {
	s       *Store
	v       versions.Version
	lock    *heldLock
	scratch string
	done    bool
}

// checkInstallable refuses versions that name no single release: "1.22" is
// a language version, resolved to a release before it reaches the store.
func checkInstallable(v versions.Version) error {
	if v.IsZero() || v.IsLang() {
		return exitcode.Usage(fmt.Errorf("%q is a language version, not a release; name a release like %s.0", v.String(), v.Lang()), "gover list-remote")
	}
	return nil
}

// Begin starts installing v. It waits for v's lock until ctx is done, then
// looks again: if another gover installed v meanwhile, it returns a nil Tx
// and ErrAlreadyInstalled, so any number of concurrent installs of one
// version succeed with one copy on disk.
//
// Leftovers of an interrupted install of v (a partial tree, a corrupt
// manifest) are removed. Begin then creates the partial marker and, after
// it, the empty SDK folder that Dir names. A folder at Dir that gover did
// not create (one a user or another tool put there) is never removed:
// Begin refuses, and says how to import it instead.
func (s *Store) Begin(ctx context.Context, v versions.Version) (*Tx, error) {
	if err := checkInstallable(v); err != nil {
		return nil, err
	}
	l, err := s.lock(ctx, v, opInstall)
	if err != nil {
		return nil, err
	}
	tx := &Tx{s: s, v: v, lock: l}
	if err := tx.begin(); err != nil {
		l.unlock()
		return nil, err
	}
	return tx, nil
}

func (tx *Tx) begin() error {
	s, v := tx.s, tx.v
	m, err := s.Lookup(v)
	switch {
	case err == nil:
		return &versionError{name: v.Name(), err: ErrAlreadyInstalled, detail: "at " + m.GOROOT}
	case errors.Is(err, ErrNewerManifest):
		// Not corrupt: a newer gover's install, which stays as it is.
		return err
	}
	// Not installed, or its manifest is corrupt: either way nothing
	// gover owns under these names is worth keeping. The tree is marked
	// before the manifest goes, so it stays gover's until it is gone.
	owned := s.ownsTree(v)
	if _, err := os.Lstat(s.SDKDir(v)); err == nil && !owned {
		return exitcode.WithHint(s.foreignTreeError(v), "gover import "+s.SDKDir(v))
	}
	// The marker needs no fsync: if a power cut loses it, the SDK folder
	// still has no manifest, which hides it just as well.
	if err := s.markPartial(v, opInstall); err != nil {
		return err
	}
	if err := os.Remove(s.ManifestPath(v)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := removeAll(s.SDKDir(v)); err != nil {
		return fmt.Errorf("removing the remains of an interrupted install: %w", err)
	}
	if err := os.Mkdir(s.SDKDir(v), 0o755); err != nil {
		os.Remove(s.PartialMarker(v))
		return err
	}
	return nil
}

// Version is the version being installed.
func (tx *Tx) Version() versions.Version { return tx.v }

// Dir is the folder to extract into: the final SDKDir, hidden by the partial
// marker until Commit. Nothing is renamed into place (Windows anti-virus
// scanners make renaming a fresh tree fail).
func (tx *Tx) Dir() string { return tx.s.SDKDir(tx.v) }

// Scratch returns this transaction's private folder under TmpDir for
// downloads and other temporary files. It is created on first use and
// removed by Commit and Abort.
func (tx *Tx) Scratch() (string, error) {
	if tx.done {
		return "", errors.New("transaction already finished")
	}
	if tx.scratch != "" {
		return tx.scratch, nil
	}
	if err := os.MkdirAll(tx.s.TmpDir(), 0o755); err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp(tx.s.TmpDir(), tx.v.Name()+"-")
	if err != nil {
		return "", err
	}
	if err := writeMark(filepath.Join(dir, scratchRecord), "scratch space of the install of "+tx.v.Name()); err != nil {
		os.Remove(dir)
		return "", err
	}
	tx.scratch = dir
	return dir, nil
}

// Commit makes the SDK visible. The manifest is written last (fsync'd, then
// renamed into place), then the marker is removed; a crash before the
// rename leaves nothing installed, a crash after it leaves a complete SDK.
//
// Commit fills in what the store knows: Schema, Version, GOROOT (Dir) and
// Platform (the host) when empty, InstalledAt when zero. It refuses a
// manifest that names another version.
func (tx *Tx) Commit(m *Manifest) error {
	if tx.done {
		return errors.New("transaction already finished")
	}
	if m == nil {
		return errors.New("commit needs a manifest")
	}
	mm := *m
	mm.Schema = ManifestSchema
	switch mm.Version {
	case "":
		mm.Version = tx.v.String()
	case tx.v.String():
	default:
		return fmt.Errorf("manifest for version %q committed in the install of %s", mm.Version, tx.v)
	}
	if mm.GOROOT == "" {
		mm.GOROOT = tx.Dir()
	}
	if mm.Platform == "" {
		mm.Platform = versions.Host().String()
	}
	if mm.InstalledAt.IsZero() {
		mm.InstalledAt = tx.s.now().UTC().Truncate(time.Second)
	}
	data, err := encodeManifest(&mm)
	if err != nil {
		return err
	}
	if err := fsx.WriteFileAtomic(tx.s.ManifestPath(tx.v), data, 0o644); err != nil {
		return fmt.Errorf("writing manifest: %w", err)
	}
	if err := os.Remove(tx.s.PartialMarker(tx.v)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		// The manifest is in place but the marker hides it: undo the
		// manifest so the store stays consistent, and let the caller
		// retry or Abort.
		os.Remove(tx.s.ManifestPath(tx.v))
		return fmt.Errorf("finishing install: %w", err)
	}
	fsx.SyncDir(tx.s.sdkRoot())
	*m = mm
	return tx.finish()
}

// Abort removes everything the transaction created: the SDK folder, the
// marker and the scratch folder, then releases the lock. After Commit it
// does nothing, so callers can defer it.
func (tx *Tx) Abort() error {
	if tx == nil || tx.done {
		return nil
	}
	var errs []error
	// The marker stays while any of the tree does, so a failed removal
	// never exposes a half tree; Clean finishes the job.
	if err := tx.s.removeTree(tx.v); err != nil {
		errs = append(errs, err)
	}
	if err := tx.finish(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// finish removes the scratch folder and releases the lock.
func (tx *Tx) finish() error {
	tx.done = true
	var err error
	if tx.scratch != "" {
		err = removeAll(tx.scratch)
	}
	if uerr := tx.lock.unlock(); err == nil {
		err = uerr
	}
	return err
}

func encodeManifest(m *Manifest) ([]byte, error) {
	data, err := json.MarshalIndent(m, "", "\t")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// scratchVersion reports which version a TmpDir entry belongs to, from the
// "go1.22.5-" prefix Scratch gives it.
func scratchVersion(name string) (versions.Version, bool) {
	for i := len(name) - 1; i > 0; i-- {
		if name[i] == '-' {
			v, err := parseName(name[:i])
			return v, err == nil
		}
	}
	return versions.Version{}, false
}
