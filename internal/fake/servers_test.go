package fake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gover/gover/versions"
)

func get(t *testing.T, url string, hdr ...string) (int, []byte, error) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

var linux = versions.Platform{OS: "linux", Arch: "amd64"}

func TestDL(t *testing.T) {
	dl := NewDL(t, nil)
	dl.Add("1.22.5", linux, []byte("archive-1.22.5"))
	dl.Add("1.23rc1", linux, []byte("archive-1.23rc1"))
	dl.Add("1.21.0", versions.Platform{OS: "windows", Arch: "amd64"}, []byte("zip"))

	code, body, err := get(t, dl.IndexURL())
	if err != nil || code != 200 {
		t.Fatalf("index: %d %v", code, err)
	}
	var rs []versions.Release
	if err := json.Unmarshal(body, &rs); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range rs {
		names = append(names, fmt.Sprintf("%s:%v", r.Version, r.Stable))
	}
	if got := strings.Join(names, " "); got != "go1.23rc1:false go1.22.5:true go1.21.0:true" {
		t.Errorf("index lists %s", got)
	}
	code, body, _ = get(t, dl.DownloadBase()+"go1.22.5.linux-amd64.tar.gz")
	if code != 200 || string(body) != "archive-1.22.5" {
		t.Errorf("archive: %d %q", code, body)
	}
	code, body, _ = get(t, dl.DownloadBase()+"go1.22.5.linux-amd64.tar.gz", "Range", "bytes=8-")
	if code != 206 || string(body) != "1.22.5" {
		t.Errorf("range: %d %q", code, body)
	}
	if _, body, _ := get(t, dl.DownloadBase()+"go1.22.5.linux-amd64.tar.gz.sha256"); len(strings.TrimSpace(string(body))) != 64 {
		t.Errorf(".sha256 = %q", body)
	}
	if code, _, _ := get(t, dl.DownloadBase()+"go1.22.5.linux-amd64.tar.gz.asc"); code != 404 {
		t.Errorf(".asc without a signer: %d", code)
	}
	if n := dl.Hits("/go/go1.22.5.linux-amd64.tar.gz"); n != 2 {
		t.Errorf("hits = %d, want 2", n)
	}
}

func TestFaults(t *testing.T) {
	m := NewMirror(t)
	data := strings.Repeat("x", 10000)
	m.SetFile("f", []byte(data))

	m.SetFault("f", &Fault{Status: 500, Times: 1})
	if code, _, _ := get(t, m.Base()+"f"); code != 500 {
		t.Errorf("first request: %d, want 500", code)
	}
	if code, body, _ := get(t, m.Base()+"f"); code != 200 || len(body) != len(data) {
		t.Errorf("second request: %d, %d bytes", code, len(body))
	}

	m.SetFault("f", &Fault{CutAfter: 100, Times: 1})
	if _, body, err := get(t, m.Base()+"f"); err == nil || len(body) != 100 {
		t.Errorf("cut: %d bytes, err %v; want 100 bytes and an error", len(body), err)
	}

	st := NewStall(10)
	m.SetFault("f", st)
	done := make(chan int)
	go func() {
		_, body, _ := get(t, m.Base()+"f")
		done <- len(body)
	}()
	<-st.Reached
	close(st.Release)
	if n := <-done; n != len(data) {
		t.Errorf("after release: %d bytes", n)
	}
}

func TestProxy(t *testing.T) {
	px := NewProxy(t)
	db := NewSumDB(t)
	px.MountSumDB(db)
	root := SDK(t, "1.22.5", linux)
	h1 := px.Add("1.22.5", linux, ModuleZip(t, root, "1.22.5", linux))
	if !strings.HasPrefix(h1, "h1:") {
		t.Fatalf("h1 = %q", h1)
	}
	db.Add("golang.org/toolchain", ToolchainVersion("1.22.5", linux), h1)
	if _, body, _ := get(t, px.URL+"/golang.org/toolchain/@v/list"); string(body) != "v0.0.1-go1.22.5.linux-amd64\n" {
		t.Errorf("list = %q", body)
	}
	if code, _, _ := get(t, px.URL+ZipPath("1.22.5", linux)); code != 200 {
		t.Errorf("zip: %d", code)
	}
	if code, _, _ := get(t, px.URL+"/sumdb/"+db.Name()+"/supported"); code != 200 {
		t.Errorf("supported: %d", code)
	}
	if code, body, _ := get(t, px.URL+"/sumdb/"+db.Name()+"/lookup/golang.org/toolchain@"+ToolchainVersion("1.22.5", linux)); code != 200 || !strings.Contains(string(body), h1) {
		t.Errorf("lookup: %d %q", code, body)
	}
}
