package source

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/mod/module"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/versions"
	"github.com/gover/gover/versions/spec"
)

// Remote is the list of Go releases available for download.
type Remote struct {
	*IndexResult
	// From is "official" (the go.dev/dl index) or "proxy" (the proxy's
	// golang.org/toolchain version list, which has no checksums).
	From string
}

// Remote returns the releases available for download: the official index
// (from the cache while it is fresh), else the first proxy's toolchain
// list, else whichever of the two was cached last, however old (Stale).
func (i *Installer) Remote(ctx context.Context) (*Remote, error) {
	px := i.proxyIndex()
	if r := i.Index.Fresh(); r != nil {
		return &Remote{r, KindOfficial}, nil
	}
	// A fresh proxy list exists only because the index was unreachable a
	// moment ago: use it rather than wait for the index to fail again.
	if px != nil {
		if r := px.Fresh(); r != nil {
			return &Remote{r, KindProxy}, nil
		}
	}
	r, ierr := i.Index.Fetch(ctx)
	if ierr == nil {
		return &Remote{r, KindOfficial}, nil
	}
	i.notef("note: %v", ierr)
	var perr error
	if px != nil {
		r, perr = px.Fetch(ctx)
		if perr == nil {
			i.notef("note: listing the Go toolchains GOPROXY serves instead")
			return &Remote{r, KindProxy}, nil
		}
		i.notef("note: %v", perr)
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if r := i.Index.Stale(); r != nil {
		return &Remote{r, KindOfficial}, nil
	}
	if px != nil {
		if r := px.Stale(); r != nil {
			return &Remote{r, KindProxy}, nil
		}
	}
	err := errors.Join(ierr, perr)
	return nil, exitcode.WithHint(fmt.Errorf("cannot list Go releases: no release index or proxy is reachable and nothing is cached:\n%w", err), "check the network, GOPROXY or GOVER_INDEX_URL, then retry")
}

// proxyIndex reads the toolchain versions the GOPROXY proxies list; nil when
// GOPROXY names no usable proxy.
func (i *Installer) proxyIndex() *Index {
	list, err := i.Settings.Proxies()
	if err != nil {
		return nil
	}
	proxies, _, err := ToolchainProxies(list)
	if err != nil {
		return nil
	}
	esc, _ := module.EscapePath(ToolchainModule)
	var urls []string
	for _, p := range proxies {
		if strings.HasPrefix(p.URL, "file:") {
			continue
		}
		urls = append(urls, strings.TrimSuffix(p.URL, "/")+"/"+esc+"/@v/list")
	}
	if len(urls) == 0 {
		return nil
	}
	return &Index{
		Name:     "the proxy's toolchain list",
		URLs:     urls,
		Get:      listDownloader(i.Downloader).GetBytes,
		Parse:    ParseToolchainList,
		CacheDir: i.Store.ListsDir(),
		TTL:      i.Index.TTL,
		Now:      i.Index.Now,
	}
}

// Resolve picks the newest release matching s that has an archive for p.
func (i *Installer) Resolve(ctx context.Context, s spec.Spec, p versions.Platform) (versions.Version, error) {
	if v, ok := s.Exact(); ok {
		return v, nil
	}
	r, err := i.Remote(ctx)
	if err != nil {
		return versions.Version{}, err
	}
	if r.Stale {
		i.notef("note: offline; resolving %s with the release list fetched %s ago", s, HumanAge(r.Age(i.now())))
	}
	rel, _, ok := s.ResolveRelease(r.Releases, p)
	if !ok {
		return versions.Version{}, exitcode.NotFound(fmt.Errorf("no Go release matches %s for %s", s, p), "gover list-remote --all")
	}
	return rel.ParsedVersion(), nil
}

// HumanAge formats how old a cached list is: "45s", "12m", "3h5m", "4d".
func HumanAge(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// Cached returns the release list from the cache alone, whatever its age,
// never touching the network (shell completion uses it); nil when nothing
// is cached.
func (i *Installer) Cached() *Remote {
	if r := i.Index.Stale(); r != nil {
		return &Remote{r, KindOfficial}
	}
	if px := i.proxyIndex(); px != nil {
		if r := px.Stale(); r != nil {
			return &Remote{r, KindProxy}
		}
	}
	return nil
}
