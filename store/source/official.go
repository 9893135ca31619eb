package source

import (
	"context"
	"strings"

	"github.com/gover/gover/store"
	"github.com/gover/gover/store/download"
)

// officialSource downloads the archive the release index names from
// DownloadBase. The index's SHA-256 is checked while downloading (trust
// index, when the index came over HTTPS) and, for a .tar.gz, the .asc
// signature against the pinned release key (trust signature).
type officialSource struct{}

func (officialSource) fetch(ctx context.Context, j *job) (*artifact, error) {
	idx, err := j.in.Index.Releases(ctx)
	if err != nil {
		return nil, err
	}
	j.noteStale(idx)
	f, ok := findArchive(idx.Releases, j.v, j.p)
	if !ok {
		return nil, unavailable("%s for %s is not available: the release index does not list it", j.v.Name(), j.p)
	}
	a := &artifact{kind: KindOfficial, url: j.in.DownloadBase + f.Filename, trust: store.TrustNone}
	why := "no checksum in the release index " + idx.URL
	if f.SHA256 != "" {
		a.checks = append(a.checks, "sha256:index")
		a.trust = indexTrust(idx.URL)
		why = "the SHA-256 of the release index " + idx.URL
		if a.trust == store.TrustNone {
			why += " over plain HTTP"
		}
	}
	missing := false
	if strings.HasSuffix(f.Filename, ".tar.gz") {
		var asc []byte
		asc, missing, err = j.signature(ctx, a.url)
		if err != nil {
			return nil, err
		}
		switch {
		case asc != nil:
			a.asc, a.ascURL, a.trust = asc, a.url+".asc", store.TrustSignature
		case signatureMissingOK(a.url, idx.URL):
			missing = false
			j.in.notef("note: no signature is published for %s; relying on the index's SHA-256", a.url)
		default:
			a.trust = store.Weaker(a.trust, store.TrustMirror)
			why = "no signature (" + a.url + ".asc is missing) and a release index that is not Google's"
		}
	}
	// A missing signature is judged once the archive turned out to be
	// there: "not available" says more than "not trusted enough".
	if !missing {
		if err := j.admit(a, why); err != nil {
			return nil, err
		}
	}
	if err := j.get(ctx, a, f.Filename, download.Expect{Size: f.Size, SHA256: f.SHA256}); err != nil {
		if notFound(err) {
			return nil, unavailable("%s is not available: %v", a.url, err)
		}
		return nil, err
	}
	if missing {
		if err := j.admit(a, why); err != nil {
			j.discard(a)
			return nil, err
		}
	}
	return a, nil
}

func (j *job) noteStale(idx *IndexResult) {
	if idx.Stale {
		j.in.notef("note: using a release index cached %s ago: the network is unreachable", HumanAge(idx.Age(j.in.now())))
	}
}
