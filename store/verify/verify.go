// Package verify holds every check that decides whether a Go SDK may become
// visible in the store: SHA-256 digests, OpenPGP signatures against Google's
// pinned release key, the checksum database for golang.org/toolchain module
// zips, and the per-file integrity list of an installed tree.
//
// Every check fails with an [exitcode.Verify] error that names what was
// checked, what was expected and what was found, so a caller can print it and
// stop before anything is installed:
//
//	sum, err := verify.SHA256File(archive)
//	if err != nil {
//		return err
//	}
//	if err := verify.CheckSHA256("go1.22.5.linux-amd64.tar.gz", sum, want); err != nil {
//		return err // exit code 3, nothing installed
//	}
//
//	kr, _ := verify.GoogleKeyring()
//	sig, err := kr.VerifyDetached(f, asc) // signed by the subkey valid when the release was signed
//
//	db, _ := verify.NewSumDB(verify.SumDBConfig{GOSUMDB: "sum.golang.org", Proxies: proxies, Client: hc, CacheDir: cache})
//	h1, err := db.CheckZip(ctx, "golang.org/toolchain", "v0.0.1-go1.22.5.linux-amd64", zipPath)
//
//	treeHash, err := verify.WriteFileList(sdkDir, listPath) // at install time
//	r := verify.CheckInstalled(st, manifest, extract.Mode)  // in gover verify: contents, modes, links, FIFOs
//
// gover's own releases are checked here too: [VerifyDetachedAny] checks a
// release's checksums file against the list of pinned release keys.
//
// Problems reaching a server are plain errors, not verification failures:
// the user may retry them; a verification failure must never be retried
// into success.
package verify

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gover/gover/internal/exitcode"
)

// SHA256File returns the lowercase hex SHA-256 digest of the file at path.
func SHA256File(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	// A large buffer, and *os.File's WriteTo hidden so it is used: archives
	// are ~70 MB.
	if _, err := io.CopyBuffer(h, struct{ io.Reader }{f}, make([]byte, 256<<10)); err != nil {
		return "", fmt.Errorf("hashing %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// CheckSHA256 compares the digest got, computed over what (a file name or
// URL), with the published digest want. Case and surrounding space do not
// matter; a malformed want is a verification failure too, since a checksum
// file that cannot be read proves nothing.
func CheckSHA256(what, got, want string) error {
	got = strings.ToLower(strings.TrimSpace(got))
	want = strings.ToLower(strings.TrimSpace(want))
	if !isHexDigest(want) {
		return exitcode.Verify(fmt.Errorf("SHA-256 checksum for %s is malformed: %q", what, want), "")
	}
	if got != want {
		return exitcode.Verify(fmt.Errorf("SHA-256 MISMATCH for %s:\n\texpected %s\n\tactual   %s\nthe download is corrupt or was tampered with", what, want, got), "")
	}
	return nil
}

func isHexDigest(s string) bool {
	if len(s) != sha256.Size*2 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
