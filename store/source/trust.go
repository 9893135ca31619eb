package source

import (
	"fmt"
	neturl "net/url"
	"strings"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/store"
	"github.com/gover/gover/store/download"
)

// What counts as evidence, and how much, is decided here and nowhere else:
//
//   - An h1 from the checksum database (through any proxy, http or not: the
//     database's signed tree checks it) is sumdb.
//   - A detached signature that verifies against the pinned release key is
//     signature, wherever the .asc came from.
//   - A SHA-256 from a release index is index, but only when the index was
//     fetched over HTTPS (or from loopback, for tests): a hash that is the
//     only evidence is never taken over plain HTTP.
//   - A mirror's own .sha256 is mirror, under the same HTTPS rule.
//   - A .tar.gz whose .asc is missing settles for the index only when the
//     404 came from Google's own download host or the index is Google's;
//     otherwise the signature may have been stripped, and the hash counts
//     as no more than a mirror's.

// officialHosts are Google's own hosts for the release index and archives.
var officialHosts = []string{"go.dev", "dl.google.com", "golang.google.cn"}

// officialHost reports whether rawURL is on one of Google's own hosts.
func officialHost(rawURL string) bool {
	u, err := neturl.Parse(rawURL)
	if err != nil {
		return false
	}
	h := strings.ToLower(u.Hostname())
	for _, o := range officialHosts {
		if h == o {
			return true
		}
	}
	return false
}

// secureURL reports whether what rawURL serves can be evidence on its own:
// HTTPS or loopback HTTP (download.RequireHTTPS), or a local file.
func secureURL(rawURL string) bool {
	return strings.HasPrefix(rawURL, "file:") || download.RequireHTTPS(rawURL) == nil
}

// indexTrust is what a SHA-256 from the index at indexURL is worth.
func indexTrust(indexURL string) store.Trust {
	if !secureURL(indexURL) {
		return store.TrustNone
	}
	return store.TrustIndex
}

// signatureMissingOK reports whether a 404 for archiveURL's .asc still lets
// the archive settle for index trust: the 404 came from Google's own host,
// or the index the hash comes from is Google's over HTTPS. Otherwise the
// signature may have been stripped on its way.
func signatureMissingOK(archiveURL, indexURL string) bool {
	return officialHost(archiveURL) || (officialHost(indexURL) && strings.HasPrefix(indexURL, "https:"))
}

// minTrust is the trust this install requires: --min-trust, else
// GOVER_MIN_TRUST, else the default.
func (j *job) minTrust() (store.Trust, error) {
	if j.o.MinTrust != "" {
		return store.ParseMinTrust(string(j.o.MinTrust))
	}
	return j.in.Settings.MinTrust()
}

// TrustError is an install refused because the best evidence a source
// offers is below the required minimum. Its exit code is
// [exitcode.CodeVerify].
type TrustError struct {
	URL  string      // what would have been installed
	Got  store.Trust // the best the source offers
	Min  store.Trust // what was required
	Why  string      // what the evidence is, or why it is missing
	Spec string      // the version argument, for the hint
}

func (e *TrustError) Error() string {
	return fmt.Sprintf("refusing %s: %s, which is trust %q, below the required %q", e.URL, e.Why, e.Got, e.Min)
}

// trustError refuses an install below the minimum: exit code 3, and a hint
// naming the explicit opt-in.
func trustError(e *TrustError) error {
	hint := "gover install --min-trust " + string(e.Got) + " " + e.Spec + " (or GOVER_MIN_TRUST=" + string(e.Got) + "), if you trust this source"
	if e.Got == store.TrustNone {
		hint = "gover install --source proxy " + e.Spec + ", or accept the risk: gover install --insecure-skip-verify " + e.Spec
	}
	return exitcode.Verify(e, hint)
}

// admit refuses a before it is downloaded when the evidence it will be
// checked against is below the required minimum. --insecure-skip-verify
// admits everything (and records trust none).
func (j *job) admit(a *artifact, why string) error {
	if a.trust.AtLeast(j.min) {
		return nil
	}
	err := trustError(&TrustError{URL: a.url, Got: a.trust, Min: j.min, Why: why, Spec: j.v.String()})
	if !j.o.InsecureSkipVerify {
		return err
	}
	j.skipCheck(err)
	a.insecure = true
	return nil
}

// skipCheck warns that --insecure-skip-verify overrode a failed or
// impossible check, and says what happens instead.
func (j *job) skipCheck(err error) {
	msg := strings.TrimSpace(err.Error())
	j.in.notef("WARNING: %s\nWARNING: installing it anyway, UNVERIFIED, because of --insecure-skip-verify; gover list, verify, current and doctor will flag it", msg)
}
