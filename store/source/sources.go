package source

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	neturl "net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"

	"golang.org/x/mod/module"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fsx"
	"github.com/gover/gover/store"
	"github.com/gover/gover/store/download"
	"github.com/gover/gover/store/extract"
	"github.com/gover/gover/store/verify"
	"github.com/gover/gover/versions"
	"github.com/gover/gover/versions/spec"
)

// ToolchainModule is the module that carries Go toolchains on module proxies.
const ToolchainModule = "golang.org/toolchain"

// ToolchainVersion is the module version holding v for p:
// "v0.0.1-go1.22.5.linux-amd64".
func ToolchainVersion(v versions.Version, p versions.Platform) string {
	return "v0.0.1-" + v.Name() + "." + p.Dashed()
}

var toolchainVersionRE = regexp.MustCompile(`^v0\.0\.1-(go[0-9a-z.]+)\.([a-z0-9]+)-([a-z0-9]+)$`)

// ParseToolchainVersion parses a golang.org/toolchain module version such as
// "v0.0.1-go1.22.5.linux-amd64".
func ParseToolchainVersion(s string) (versions.Version, versions.Platform, error) {
	m := toolchainVersionRE.FindStringSubmatch(s)
	if m == nil {
		return versions.Version{}, versions.Platform{}, fmt.Errorf("%q is not a golang.org/toolchain version (want v0.0.1-go1.22.5.linux-amd64)", s)
	}
	v, err := versions.Parse(m[1])
	if err != nil {
		return versions.Version{}, versions.Platform{}, err
	}
	p, err := versions.ParsePlatform(m[2] + "/" + m[3])
	if err != nil {
		return versions.Version{}, versions.Platform{}, err
	}
	// Only canonical spellings: the name must be the one cmd/go asks for.
	if v.Name() != m[1] || p.Dashed() != m[2]+"-"+m[3] {
		return versions.Version{}, versions.Platform{}, fmt.Errorf("%q is not a canonical golang.org/toolchain version (want %s)", s, ToolchainVersion(v, p))
	}
	return v, p, nil
}

// ParseToolchainList turns a proxy's golang.org/toolchain/@v/list into
// releases, one per Go version, with a file per platform. The files carry
// no checksum: proxies are verified through the checksum database instead.
// Lines that are not toolchain versions are skipped.
func ParseToolchainList(data []byte) ([]versions.Release, error) {
	byName := map[string]int{}
	var rs []versions.Release
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		v, p, err := ParseToolchainVersion(line)
		if err != nil {
			continue
		}
		i, ok := byName[v.Name()]
		if !ok {
			i = len(rs)
			byName[v.Name()] = i
			rs = append(rs, versions.Release{Version: v.Name(), Stable: !v.Prerelease()})
		}
		rs[i].Files = append(rs[i].Files, versions.File{
			Filename: archiveName(v, p),
			OS:       p.OS,
			Arch:     p.Arch,
			Version:  v.Name(),
			Kind:     versions.KindArchive,
		})
	}
	if len(rs) == 0 {
		return nil, errors.New("the proxy lists no Go toolchain")
	}
	return rs, nil
}

// archiveName is the official archive name of v for p. go.dev names 32-bit
// ARM "armv6l".
func archiveName(v versions.Version, p versions.Platform) string {
	arch := p.Arch
	if arch == "arm" {
		arch = "armv6l"
	}
	return v.Name() + "." + p.OS + "-" + arch + p.ArchiveExt()
}

// findArchive looks v's archive for p up in an index.
func findArchive(rs []versions.Release, v versions.Version, p versions.Platform) (versions.File, bool) {
	for _, r := range rs {
		if r.Version == v.Name() {
			return r.Archive(p)
		}
	}
	return versions.File{}, false
}

// notFound reports whether a download failed because the server does not
// have the file (404, 410, or the 403 proxies answer for toolchains they
// do not serve).
func notFound(err error) bool {
	return errors.Is(err, download.ErrNotFound)
}

func (j *job) scratch(name string) (string, error) {
	dir, err := j.tx.Scratch()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, name), nil
}

// proxy downloads the toolchain module zip from the first proxy that has it;
// its h1 hash is checked against the checksum database during extraction.
func (j *job) proxy(ctx context.Context) (*artifact, error) {
	list, err := j.in.Settings.Proxies()
	if err != nil {
		return nil, exitcode.WithHint(err, "go env -w GOPROXY=https://proxy.golang.org,direct")
	}
	proxies, notes, err := ToolchainProxies(list)
	for _, n := range notes {
		j.in.notef("note: %s", n)
	}
	if err != nil {
		return nil, err
	}
	modVer := ToolchainVersion(j.v, j.p)
	escPath, err := module.EscapePath(ToolchainModule)
	if err != nil {
		return nil, err
	}
	escVer, err := module.EscapeVersion(modVer)
	if err != nil {
		return nil, err
	}
	dst, err := j.scratch(modVer + ".zip")
	if err != nil {
		return nil, err
	}
	db, err := j.sumDB(proxies)
	if err != nil {
		return nil, err
	}
	lctx, cancel := context.WithCancel(ctx)
	lk := startLookup(lctx, db, modVer)
	// A failed source stops its lookup; a good one keeps it for the
	// check, and the job's context ends it.
	ok := false
	defer func() {
		if !ok {
			cancel()
		}
	}()
	var tried []string
	for _, px := range proxies {
		url := strings.TrimSuffix(px.URL, "/") + "/" + escPath + "/@v/" + escVer + ".zip"
		res, err := j.getModuleZip(ctx, url, dst)
		if err != nil {
			os.Remove(dst)
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if notFound(err) {
				j.in.notef("note: %s is not available from %s", modVer, px.URL)
				tried = append(tried, px.URL)
				continue
			}
			if px.FallBackOnError {
				j.in.notef("note: %s failed (%v); trying the next proxy", px.URL, err)
				tried = append(tried, px.URL)
				continue
			}
			return nil, err
		}
		a := &artifact{
			kind:   KindProxy,
			url:    url,
			path:   res.Path,
			module: ToolchainModule + "@" + modVer,
			size:   res.Size,
			sha256: res.SHA256,
			trust:  store.TrustSumDB,
		}
		a.post = append(a.post, j.treeCheck(db, lk, modVer))
		ok = true
		return a, nil
	}
	return nil, unavailable("%s for %s is not available from %s", j.v.Name(), j.p, strings.Join(tried, ", "))
}

// getModuleZip downloads a module zip, or copies it from a file:// proxy
// (an air-gapped module mirror on disk, as cmd/go allows).
func (j *job) getModuleZip(ctx context.Context, rawURL, dst string) (download.Result, error) {
	if !strings.HasPrefix(rawURL, "file:") {
		return j.in.Downloader.Fetch(ctx, rawURL, dst, download.Expect{})
	}
	u, err := neturl.Parse(rawURL)
	if err != nil {
		return download.Result{}, err
	}
	src := filepath.FromSlash(u.Path)
	if len(src) > 2 && src[0] == '\\' && src[2] == ':' {
		src = src[1:] // file:///C:/mirror on Windows
	}
	in, err := os.Open(src)
	if errors.Is(err, fs.ErrNotExist) {
		return download.Result{}, fmt.Errorf("%s: %w", rawURL, download.ErrNotFound)
	}
	if err != nil {
		return download.Result{}, err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return download.Result{}, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return download.Result{}, err
	}
	return download.Result{Path: dst, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// sumDB opens the checksum database GOSUMDB names, reached through the
// proxies' /sumdb/ endpoints where they offer one.
func (j *job) sumDB(proxies []Proxy) (*verify.SumDB, error) {
	var urls []string
	for _, p := range proxies {
		urls = append(urls, p.URL)
	}
	db, err := verify.NewSumDB(verify.SumDBConfig{
		GOSUMDB:  j.in.Settings.GOSUMDB.Value,
		Proxies:  urls,
		Client:   j.in.Client,
		CacheDir: filepath.Join(j.in.Store.CacheDir(), "sumdb"),
	})
	if err != nil {
		// go env -u only edits the go env file: a variable set in the
		// environment needs unsetting there.
		hint := "go env -u GOSUMDB"
		if j.in.Settings.GOSUMDB.Origin == FromEnv {
			hint = "env -u GOSUMDB gover install " + j.v.String() + "   (then remove GOSUMDB from your shell startup file)"
			if runtime.GOOS == "windows" {
				hint = "Remove-Item Env:GOSUMDB; gover install " + j.v.String() + "   (PowerShell)"
			}
		}
		return nil, exitcode.WithHint(fmt.Errorf("checksum database (GOSUMDB, %s): %w", j.in.Settings.GOSUMDB.Origin, err), hint)
	}
	return db, nil
}

// lookup is a checksum database answer on its way.
type lookup struct {
	done  chan struct{}
	lines []string
	err   error
}

// startLookup asks the database for module@version while the zip
// downloads, so its round trips cost no time of their own.
func startLookup(ctx context.Context, db *verify.SumDB, version string) *lookup {
	l := &lookup{done: make(chan struct{})}
	go func() {
		defer close(l.done)
		l.lines, l.err = db.Lookup(ctx, ToolchainModule, version)
	}()
	return l
}

// treeCheck compares the database's h1 hash for the module zip with the h1
// hash of the extracted tree. They are the same hash: dirhash hashes each
// file's content under its zip name, and the tree holds exactly the zip's
// files, with _go.mod renamed to go.mod (extract refuses a zip holding
// both). Hashing the tree, which the file list does anyway, saves
// inflating the whole zip a second time, and it checks what is installed.
func (j *job) treeCheck(db *verify.SumDB, l *lookup, version string) check {
	return func(ctx context.Context, a *artifact) (string, error) {
		select {
		case <-l.done:
		case <-ctx.Done():
			return "", ctx.Err()
		}
		if l.err != nil {
			return "", l.err
		}
		want := ""
		for _, line := range l.lines {
			f := strings.Fields(line)
			if len(f) == 3 && f[0] == ToolchainModule && f[1] == version && strings.HasPrefix(f[2], "h1:") {
				want = f[2]
			}
		}
		if want == "" {
			return "", fmt.Errorf("%s@%s: the checksum database %s has no h1 hash for it", ToolchainModule, version, db.Name())
		}
		got, err := moduleH1(j.in.Store.FileListPath(j.v), ToolchainModule+"@"+version+"/")
		if err != nil {
			return "", err
		}
		if got != want {
			return "", exitcode.Verify(fmt.Errorf("checksum MISMATCH for %s@%s:\n\tchecksum database %s: %s\n\tdownloaded zip:    %s\nthe download is corrupt or was tampered with; nothing was installed",
				ToolchainModule, version, db.Name(), want, got), "")
		}
		a.h1 = got
		return "sumdb:" + db.Name(), nil
	}
}

// moduleH1 computes the dirhash h1 of a module zip from the file list of
// its extracted tree: each go.mod goes back to the _go.mod it was stored
// as, every name gets the zip's prefix, and the summary is hashed as
// dirhash.Hash1 does.
func moduleH1(listPath, prefix string) (string, error) {
	data, err := os.ReadFile(listPath)
	if err != nil {
		return "", err
	}
	var lines []string
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok || !isSHA256Hex(sum) || name == "" {
			return "", fmt.Errorf("file list %s: malformed line %q", listPath, line)
		}
		if path.Base(name) == "go.mod" {
			name = path.Join(path.Dir(name), "_go.mod")
		}
		lines = append(lines, sum+"  "+prefix+name+"\n")
	}
	// dirhash sorts by name; every line starts with a fixed-width sum.
	sort.Slice(lines, func(i, k int) bool { return lines[i][66:] < lines[k][66:] })
	h := sha256.New()
	for _, l := range lines {
		io.WriteString(h, l)
	}
	return "h1:" + base64.StdEncoding.EncodeToString(h.Sum(nil)), nil
}

// official downloads the archive named by the go.dev/dl index from
// DownloadBase; the index's SHA-256 is checked while downloading and, for
// .tar.gz, the .asc signature during extraction.
func (j *job) official(ctx context.Context) (*artifact, error) {
	idx, err := j.in.Index.Releases(ctx)
	if err != nil {
		return nil, err
	}
	j.noteStale(idx)
	f, ok := findArchive(idx.Releases, j.v, j.p)
	if !ok {
		return nil, unavailable("%s for %s is not available: the release index does not list it", j.v.Name(), j.p)
	}
	url := j.in.DownloadBase + f.Filename
	dst, err := j.scratch(f.Filename)
	if err != nil {
		return nil, err
	}
	a := &artifact{kind: KindOfficial, url: url}
	var note string
	if strings.HasSuffix(f.Filename, ".tar.gz") {
		note = j.addSignature(ctx, a, url)
	}
	res, err := j.fetch(ctx, url, dst, download.Expect{Size: f.Size, SHA256: f.SHA256}, a)
	if err != nil {
		if notFound(err) {
			return nil, unavailable("%s is not available: %v", url, err)
		}
		return nil, err
	}
	if note != "" {
		j.in.notef("%s", note)
	}
	a.path, a.size, a.sha256 = res.Path, res.Size, res.SHA256
	if f.SHA256 != "" {
		a.checks = append(a.checks, "sha256:index")
		a.trust = store.TrustIndexSHA256
	}
	return a, j.requireCheck(a)
}

// mirror downloads the archive from the first flat mirror that has it.
func (j *job) mirror(ctx context.Context) (*artifact, error) {
	mirrors := j.o.Mirrors
	if len(mirrors) == 0 {
		var err error
		if mirrors, err = j.in.Settings.Mirrors(); err != nil {
			return nil, exitcode.Usage(err, "GOVER_MIRRORS=https://mirrors.example.com/golang/ gover install <version>")
		}
	}
	var (
		want      download.Expect
		fromIndex bool
		filename  = archiveName(j.v, j.p)
	)
	if idx, err := j.in.Index.Releases(ctx); err == nil {
		f, ok := findArchive(idx.Releases, j.v, j.p)
		if !ok {
			return nil, unavailable("%s for %s is not available: the release index does not list it", j.v.Name(), j.p)
		}
		filename, fromIndex = f.Filename, f.SHA256 != ""
		want = download.Expect{Size: f.Size, SHA256: f.SHA256}
	} else {
		j.in.notef("note: the official release index is unreachable; using the mirrors' own checksums")
	}
	dst, err := j.scratch(filename)
	if err != nil {
		return nil, err
	}
	var tried, unreachable []string
	for _, base := range mirrors {
		url := base + filename
		a := &artifact{kind: KindMirror, url: url}
		w := want
		if fromIndex {
			a.checks, a.trust = []string{"sha256:index"}, store.TrustIndexSHA256
		} else if sum, err := j.fetchSHA256(ctx, url+".sha256"); err == nil {
			w.SHA256 = sum
			a.checks, a.trust = []string{"sha256:mirror"}, store.TrustMirrorSHA256
		} else if !notFound(err) {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			// A mirror that cannot hand out a small file will not
			// hand out a large one.
			j.in.notef("note: mirror %s is unreachable: %v", base, err)
			unreachable = append(unreachable, base)
			continue
		}
		var note string
		if strings.HasSuffix(filename, ".tar.gz") {
			note = j.addSignature(ctx, a, url)
		}
		res, err := j.fetch(ctx, url, dst, w, a)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if exitcode.Code(err) == exitcode.CodeVerify {
				what := "its own .sha256"
				if fromIndex {
					what = "the official release index"
				}
				return nil, exitcode.Verify(fmt.Errorf("mirror %s serves %s with a checksum that disagrees with %s: %w", base, filename, what, err), "gover install --source official "+j.v.String())
			}
			if notFound(err) {
				j.in.notef("note: %s is not available from %s", filename, base)
				tried = append(tried, base)
			} else {
				j.in.notef("note: mirror %s failed: %v", base, err)
				unreachable = append(unreachable, base)
			}
			continue
		}
		if note != "" {
			j.in.notef("%s", note)
		}
		a.path, a.size, a.sha256 = res.Path, res.Size, res.SHA256
		return a, j.requireCheck(a)
	}
	if len(tried) == 0 {
		return nil, fmt.Errorf("no mirror could be reached (%s)", strings.Join(unreachable, ", "))
	}
	if len(unreachable) > 0 {
		return nil, fmt.Errorf("%s is not available from %s, and %s could not be reached", filename, strings.Join(tried, ", "), strings.Join(unreachable, ", "))
	}
	return nil, unavailable("%s is not available from the mirrors (%s)", filename, strings.Join(tried, ", "))
}

// fetch downloads url into dst. A .tar.gz is extracted into the
// transaction's folder while it downloads, so inflating and writing the
// tree overlap with the transfer and its hashing; a.extracted says so. The
// tree stays hidden under the partial marker, and every check still has to
// pass before Commit: a hash mismatch is known at the end of the stream.
// On failure dst and anything extracted are removed.
//
// The archive is written to dst, and its signature (a.asc) checked, by a
// side goroutine fed from the stream: the file is kept for the cache, and
// neither writing it nor hashing it for the signature delays inflating,
// which bounds how fast a .tar.gz installs.
func (j *job) fetch(ctx context.Context, url, dst string, want download.Expect, a *artifact) (download.Result, error) {
	if !strings.HasSuffix(dst, ".tar.gz") {
		res, err := j.in.Downloader.Fetch(ctx, url, dst, want)
		if err != nil {
			os.Remove(dst)
		}
		if err == nil && a.asc != nil {
			a.pending = append(a.pending, j.signatureCheck(a.asc, a.ascURL))
		}
		return res, err
	}
	f, err := os.Create(dst)
	if err != nil {
		return download.Result{}, err
	}
	var sv *verify.StreamVerifier
	out := io.Writer(f)
	if a.asc != nil {
		if kr, kerr := j.keyring(); kerr == nil {
			sv = kr.StreamVerifier(a.asc)
			out = io.MultiWriter(f, sv)
		}
	}
	side := newSideWriter(out)
	var xerr error
	res, err := j.in.Downloader.Stream(ctx, url, want, func(r io.Reader) error {
		var st extract.Stats
		st, xerr = extract.TarGz(ctx, io.TeeReader(r, side), j.tx.Dir(), extract.Options{StripPrefix: "go/", Sums: true})
		a.sums = fileSums(st)
		// The rest of the file (what follows the tar end-of-archive
		// marker, or all that follows a broken entry) is still read:
		// a corrupt download must end as a checksum mismatch, the
		// verification failure it is, not as a tar error.
		_, err := io.Copy(side, r)
		return err
	})
	// A failed archive write (a full disk) stopped the stream with
	// errSideWriter; say what actually failed.
	if cerr := side.Close(); cerr != nil && (err == nil || errors.Is(err, errSideWriter) || errors.Is(xerr, errSideWriter)) {
		err, xerr = cerr, nil
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case sv != nil && err == nil:
		sig, serr := sv.Finish()
		a.pending = append(a.pending, j.streamedSignature(sig, serr, a.ascURL))
	case sv != nil:
		sv.Abort()
	case a.asc != nil && err == nil:
		a.pending = append(a.pending, j.signatureCheck(a.asc, a.ascURL))
	}
	if err == nil && xerr != nil {
		err = fmt.Errorf("extracting %s: %w", filepath.Base(dst), xerr)
	}
	if err != nil {
		os.Remove(dst)
		if rerr := resetDir(j.tx.Dir()); rerr != nil {
			return download.Result{}, rerr
		}
		return download.Result{}, err
	}
	res.Path = dst
	a.extracted = true
	return res, nil
}

func (j *job) noteStale(idx *IndexResult) {
	if idx.Stale {
		j.in.notef("note: using a release index cached %s ago: the network is unreachable", HumanAge(idx.Age(j.in.now())))
	}
}

// fetchSHA256 reads a .sha256 file: the hex digest, optionally followed by a
// file name as sha256sum writes it.
func (j *job) fetchSHA256(ctx context.Context, url string) (string, error) {
	data, err := listDownloader(j.in.Downloader).GetBytes(ctx, url, 4096)
	if err != nil {
		return "", err
	}
	return parseSHA256File(data)
}

func parseSHA256File(data []byte) (string, error) {
	f := strings.Fields(string(data))
	if len(f) == 0 || !isSHA256Hex(f[0]) {
		return "", errors.New("malformed .sha256 file")
	}
	return strings.ToLower(f[0]), nil
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// addSignature fetches url.asc, when there is one, for [job.fetch] to check
// against the release key. It is fetched before the archive so that the
// signature can be checked on the download stream. What it has to say
// about a missing signature is returned, to be noted once the archive
// turned out to be there.
func (j *job) addSignature(ctx context.Context, a *artifact, url string) (note string) {
	asc, err := listDownloader(j.in.Downloader).GetBytes(ctx, url+".asc", 64<<10)
	if err != nil {
		if notFound(err) && a.kind == KindOfficial {
			// go.dev signs every .tar.gz since long ago; the index's
			// SHA-256 still stands.
			return fmt.Sprintf("note: no signature is published for %s; relying on the index's SHA-256", url)
		} else if !notFound(err) {
			return fmt.Sprintf("note: signature %s.asc: %v", url, err)
		}
		return ""
	}
	a.asc, a.ascURL = asc, url+".asc"
	return ""
}

// keyring is the key release signatures are checked against.
func (j *job) keyring() (*verify.Keyring, error) {
	if j.in.Keyring != nil {
		return j.in.Keyring, nil
	}
	return verify.GoogleKeyring()
}

// streamedSignature reports a signature checked on the download stream.
func (j *job) streamedSignature(sig verify.Signature, err error, what string) check {
	return func(ctx context.Context, a *artifact) (string, error) {
		if err != nil {
			return "", fmt.Errorf("%s: %w", what, err)
		}
		a.trust = stronger(a.trust, store.TrustSignature)
		return "pgp:" + sig.Fingerprint, nil
	}
}

func (j *job) signatureCheck(asc []byte, what string) check {
	return func(ctx context.Context, a *artifact) (string, error) {
		kr, err := j.keyring()
		if err != nil {
			return "", err
		}
		f, err := os.Open(a.path)
		if err != nil {
			return "", err
		}
		defer f.Close()
		sig, err := kr.VerifyDetached(f, asc)
		if err != nil {
			return "", fmt.Errorf("%s: %w", what, err)
		}
		a.trust = stronger(a.trust, store.TrustSignature)
		return "pgp:" + sig.Fingerprint, nil
	}
}

// trustRank orders trust levels, strongest first.
var trustRank = []string{store.TrustSumDB, store.TrustSignature, store.TrustIndexSHA256, store.TrustMirrorSHA256, store.TrustUserSHA256}

func stronger(a, b string) string {
	for _, t := range trustRank {
		if t == a || t == b {
			return t
		}
	}
	return a
}

// requireCheck refuses an artifact that nothing can verify, unless the user
// said to skip verification. The file is deleted.
func (j *job) requireCheck(a *artifact) error {
	if len(a.checks) > 0 || len(a.pending) > 0 {
		return nil
	}
	err := exitcode.Verify(fmt.Errorf("%s has no published checksum or signature to verify it against; nothing was installed", a.url),
		"gover install --source proxy "+j.v.String()+", or accept the risk: gover install --insecure-skip-verify "+j.v.String())
	if j.o.InsecureSkipVerify {
		j.in.notef("WARNING: %v\nWARNING: continuing because of --insecure-skip-verify", err)
		a.insecure = true
		return nil
	}
	if a.kind != KindFile {
		os.Remove(a.path)
	}
	return err
}

// The download cache: cache/downloads/<file> plus <file>.json recording how
// the file was verified. The record is written last, so a file without one
// is ignored and overwritten.

type cacheRecord struct {
	Kind     string   `json:"kind"`
	URL      string   `json:"url"`
	Module   string   `json:"module,omitempty"`
	Version  string   `json:"version"`
	Platform string   `json:"platform"`
	Size     int64    `json:"size"`
	SHA256   string   `json:"sha256"`
	H1       string   `json:"h1,omitempty"`
	Checks   []string `json:"checks"`
	Trust    string   `json:"trust"`
}

func (j *job) cachePath(name string) string {
	return filepath.Join(j.in.Store.DownloadsDir(), name)
}

// cacheName is the cache file of a source kind.
func (j *job) cacheName(kind string) string {
	if kind == KindProxy {
		return ToolchainVersion(j.v, j.p) + ".zip"
	}
	return archiveName(j.v, j.p)
}

func (j *job) fromCache(ctx context.Context, kinds []string) (*artifact, bool) {
	for _, kind := range kinds {
		path := j.cachePath(j.cacheName(kind))
		data, err := os.ReadFile(path + ".json")
		if err != nil {
			continue
		}
		var rec cacheRecord
		if err := json.Unmarshal(data, &rec); err != nil || rec.Version != j.v.String() || rec.Platform != j.p.String() || !isSHA256Hex(rec.SHA256) {
			continue
		}
		if rec.Kind != kind && !(kind != KindProxy && rec.Kind != KindProxy) {
			continue
		}
		a := &artifact{
			kind: rec.Kind, url: rec.URL, path: path, module: rec.Module,
			size: rec.Size, sha256: rec.SHA256, h1: rec.H1,
			checks: rec.Checks, trust: rec.Trust, cached: true,
		}
		a.pending = append(a.pending, func(ctx context.Context, a *artifact) (string, error) {
			got, err := verify.SHA256File(a.path)
			if err != nil {
				return "", exitcode.Verify(err, "")
			}
			if err := verify.CheckSHA256("cached "+filepath.Base(a.path), got, rec.SHA256); err != nil {
				return "", err
			}
			return "sha256:cache", nil
		})
		j.in.notef("using %s from the download cache", filepath.Base(path))
		j.in.Store.TouchCached(path)
		return a, true
	}
	return nil, false
}

func (j *job) cacheArtifact(a *artifact) error {
	dst := j.cachePath(filepath.Base(a.path))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.Rename(a.path, dst); err != nil {
		return err
	}
	rec := cacheRecord{
		Kind: a.kind, URL: a.url, Module: a.module,
		Version: j.v.String(), Platform: j.p.String(),
		Size: a.size, SHA256: a.sha256, H1: a.h1, Checks: a.checks, Trust: a.trust,
	}
	data, err := json.MarshalIndent(rec, "", "\t")
	if err != nil {
		return err
	}
	if err := fsx.WriteFileAtomic(dst+".json", data, 0o644); err != nil {
		return err
	}
	// The cache keeps to its budget, least recently used first.
	removed, err := j.in.Store.TrimCache()
	for _, e := range removed {
		j.in.notef("note: removed %s from the download cache to keep it under %d MiB (GOVER_CACHE_MAX)", filepath.Base(e.Path), j.in.Store.CacheMax()>>20)
	}
	return err
}

func removeCached(path string) {
	os.Remove(path + ".json")
	os.Remove(path)
}

// fileArchive is a local archive given with --archive.
type fileArchive struct {
	path     string
	version  versions.Version
	platform versions.Platform
	module   string // module zip: "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64"
}

var archiveNameRE = regexp.MustCompile(`^(go[0-9][0-9a-z.]*?)\.([a-z0-9]+)-([a-z0-9]+)\.(tar\.gz|zip)$`)

// inspectArchive works out what a local archive holds: the version and
// platform from its name (official or module zip naming) or from the
// request, and whether it is a module zip.
func inspectArchive(path string, s spec.Spec, want versions.Platform) (*fileArchive, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, exitcode.NotFound(fmt.Errorf("archive: %w", err), "")
	}
	fa := &fileArchive{path: abs}
	base := filepath.Base(abs)
	var named bool
	if m := archiveNameRE.FindStringSubmatch(base); m != nil {
		v, verr := versions.Parse(m[1])
		p, perr := versions.ParsePlatform(m[2] + "/" + m[3])
		if verr == nil && perr == nil {
			fa.version, fa.platform, named = v, p, true
		}
	} else if strings.HasSuffix(base, ".zip") {
		if v, p, err := ParseToolchainVersion(strings.TrimSuffix(base, ".zip")); err == nil {
			fa.version, fa.platform, named = v, p, true
			fa.module = ToolchainModule + "@" + ToolchainVersion(v, p)
		}
	}
	ev, exact := s.Exact()
	if !s.IsZero() && !exact {
		return nil, exitcode.Usage(fmt.Errorf("--archive needs an exact version, not %q", s), "gover install --archive "+path+" --version 1.22.5")
	}
	switch {
	case named && exact && ev != fa.version:
		return nil, exitcode.Usage(fmt.Errorf("%s is named for %s, not %s", base, fa.version.Name(), ev.Name()), "gover install --archive "+path)
	case !named && !exact:
		return nil, exitcode.Usage(fmt.Errorf("cannot tell the Go version of %s from its name", base), "gover install --archive "+path+" --version 1.22.5")
	case !named:
		fa.version = ev
		fa.platform = want
		if fa.platform == (versions.Platform{}) {
			fa.platform = versions.Host()
		}
	}
	if named && want != (versions.Platform{}) && want != fa.platform {
		return nil, exitcode.Usage(fmt.Errorf("%s is named for %s, not %s", base, fa.platform, want), "gover install --archive "+path)
	}
	if fa.module == "" && strings.HasSuffix(base, ".zip") || !named {
		if prefix, ok := moduleZipPrefix(abs); ok {
			fa.module = strings.TrimSuffix(prefix, "/")
			want := ToolchainModule + "@" + ToolchainVersion(fa.version, fa.platform)
			if fa.module != want {
				return nil, exitcode.Verify(fmt.Errorf("%s holds %s, not %s; nothing was installed", base, fa.module, want), "")
			}
		}
	}
	return fa, nil
}

// moduleZipPrefix reports the "golang.org/toolchain@<version>/" prefix of a
// module zip's first entry.
func moduleZipPrefix(path string) (string, bool) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return "", false
	}
	defer zr.Close()
	if len(zr.File) == 0 || !strings.HasPrefix(zr.File[0].Name, ToolchainModule+"@") {
		return "", false
	}
	name := zr.File[0].Name
	at := strings.Index(name, "@")
	slash := strings.Index(name[at:], "/")
	if slash < 0 {
		return "", false
	}
	return name[:at+slash+1], true
}

// installFile installs a local archive, checked by --sha256, a sibling
// .sha256 or a sibling .asc.
func (j *job) installFile(ctx context.Context, fa *fileArchive) (*store.Manifest, error) {
	st, err := os.Stat(fa.path)
	if err != nil {
		return nil, err
	}
	a := &artifact{kind: KindFile, url: fa.path, path: fa.path, module: fa.module, size: st.Size()}
	want, what := strings.TrimSpace(j.o.SHA256), "sha256:user"
	if want == "" {
		if data, err := os.ReadFile(fa.path + ".sha256"); err == nil {
			if want, err = parseSHA256File(data); err != nil {
				return nil, exitcode.Verify(fmt.Errorf("%s.sha256: %w; nothing was installed", fa.path, err), "")
			}
			what = "sha256:file"
		}
	}
	if want != "" {
		a.trust = store.TrustUserSHA256
		a.pending = append(a.pending, func(ctx context.Context, a *artifact) (string, error) {
			got, err := verify.SHA256File(a.path)
			if err != nil {
				return "", err
			}
			if err := verify.CheckSHA256(filepath.Base(a.path), got, want); err != nil {
				return "", err
			}
			a.sha256 = got
			return what, nil
		})
	}
	if asc, err := os.ReadFile(fa.path + ".asc"); err == nil {
		a.pending = append(a.pending, j.signatureCheck(bytes.TrimSpace(asc), fa.path+".asc"))
	}
	if len(a.pending) == 0 {
		err := exitcode.Verify(fmt.Errorf("refusing to install %s: no --sha256, no %s.sha256 and no %s.asc to verify it against; nothing was installed", filepath.Base(fa.path), filepath.Base(fa.path), filepath.Base(fa.path)),
			"gover install --archive "+fa.path+" --sha256 <hash>, or accept the risk with --insecure-skip-verify")
		if !j.o.InsecureSkipVerify {
			return nil, err
		}
		j.in.notef("WARNING: %v\nWARNING: continuing because of --insecure-skip-verify", err)
		a.insecure = true
	}
	return j.unpack(ctx, a)
}
