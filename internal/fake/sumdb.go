package fake

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Tamper selects how a [SumDB] corrupts its answers, to test that clients
// notice.
type Tamper int

const (
	TamperNone   Tamper = iota
	TamperRecord        // /lookup/ answers carry a record whose hash is altered
	TamperTile          // hash tiles have one byte flipped
)

// A SumDB is a real Go checksum database holding only the records a test
// adds, signed with a throwaway key. It serves the protocol of
// sum.golang.org through the server side of golang.org/x/mod/sumdb, so
// clients check real proofs against it.
type SumDB struct {
	t      testing.TB
	name   string
	signer note.Signer
	vkey   string
	server *sumdb.Server

	mu      sync.Mutex
	records [][]byte
	hashes  []tlog.Hash
	lookup  map[string]int64
	tamper  Tamper
}

// NewSumDB starts an empty database named "sum.gover.test".
func NewSumDB(t testing.TB) *SumDB {
	t.Helper()
	const name = "sum.gover.test"
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		t.Fatalf("generating checksum database key: %v", err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	db := &SumDB{t: t, name: name, signer: signer, vkey: vkey, lookup: map[string]int64{}}
	db.server = sumdb.NewServer(ops{db})
	return db
}

// Name returns the database name, as it appears in /sumdb/<name>/ paths.
func (db *SumDB) Name() string { return db.name }

// VerifierKey returns the key clients must trust: a GOSUMDB value by itself,
// reaching the database at https://<name> or through a proxy.
func (db *SumDB) VerifierKey() string { return db.vkey }

// GOSUMDB returns the GOSUMDB value that trusts this database and reaches it
// at url, bypassing proxies.
func (db *SumDB) GOSUMDB(url string) string { return db.vkey + " " + url }

// Add appends the record for module@version with the zip hash h1 (and a
// go.mod hash, as real records have) to the log.
func (db *SumDB) Add(mod, version, h1 string) {
	db.t.Helper()
	key := mod + "@" + version
	db.mu.Lock()
	defer db.mu.Unlock()
	if _, ok := db.lookup[key]; ok {
		db.t.Fatalf("fake sumdb: %s added twice; the log is append-only", key)
	}
	rec := record(mod, version, h1)
	id := int64(len(db.records))
	hashes, err := tlog.StoredHashesForRecordHash(id, tlog.RecordHash(rec), hashReader(db.hashes))
	if err != nil {
		db.t.Fatal(err)
	}
	db.records = append(db.records, rec)
	db.hashes = append(db.hashes, hashes...)
	db.lookup[key] = id
}

// Fork rewrites history: the record for module@version gets the hash h1
// and the whole tree is rebuilt, keeping its size. A client that saw the
// old tree head must report the database as misbehaving.
func (db *SumDB) Fork(mod, version, h1 string) {
	db.t.Helper()
	db.mu.Lock()
	defer db.mu.Unlock()
	id, ok := db.lookup[mod+"@"+version]
	if !ok {
		db.t.Fatalf("fake sumdb: Fork of unknown %s@%s", mod, version)
	}
	db.records[id] = record(mod, version, h1)
	db.hashes = nil
	for i, rec := range db.records {
		hashes, err := tlog.StoredHashesForRecordHash(int64(i), tlog.RecordHash(rec), hashReader(db.hashes))
		if err != nil {
			db.t.Fatal(err)
		}
		db.hashes = append(db.hashes, hashes...)
	}
}

// Tamper makes the database corrupt its answers from now on.
func (db *SumDB) Tamper(m Tamper) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.tamper = m
}

// Handler serves the database at the root: /latest, /lookup/, /tile/.
func (db *SumDB) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		db.mu.Lock()
		tamper := db.tamper
		db.mu.Unlock()
		if tamper == TamperNone {
			db.server.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		db.server.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if rec.Code == http.StatusOK {
			switch {
			case tamper == TamperRecord && strings.HasPrefix(r.URL.Path, "/lookup/"):
				body = bytes.Replace(body, []byte(" h1:"), []byte(" h1:AAAA"), 1)
			case tamper == TamperTile && strings.HasPrefix(r.URL.Path, "/tile/") && !strings.Contains(r.URL.Path, "/data/") && len(body) > 0:
				body = bytes.Clone(body)
				body[0] ^= 0xff
			}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(body)
	})
}

// ProxyHandler serves the database the way a module proxy does:
// /sumdb/<name>/supported answers 200, and /sumdb/<name>/<path> serves
// <path>. Mount it on a proxy's mux at "/sumdb/".
func (db *SumDB) ProxyHandler() http.Handler {
	prefix := "/sumdb/" + db.name
	inner := db.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, prefix)
		switch {
		case !ok || !strings.HasPrefix(rest, "/"):
			http.NotFound(w, r)
		case rest == "/supported":
			w.WriteHeader(http.StatusOK)
		default:
			r2 := r.Clone(r.Context())
			r2.URL.Path = rest
			r2.URL.RawPath = ""
			inner.ServeHTTP(w, r2)
		}
	})
}

// record formats the go.sum lines the database stores for module@version.
func record(mod, version, h1 string) []byte {
	gomod := []byte("module " + mod + "\n")
	modHash, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(gomod)), nil
	})
	if err != nil {
		panic(err) // hashing memory cannot fail
	}
	return fmt.Appendf(nil, "%s %s %s\n%s %s/go.mod %s\n", mod, version, h1, mod, version, modHash)
}

type hashReader []tlog.Hash

func (h hashReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		if idx < 0 || idx >= int64(len(h)) {
			return nil, fmt.Errorf("hash %d out of range", idx)
		}
		out[i] = h[idx]
	}
	return out, nil
}

// ops implements sumdb.ServerOps over the in-memory log.
type ops struct{ db *SumDB }

func (o ops) Signed(context.Context) ([]byte, error) {
	o.db.mu.Lock()
	defer o.db.mu.Unlock()
	n := int64(len(o.db.records))
	h, err := tlog.TreeHash(n, hashReader(o.db.hashes))
	if err != nil {
		return nil, err
	}
	return note.Sign(&note.Note{Text: string(tlog.FormatTree(tlog.Tree{N: n, Hash: h}))}, o.db.signer)
}

func (o ops) ReadRecords(_ context.Context, id, n int64) ([][]byte, error) {
	o.db.mu.Lock()
	defer o.db.mu.Unlock()
	if id < 0 || n < 0 || id+n > int64(len(o.db.records)) {
		return nil, os.ErrNotExist
	}
	return append([][]byte(nil), o.db.records[id:id+n]...), nil
}

func (o ops) Lookup(_ context.Context, m module.Version) (int64, error) {
	o.db.mu.Lock()
	defer o.db.mu.Unlock()
	id, ok := o.db.lookup[m.Path+"@"+m.Version]
	if !ok {
		// A *PathError, because the server answers 404 only for errors
		// os.IsNotExist recognises, and that does not unwrap %w.
		return 0, &os.PathError{Op: "lookup", Path: m.String(), Err: os.ErrNotExist}
	}
	return id, nil
}

func (o ops) ReadTileData(_ context.Context, t tlog.Tile) ([]byte, error) {
	o.db.mu.Lock()
	defer o.db.mu.Unlock()
	return tlog.ReadTileData(t, hashReader(o.db.hashes))
}
