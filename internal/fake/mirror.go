package fake

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// Mirror is a fake flat download mirror such as mirrors.aliyun.com/golang/:
// files at <URL>/<filename>.
//
//	m := fake.NewMirror(t)
//	m.CopyFrom(dl, "go1.22.5.linux-amd64.tar.gz", true, false) // archive + .sha256, no .asc
//	opts.Mirrors = []string{m.Base()}
type Mirror struct {
	URL string
	fs  *files
}

// NewMirror starts an empty mirror, closed when the test ends.
func NewMirror(t testing.TB) *Mirror {
	t.Helper()
	m := &Mirror{fs: newFiles()}
	srv := httptest.NewServer(m.fs)
	t.Cleanup(srv.Close)
	m.URL = srv.URL
	return m
}

// Base is the mirror's base URL, with a trailing slash.
func (m *Mirror) Base() string { return m.URL + "/" }

// SetFile serves data at /<name>; nil removes it.
func (m *Mirror) SetFile(name string, data []byte) { m.fs.set("/"+strings.TrimPrefix(name, "/"), data) }

// CopyFrom mirrors one archive of dl, with its .sha256 and .asc when asked
// for (and when dl has them).
func (m *Mirror) CopyFrom(dl *DL, filename string, sha256, asc bool) {
	m.SetFile(filename, dl.File("/go/"+filename))
	if sha256 {
		m.SetFile(filename+".sha256", dl.File("/go/"+filename+".sha256"))
	}
	if asc {
		m.SetFile(filename+".asc", dl.File("/go/"+filename+".asc"))
	}
}

// SetFault makes requests for /<name> misbehave; nil clears it.
func (m *Mirror) SetFault(name string, f *Fault) { m.fs.setFault("/"+strings.TrimPrefix(name, "/"), f) }

// Hits counts the requests for /<name>.
func (m *Mirror) Hits(name string) int { return m.fs.hitCount("/" + strings.TrimPrefix(name, "/")) }
