package fake

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gover/gover/versions"
)

// Fault makes a fake server misbehave on one path.
type Fault struct {
	// Status answers with this HTTP status instead of the file.
	Status int
	// Times limits the fault to the first n requests; 0 means every request.
	Times int
	// CutAfter sends only this many bytes of the body, then drops the
	// connection (the client sees an unexpected EOF). Range requests
	// that follow are served normally once Times is used up.
	CutAfter int64
	// Stall stops sending after StallAfter bytes until Release is
	// closed or the client goes away. Reached is closed when a request
	// first stalls, so a test knows the client got that far.
	Stall      bool
	StallAfter int64
	Release    chan struct{}
	Reached    chan struct{}
	// Trickle, after StallAfter bytes, sends the rest one byte per
	// Trickle: never silent, never done (a proxy on its last legs).
	// Reached is closed when the trickle starts.
	Trickle time.Duration

	used    int
	reached sync.Once
}

// NewStall returns a Fault that holds the body after n bytes until
// Release is closed.
func NewStall(n int64) *Fault {
	return &Fault{Stall: true, StallAfter: n, Release: make(chan struct{}), Reached: make(chan struct{})}
}

// files is an in-memory file server with fault injection and hit counts,
// shared by the fake release site, mirror and module proxy.
type files struct {
	mu     sync.Mutex
	data   map[string][]byte
	faults map[string]*Fault
	hits   map[string]int
	// handlers serve paths the static files do not (a mounted sumdb).
	handlers map[string]http.Handler
}

func newFiles() *files {
	return &files{data: map[string][]byte{}, faults: map[string]*Fault{}, hits: map[string]int{}, handlers: map[string]http.Handler{}}
}

func (fs *files) set(path string, data []byte) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if data == nil {
		delete(fs.data, path)
		return
	}
	fs.data[path] = data
}

func (fs *files) get(path string) ([]byte, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	d, ok := fs.data[path]
	return d, ok
}

func (fs *files) setFault(path string, f *Fault) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if f == nil {
		delete(fs.faults, path)
		return
	}
	fs.faults[path] = f
}

func (fs *files) hitCount(path string) int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.hits[path]
}

// fault returns the fault that applies to this request, if any.
func (fs *files) fault(path string) *Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.hits[path]++
	f := fs.faults[path]
	if f == nil || (f.Times > 0 && f.used >= f.Times) {
		return nil
	}
	f.used++
	return f
}

func (fs *files) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if r.URL.RawQuery != "" {
		path += "?" + r.URL.RawQuery
	}
	fs.mu.Lock()
	var h http.Handler
	for prefix, hh := range fs.handlers {
		if strings.HasPrefix(r.URL.Path, prefix) {
			h = hh
		}
	}
	fs.mu.Unlock()
	f := fs.fault(path)
	if h != nil && f == nil {
		h.ServeHTTP(w, r)
		return
	}
	if f != nil && f.Status != 0 {
		http.Error(w, http.StatusText(f.Status), f.Status)
		return
	}
	data, ok := fs.get(path)
	if !ok && h != nil {
		if f != nil && f.Stall {
			f.stall(r)
		}
		h.ServeHTTP(w, r)
		return
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	if f == nil || (f.CutAfter == 0 && !f.Stall && f.Trickle == 0) {
		http.ServeContent(w, r, "", time.Unix(1700000000, 0), bytes.NewReader(data))
		return
	}
	// A faulty body: full answer headers, then part of the body.
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	w.Header().Set("Accept-Ranges", "bytes")
	w.Header().Set("Last-Modified", time.Unix(1700000000, 0).UTC().Format(http.TimeFormat))
	w.WriteHeader(http.StatusOK)
	n := int64(len(data))
	switch {
	case f.CutAfter > 0:
		n = min(n, f.CutAfter)
	case f.Stall, f.Trickle > 0:
		n = min(n, f.StallAfter)
	}
	w.Write(data[:n])
	flush := func() {
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
	}
	flush()
	if f.Trickle > 0 {
		if f.Reached != nil {
			f.reached.Do(func() { close(f.Reached) })
		}
		for i := n; i < int64(len(data)); i++ {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(f.Trickle):
			}
			if _, err := w.Write(data[i : i+1]); err != nil {
				return
			}
			flush()
		}
		return
	}
	if f.Stall {
		f.stall(r)
		select {
		case <-r.Context().Done():
			return
		default:
		}
		w.Write(data[n:])
		return
	}
	// Drop the connection so the client sees a truncated body.
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				tc.SetLinger(0)
			}
			conn.Close()
		}
	}
}

func (f *Fault) stall(r *http.Request) {
	if f.Reached != nil {
		f.reached.Do(func() { close(f.Reached) })
	}
	select {
	case <-f.Release:
	case <-r.Context().Done():
	}
}

// DL is a fake go.dev/dl: the JSON release index at /dl/?mode=json&include=all
// and the archives at /go/<filename>, each with a .sha256 next to it and,
// for .tar.gz when a Signer is set, an .asc signature.
//
//	dl := fake.NewDL(t, fake.NewSigner(t))
//	dl.Add("1.22.5", versions.Platform{OS: "linux", Arch: "amd64"}, fake.TarGz(t, goroot))
//	in.Index.URLs = []string{dl.IndexURL()}
//	in.DownloadBase = dl.DownloadBase()
type DL struct {
	URL    string // the server's base URL, no trailing slash
	signer *Signer
	fs     *files

	mu       sync.Mutex
	releases map[string]*versions.Release
	unstable map[string]bool
}

// NewDL starts a fake release site, closed when the test ends. With a nil
// signer no .asc files are served.
func NewDL(t testing.TB, signer *Signer) *DL {
	t.Helper()
	d := &DL{signer: signer, fs: newFiles(), releases: map[string]*versions.Release{}, unstable: map[string]bool{}}
	srv := httptest.NewServer(d.fs)
	t.Cleanup(srv.Close)
	d.URL = srv.URL
	d.publish()
	return d
}

// IndexPath is the path and query of the JSON index.
const IndexPath = "/dl/?mode=json&include=all"

// IndexURL is the JSON index's URL.
func (d *DL) IndexURL() string { return d.URL + IndexPath }

// DownloadBase is the base URL archives are downloaded from.
func (d *DL) DownloadBase() string { return d.URL + "/go/" }

// ArchiveName is the official file name of version's archive for p:
// go1.22.5.linux-amd64.tar.gz.
func ArchiveName(version string, p versions.Platform) string {
	arch := p.Arch
	if arch == "arm" {
		arch = "armv6l"
	}
	return "go" + strings.TrimPrefix(version, "go") + "." + p.OS + "-" + arch + p.ArchiveExt()
}

// Add publishes archive as version's archive for p: the file, its .sha256,
// its .asc (tar.gz with a signer) and its index entry. It returns the index
// entry.
func (d *DL) Add(version string, p versions.Platform, archive []byte) versions.File {
	name := "go" + strings.TrimPrefix(version, "go")
	sum := sha256.Sum256(archive)
	arch := p.Arch
	if arch == "arm" {
		arch = "armv6l"
	}
	f := versions.File{
		Filename: ArchiveName(version, p),
		OS:       p.OS,
		Arch:     arch,
		Version:  name,
		SHA256:   hex.EncodeToString(sum[:]),
		Size:     int64(len(archive)),
		Kind:     versions.KindArchive,
	}
	d.fs.set("/go/"+f.Filename, archive)
	d.fs.set("/go/"+f.Filename+".sha256", []byte(f.SHA256+"\n"))
	if d.signer != nil && strings.HasSuffix(f.Filename, ".tar.gz") {
		d.fs.set("/go/"+f.Filename+".asc", d.signer.Sign(archive))
	}
	d.mu.Lock()
	r := d.releases[name]
	if r == nil {
		r = &versions.Release{Version: name, Stable: !strings.ContainsAny(strings.TrimPrefix(name, "go"), "rcbeta")}
		d.releases[name] = r
	}
	r.Files = append(r.Files, f)
	d.mu.Unlock()
	d.publish()
	return f
}

// Releases returns the index entries, newest first as go.dev lists them.
func (d *DL) Releases() []versions.Release {
	d.mu.Lock()
	defer d.mu.Unlock()
	var rs []versions.Release
	for _, r := range d.releases {
		rs = append(rs, *r)
	}
	sort.Slice(rs, func(i, j int) bool {
		return versions.Compare(rs[i].ParsedVersion(), rs[j].ParsedVersion()) > 0
	})
	return rs
}

func (d *DL) publish() {
	rs := d.Releases()
	if rs == nil {
		rs = []versions.Release{}
	}
	data, err := json.MarshalIndent(rs, "", " ")
	if err != nil {
		panic(err)
	}
	d.fs.set(IndexPath, data)
}

// SetFile replaces (nil: removes) what the server answers for path, such as
// "/go/go1.22.5.linux-amd64.tar.gz.asc", without touching the index.
func (d *DL) SetFile(path string, data []byte) { d.fs.set(path, data) }

// File returns what the server answers for path.
func (d *DL) File(path string) []byte { b, _ := d.fs.get(path); return b }

// SetFault makes requests for path (with its query, as in IndexPath)
// misbehave; nil clears it.
func (d *DL) SetFault(path string, f *Fault) { d.fs.setFault(path, f) }

// Hits counts the requests for path so far.
func (d *DL) Hits(path string) int { return d.fs.hitCount(path) }
