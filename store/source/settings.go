package source

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/gover/gover/internal/goenv"
	"github.com/gover/gover/store"
)

// Source kinds, as recorded in manifests.
const (
	KindProxy    = store.SourceProxy
	KindOfficial = store.SourceOfficial
	KindMirror   = store.SourceMirror
	KindFile     = store.SourceFile
)

// DefaultMirrors are the flat mirrors tried by the mirror source when
// GOVER_MIRRORS is unset.
var DefaultMirrors = []string{
	"https://golang.google.cn/dl/",
	"https://mirrors.aliyun.com/golang/",
	"https://mirrors.ustc.edu.cn/golang/",
	"https://mirrors.nju.edu.cn/golang/",
	"https://mirrors.hust.edu.cn/golang/",
}

// Origin says where a setting's value came from.
type Origin string

const (
	// FromEnv: the process environment.
	FromEnv Origin = "environment"
	// FromGoEnv: the user's go env file, written by `go env -w`.
	FromGoEnv Origin = "go env -w"
	// FromDefault: nothing was set; the value is gover's (and cmd/go's) default.
	FromDefault Origin = "default"
)

// Setting is one configuration value and where it came from.
type Setting struct {
	Name   string
	Value  string
	Origin Origin
}

func (s Setting) String() string {
	return fmt.Sprintf("%s=%s (%s)", s.Name, s.Value, s.Origin)
}

// Settings are the environment settings that decide where gover downloads Go
// from and how it checks what it downloaded. They are read the way cmd/go
// reads them, so a user who ran `go env -w GOPROXY=https://goproxy.cn,direct`
// gets that proxy without telling gover again.
type Settings struct {
	GOPROXY     Setting // default https://proxy.golang.org,direct
	GOSUMDB     Setting // default sum.golang.org
	GONOSUMDB   Setting
	GOPRIVATE   Setting
	GOINSECURE  Setting
	GOTOOLCHAIN Setting
	// GOVER_SOURCES is the comma-separated order of sources to try
	// (proxy, official, mirror); default "proxy,official,mirror".
	GOVER_SOURCES Setting
	// GOVER_MIRRORS is a comma-separated list of flat mirror base URLs
	// that replaces the built-in list.
	GOVER_MIRRORS Setting
	// GOVER_INDEX_URL is a comma-separated list of go.dev/dl JSON index
	// URLs that replaces DefaultIndexURLs (an internal mirror of go.dev).
	GOVER_INDEX_URL Setting
	// GOVER_DOWNLOAD_URL is the base URL official archives are fetched
	// from instead of DefaultDownloadBase.
	GOVER_DOWNLOAD_URL Setting
	// GOVER_MIN_TRUST is the trust an install requires (sumdb, signature,
	// index or mirror); default index. "mirror" is the explicit opt-in to
	// archives whose only evidence is a mirror's own checksum.
	GOVER_MIN_TRUST Setting

	// EnvFile is the go env file that was consulted ("" when GOENV=off or
	// no user config folder is known). It need not exist.
	EnvFile string
}

// DefaultGOPROXY and DefaultGOSUMDB are cmd/go's defaults.
const (
	DefaultGOPROXY = "https://proxy.golang.org,direct"
	DefaultGOSUMDB = "sum.golang.org"
	DefaultSources = "proxy,official,mirror"
)

// settingNames lists every setting in the order All reports them.
var settingNames = []string{"GOPROXY", "GOSUMDB", "GONOSUMDB", "GOPRIVATE", "GOINSECURE", "GOTOOLCHAIN", "GOVER_SOURCES", "GOVER_MIRRORS", "GOVER_INDEX_URL", "GOVER_DOWNLOAD_URL", "GOVER_MIN_TRUST"}

// LoadSettings reads the settings from getenv first, then from the user's go
// env file: $GOENV if set (GOENV=off: none), else <configDir>/go/env, where
// configDir is the user's configuration folder (see [UserConfigDir]; "" for
// none). As in cmd/go, an empty environment value counts as unset. A missing
// env file is not an error; an unreadable one is.
func LoadSettings(getenv func(string) string, configDir string) (*Settings, error) {
	s := &Settings{}
	switch f := getenv("GOENV"); {
	case f == "off":
	case f != "":
		s.EnvFile = f
	case configDir != "":
		s.EnvFile = filepath.Join(configDir, "go", "env")
	}
	var file map[string]string
	if s.EnvFile != "" {
		data, err := os.ReadFile(s.EnvFile)
		switch {
		case err == nil:
			file = ParseEnvFile(data)
		case errors.Is(err, fs.ErrNotExist):
		default:
			return nil, fmt.Errorf("reading go env file: %w", err)
		}
	}
	defaults := map[string]string{
		"GOPROXY":         DefaultGOPROXY,
		"GOSUMDB":         DefaultGOSUMDB,
		"GOVER_SOURCES":   DefaultSources,
		"GOVER_MIN_TRUST": string(store.DefaultMinTrust),
	}
	for _, name := range settingNames {
		v := Setting{Name: name}
		if e := getenv(name); e != "" {
			v.Value, v.Origin = e, FromEnv
		} else if f, ok := file[name]; ok && f != "" {
			v.Value, v.Origin = f, FromGoEnv
		} else {
			v.Value, v.Origin = defaults[name], FromDefault
		}
		*s.field(name) = v
	}
	// cmd/go: GONOSUMDB defaults to GOPRIVATE.
	if s.GONOSUMDB.Origin == FromDefault && s.GOPRIVATE.Value != "" {
		s.GONOSUMDB.Value, s.GONOSUMDB.Origin = s.GOPRIVATE.Value, s.GOPRIVATE.Origin
	}
	return s, nil
}

func (s *Settings) field(name string) *Setting {
	switch name {
	case "GOPROXY":
		return &s.GOPROXY
	case "GOSUMDB":
		return &s.GOSUMDB
	case "GONOSUMDB":
		return &s.GONOSUMDB
	case "GOPRIVATE":
		return &s.GOPRIVATE
	case "GOINSECURE":
		return &s.GOINSECURE
	case "GOTOOLCHAIN":
		return &s.GOTOOLCHAIN
	case "GOVER_SOURCES":
		return &s.GOVER_SOURCES
	case "GOVER_MIRRORS":
		return &s.GOVER_MIRRORS
	case "GOVER_INDEX_URL":
		return &s.GOVER_INDEX_URL
	case "GOVER_DOWNLOAD_URL":
		return &s.GOVER_DOWNLOAD_URL
	case "GOVER_MIN_TRUST":
		return &s.GOVER_MIN_TRUST
	}
	panic("unknown setting " + name)
}

// All returns every setting in a fixed order, for reports such as gover doctor.
func (s *Settings) All() []Setting {
	out := make([]Setting, 0, len(settingNames))
	for _, n := range settingNames {
		out = append(out, *s.field(n))
	}
	return out
}

// Proxies parses GOPROXY; see [ParseProxyList].
func (s *Settings) Proxies() ([]Proxy, error) {
	l, err := ParseProxyList(s.GOPROXY.Value)
	if err != nil {
		return nil, fmt.Errorf("GOPROXY (%s): %w", s.GOPROXY.Origin, err)
	}
	return l, nil
}

// Sources parses GOVER_SOURCES; see [ParseSources].
func (s *Settings) Sources() ([]string, error) {
	l, err := ParseSources(s.GOVER_SOURCES.Value)
	if err != nil {
		return nil, fmt.Errorf("GOVER_SOURCES (%s): %w", s.GOVER_SOURCES.Origin, err)
	}
	return l, nil
}

// Mirrors returns GOVER_MIRRORS as base URLs, or the built-in list when unset.
func (s *Settings) Mirrors() ([]string, error) {
	if s.GOVER_MIRRORS.Value == "" {
		return append([]string(nil), DefaultMirrors...), nil
	}
	l, err := ParseMirrors(s.GOVER_MIRRORS.Value)
	if err != nil {
		return nil, fmt.Errorf("GOVER_MIRRORS (%s): %w", s.GOVER_MIRRORS.Origin, err)
	}
	return l, nil
}

// IndexURLs returns GOVER_INDEX_URL as a list, or DefaultIndexURLs.
func (s *Settings) IndexURLs() ([]string, error) {
	if s.GOVER_INDEX_URL.Value == "" {
		return append([]string(nil), DefaultIndexURLs...), nil
	}
	var out []string
	for _, f := range strings.Split(s.GOVER_INDEX_URL.Value, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		u, err := url.Parse(f)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("GOVER_INDEX_URL (%s): %q is not an http or https URL", s.GOVER_INDEX_URL.Origin, f)
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("GOVER_INDEX_URL (%s) lists no URL", s.GOVER_INDEX_URL.Origin)
	}
	return out, nil
}

// MinTrust parses GOVER_MIN_TRUST; see [store.ParseMinTrust].
func (s *Settings) MinTrust() (store.Trust, error) {
	if s.GOVER_MIN_TRUST.Value == "" {
		return store.DefaultMinTrust, nil
	}
	t, err := store.ParseMinTrust(s.GOVER_MIN_TRUST.Value)
	if err != nil {
		return "", fmt.Errorf("GOVER_MIN_TRUST (%s): %w", s.GOVER_MIN_TRUST.Origin, err)
	}
	return t, nil
}

// DownloadBase returns GOVER_DOWNLOAD_URL, or DefaultDownloadBase.
func (s *Settings) DownloadBase() (string, error) {
	if s.GOVER_DOWNLOAD_URL.Value == "" {
		return DefaultDownloadBase, nil
	}
	u, err := checkBaseURL(s.GOVER_DOWNLOAD_URL.Value)
	if err != nil {
		return "", fmt.Errorf("GOVER_DOWNLOAD_URL (%s): %w", s.GOVER_DOWNLOAD_URL.Origin, err)
	}
	return u, nil
}

// ParseEnvFile reads a go env file the way cmd/go does: KEY=VALUE lines,
// later lines win, and lines without "=" or not starting with A-Z (comments,
// blanks) are ignored rather than failing. See [goenv.Parse].
func ParseEnvFile(data []byte) map[string]string { return goenv.Parse(data) }

// UserConfigDir is os.UserConfigDir for the given GOOS, reading the
// environment through getenv; see [goenv.UserConfigDir].
func UserConfigDir(goos string, getenv func(string) string) string {
	return goenv.UserConfigDir(goos, getenv)
}

// ParseSources parses a comma-separated source list such as
// "mirror,official". Unknown or repeated names are errors.
func ParseSources(s string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" {
			continue
		}
		switch f {
		case KindProxy, KindOfficial, KindMirror:
		default:
			return nil, fmt.Errorf("unknown source %q (want proxy, official or mirror)", f)
		}
		if seen[f] {
			return nil, fmt.Errorf("source %q listed twice", f)
		}
		seen[f] = true
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no source in %q (want a list such as proxy,official,mirror)", s)
	}
	return out, nil
}

// ParseMirrors parses a comma-separated list of mirror base URLs. Each must
// be an absolute http or https URL; a missing trailing slash is added.
func ParseMirrors(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		u, err := checkBaseURL(f)
		if err != nil {
			return nil, fmt.Errorf("mirror %q: %w", f, err)
		}
		out = append(out, u)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no mirror URL in %q", s)
	}
	return out, nil
}
