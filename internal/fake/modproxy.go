package fake

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// ModProxy is a GOPROXY in a folder, for file:// URLs: tiny modules that
// tests `go install` from without a network.
//
//	px := fake.NewModProxy(t)
//	px.Add("example.com/tool", "v1.0.0", map[string]string{
//		"go.mod":      "module example.com/tool\n\ngo 1.21\n",
//		"cmd/tool/main.go": "package main\n\nfunc main() {}\n",
//	})
//	// GOPROXY=px.URL GONOSUMDB=example.com GOFLAGS=-mod=mod
type ModProxy struct {
	Dir string // the proxy's folder
	URL string // file:// URL of Dir, for GOPROXY
	t   testing.TB
}

// NewModProxy makes an empty proxy folder, removed when the test ends.
func NewModProxy(t testing.TB) *ModProxy {
	dir := filepath.Join(TempDir(t), "proxy")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path // file:///C:/... on Windows
	}
	return &ModProxy{Dir: dir, URL: u.String(), t: t}
}

// Add publishes module path at version with files (slash-separated names
// relative to the module root; "go.mod" is required).
func (p *ModProxy) Add(path, version string, files map[string]string) {
	p.t.Helper()
	dir := filepath.Join(p.Dir, filepath.FromSlash(path), "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, err := zw.Create(path + "@" + version + "/" + n)
		if err != nil {
			p.t.Fatal(err)
		}
		w.Write([]byte(files[n]))
	}
	if err := zw.Close(); err != nil {
		p.t.Fatal(err)
	}
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			p.t.Fatal(err)
		}
	}
	write(version+".zip", buf.Bytes())
	write(version+".mod", []byte(files["go.mod"]))
	write(version+".info", fmt.Appendf(nil, `{"Version":%q,"Time":"2024-01-01T00:00:00Z"}`, version))
	list, _ := os.ReadFile(filepath.Join(dir, "list"))
	write("list", append(list, version+"\n"...))
}

// Remove takes version of path off the proxy.
func (p *ModProxy) Remove(path, version string) {
	dir := filepath.Join(p.Dir, filepath.FromSlash(path), "@v")
	for _, ext := range []string{".zip", ".mod", ".info"} {
		os.Remove(filepath.Join(dir, version+ext))
	}
	list, _ := os.ReadFile(filepath.Join(dir, "list"))
	var keep []string
	for _, l := range strings.Fields(string(list)) {
		if l != version {
			keep = append(keep, l)
		}
	}
	os.WriteFile(filepath.Join(dir, "list"), []byte(strings.Join(keep, "\n")+"\n"), 0o644)
}
