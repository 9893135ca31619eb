package verify

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/store"
	"github.com/gover/gover/versions"
)

// installInto commits a small SDK for 1.22.5 to a new store, with its file
// list, as an install does, and returns the store and the manifest.
func installInto(t *testing.T, change func(m *store.Manifest)) (*store.Store, *store.Manifest) {
	t.Helper()
	st := store.New(fake.TempDir(t))
	v := versions.MustParse("1.22.5")
	tx, err := st.Begin(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Abort()
	for name, body := range map[string]string{"VERSION": "go1.22.5\n", "bin/go": "go", "src/fmt/print.go": "package fmt\n"} {
		p := filepath.Join(tx.Dir(), filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(body), 0o644)
	}
	h, err := WriteFileList(tx.Dir(), st.FileListPath(v))
	if err != nil {
		t.Fatal(err)
	}
	m := &store.Manifest{Source: store.Source{Kind: store.SourceProxy}, Trust: store.TrustSumDB, TreeHash: h}
	if change != nil {
		change(m)
	}
	if err := tx.Commit(m); err != nil {
		t.Fatal(err)
	}
	return st, m
}

func TestCheckInstalled(t *testing.T) {
	t.Run("ok", func(t *testing.T) {
		st, m := installInto(t, nil)
		if r := CheckInstalled(st, m, nil); !r.OK() || r.Dir != st.SDKDir(versions.MustParse("1.22.5")) {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("the folder the shim runs, not the manifest's goroot", func(t *testing.T) {
		st, m := installInto(t, nil)
		dir := st.SDKDir(versions.MustParse("1.22.5"))
		m.GOROOT = fake.TempDir(t) // a clean copy elsewhere, say
		os.WriteFile(filepath.Join(dir, "bin", "go"), []byte("trojan"), 0o644)
		r := CheckInstalled(st, m, nil)
		if r.OK() || r.Dir != dir || len(r.Diff.Changed) != 1 || r.Diff.Changed[0] != "bin/go" {
			t.Fatalf("%+v", r)
		}
		if len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "is not used") {
			t.Errorf("notes %q", r.Notes)
		}
	})
	t.Run("imported by hand", func(t *testing.T) {
		st, m := installInto(t, nil)
		m.Imported = true
		r := CheckInstalled(st, m, nil)
		if r.OK() || r.Imported || len(r.Problems) != 1 || !strings.Contains(r.Problems[0], "the manifest was edited") {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("really imported", func(t *testing.T) {
		st := store.New(fake.TempDir(t))
		m := &store.Manifest{Version: "1.22.5", GOROOT: fake.TempDir(t), Imported: true}
		if r := CheckInstalled(st, m, nil); !r.OK() || !r.Imported || r.Dir != m.GOROOT {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("insecure", func(t *testing.T) {
		st, m := installInto(t, func(m *store.Manifest) { m.Insecure = true; m.Trust = store.TrustNone })
		r := CheckInstalled(st, m, nil)
		if r.OK() || len(r.Problems) != 1 || !strings.HasPrefix(r.Problems[0], "UNVERIFIED") {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("missing", func(t *testing.T) {
		st, m := installInto(t, nil)
		dir := st.SDKDir(versions.MustParse("1.22.5"))
		os.Rename(dir, dir+".gone")
		r := CheckInstalled(st, m, nil)
		if r.OK() || len(r.Problems) != 1 || !strings.HasPrefix(r.Problems[0], "MISSING") {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("no file list, tree hash", func(t *testing.T) {
		st, m := installInto(t, nil)
		v := versions.MustParse("1.22.5")
		os.Remove(st.FileListPath(v))
		if r := CheckInstalled(st, m, nil); !r.OK() {
			t.Fatalf("untouched: %+v", r)
		}
		os.WriteFile(filepath.Join(st.SDKDir(v), "VERSION"), []byte("evil"), 0o644)
		if r := CheckInstalled(st, m, nil); r.OK() || !strings.HasPrefix(r.Problems[0], "MODIFIED: the tree hash") {
			t.Fatalf("changed: %+v", r)
		}
	})
}
