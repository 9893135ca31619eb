package verify

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/gover/gover/store"
	"github.com/gover/gover/versions"
)

// Installed is what checking one installed SDK found.
type Installed struct {
	Version versions.Version
	// Dir is the folder checked: the one the go shim runs for a store
	// SDK (root/sdk/go1.22.5), whatever the manifest's goroot says.
	Dir string
	// Imported is set for an SDK imported from the user's own folder,
	// which is not gover's to check.
	Imported bool
	Diff     Diff
	// Problems are findings beyond Diff: an unverified install, a
	// manifest that contradicts the store, a missing tree.
	Problems []string
	// Notes are worth saying but are not findings.
	Notes []string
	// Err is set when the check could not finish (an unreadable file).
	Err error
}

// OK reports whether nothing was found.
func (r *Installed) OK() bool {
	return r.Diff.Empty() && len(r.Problems) == 0 && r.Err == nil
}

// CheckInstalled checks installed SDK m of st against what was recorded
// when gover installed it: every file's contents (the file list in
// st.FileListPath), entry types and permissions, with mode giving the
// permissions gover installs each file with (nil: only the bits no SDK file
// has). It checks the folder the go shim runs, never a folder the manifest
// names, and it does not take the manifest's word that an SDK is imported
// when the store holds gover's own copy of it.
func CheckInstalled(st *store.Store, m *store.Manifest, mode func(rel string) fs.FileMode) *Installed {
	v, err := versions.Parse(m.Version)
	if err != nil {
		return &Installed{Err: err}
	}
	r := &Installed{Version: v, Dir: st.SDKDir(v)}
	list := st.FileListPath(v)
	_, dirErr := os.Lstat(r.Dir)
	_, listErr := os.Lstat(list)
	ownCopy := dirErr == nil || listErr == nil
	switch {
	case m.Imported && !ownCopy:
		r.Imported, r.Dir = true, m.GOROOT
		r.Notes = append(r.Notes, "imported from "+m.GOROOT+"; gover did not install it, so it has nothing to check it against")
		return r
	case m.Imported:
		r.Problems = append(r.Problems, fmt.Sprintf("the manifest says it was imported from %s, but the store holds gover's own copy in %s: the manifest was edited, and the go shim runs %s", m.GOROOT, r.Dir, m.GOROOT))
	case m.GOROOT != r.Dir:
		r.Notes = append(r.Notes, fmt.Sprintf("the manifest's goroot %s is not used: the go shim runs %s", m.GOROOT, r.Dir))
	}
	if m.Insecure {
		r.Problems = append(r.Problems, "UNVERIFIED: installed with --insecure-skip-verify, so nothing vouches for what was downloaded")
	}

	info, err := os.Lstat(r.Dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		r.Problems = append(r.Problems, "MISSING: "+r.Dir+" is gone")
		return r
	case err != nil:
		r.Err = err
		return r
	case !info.IsDir():
		r.Problems = append(r.Problems, fmt.Sprintf("%s is a %s, not a folder", r.Dir, typeName(info.Mode().Type())))
		return r
	}

	if errors.Is(listErr, fs.ErrNotExist) {
		r.checkTreeHash(m)
		return r
	}
	r.Diff, r.Err = CompareTree(r.Dir, list, mode)
	return r
}

// checkTreeHash checks an SDK installed without a file list (an older
// gover) against its tree hash, which tells whether anything changed but
// not what.
func (r *Installed) checkTreeHash(m *store.Manifest) {
	if m.TreeHash == "" {
		r.Problems = append(r.Problems, "no file hashes were recorded when it was installed, so it cannot be checked")
		return
	}
	t, err := hashTree(r.Dir, "")
	if err != nil {
		r.Err = err
		return
	}
	r.Diff.Special = t.special
	if h := h1(summary(t.files)); h != m.TreeHash {
		r.Problems = append(r.Problems, fmt.Sprintf("MODIFIED: the tree hash is %s, %s at install time", h, m.TreeHash))
	}
}
