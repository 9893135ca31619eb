package source

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/store"
	"github.com/gover/gover/store/verify"
	"github.com/gover/gover/versions"
	"github.com/gover/gover/versions/spec"
)

// fileArchive is a local archive given with --archive.
type fileArchive struct {
	path     string
	version  versions.Version
	platform versions.Platform
	module   string // module zip: "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64"
}

var archiveNameRE = regexp.MustCompile(`^(go[0-9][0-9a-z.]*?)\.([a-z0-9]+)-([a-z0-9]+)\.(tar\.gz|zip)$`)

// inspectArchive works out what a local archive holds: the version and
// platform from its name (official or module zip naming) or from the
// request, and whether it is a module zip.
func inspectArchive(path string, s spec.Spec, want versions.Platform) (*fileArchive, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, exitcode.NotFound(fmt.Errorf("archive: %w", err), "")
	}
	fa := &fileArchive{path: abs}
	base := filepath.Base(abs)
	var named bool
	if m := archiveNameRE.FindStringSubmatch(base); m != nil {
		v, verr := versions.Parse(m[1])
		p, perr := versions.ParsePlatform(m[2] + "/" + m[3])
		if verr == nil && perr == nil {
			fa.version, fa.platform, named = v, p, true
		}
	} else if strings.HasSuffix(base, ".zip") {
		if v, p, err := ParseToolchainVersion(strings.TrimSuffix(base, ".zip")); err == nil {
			fa.version, fa.platform, named = v, p, true
			fa.module = ToolchainModule + "@" + ToolchainVersion(v, p)
		}
	}
	ev, exact := s.Exact()
	if !s.IsZero() && !exact {
		return nil, exitcode.Usage(fmt.Errorf("--archive needs an exact version, not %q", s), "gover install --archive "+path+" --version 1.22.5")
	}
	switch {
	case named && exact && ev != fa.version:
		return nil, exitcode.Usage(fmt.Errorf("%s is named for %s, not %s", base, fa.version.Name(), ev.Name()), "gover install --archive "+path)
	case !named && !exact:
		return nil, exitcode.Usage(fmt.Errorf("cannot tell the Go version of %s from its name", base), "gover install --archive "+path+" --version 1.22.5")
	case !named:
		fa.version = ev
		fa.platform = want
		if fa.platform == (versions.Platform{}) {
			fa.platform = versions.Host()
		}
	}
	if named && want != (versions.Platform{}) && want != fa.platform {
		return nil, exitcode.Usage(fmt.Errorf("%s is named for %s, not %s", base, fa.platform, want), "gover install --archive "+path)
	}
	if fa.module == "" && strings.HasSuffix(base, ".zip") || !named {
		if prefix, ok := moduleZipPrefix(abs); ok {
			fa.module = strings.TrimSuffix(prefix, "/")
			want := ToolchainModule + "@" + ToolchainVersion(fa.version, fa.platform)
			if fa.module != want {
				return nil, exitcode.Verify(fmt.Errorf("%s holds %s, not %s", base, fa.module, want), "")
			}
		}
	}
	return fa, nil
}

// moduleZipPrefix reports the "golang.org/toolchain@<version>/" prefix of a
// module zip's first entry.
func moduleZipPrefix(path string) (string, bool) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return "", false
	}
	defer zr.Close()
	if len(zr.File) == 0 || !strings.HasPrefix(zr.File[0].Name, ToolchainModule+"@") {
		return "", false
	}
	name := zr.File[0].Name
	at := strings.Index(name, "@")
	slash := strings.Index(name[at:], "/")
	if slash < 0 {
		return "", false
	}
	return name[:at+slash+1], true
}

// installFile installs a local archive, checked by --sha256 (trust index:
// the user vouches for the hash), a sibling .asc (signature) or a sibling
// .sha256 (mirror: it came from wherever the archive came from).
func (j *job) installFile(ctx context.Context, fa *fileArchive) (*store.Manifest, error) {
	st, err := os.Stat(fa.path)
	if err != nil {
		return nil, err
	}
	a := &artifact{kind: KindFile, url: fa.path, path: fa.path, module: fa.module, size: st.Size()}
	a.trust = store.TrustNone
	want, what := strings.TrimSpace(j.o.SHA256), "sha256:user"
	why := "no published checksum or signature"
	if want != "" {
		a.trust, why = store.TrustIndex, "the SHA-256 given with --sha256"
	} else {
		if data, err := os.ReadFile(fa.path + ".sha256"); err == nil {
			if want, err = parseSHA256File(data); err != nil {
				return nil, exitcode.Verify(fmt.Errorf("%s.sha256: %w", fa.path, err), "")
			}
			what = "sha256:file"
			a.trust, why = store.TrustMirror, "only "+filepath.Base(fa.path)+".sha256, which came with the archive"
		}
	}
	if want != "" {
		a.pending = append(a.pending, func(ctx context.Context, a *artifact) (string, error) {
			got, err := verify.SHA256File(a.path)
			if err != nil {
				return "", err
			}
			if err := verify.CheckSHA256(filepath.Base(a.path), got, want); err != nil {
				return "", err
			}
			a.sha256 = got
			return what, nil
		})
	}
	if asc, err := os.ReadFile(fa.path + ".asc"); err == nil {
		a.pending = append(a.pending, j.signatureCheck(bytes.TrimSpace(asc), fa.path+".asc"))
		a.trust = store.TrustSignature
	}
	switch {
	case len(a.pending) == 0:
		err := exitcode.Verify(fmt.Errorf("refusing to install %s: no --sha256, no %s.sha256 and no %s.asc to verify it against", filepath.Base(fa.path), filepath.Base(fa.path), filepath.Base(fa.path)),
			"gover install --archive "+fa.path+" --sha256 <hash>, or accept the risk with --insecure-skip-verify")
		if !j.o.InsecureSkipVerify {
			return nil, err
		}
		j.skipCheck(err)
		a.insecure = true
	default:
		if err := j.admit(a, why); err != nil {
			return nil, err
		}
	}
	return j.unpack(ctx, a)
}
