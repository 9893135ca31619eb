// Package store is gover's on-disk store of Go SDKs: where things live under
// the root (GOVER_HOME), what makes an SDK installed, and the transaction an
// installer runs to add one without ever exposing a half-written tree.
//
// The layout under the root:
//
//	bin/                   the go and gofmt shims
//	sdk/go1.22.5/          a complete GOROOT, never modified after install
//	sdk/go1.22.5.partial   marker: extraction into sdk/go1.22.5 is in progress
//	meta/go1.22.5.json     the manifest, written last
//	meta/go1.22.5.lock     the per-version lock, there while someone holds it
//	cache/                 downloaded archives and the release index
//	tmp/                   scratch space of running transactions
//	version                the global default version
//	current                link to the global default SDK
//
// An SDK is installed if and only if its manifest exists and its partial
// marker does not. Everything else under sdk/ is ignored by readers;
// [Store.Clean] removes what gover marked as its own and nothing else
// (owner.go says how entries are marked).
//
// Reading is cheap, because the go shim does it on every run:
//
//	s := store.New(root)
//	goroot, err := s.GOROOT(v) // one file read and one stat
//
// Installing goes through a transaction:
//
//	tx, err := s.Begin(ctx, v)
//	if errors.Is(err, store.ErrAlreadyInstalled) {
//		return nil // someone else installed it while we waited
//	}
//	if err != nil {
//		return err
//	}
//	defer tx.Abort() // a no-op after Commit
//	// download into tx.Scratch(), verify, extract into tx.Dir() ...
//	return tx.Commit(&store.Manifest{...})
//
// The go shim links this package, so it imports only the standard library,
// versions, gofrs/flock and internal/exitcode.
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fsx"
	"github.com/gover/gover/versions"
)

// Errors callers test for with errors.Is.
var (
	ErrNotInstalled     = errors.New("not installed")
	ErrAlreadyInstalled = errors.New("already installed")
	ErrNoGlobal         = errors.New("no global default version is set")
)

// versionError says what happened to which SDK: "go1.22.5 is not installed".
type versionError struct {
	name   string
	err    error
	detail string
}

func (e *versionError) Error() string {
	msg := e.name + " is " + e.err.Error()
	if e.detail != "" {
		msg += " (" + e.detail + ")"
	}
	return msg
}

func (e *versionError) Unwrap() error { return e.err }

// Store is one gover root. Its methods are safe for concurrent use by many
// goroutines and many processes: writers serialise on per-version file
// locks, and readers only ever see complete SDKs.
type Store struct {
	root string
	// notes, when set, hears what the store waits for (see SetNotes).
	notes io.Writer
	// cacheMax is the download cache's budget in bytes.
	cacheMax int64
	now      func() time.Time
}

// New returns the store rooted at root, which should be absolute. Nothing is
// created until something is written.
func New(root string) *Store {
	return &Store{root: filepath.Clean(root), cacheMax: DefaultCacheMax, now: time.Now}
}

// Root is the store's root folder.
func (s *Store) Root() string { return s.root }

// SDKDir is where v's GOROOT lives once installed: root/sdk/go1.22.5.
func (s *Store) SDKDir(v versions.Version) string {
	return filepath.Join(s.root, "sdk", v.Name())
}

// PartialMarker is the file whose presence means SDKDir(v) is incomplete.
func (s *Store) PartialMarker(v versions.Version) string {
	return filepath.Join(s.root, "sdk", v.Name()+partialSuffix)
}

// ManifestPath is v's manifest: root/meta/go1.22.5.json.
func (s *Store) ManifestPath(v versions.Version) string {
	return filepath.Join(s.root, "meta", v.Name()+".json")
}

// FileListPath is v's per-file hash list, written at install time so that
// gover verify can name each changed, added or missing file.
func (s *Store) FileListPath(v versions.Version) string {
	return filepath.Join(s.root, "meta", v.Name()+".files")
}

// lockPath is v's lock file. It lives next to the manifest it guards, and
// only while someone holds it (see lock.go).
func (s *Store) lockPath(v versions.Version) string {
	return filepath.Join(s.root, "meta", v.Name()+lockSuffix)
}

// BinDir holds the go and gofmt shims; it goes first on PATH.
func (s *Store) BinDir() string { return filepath.Join(s.root, "bin") }

// CacheDir holds downloaded archives and the release index.
func (s *Store) CacheDir() string { return filepath.Join(s.root, "cache") }

// TmpDir holds transactions' scratch folders. Anything in it that no running
// gover holds is garbage.
func (s *Store) TmpDir() string { return filepath.Join(s.root, "tmp") }

// VersionFile holds the global default version.
func (s *Store) VersionFile() string { return filepath.Join(s.root, "version") }

// CurrentLink is the link (a junction on Windows) to the global default SDK.
func (s *Store) CurrentLink() string { return filepath.Join(s.root, "current") }

func (s *Store) sdkRoot() string  { return filepath.Join(s.root, "sdk") }
func (s *Store) metaRoot() string { return filepath.Join(s.root, "meta") }

const (
	partialSuffix  = ".partial"
	manifestSuffix = ".json"
	lockSuffix     = ".lock"
)

// Manifest records how an SDK got into the store. Its JSON field names are
// stable; Schema changes only when a field changes meaning.
type Manifest struct {
	Schema int `json:"schema"`
	// Version is the plain version, "1.22.5".
	Version string `json:"version"`
	// GOROOT is absolute. For an imported SDK it is the user's own folder,
	// which gover never modifies or removes.
	GOROOT string `json:"goroot"`
	// Platform is "goos/goarch", "linux/amd64".
	Platform string `json:"platform"`
	Imported bool   `json:"imported,omitempty"`
	Source   Source `json:"source"`
	// Size is the downloaded archive's size in bytes.
	Size   int64  `json:"size,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
	// H1 is the module zip's dirhash (golang.org/toolchain downloads).
	H1 string `json:"h1,omitempty"`
	// Checks lists every verification that passed, for example
	// "sumdb:sum.golang.org", "sha256:index", "pgp:EB4C1BFD4F042F6D...".
	Checks []string `json:"checks,omitempty"`
	// Trust is the strongest root the archive was checked against.
	Trust Trust `json:"trust"`
	// MinTrust is the minimum the install required.
	MinTrust Trust `json:"minTrust,omitempty"`
	// Insecure is set when the user asked to skip verification.
	Insecure    bool      `json:"insecure,omitempty"`
	InstalledAt time.Time `json:"installedAt"`
	// TreeHash is a hash of the extracted tree, for later integrity checks.
	TreeHash string `json:"treeHash,omitempty"`
}

// ManifestSchema is the Schema this gover writes and reads.
const ManifestSchema = 1

// Source is where an SDK came from.
type Source struct {
	Kind   string `json:"kind"`             // one of the Source constants
	URL    string `json:"url,omitempty"`    // what was downloaded, or the local file
	Module string `json:"module,omitempty"` // "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64"
}

// Source kinds.
const (
	SourceProxy    = "proxy"
	SourceOfficial = "official"
	SourceMirror   = "mirror"
	SourceFile     = "file"
	SourceImport   = "import"
)

// Lookup returns v's manifest. When v is not installed the error satisfies
// errors.Is(err, ErrNotInstalled) and carries exit code NotFound with the
// install command as its hint.
func (s *Store) Lookup(v versions.Version) (*Manifest, error) {
	return s.lookup(v, true)
}

// lookup is Lookup; List, which has just listed the markers, skips the stat.
func (s *Store) lookup(v versions.Version, checkMarker bool) (*Manifest, error) {
	path := s.ManifestPath(v)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, s.notInstalled(v, "")
	}
	if err != nil {
		return nil, fmt.Errorf("reading manifest: %w", err)
	}
	// The manifest is renamed into place before the marker goes, so a
	// marker next to a manifest means that commit has not finished yet.
	if checkMarker {
		if _, err := os.Lstat(s.PartialMarker(v)); err == nil {
			return nil, s.notInstalled(v, "an install is in progress or was interrupted")
		}
	}
	m, err := decodeManifest(data, v)
	var newer *NewerManifestError
	if errors.As(err, &newer) {
		newer.Path = path
		return nil, exitcode.WithHint(newer, "gover self-update")
	}
	if err != nil {
		return nil, exitcode.WithHint(fmt.Errorf("manifest %s is corrupt: %w", path, err), "gover install "+v.String())
	}
	return m, nil
}

// ErrNewerManifest is matched (errors.Is) by a [NewerManifestError].
var ErrNewerManifest = errors.New("written by a newer gover")

// NewerManifestError reports a manifest whose schema is newer than this
// gover understands: a newer gover installed that SDK. It is not corrupt,
// and nothing here may delete, replace or reinstall it; updating gover
// makes it readable.
type NewerManifestError struct {
	Version versions.Version
	Path    string
	Schema  int
}

func (e *NewerManifestError) Error() string {
	return fmt.Sprintf("%s was installed by a newer gover: its manifest %s is %s (schema %d; this gover reads up to %d), so this gover leaves it alone", e.Version.Name(), e.Path, ErrNewerManifest, e.Schema, ManifestSchema)
}

func (e *NewerManifestError) Is(target error) bool { return target == ErrNewerManifest }

func (s *Store) notInstalled(v versions.Version, detail string) error {
	return exitcode.NotFound(&versionError{name: v.Name(), err: ErrNotInstalled, detail: detail}, "gover install "+v.String())
}

// decodeManifest parses and checks a manifest that should describe v.
//
// The schema is read first, alone: a newer schema may change any other
// field, so a manifest that names one is a [NewerManifestError] whatever
// the rest holds.
func decodeManifest(data []byte, v versions.Version) (*Manifest, error) {
	var head struct {
		Schema int `json:"schema"`
	}
	if json.Unmarshal(data, &head) == nil && head.Schema > ManifestSchema {
		return nil, &NewerManifestError{Version: v, Schema: head.Schema}
	}
	m := new(Manifest)
	if err := json.Unmarshal(data, m); err != nil {
		return nil, err
	}
	switch {
	case m.Schema == 0:
		return nil, errors.New("no schema")
	case m.Version != v.String():
		return nil, fmt.Errorf("it describes version %q, not %s", m.Version, v)
	case m.GOROOT == "" || !filepath.IsAbs(m.GOROOT):
		return nil, fmt.Errorf("goroot %q is not an absolute path", m.GOROOT)
	}
	return m, nil
}

// IsInstalled is the store's rule for an installed SDK, checked with two
// lstats and no manifest decoding: its manifest exists and its partial
// marker does not. The go shim asks it on every run.
func (s *Store) IsInstalled(v versions.Version) bool {
	if _, err := os.Lstat(s.ManifestPath(v)); err != nil {
		return false
	}
	_, err := os.Lstat(s.PartialMarker(v))
	return errors.Is(err, fs.ErrNotExist)
}

// FindGOROOT is GOROOT for the go shim's hot path: when v is installed
// ([Store.IsInstalled]) and its SDKDir exists it returns that without
// reading the manifest; an imported SDK, which lives elsewhere, costs the
// manifest read. It returns "" when v is not installed.
func (s *Store) FindGOROOT(v versions.Version) string {
	if !s.IsInstalled(v) {
		return ""
	}
	if _, err := os.Lstat(s.SDKDir(v)); err == nil {
		return s.SDKDir(v)
	}
	// An imported SDK: the fields that name its GOROOT are read without
	// encoding/json (see topLevelFields), with decodeManifest's checks.
	data, err := readSmall(s.ManifestPath(v), 1<<20)
	if err != nil {
		return ""
	}
	m, ok := topLevelFields(data, "schema", "version", "goroot", "imported")
	if !ok {
		return ""
	}
	schema, err := strconv.Atoi(m["schema"])
	if err != nil || schema == 0 || schema > ManifestSchema || m["version"] != v.String() || m["imported"] != "true" || !filepath.IsAbs(m["goroot"]) {
		return ""
	}
	return m["goroot"]
}

// GOROOT returns the GOROOT of installed SDK v. It is the go shim's fast
// path: one small file read and one stat.
//
// A store-managed SDK's GOROOT is always SDKDir(v), whatever the manifest
// recorded, so a store that was moved as a whole keeps working.
func (s *Store) GOROOT(v versions.Version) (string, error) {
	m, err := s.Lookup(v)
	if err != nil {
		return "", err
	}
	if m.Imported {
		return m.GOROOT, nil
	}
	return s.SDKDir(v), nil
}

// Installed lists the installed versions, newest first. It reads two
// folders and parses no manifest, so a corrupt manifest still counts.
func (s *Store) Installed() ([]versions.Version, error) {
	metas, err := os.ReadDir(s.metaRoot())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	partial := make(map[string]bool)
	if sdks, err := os.ReadDir(s.sdkRoot()); err == nil {
		for _, e := range sdks {
			if name, ok := strings.CutSuffix(e.Name(), partialSuffix); ok {
				partial[name] = true
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var vs []versions.Version
	for _, e := range metas {
		name, ok := strings.CutSuffix(e.Name(), manifestSuffix)
		if !ok || partial[name] || !e.Type().IsRegular() {
			continue
		}
		v, err := parseName(name)
		if err != nil {
			continue // not ours: leave it alone, list nothing
		}
		vs = append(vs, v)
	}
	slices.SortFunc(vs, func(a, b versions.Version) int { return versions.Compare(b, a) })
	return vs, nil
}

// parseName turns "go1.22.5" back into a version, accepting only names that
// the store's paths for an installable release would have produced.
func parseName(name string) (versions.Version, error) {
	v, err := versions.Parse(name)
	if err != nil {
		return v, err
	}
	if v.Name() != name || v.IsLang() {
		return v, fmt.Errorf("%q is not a canonical SDK name", name)
	}
	return v, nil
}

// List returns the manifests of the installed SDKs, newest first.
//
// A corrupt manifest does not hide the others: List returns every manifest it
// could read and, alongside them, an error naming each corrupt file and the
// command that repairs it. Callers should show the list and then the error.
func (s *Store) List() ([]*Manifest, error) {
	vs, err := s.Installed()
	if err != nil {
		return nil, err
	}
	ms := make([]*Manifest, 0, len(vs))
	var errs []error
	for _, v := range vs {
		m, err := s.lookup(v, false)
		switch {
		case err == nil:
			ms = append(ms, m)
		case errors.Is(err, ErrNotInstalled):
			// Uninstalled or begun between the readdir and now.
		default:
			errs = append(errs, err)
		}
	}
	return ms, joinErrors(errs)
}

// joinErrors is errors.Join that keeps a single error's code and hint
// reachable as the outermost ones.
func joinErrors(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return exitcode.WithHint(errors.Join(errs...), exitcode.Hint(errs[0]))
}

// Global returns the global default version from the version file. Without
// one the error satisfies errors.Is(err, ErrNoGlobal).
func (s *Store) Global() (versions.Version, error) {
	var zero versions.Version
	path := s.VersionFile()
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return zero, exitcode.NotFound(ErrNoGlobal, "gover use --global <version>")
	}
	if err != nil {
		return zero, err
	}
	line := strings.TrimSpace(string(data))
	if line == "" {
		return zero, exitcode.NotFound(ErrNoGlobal, "gover use --global <version>")
	}
	v, err := versions.Parse(line)
	if err != nil {
		return zero, exitcode.WithHint(fmt.Errorf("global default in %s: %w", path, err), "gover use --global <version>")
	}
	return v, nil
}

// SetGlobal makes v the global default. Readers see the old or the new
// version, never a torn file.
func (s *Store) SetGlobal(v versions.Version) error {
	if err := s.Mark(); err != nil {
		return err
	}
	return fsx.WriteFileAtomic(s.VersionFile(), []byte(v.String()+"\n"), 0o644)
}
