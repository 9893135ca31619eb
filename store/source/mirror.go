package source

import (
	"context"
	"fmt"
	"strings"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/store"
	"github.com/gover/gover/store/download"
)

// mirrorSource downloads the archive from the first flat mirror that has
// it. It is checked against the release index's SHA-256 when the index is
// reachable (trust index), against the .asc signature when the mirror has
// one (trust signature), and otherwise only against the mirror's own
// .sha256: trust mirror, which is refused unless the user opted in.
type mirrorSource struct{}

func (mirrorSource) fetch(ctx context.Context, j *job) (*artifact, error) {
	mirrors := j.o.Mirrors
	if len(mirrors) == 0 {
		var err error
		if mirrors, err = j.in.Settings.Mirrors(); err != nil {
			return nil, exitcode.Usage(err, "GOVER_MIRRORS=https://mirrors.example.com/golang/ gover install <version>")
		}
	}
	var (
		want      download.Expect
		indexURL  string
		hashTrust = store.TrustNone
		filename  = archiveName(j.v, j.p)
	)
	if idx, err := j.in.Index.Releases(ctx); err == nil {
		j.noteStale(idx)
		f, ok := findArchive(idx.Releases, j.v, j.p)
		if !ok {
			return nil, unavailable("%s for %s is not available: the release index does not list it", j.v.Name(), j.p)
		}
		filename = f.Filename
		want = download.Expect{Size: f.Size, SHA256: f.SHA256}
		if f.SHA256 != "" {
			indexURL, hashTrust = idx.URL, indexTrust(idx.URL)
		}
	} else {
		j.in.notef("note: the official release index is unreachable; only the mirrors' own checksums and signatures remain")
	}
	var (
		tried, unreachable []string
		belowMin           error
		lastErr            error // of the last mirror that could not be reached
	)
	for _, base := range mirrors {
		url := base + filename
		a := &artifact{kind: KindMirror, url: url}
		w, trust := want, hashTrust
		why := "the SHA-256 of the release index " + indexURL
		if w.SHA256 != "" {
			a.checks = []string{"sha256:index"}
		} else if sum, err := j.fetchSHA256(ctx, url+".sha256"); err == nil {
			w.SHA256 = sum
			a.checks = []string{"sha256:mirror"}
			trust, why = store.TrustMirror, "only the mirror's own checksum "+url+".sha256"
			if !secureURL(url) {
				trust, why = store.TrustNone, "only the mirror's own checksum, over plain HTTP"
			}
		} else if notFound(err) {
			why = "no published checksum or signature"
		} else {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			// A mirror that cannot hand out a small file will not
			// hand out a large one.
			j.in.notef("note: mirror %s is unreachable: %v", base, err)
			unreachable, lastErr = append(unreachable, base), err
			continue
		}
		if strings.HasSuffix(filename, ".tar.gz") {
			asc, missing, err := j.signature(ctx, url)
			switch {
			case err != nil:
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				j.in.notef("note: mirror %s: %v", base, err)
				unreachable, lastErr = append(unreachable, base), err
				continue
			case asc != nil:
				a.asc, a.ascURL, trust = asc, url+".asc", store.TrustSignature
			case missing && trust == store.TrustIndex && !signatureMissingOK(url, indexURL):
				trust = store.TrustMirror
				why = "no signature (" + url + ".asc is missing) and a release index that is not Google's"
			}
		}
		a.trust = trust
		if err := j.admit(a, why); err != nil {
			// Another mirror may carry the signature.
			if belowMin == nil {
				belowMin = err
			}
			continue
		}
		if err := j.get(ctx, a, filename, w); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			switch {
			case exitcode.Code(err) == exitcode.CodeVerify:
				what := "the official release index"
				if len(a.checks) > 0 && a.checks[0] == "sha256:mirror" {
					what = "its own .sha256"
				}
				return nil, exitcode.Verify(fmt.Errorf("mirror %s serves %s with a checksum that disagrees with %s: %w", base, filename, what, err), "gover install --source official "+j.v.String())
			case notFound(err):
				j.in.notef("note: %s is not available from %s", filename, base)
				tried = append(tried, base)
			default:
				j.in.notef("note: mirror %s failed: %v", base, err)
				unreachable, lastErr = append(unreachable, base), err
			}
			continue
		}
		return a, nil
	}
	switch {
	case belowMin != nil:
		return nil, belowMin
	case len(tried) == 0:
		return nil, fmt.Errorf("no mirror could be reached (%s): %w", strings.Join(unreachable, ", "), lastErr)
	case len(unreachable) > 0:
		return nil, fmt.Errorf("%s is not available from %s, and %s could not be reached: %w", filename, strings.Join(tried, ", "), strings.Join(unreachable, ", "), lastErr)
	}
	return nil, unavailable("%s is not available from the mirrors (%s)", filename, strings.Join(tried, ", "))
}
