package doctor

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gover/gover/store/source"
	"github.com/gover/gover/store/verify"
	"github.com/gover/gover/versions"
)

// goEnvNames are the settings go reads from the environment first, then
// from the go env -w file, that doctor looks at.
var goEnvNames = []string{"GOPROXY", "GOSUMDB", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOINSECURE", "GOFLAGS", "GOTOOLCHAIN", "GOPATH", "GOBIN"}

// loadGoEnv reads the go env -w file the way go does (GOENV, else
// <config>/go/env).
func (r *run) loadGoEnv() {
	r.envFile = map[string]string{}
	s, err := source.LoadSettings(r.Getenv, r.ConfigDir)
	if err != nil {
		r.add(Check{ID: "download.goenv", Area: AreaDownload, Status: Warning,
			Finding: "the go env -w file cannot be read: " + err.Error(),
			Hint:    "go env -w GOPROXY=https://proxy.golang.org,direct   (rewrites the file)"})
		return
	}
	r.envFileName = s.EnvFile
	if s.EnvFile == "" {
		return
	}
	if data, err := os.ReadFile(s.EnvFile); err == nil {
		r.envFile = source.ParseEnvFile(data)
	}
}

// goSetting returns a go setting and where it came from: the environment
// wins over the go env -w file, as in go itself. An empty value is unset.
func (r *run) goSetting(name string) (value, origin string) {
	if v, origin := r.envVar(name); v != "" {
		return v, origin
	}
	if v := r.envFile[name]; v != "" {
		return v, string(source.FromGoEnv)
	}
	return "", ""
}

// proxyURLs are the GOPROXY entries that can be probed over HTTP.
func (r *run) proxyURLs() []string {
	v, _ := r.goSetting("GOPROXY")
	if v == "" {
		v = source.DefaultGOPROXY
	}
	list, _ := source.ParseProxyList(v)
	var urls []string
	for _, p := range list {
		if !p.Direct() && !p.Off() && (strings.HasPrefix(p.URL, "http://") || strings.HasPrefix(p.URL, "https://")) {
			urls = append(urls, p.URL)
		}
	}
	return urls
}

// fixSettingHint is how the user puts name back to value: in the go env
// file, and out of the environment when it was set there.
func (r *run) fixSettingHint(name, value, origin string) string {
	h := r.command("go", "env", "-w", name+"="+value)
	if value == "" {
		h = r.command("go", "env", "-u", name)
	}
	if r.fromEnvironment(origin) {
		h = r.unsetHint(name, origin) + "   then: " + h
	}
	return h
}

// checkDownloadSettings checks the module download settings' syntax and
// what their values break.
func (r *run) checkDownloadSettings() {
	// Both set, and different: say which one wins.
	var both []string
	var first, firstOrigin string
	for _, name := range goEnvNames {
		e, origin := r.envVar(name)
		f := r.envFile[name]
		if e != "" && f != "" && e != f {
			both = append(both, fmt.Sprintf("%s is %q in the %s, which wins over %q in %s", name, e, origin, f, r.envFileName))
			if first == "" {
				first, firstOrigin = name, origin
			}
		}
	}
	if len(both) > 0 {
		r.add(Check{ID: "download.override", Area: AreaDownload, Status: Warning,
			Finding: strings.Join(both, "; "),
			Hint:    "keep one: " + r.unsetHint(first, firstOrigin) + "   or: " + r.command("go", "env", "-u", first)})
	}

	// GOPROXY.
	proxy, porigin := r.goSetting("GOPROXY")
	if proxy == "" {
		proxy, porigin = source.DefaultGOPROXY, "default"
	}
	list, err := source.ParseProxyList(proxy)
	switch {
	case err != nil:
		r.add(Check{ID: "download.goproxy", Area: AreaDownload, Status: Error,
			Finding: fmt.Sprintf("GOPROXY=%s (%s) is not valid: %v", proxy, porigin, err),
			Hint:    r.fixSettingHint("GOPROXY", source.DefaultGOPROXY, porigin)})
	case len(list) > 0 && list[0].Off():
		r.add(Check{ID: "download.goproxy", Area: AreaDownload, Status: Error,
			Finding: fmt.Sprintf("GOPROXY=off (%s): go cannot download any module, and gover cannot install Go from a module proxy", porigin),
			Hint:    r.fixSettingHint("GOPROXY", source.DefaultGOPROXY, porigin)})
	default:
		if _, notes, err := source.ToolchainProxies(list); err != nil {
			r.add(Check{ID: "download.goproxy", Area: AreaDownload, Status: Warning,
				Finding: fmt.Sprintf("GOPROXY=%s (%s): %v; gover installs Go from the other sources only", proxy, porigin, err),
				Hint:    r.fixSettingHint("GOPROXY", "https://proxy.golang.org,"+proxy, porigin)})
		} else {
			extra := ""
			if len(notes) > 0 {
				extra = " (" + strings.Join(notes, "; ") + ")"
			}
			r.add(Check{ID: "download.goproxy", Area: AreaDownload, Status: OK,
				Finding: fmt.Sprintf("GOPROXY=%s (%s)%s", proxy, porigin, extra)})
		}
	}

	// GOSUMDB.
	sumdb, sorigin := r.goSetting("GOSUMDB")
	if sumdb == "" {
		sumdb, sorigin = source.DefaultGOSUMDB, "default"
	}
	switch name, _, err := parseGOSUMDB(sumdb); {
	case sumdb == "off":
		r.add(Check{ID: "download.gosumdb", Area: AreaDownload, Status: Error,
			Finding: fmt.Sprintf("GOSUMDB=off (%s): module downloads are not verified, and Go toolchain downloads are impossible (go refuses them, and gover's proxy source needs the checksum database)", sorigin),
			Hint:    r.fixSettingHint("GOSUMDB", source.DefaultGOSUMDB, sorigin)})
	case err != nil:
		r.add(Check{ID: "download.gosumdb", Area: AreaDownload, Status: Error,
			Finding: fmt.Sprintf("GOSUMDB=%s (%s) is not valid: %v", sumdb, sorigin, err),
			Hint:    r.fixSettingHint("GOSUMDB", source.DefaultGOSUMDB, sorigin)})
	default:
		r.add(Check{ID: "download.gosumdb", Area: AreaDownload, Status: OK,
			Finding: fmt.Sprintf("GOSUMDB=%s (%s): downloads are checked against %s", sumdb, sorigin, name)})
	}

	// Pattern lists.
	for _, name := range []string{"GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOINSECURE"} {
		v, origin := r.goSetting(name)
		if v == "" {
			continue
		}
		if bad := badPatterns(v); len(bad) > 0 {
			r.add(Check{ID: "download.patterns", Area: AreaDownload, Status: Error,
				Finding: fmt.Sprintf("%s=%s (%s) has malformed patterns: %s", name, v, origin, strings.Join(bad, ", ")),
				Hint:    r.command("go", "env", "-w", name+"="+strings.Join(goodPatterns(v), ","))})
		}
	}
	if v, origin := r.goSetting("GOINSECURE"); v != "" {
		r.add(Check{ID: "download.goinsecure", Area: AreaDownload, Status: Warning,
			Finding: fmt.Sprintf("GOINSECURE=%s (%s): modules matching it are fetched over plain HTTP and without checksum database checks", v, origin),
			Hint:    r.fixSettingHint("GOINSECURE", "", origin)})
	}
	r.checkPrivateLeaks(list, sumdb)

	// GOFLAGS.
	if v, origin := r.goSetting("GOFLAGS"); v != "" {
		var bad []string
		for _, f := range strings.Fields(v) {
			if !strings.HasPrefix(f, "-") {
				bad = append(bad, f)
			}
		}
		if len(bad) > 0 {
			r.add(Check{ID: "download.goflags", Area: AreaDownload, Status: Error,
				Finding: fmt.Sprintf("GOFLAGS=%q (%s) has entries that are not flags (%s); every go command fails", v, origin, strings.Join(bad, ", ")),
				Hint:    r.fixSettingHint("GOFLAGS", "", origin)})
		} else {
			r.add(Check{ID: "download.goflags", Area: AreaDownload, Status: OK,
				Finding: fmt.Sprintf("GOFLAGS=%q (%s) applies to every go command in every folder", v, origin)})
		}
	}

	r.checkGOTOOLCHAIN()
}

// checkGOTOOLCHAIN explains GOTOOLCHAIN next to gover. Unset, the shim
// runs go with GOTOOLCHAIN=path, so go may switch up when a command needs
// it, but only to installed SDKs (the goX.Y.Z entries in GOVER_HOME/bin);
// a user's own GOTOOLCHAIN, from the environment or go env -w, reaches go
// untouched and decides as it does in cmd/go.
func (r *run) checkGOTOOLCHAIN() {
	v, origin := r.goSetting("GOTOOLCHAIN")
	if v == "" {
		r.add(Check{ID: "download.gotoolchain", Area: AreaDownload, Status: OK,
			Finding: "GOTOOLCHAIN is not set: the shim runs go with GOTOOLCHAIN=path, so go switches only to SDKs gover installed, never downloading one"})
		return
	}
	base, mode, _ := strings.Cut(v, "+")
	valid := base == "auto" || base == "path" || base == "local"
	if !valid && strings.HasPrefix(base, "go") {
		_, err := versions.Parse(strings.TrimPrefix(base, "go"))
		valid = err == nil
	}
	if !valid || mode != "" && mode != "auto" && mode != "path" {
		r.add(Check{ID: "download.gotoolchain", Area: AreaDownload, Status: Error,
			Finding: fmt.Sprintf("GOTOOLCHAIN=%s (%s) is not valid: go accepts local, auto, path or a release such as go1.22.5, optionally with +auto or +path", v, origin),
			Hint:    r.fixSettingHint("GOTOOLCHAIN", "", origin)})
		return
	}
	where := "in the " + origin // the environment, or a registry scope on Windows
	if origin == string(source.FromGoEnv) {
		where = "in " + r.envFileName
	}
	switch {
	case base == "auto" || mode == "auto":
		r.add(Check{ID: "download.gotoolchain", Area: AreaDownload, Status: Warning,
			Finding: fmt.Sprintf("GOTOOLCHAIN=%s %s: when a command needs a Go gover has not installed, go downloads it into the module cache behind gover's back", v, where),
			Hint:    r.fixSettingHint("GOTOOLCHAIN", "", origin) + "   (the shim then switches only to installed SDKs: gover install <version>)"})
	case base == "local" && mode == "":
		r.add(Check{ID: "download.gotoolchain", Area: AreaDownload, Status: OK,
			Finding: fmt.Sprintf("GOTOOLCHAIN=local %s: go runs each folder's pinned version and never switches, even where go.mod asks for a newer Go", where)})
	case base == "path" || base == "local":
		r.add(Check{ID: "download.gotoolchain", Area: AreaDownload, Status: OK,
			Finding: fmt.Sprintf("GOTOOLCHAIN=%s %s: go switches only to SDKs gover installed", v, where)})
	default:
		r.add(Check{ID: "download.gotoolchain", Area: AreaDownload, Status: Warning,
			Finding: fmt.Sprintf("GOTOOLCHAIN=%s %s selects %s in every folder, over GOVER_VERSION and .go-version", v, where, base),
			Hint:    r.fixSettingHint("GOTOOLCHAIN", "", origin) + "   (or gover use --global " + strings.TrimPrefix(base, "go") + ")"})
	}
}

// publicProxyHosts are proxies that anyone can read, where private module
// paths should never go.
var publicProxyHosts = map[string]bool{
	"proxy.golang.org": true, "goproxy.cn": true, "goproxy.io": true,
	"mirrors.aliyun.com": true, "goproxy.baidu.com": true, "proxy.golang.com.cn": true,
}

// checkPrivateLeaks warns when GOPRIVATE patterns still go to a public
// proxy (an explicit GONOPROXY that leaves them out) or to the public
// checksum database (an explicit GONOSUMDB that leaves them out).
func (r *run) checkPrivateLeaks(list []source.Proxy, sumdb string) {
	private, _ := r.goSetting("GOPRIVATE")
	if private == "" {
		return
	}
	var public []string
	for _, p := range list {
		if u, err := url.Parse(p.URL); err == nil && publicProxyHosts[strings.ToLower(u.Hostname())] {
			public = append(public, p.URL)
		}
	}
	var leaks []string
	hint := ""
	if noproxy, _ := r.goSetting("GONOPROXY"); noproxy != "" && len(public) > 0 {
		if miss := uncovered(private, noproxy); len(miss) > 0 {
			leaks = append(leaks, fmt.Sprintf("GONOPROXY=%s leaves out %s, so those module paths are requested from %s", noproxy, strings.Join(miss, ","), strings.Join(public, ", ")))
			hint = r.command("go", "env", "-w", "GONOPROXY="+noproxy+","+strings.Join(miss, ","))
		}
	}
	name, _, _ := parseGOSUMDB(sumdb)
	if nosum, _ := r.goSetting("GONOSUMDB"); nosum != "" && sumdb != "off" && name == "sum.golang.org" {
		if miss := uncovered(private, nosum); len(miss) > 0 {
			leaks = append(leaks, fmt.Sprintf("GONOSUMDB=%s leaves out %s, so those module paths are looked up in %s", nosum, strings.Join(miss, ","), name))
			if hint == "" {
				hint = r.command("go", "env", "-w", "GONOSUMDB="+nosum+","+strings.Join(miss, ","))
			}
		}
	}
	if len(leaks) > 0 {
		r.add(Check{ID: "download.private", Area: AreaDownload, Status: Warning,
			Finding: "private module paths (GOPRIVATE=" + private + ") leak to public services: " + strings.Join(leaks, "; "),
			Hint:    hint})
		return
	}
	r.add(Check{ID: "download.private", Area: AreaDownload, Status: OK,
		Finding: fmt.Sprintf("GOPRIVATE=%s stays away from public proxies and the public checksum database", private)})
}

// uncovered returns the patterns of want that do not appear in have.
func uncovered(want, have string) []string {
	got := map[string]bool{}
	for _, p := range strings.Split(have, ",") {
		got[strings.TrimSpace(p)] = true
	}
	var miss []string
	for _, p := range strings.Split(want, ",") {
		if p = strings.TrimSpace(p); p != "" && !got[p] {
			miss = append(miss, p)
		}
	}
	return miss
}

// badPatterns returns the entries of a comma-separated glob list that
// path.Match cannot use (go's module.MatchPrefixPatterns would fail or
// silently never match them).
func badPatterns(list string) []string {
	var bad []string
	for _, p := range strings.Split(list, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if _, err := path.Match(p, ""); err != nil || strings.Contains(p, "://") || strings.ContainsAny(p, " \t") {
			bad = append(bad, p)
		}
	}
	return bad
}

func goodPatterns(list string) []string {
	bad := map[string]bool{}
	for _, p := range badPatterns(list) {
		bad[p] = true
	}
	var good []string
	for _, p := range strings.Split(list, ",") {
		if p = strings.TrimSpace(p); p != "" && !bad[p] {
			good = append(good, p)
		}
	}
	return good
}

// parseGOSUMDB is the database name and URL a GOSUMDB value names.
func parseGOSUMDB(v string) (name, u string, err error) {
	db, err := verify.ParseGOSUMDB(v)
	return db.Name, db.URL, err
}

// probe is one timed HTTP GET.
type probe struct {
	url     string
	status  int
	latency time.Duration
	err     error
}

func (r *run) get(ctx context.Context, u string) probe {
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	start := time.Now()
	p := probe{url: u}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		p.err = err
		return p
	}
	resp, err := r.Client.Do(req)
	if err != nil {
		p.err = err
		if ctx.Err() != nil {
			p.err = fmt.Errorf("no answer within %v", r.Timeout)
		}
		p.latency = time.Since(start)
		return p
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	p.status, p.latency = resp.StatusCode, time.Since(start)
	return p
}

// probeNetwork checks, all at once, that each GOPROXY entry answers and
// serves Go toolchains and the checksum database, and that the checksum
// database itself answers.
func (r *run) probeNetwork(ctx context.Context) {
	sumdb, _ := r.goSetting("GOSUMDB")
	if sumdb == "" {
		sumdb = source.DefaultGOSUMDB
	}
	dbName, dbURL, dbErr := parseGOSUMDB(sumdb)

	type proxyResult struct{ list, supported probe }
	results := make([]proxyResult, len(r.proxies))
	var db probe
	var wg sync.WaitGroup
	for i, p := range r.proxies {
		base := strings.TrimRight(p, "/")
		wg.Add(2)
		go func() { defer wg.Done(); results[i].list = r.get(ctx, base+"/golang.org/toolchain/@v/list") }()
		go func() {
			defer wg.Done()
			if dbErr == nil && sumdb != "off" {
				results[i].supported = r.get(ctx, base+"/sumdb/"+dbName+"/supported")
			}
		}()
	}
	if dbErr == nil && sumdb != "off" {
		wg.Add(1)
		go func() { defer wg.Done(); db = r.get(ctx, dbURL+"/latest") }()
	}
	wg.Wait()

	var checks []Check
	viaProxy := ""
	for i, p := range r.proxies {
		res := results[i]
		st := Error
		if i > 0 {
			st = Warning
		}
		sup := "no"
		if res.supported.status == http.StatusOK {
			sup = "yes"
			if viaProxy == "" {
				viaProxy = p
			}
		}
		switch {
		case res.list.err != nil:
			checks = append(checks, Check{ID: "download.proxy", Area: AreaDownload, Status: st,
				Finding: fmt.Sprintf("proxy %s is unreachable: %v", p, res.list.err),
				Hint:    "check the network or proxy settings (HTTPS_PROXY), or: " + r.command("go", "env", "-w", "GOPROXY="+source.DefaultGOPROXY)})
		case res.list.status == http.StatusOK:
			checks = append(checks, Check{ID: "download.proxy", Area: AreaDownload, Status: OK,
				Finding: fmt.Sprintf("proxy %s answers in %d ms and serves Go toolchains; serves the checksum database: %s", p, res.list.latency.Milliseconds(), sup)})
		default:
			checks = append(checks, Check{ID: "download.proxy", Area: AreaDownload, Status: Warning,
				Finding: fmt.Sprintf("proxy %s answers %d for golang.org/toolchain in %d ms, so gover install uses the next source; serves the checksum database: %s", p, res.list.status, res.list.latency.Milliseconds(), sup),
				Hint:    r.command("go", "env", "-w", "GOPROXY="+strings.TrimRight(p, "/")+","+source.DefaultGOPROXY)})
		}
	}
	if dbErr == nil && sumdb != "off" {
		switch {
		case db.err == nil && db.status == http.StatusOK:
			checks = append(checks, Check{ID: "download.sumdb", Area: AreaDownload, Status: OK,
				Finding: fmt.Sprintf("checksum database %s answers in %d ms", dbURL, db.latency.Milliseconds())})
		case viaProxy != "":
			checks = append(checks, Check{ID: "download.sumdb", Area: AreaDownload, Status: OK,
				Finding: fmt.Sprintf("checksum database %s is reached through %s (directly: %s)", dbName, viaProxy, probeError(db))})
		default:
			checks = append(checks, Check{ID: "download.sumdb", Area: AreaDownload, Status: Error,
				Finding: fmt.Sprintf("checksum database %s is unreachable (%s) and no proxy serves it, so toolchain downloads cannot be verified", dbURL, probeError(db)),
				Hint:    "check the network or HTTPS_PROXY, or use a proxy that serves it: go env -w GOPROXY=" + source.DefaultGOPROXY})
		}
	}
	sort.SliceStable(checks, func(i, j int) bool { return checks[i].ID < checks[j].ID })
	for _, c := range checks {
		r.add(c)
	}
}

func probeError(p probe) string {
	if p.err != nil {
		return p.err.Error()
	}
	return fmt.Sprintf("HTTP %d", p.status)
}
