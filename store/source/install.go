package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/store"
	"github.com/gover/gover/store/download"
	"github.com/gover/gover/store/extract"
	"github.com/gover/gover/store/verify"
	"github.com/gover/gover/versions"
	"github.com/gover/gover/versions/spec"
)

// Installer installs SDKs into a store. Create it with [NewInstaller] and
// adjust the fields before the first Install; it is safe to share.
type Installer struct {
	Store      *store.Store
	Client     *http.Client // the checksum database client
	Downloader *download.Downloader
	Settings   *Settings
	Index      *Index
	// DownloadBase is where official archives live (DefaultDownloadBase).
	DownloadBase string
	// Keyring checks .asc signatures; nil means Google's release key.
	Keyring *verify.Keyring
	// Out gets one line per notable step: notes, fallbacks, warnings.
	Out io.Writer
	Now func() time.Time
}

// NewInstaller returns an Installer for st that downloads with client and
// takes its sources and URLs from settings.
func NewInstaller(st *store.Store, client *http.Client, settings *Settings) (*Installer, error) {
	urls, err := settings.IndexURLs()
	if err != nil {
		return nil, err
	}
	base, err := settings.DownloadBase()
	if err != nil {
		return nil, err
	}
	if client == nil {
		return nil, errors.New("source: NewInstaller needs an HTTP client")
	}
	d := &download.Downloader{Client: client}
	return &Installer{
		Store:      st,
		Client:     client,
		Downloader: d,
		Settings:   settings,
		Index: &Index{
			URLs: urls,
			Get: func(ctx context.Context, url string, limit int64) ([]byte, error) {
				return listDownloader(d).GetBytes(ctx, url, limit)
			},
			CacheDir: st.ListsDir(),
		},
		DownloadBase: base,
		Out:          io.Discard,
	}, nil
}

// listDownloader is d for release lists: they have fallbacks (another
// URL, the proxy's list, the cache), so an unreachable site costs one retry,
// not the full patience a large archive deserves.
func listDownloader(d *download.Downloader) *download.Downloader {
	quick := *d
	quick.Retries = 1
	quick.Progress = nil
	return &quick
}

// Options say what to install and from where.
type Options struct {
	Platform versions.Platform // zero: the host
	// Sources overrides GOVER_SOURCES ("proxy", "official", "mirror").
	Sources []string
	// Mirrors overrides GOVER_MIRRORS.
	Mirrors []string
	// Archive installs a local file instead: the file source. The version
	// comes from the file name unless the spec is exact.
	Archive string
	// SHA256 is the expected digest of Archive.
	SHA256 string
	// InsecureSkipVerify turns failed or impossible checks into warnings.
	// The manifest records it.
	InsecureSkipVerify bool
	// MinTrust overrides GOVER_MIN_TRUST: the trust an install requires
	// (store.DefaultMinTrust when both are empty). "mirror" is the
	// explicit opt-in to archives only a mirror's own checksum vouches for.
	MinTrust store.Trust
}

// Result is what Install did.
type Result struct {
	Manifest *store.Manifest
	// AlreadyInstalled is set when nothing had to be done.
	AlreadyInstalled bool
}

func (i *Installer) now() time.Time {
	if i.Now != nil {
		return i.Now()
	}
	return time.Now()
}

func (i *Installer) notef(format string, args ...any) {
	if i.Out != nil {
		fmt.Fprintf(i.Out, format+"\n", args...)
	}
}

func (i *Installer) platform(o Options) versions.Platform {
	if o.Platform == (versions.Platform{}) {
		return versions.Host()
	}
	return o.Platform
}

// Install resolves s, then downloads, verifies, extracts and commits that
// SDK. An SDK that is already installed is success (Result.AlreadyInstalled).
// Any failure leaves the store as it was.
func (i *Installer) Install(ctx context.Context, s spec.Spec, o Options) (*Result, error) {
	p := i.platform(o)
	var (
		v    versions.Version
		file *fileArchive
		err  error
	)
	if o.Archive != "" {
		file, err = inspectArchive(o.Archive, s, o.Platform)
		if err != nil {
			return nil, err
		}
		v, p = file.version, file.platform
	} else if ev, ok := s.Exact(); ok {
		v = ev
	} else {
		v, err = i.Resolve(ctx, s, p)
		if err != nil {
			return nil, err
		}
	}

	// Fast path, without the lock: nothing to do.
	if m, err := i.Store.Lookup(v); err == nil {
		return i.already(m, v, p)
	}
	// Leftovers of crashed runs (scratch downloads, half trees) go first;
	// Clean skips whatever a live gover holds, and a failure here only
	// costs disk space.
	if err := i.Store.Clean(); err != nil {
		i.notef("note: cleaning up after an earlier interrupted run: %v", err)
	}
	tx, err := i.Store.Begin(ctx, v)
	if errors.Is(err, store.ErrAlreadyInstalled) {
		m, err := i.Store.Lookup(v)
		if err != nil {
			return nil, err
		}
		return i.already(m, v, p)
	}
	if err != nil {
		return nil, err
	}
	defer tx.Abort()

	res, err := i.run(ctx, tx, v, p, o, file)
	if err != nil {
		return nil, i.explain(err, v, o)
	}
	return res, nil
}

// already reports an installed SDK, unless it was installed for another
// platform: the store keeps one SDK per version.
func (i *Installer) already(m *store.Manifest, v versions.Version, p versions.Platform) (*Result, error) {
	if m.Platform != "" && m.Platform != p.String() {
		return nil, exitcode.WithHint(fmt.Errorf("%s is installed for %s, not %s; the store holds one platform per version", v.Name(), m.Platform, p), "gover uninstall "+v.String())
	}
	return &Result{Manifest: m, AlreadyInstalled: true}, nil
}

// explain makes sure a failure says what to do next.
func (i *Installer) explain(err error, v versions.Version, o Options) error {
	// Verification failures say nothing of the store themselves (verify
	// also checks what is installed); an install adds it here, once.
	if exitcode.Code(err) == exitcode.CodeVerify {
		err = exitcode.New(exitcode.CodeVerify, fmt.Errorf("%w\nnothing was installed", err), exitcode.Hint(err))
	}
	if exitcode.Hint(err) != "" {
		return err
	}
	switch {
	case isDiskFull(err):
		return exitcode.WithHint(fmt.Errorf("%w; nothing was installed", err), "free disk space under "+i.Store.Root()+" (gover cache clean, gover prune), then run gover install "+v.String()+" again")
	case exitcode.Code(err) == exitcode.CodeVerify && o.Archive != "":
		return exitcode.WithHint(err, "gover install --archive "+o.Archive+" --sha256 <the published hash>")
	}
	return err
}

func (i *Installer) run(ctx context.Context, tx *store.Tx, v versions.Version, p versions.Platform, o Options, file *fileArchive) (*Result, error) {
	var err error
	j := &job{in: i, tx: tx, v: v, p: p, o: o}
	if j.min, err = j.minTrust(); err != nil {
		return nil, exitcode.Usage(err, "gover install --min-trust index "+v.String())
	}
	// A list left by an SDK uninstalled earlier describes another tree.
	listPath := i.Store.FileListPath(v)
	if err := os.Remove(listPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var m *store.Manifest
	if file != nil {
		m, err = j.installFile(ctx, file)
	} else {
		m, err = j.install(ctx)
	}
	if err != nil {
		os.Remove(listPath)
		return nil, err
	}
	m.Schema = store.ManifestSchema
	m.Version = v.String()
	m.Platform = p.String()
	m.InstalledAt = i.now().UTC()
	if m.GOROOT, err = filepath.Abs(tx.Dir()); err != nil {
		return nil, err
	}
	if err := tx.Commit(m); err != nil {
		os.Remove(listPath)
		return nil, err
	}
	return &Result{Manifest: m}, nil
}

// job is one install of one version.
type job struct {
	in  *Installer
	tx  *store.Tx
	v   versions.Version
	p   versions.Platform
	o   Options
	min store.Trust // the trust this install requires
	// noCache makes sources ignore the download cache (after a cached
	// file failed its check).
	noCache bool
}

// unpack extracts a into the transaction's folder while its pending checks
// run, and builds the manifest once everything passed. A verified download
// that was not cached yet is moved into the cache.
func (j *job) unpack(ctx context.Context, a *artifact) (*store.Manifest, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	opt := extractOptions(a)
	var (
		wg      sync.WaitGroup
		xerr    error
		checked []string
		cerr    error
	)
	if !a.extracted {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var st extract.Stats
			st, xerr = extract.File(ctx, a.path, j.tx.Dir(), opt)
			a.sums, a.entries = fileSums(st.Sums), fileSums(st.Entries)
			if xerr != nil {
				cancel()
			}
		}()
	}
	checked, cerr = j.runChecks(ctx, a, a.pending)
	if cerr != nil {
		cancel()
	}
	wg.Wait()
	if xerr != nil && (cerr == nil || errors.Is(cerr, context.Canceled)) {
		return nil, extractError(a, xerr)
	}
	if cerr != nil {
		if !a.cached && a.kind != KindFile {
			os.Remove(a.path)
		}
		return nil, cerr
	}
	if xerr != nil {
		return nil, extractError(a, xerr)
	}
	a.checks = append(a.checks, checked...)
	if err := checkVersionFile(j.tx.Dir(), j.v); err != nil {
		if !j.o.InsecureSkipVerify {
			return nil, err
		}
		j.in.notef("WARNING: %v", err)
		a.insecure = true
	}
	// The extraction hashed every file as it wrote it: the file list needs
	// no second read of the tree.
	treeHash, err := verify.WriteSums(a.sums, j.in.Store.FileListPath(j.v))
	if err != nil {
		return nil, fmt.Errorf("recording the file list of %s: %w", j.v.Name(), err)
	}
	checked, cerr = j.runChecks(ctx, a, a.post)
	if cerr != nil {
		if !a.cached && a.kind != KindFile {
			os.Remove(a.path)
		}
		return nil, cerr
	}
	a.checks = append(a.checks, checked...)
	m := &store.Manifest{
		Source:   store.Source{Kind: a.kind, URL: a.url},
		Size:     a.size,
		SHA256:   a.sha256,
		H1:       a.h1,
		Checks:   a.checks,
		Trust:    a.trust,
		MinTrust: j.min,
		TreeHash: treeHash,
	}
	if a.module != "" {
		m.Source.Module = a.module
	}
	switch {
	case a.insecure || len(a.checks) == 0:
		m.Insecure = true
		m.Trust = store.TrustNone
	case !a.trust.AtLeast(j.min):
		// Sources refuse this before downloading; this is the last line.
		return nil, trustError(&TrustError{URL: a.url, Got: a.trust, Min: j.min, Why: "what its checks amount to", Spec: j.v.String()})
	}
	if !a.cached && !m.Insecure && a.kind != KindFile {
		// A cache that cannot be written costs only a later download.
		if err := j.cacheArtifact(a); err != nil {
			j.in.notef("note: could not keep %s in the cache: %v", filepath.Base(a.path), err)
		}
	}
	return m, nil
}

// fileSums converts an extraction's hashes for verify.
func fileSums(in []extract.FileSum) []verify.FileSum {
	sums := make([]verify.FileSum, len(in))
	for i, s := range in {
		sums[i] = verify.FileSum(s)
	}
	return sums
}

// extractOptions says how a is unpacked: an official archive under go/, a
// module zip under its module path, with the zip's every entry hashed for
// its h1 and cmd/go's caps on what a module zip may hold.
func extractOptions(a *artifact) extract.Options {
	if a.module == "" {
		return extract.Options{StripPrefix: "go/", Sums: true}
	}
	return extract.Options{StripPrefix: a.module + "/", Module: true, Sums: true, EntrySums: true, MaxTotalSize: MaxModuleZip}
}

// extractError reports a failed extraction. An archive that does not
// unpack (not an archive, a broken entry) is a corrupt download: a
// verification failure, never retried into success from another source.
// Errors writing the tree (disk full, permissions) are not.
func extractError(a *artifact, err error) error {
	err = fmt.Errorf("extracting %s: %w", filepath.Base(a.path), err)
	var pe *fs.PathError
	if exitcode.Code(err) == exitcode.CodeVerify || errors.As(err, &pe) || isDiskFull(err) || errors.Is(err, context.Canceled) {
		return err
	}
	return exitcode.Verify(fmt.Errorf("%w: the archive is corrupt", err), "")
}

// runChecks runs checks in order and returns the names of those that
// passed. With InsecureSkipVerify a failure is a loud warning instead.
func (j *job) runChecks(ctx context.Context, a *artifact, checks []check) ([]string, error) {
	var passed []string
	for _, c := range checks {
		name, err := c(ctx, a)
		if err != nil {
			if j.o.InsecureSkipVerify && ctx.Err() == nil {
				j.skipCheck(err)
				a.insecure = true
				continue
			}
			return passed, err
		}
		passed = append(passed, name)
	}
	return passed, nil
}

// checkVersionFile makes sure the archive holds the version it was taken
// for: a mislabelled archive must not be installed under another name.
func checkVersionFile(dir string, v versions.Version) error {
	data, err := os.ReadFile(filepath.Join(dir, "VERSION"))
	if err != nil {
		// Very old releases and some module zips carry no VERSION file.
		return nil
	}
	first, _, _ := strings.Cut(string(data), "\n")
	first = strings.TrimSpace(first)
	if first != v.Name() {
		return exitcode.Verify(fmt.Errorf("the archive holds %q, not %s", first, v.Name()), "gover install --archive <file> --version <the version it holds>")
	}
	return nil
}

// resetDir empties dir for another attempt.
func resetDir(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	return os.MkdirAll(dir, 0o755)
}
