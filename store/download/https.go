package download

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ErrInsecureURL is returned for a plain-http URL that evidence would be
// taken from. Test with errors.Is.
var ErrInsecureURL = errors.New("not an https URL")

// RequireHTTPS checks that raw is an https URL, or an http URL on the
// loopback interface (local test servers). Anything a download's only
// evidence comes from (a checksums file, a release index) must pass it: a
// plain-http answer can be rewritten by anyone on the path.
func RequireHTTPS(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q: %w", raw, err)
	}
	switch {
	case u.Scheme == "https" && u.Host != "":
		return nil
	case u.Scheme == "http" && IsLoopback(u.Hostname()):
		return nil
	}
	return fmt.Errorf("%s: %w (only https is trusted, and http on this machine's loopback)", redact(u), ErrInsecureURL)
}

// IsLoopback reports whether host (no port) names this machine's loopback
// interface: localhost or a loopback IP address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// redact drops a password from a URL before it is printed.
func redact(u *url.URL) string {
	return u.Redacted()
}
