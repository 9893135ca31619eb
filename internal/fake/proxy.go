package fake

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/gover/gover/versions"
)

// Proxy is a fake GOPROXY serving the golang.org/toolchain module:
// /golang.org/toolchain/@v/list, <version>.info, .mod and .zip, and
// optionally a checksum database at /sumdb/<name>/.
//
//	db := fake.NewSumDB(t)
//	px := fake.NewProxy(t)
//	px.MountSumDB(db)
//	h1 := px.Add("1.22.5", linuxAMD64, fake.ModuleZip(t, goroot, "1.22.5", linuxAMD64))
//	db.Add("golang.org/toolchain", "v0.0.1-go1.22.5.linux-amd64", h1)
//	// GOPROXY=px.URL GOSUMDB=db.GOSUMDB(...) or the proxy's /sumdb/ endpoint
type Proxy struct {
	URL string
	fs  *files

	mu   sync.Mutex
	list []string
	t    testing.TB
}

const toolchainPrefix = "/golang.org/toolchain/@v/"

// NewProxy starts an empty proxy, closed when the test ends.
func NewProxy(t testing.TB) *Proxy {
	t.Helper()
	p := &Proxy{fs: newFiles(), t: t}
	srv := httptest.NewServer(p.fs)
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	p.publish()
	return p
}

// ToolchainVersion is the module version of version for plat:
// v0.0.1-go1.22.5.linux-amd64.
func ToolchainVersion(version string, plat versions.Platform) string {
	return "v0.0.1-go" + strings.TrimPrefix(version, "go") + "." + plat.Dashed()
}

// ZipPath is the proxy path of the module zip of version for plat.
func ZipPath(version string, plat versions.Platform) string {
	return toolchainPrefix + ToolchainVersion(version, plat) + ".zip"
}

// Add serves zip as the toolchain module of version for plat and returns
// its h1 hash, ready for SumDB.Add.
func (p *Proxy) Add(version string, plat versions.Platform, zip []byte) string {
	mv := ToolchainVersion(version, plat)
	f := filepath.Join(TempDir(p.t), mv+".zip")
	if err := os.WriteFile(f, zip, 0o644); err != nil {
		p.t.Fatal(err)
	}
	h1, err := dirhash.HashZip(f, dirhash.Hash1)
	if err != nil {
		p.t.Fatalf("hashing %s: %v", mv, err)
	}
	info, _ := json.Marshal(struct {
		Version string
		Time    time.Time
	}{mv, time.Unix(1700000000, 0).UTC()})
	p.fs.set(toolchainPrefix+mv+".info", info)
	p.fs.set(toolchainPrefix+mv+".mod", []byte("module golang.org/toolchain\n"))
	p.fs.set(toolchainPrefix+mv+".zip", zip)
	p.mu.Lock()
	p.list = append(p.list, mv)
	p.mu.Unlock()
	p.publish()
	return h1
}

func (p *Proxy) publish() {
	p.mu.Lock()
	l := append([]string(nil), p.list...)
	p.mu.Unlock()
	sort.Strings(l)
	body := strings.Join(l, "\n")
	if body != "" {
		body += "\n"
	}
	p.fs.set(toolchainPrefix+"list", []byte(body))
}

// MountSumDB serves db at /sumdb/<name>/ with /supported answering 200,
// as proxy.golang.org does for sum.golang.org.
func (p *Proxy) MountSumDB(db *SumDB) {
	p.fs.mu.Lock()
	defer p.fs.mu.Unlock()
	p.fs.handlers["/sumdb/"] = db.ProxyHandler()
}

// SetFile replaces (nil: removes) what the proxy answers for path.
func (p *Proxy) SetFile(path string, data []byte) { p.fs.set(path, data) }

// File returns what the proxy answers for path.
func (p *Proxy) File(path string) []byte { b, _ := p.fs.get(path); return b }

// SetFault makes requests for path misbehave; nil clears it. Paths under a
// mounted /sumdb/ can stall too (a Stall with StallAfter 0).
func (p *Proxy) SetFault(path string, f *Fault) { p.fs.setFault(path, f) }

// Hits counts the requests for path.
func (p *Proxy) Hits(path string) int { return p.fs.hitCount(path) }

// HitsPrefix counts the requests for paths starting with prefix.
func (p *Proxy) HitsPrefix(prefix string) int {
	p.fs.mu.Lock()
	defer p.fs.mu.Unlock()
	n := 0
	for k, v := range p.fs.hits {
		if strings.HasPrefix(k, prefix) {
			n += v
		}
	}
	return n
}
