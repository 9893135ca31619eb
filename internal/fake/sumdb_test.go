package fake

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func fetch(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// latestTree fetches and opens the signed tree head.
func latestTree(t *testing.T, db *SumDB, base string) tlog.Tree {
	t.Helper()
	code, body := fetch(t, base+"/latest")
	if code != 200 {
		t.Fatalf("/latest: %d %s", code, body)
	}
	v, err := note.NewVerifier(db.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	n, err := note.Open([]byte(body), note.VerifierList(v))
	if err != nil {
		t.Fatalf("tree head does not verify with VerifierKey: %v", err)
	}
	tree, err := tlog.ParseTree([]byte(n.Text))
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func TestSumDBServes(t *testing.T) {
	db := NewSumDB(t)
	const h1 = "h1:LQChnsjY/4sr12W+7pci1Qg1+X/n7vmLOOaq2aTBG0w="
	db.Add("golang.org/toolchain", "v0.0.1-go1.22.5.linux-amd64", h1)
	db.Add("golang.org/toolchain", "v0.0.1-go1.23.0.linux-amd64", h1)
	srv := httptest.NewServer(db.Handler())
	defer srv.Close()

	if !strings.HasPrefix(db.VerifierKey(), db.Name()+"+") || db.GOSUMDB(srv.URL) != db.VerifierKey()+" "+srv.URL {
		t.Errorf("VerifierKey %q, GOSUMDB %q", db.VerifierKey(), db.GOSUMDB(srv.URL))
	}
	tree := latestTree(t, db, srv.URL)
	if tree.N != 2 {
		t.Errorf("tree size %d, want 2", tree.N)
	}
	code, body := fetch(t, srv.URL+"/lookup/golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64")
	if code != 200 || !strings.Contains(body, "golang.org/toolchain v0.0.1-go1.22.5.linux-amd64 "+h1+"\n") ||
		!strings.Contains(body, "v0.0.1-go1.22.5.linux-amd64/go.mod h1:") {
		t.Errorf("lookup: %d %q", code, body)
	}
	if code, _ := fetch(t, srv.URL+"/lookup/golang.org/toolchain@v0.0.1-go1.99.0.linux-amd64"); code != 404 {
		t.Errorf("unknown lookup: %d, want 404", code)
	}

	db.Fork("golang.org/toolchain", "v0.0.1-go1.22.5.linux-amd64", "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
	forked := latestTree(t, db, srv.URL)
	if forked.N != tree.N || forked.Hash == tree.Hash {
		t.Errorf("fork: tree %v -> %v, want same size, other hash", tree, forked)
	}

	db.Tamper(TamperRecord)
	if _, body := fetch(t, srv.URL+"/lookup/golang.org/toolchain@v0.0.1-go1.23.0.linux-amd64"); strings.Contains(body, h1) {
		t.Errorf("tampered lookup still carries the real hash: %q", body)
	}
}

func TestSumDBProxyHandler(t *testing.T) {
	db := NewSumDB(t)
	db.Add("example.com/m", "v1.0.0", "h1:LQChnsjY/4sr12W+7pci1Qg1+X/n7vmLOOaq2aTBG0w=")
	srv := httptest.NewServer(db.ProxyHandler())
	defer srv.Close()
	for path, want := range map[string]int{
		"/sumdb/" + db.Name() + "/supported":                   200,
		"/sumdb/" + db.Name() + "/latest":                      200,
		"/sumdb/" + db.Name() + "/lookup/example.com/m@v1.0.0": 200,
		"/sumdb/sum.golang.org/supported":                      404,
		"/sumdb/" + db.Name() + "x/supported":                  404,
	} {
		if code, body := fetch(t, srv.URL+path); code != want {
			t.Errorf("%s: %d %q, want %d", path, code, body, want)
		}
	}
}
