package source

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"strings"

	"github.com/gover/gover/internal/exitcode"
)

// Proxy is one entry of a GOPROXY list.
type Proxy struct {
	// URL is the proxy's base URL, or "direct" or "off".
	URL string
	// FallBackOnError is true when the entry was followed by "|": any error
	// moves on to the next entry. After "," (or at the end) only "not
	// found" (404/410, and 403 for toolchains) does.
	FallBackOnError bool
}

// Direct reports whether p is the "direct" keyword.
func (p Proxy) Direct() bool { return p.URL == "direct" }

// Off reports whether p is the "off" keyword.
func (p Proxy) Off() bool { return p.URL == "off" }

// ErrProxyOff is returned when GOPROXY=off forbids downloading.
var ErrProxyOff = errors.New("GOPROXY=off disallows downloading from the module proxy")

// ParseProxyList parses a GOPROXY value with cmd/go's rules
// (cmd/go/internal/modfetch/proxy.go): entries are separated by "," or "|";
// "off" and "direct" end the list; a bare host such as goproxy.cn gets
// https:// added; only http, https and file URLs are accepted.
//
//	ParseProxyList("https://goproxy.cn|https://proxy.golang.org,direct")
//	// [{https://goproxy.cn true} {https://proxy.golang.org false} {direct false}]
func ParseProxyList(s string) ([]Proxy, error) {
	var list []Proxy
	for s != "" {
		var u string
		fallBack := false
		if i := strings.IndexAny(s, ",|"); i >= 0 {
			u, fallBack, s = s[:i], s[i] == '|', s[i+1:]
		} else {
			u, s = s, ""
		}
		u = strings.TrimSpace(u)
		if u == "" {
			continue
		}
		if u == "off" || u == "direct" {
			// cmd/go ignores whatever follows, for forward compatibility.
			list = append(list, Proxy{URL: u})
			break
		}
		if strings.ContainsAny(u, ".:/") && !strings.Contains(u, ":/") && !filepath.IsAbs(u) && !path.IsAbs(u) {
			u = "https://" + u
		}
		pu, err := url.Parse(u)
		if err != nil {
			return nil, fmt.Errorf("invalid proxy URL %q: %w", u, err)
		}
		switch pu.Scheme {
		case "http", "https", "file":
		case "":
			return nil, fmt.Errorf("invalid proxy URL missing scheme: %s", u)
		default:
			return nil, fmt.Errorf("invalid proxy URL scheme (must be https, http, file): %s", u)
		}
		if pu.Scheme != "file" && pu.Host == "" {
			return nil, fmt.Errorf("invalid proxy URL missing host: %s", u)
		}
		list = append(list, Proxy{URL: u, FallBackOnError: fallBack})
	}
	if len(list) == 0 {
		return nil, errors.New("GOPROXY list is not the empty string, but contains no entries")
	}
	return list, nil
}

// ToolchainProxies is the part of a GOPROXY list that can serve the
// golang.org/toolchain module: "direct" is dropped (the module has no
// repository; only proxies serve it), with a note for the user when it came
// before any proxy. "off" as the
// first entry is an error, as it is for cmd/go. When nothing usable remains,
// the error says so.
func ToolchainProxies(list []Proxy) (proxies []Proxy, notes []string, err error) {
	for _, p := range list {
		switch {
		case p.Off():
			if len(proxies) == 0 {
				return nil, notes, exitcode.WithHint(ErrProxyOff, "GOPROXY=https://proxy.golang.org gover install <version>, or gover install --source official <version>")
			}
			return proxies, notes, nil
		case p.Direct():
			// A trailing direct, as in the default list, costs nothing: a
			// proxy came first. Say so only when it stood in a proxy's way.
			if len(proxies) == 0 {
				notes = append(notes, "GOPROXY entry \"direct\" skipped: the golang.org/toolchain module is served only by proxies")
			}
		default:
			proxies = append(proxies, p)
		}
	}
	if len(proxies) == 0 {
		return nil, notes, exitcode.WithHint(errors.New("GOPROXY lists no proxy that can serve Go toolchains"), "GOPROXY=https://proxy.golang.org,direct gover install <version>")
	}
	return proxies, notes, nil
}

// checkBaseURL validates an absolute http(s) URL used as a base for
// "<base><filename>" and returns it with a trailing slash.
func checkBaseURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("want an http or https URL")
	}
	if u.Host == "" {
		return "", fmt.Errorf("missing host")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("a base URL takes no query or fragment")
	}
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s, nil
}
