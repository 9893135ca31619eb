package source

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/store"
	"github.com/gover/gover/store/download"
	"github.com/gover/gover/store/verify"
)

// A source is one place SDK archives come from: the module proxy, the
// official download site, flat mirrors. fetch finds v's archive for p,
// decides what it will be checked against (and so its trust, refusing it
// before the download when that is below the minimum), and brings it to
// disk from the download cache or the network. Checks that remain run
// while the archive is unpacked.
//
// fetch reports "this source does not have it" with [errUnavailable], a
// source below the minimum with [TrustError], and a failure that must stop
// the install (a mismatch, a signature that cannot be fetched) with an
// [exitcode.CodeVerify] error. Anything else is "this source failed": the
// next one is tried.
type source interface {
	fetch(ctx context.Context, j *job) (*artifact, error)
}

// sourceFor returns the source a kind names.
func sourceFor(kind string) (source, error) {
	switch kind {
	case KindProxy:
		return proxySource{}, nil
	case KindOfficial:
		return officialSource{}, nil
	case KindMirror:
		return mirrorSource{}, nil
	}
	return nil, fmt.Errorf("unknown source %q", kind)
}

// artifact is a downloaded archive and what is known about it.
type artifact struct {
	kind   string
	url    string
	path   string // the archive on disk
	module string // golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64 for module zips
	size   int64
	sha256 string
	h1     string
	checks []string
	// trust is what the archive is worth once every check passed: the
	// strongest root of evidence it is checked against.
	trust  store.Trust
	cached bool // path is in the cache already
	// extracted is set when the archive was unpacked into the
	// transaction's folder while it downloaded.
	extracted bool
	// sums are the SHA-256 of every extracted file, taken as it was
	// written; entries are those of every zip entry under its name in
	// the zip, for the module h1.
	sums    []verify.FileSum
	entries []verify.FileSum
	// asc is the detached signature fetched from ascURL, checked on the
	// download stream or, failing that, as a pending check.
	asc     []byte
	ascURL  string
	pending []check
	// post checks run once the tree is extracted and its file list
	// written: they check what was installed, not the archive.
	post []check
	// insecure records that a check failed or was impossible and the user
	// said to go on.
	insecure bool
}

// check is a verification. Pending checks run while the archive is
// extracted, so hashing and unpacking use both cores; post checks run on
// the extracted tree. A check returns the name of what passed.
type check func(ctx context.Context, a *artifact) (string, error)

// errUnavailable marks "this source does not have it": the installer moves
// on to the next source with a note.
type errUnavailable struct{ msg string }

func (e *errUnavailable) Error() string { return e.msg }

func unavailable(format string, args ...any) error {
	return &errUnavailable{msg: fmt.Sprintf(format, args...)}
}

func isUnavailable(err error) bool {
	var u *errUnavailable
	return errors.As(err, &u)
}

// notFound reports whether a download failed because the server does not
// have the file (404, 410, or the 403 proxies answer for toolchains they
// do not serve).
func notFound(err error) bool {
	return errors.Is(err, download.ErrNotFound)
}

func (j *job) sources() ([]string, error) {
	if len(j.o.Sources) > 0 {
		return j.o.Sources, nil
	}
	return j.in.Settings.Sources()
}

// install tries the sources in order until one delivers a verified SDK.
func (j *job) install(ctx context.Context) (*store.Manifest, error) {
	kinds, err := j.sources()
	if err != nil {
		return nil, exitcode.Usage(err, "gover install --source proxy,official,mirror <version>")
	}
	var (
		failures []string
		answered int // sources that said they do not have it
		sawHTML  bool
		belowMin error
	)
	for _, kind := range kinds {
		src, err := sourceFor(kind)
		if err != nil {
			return nil, exitcode.Usage(err, "gover install --source proxy,official,mirror <version>")
		}
		m, err := j.try(ctx, src)
		if err == nil {
			return m, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var te *TrustError
		switch {
		case errors.As(err, &te):
			// Another source may have stronger evidence.
			if belowMin == nil {
				belowMin = err
			}
		case exitcode.Code(err) == exitcode.CodeVerify && exitcode.Hint(err) == "":
			// Never retried into success: the user decides whether to
			// trust another source.
			others := []string{}
			for _, k := range []string{KindProxy, KindOfficial, KindMirror} {
				if k != kind {
					others = append(others, k)
				}
			}
			return nil, exitcode.WithHint(err, "gover install --source "+strings.Join(others, ",")+" "+j.v.String())
		case exitcode.Code(err) == exitcode.CodeVerify || isDiskFull(err):
			return nil, err
		case !isUnavailable(err) && exitcode.Code(err) != exitcode.CodeError:
			return nil, err
		}
		if isUnavailable(err) {
			answered++
		}
		sawHTML = sawHTML || errors.Is(err, download.ErrHTML)
		j.in.notef("note: %s source: %v", kind, err)
		failures = append(failures, fmt.Sprintf("%s: %v", kind, err))
		if err := resetDir(j.tx.Dir()); err != nil {
			return nil, err
		}
	}
	msg := fmt.Errorf("could not download %s for %s from any source:\n\t%s", j.v.Name(), j.p, strings.Join(failures, "\n\t"))
	switch {
	case belowMin != nil:
		// The refusal (exit 3, and its hint) is the news; what the other
		// sources said comes with it.
		return nil, exitcode.New(exitcode.CodeVerify, &sourcesError{msg: msg.Error(), below: belowMin}, exitcode.Hint(belowMin))
	case answered > 0:
		// Not found when a source that answered said so and the others
		// could not be reached (or said the same): what they did not
		// say cannot change that no source offers it.
		return nil, exitcode.NotFound(msg, "gover list-remote "+j.v.Lang())
	case sawHTML:
		return nil, exitcode.WithHint(msg, "sign in to the network (a captive portal or login page answered), then run gover install "+j.v.String()+" again")
	}
	return nil, exitcode.WithHint(msg, unreachableHint(j.in.Settings, j.v.String()))
}

// unreachableHint is the hint when no source could be reached: a command
// that works. A GOPROXY of the user's own that did not answer is the
// likeliest cause, so it says how to go back to the default proxy; with the
// default, gover doctor tells a dead network from a blocked host, and an
// archive fetched elsewhere installs offline.
func unreachableHint(s *Settings, version string) string {
	if s != nil && s.GOPROXY.Origin != FromDefault && s.GOPROXY.Value != DefaultGOPROXY {
		if s.GOPROXY.Origin == FromGoEnv {
			return "go env -w GOPROXY=" + DefaultGOPROXY + "   (your go env -w GOPROXY=" + s.GOPROXY.Value + " did not answer), then gover install " + version
		}
		return "GOPROXY=" + DefaultGOPROXY + " gover install " + version + "   (your GOPROXY=" + s.GOPROXY.Value + " did not answer)"
	}
	return "gover doctor   (checks the network and GOPROXY; offline: gover install --archive <file> --sha256 <hash>)"
}

// sourcesError is every source's failure, one of which was a refusal for
// lack of trust (errors.As finds the [TrustError]).
type sourcesError struct {
	msg   string
	below error
}

func (e *sourcesError) Error() string { return e.msg }
func (e *sourcesError) Unwrap() error { return e.below }

// try gets and unpacks one source's archive. A cached archive that fails
// its check (a disk error, an edited cache) is dropped and the source is
// asked again, from the network.
func (j *job) try(ctx context.Context, src source) (*store.Manifest, error) {
	a, err := src.fetch(ctx, j)
	if err != nil {
		return nil, err
	}
	m, err := j.unpack(ctx, a)
	if err == nil || !a.cached || exitcode.Code(err) != exitcode.CodeVerify {
		return m, err
	}
	j.in.notef("note: cached %s failed its check and was deleted; downloading again", filepath.Base(a.path))
	removeCached(a.path)
	if err := resetDir(j.tx.Dir()); err != nil {
		return nil, err
	}
	j.noCache = true
	defer func() { j.noCache = false }()
	if a, err = src.fetch(ctx, j); err != nil {
		return nil, err
	}
	return j.unpack(ctx, a)
}
