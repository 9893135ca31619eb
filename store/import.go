package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fsx"
	"github.com/gover/gover/versions"
)

// Import records an existing Go installation (/usr/local/go,
// C:\Program Files\Go, ~/sdk/go1.21.0) in the store by reference: gover
// runs it from where it is and never modifies or removes it.
//
// The folder needs bin/go (bin/go.exe on Windows) and src/. Its version
// comes from the first line of its VERSION file, else from running
// bin/go version; its platform from the single pkg/tool/<os>_<arch>
// folder, else from bin/go env, else the host. Importing a version that
// gover installed itself is refused; importing one that was imported from
// another folder re-points it. A folder that already sits where the store
// keeps that version is adopted in place and stays the user's.
func (s *Store) Import(ctx context.Context, goroot string) (*Manifest, error) {
	abs, err := filepath.Abs(goroot)
	if err != nil {
		return nil, err
	}
	if err := checkGOROOT(abs); err != nil {
		return nil, err
	}
	v, plat, err := importVersion(abs)
	if err != nil {
		return nil, err
	}
	if err := checkInstallable(v); err != nil {
		return nil, err
	}
	// A folder already where the store keeps v (sdk/ may be a link to a
	// folder the user keeps SDKs in) is adopted in place: it stays the
	// user's, and gover never removes it.
	inPlace := sameFile(abs, s.SDKDir(v))
	if rel, err := filepath.Rel(s.root, abs); !inPlace && err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, exitcode.Usage(fmt.Errorf("%s is inside the gover store %s; only Go installations outside it, or a folder at %s, can be imported", abs, s.root, s.SDKDir(v)), "gover list")
	}

	l, err := s.lock(ctx, v, opImport)
	if err != nil {
		return nil, err
	}
	defer l.unlock()
	old, err := s.Lookup(v)
	if errors.Is(err, ErrNewerManifest) {
		return nil, err
	}
	if err == nil {
		m := old
		if !m.Imported {
			return nil, exitcode.WithHint(fmt.Errorf("%s is already installed by gover in %s; uninstall it first to use %s instead", v.Name(), s.SDKDir(v), abs), "gover uninstall "+v.String())
		}
		if m.GOROOT == abs {
			return m, nil
		}
	}
	if inPlace && isMark(s.PartialMarker(v)) {
		// gover was writing or removing this very folder when it
		// stopped: it is half a tree, not a Go installation to keep.
		return nil, exitcode.WithHint(fmt.Errorf("%s is what an interrupted gover install or uninstall of %s left behind, not a complete Go installation", abs, v.Name()), "gover prune")
	}
	// Whatever an interrupted install of v left would hide the manifest
	// behind its marker: clear it (we hold v's lock). Only gover's own,
	// marked tree goes.
	if !inPlace {
		if err := s.cleanVersion(v); err != nil {
			return nil, err
		}
	}
	if plat == "" {
		plat = importPlatform(abs)
	}
	m := &Manifest{
		Schema:      ManifestSchema,
		Version:     v.String(),
		GOROOT:      abs,
		Platform:    plat,
		Imported:    true,
		Source:      Source{Kind: SourceImport, URL: abs},
		Trust:       TrustImported,
		InstalledAt: s.now().UTC().Truncate(time.Second),
	}
	data, err := encodeManifest(m)
	if err != nil {
		return nil, err
	}
	if err := fsx.WriteFileAtomic(s.ManifestPath(v), data, 0o644); err != nil {
		return nil, fmt.Errorf("writing manifest: %w", err)
	}
	return m, nil
}

// sameFile reports whether a and b name the same existing file or folder.
func sameFile(a, b string) bool {
	ai, err := os.Stat(a)
	if err != nil {
		return false
	}
	bi, err := os.Stat(b)
	return err == nil && os.SameFile(ai, bi)
}

// importHint works in every shell (cmd has no $(...)): go env GOROOT
// prints the folder that gover import wants.
const importHint = "go env GOROOT   (then: gover import <the folder it prints>)"

// checkGOROOT says what dir lacks to be a GOROOT.
func checkGOROOT(dir string) error {
	info, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return exitcode.NotFound(fmt.Errorf("no folder %s", dir), importHint)
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return exitcode.Usage(fmt.Errorf("%s is a file, not a Go installation folder", dir), importHint)
	}
	var missing []string
	gobin := filepath.Join("bin", "go"+exeSuffix)
	if fi, err := os.Stat(filepath.Join(dir, gobin)); err != nil || fi.IsDir() {
		missing = append(missing, filepath.ToSlash(gobin))
	}
	if fi, err := os.Stat(filepath.Join(dir, "src")); err != nil || !fi.IsDir() {
		missing = append(missing, "src/")
	}
	if len(missing) > 0 {
		return exitcode.Usage(fmt.Errorf("%s is not a Go installation (GOROOT): it has no %s", dir, strings.Join(missing, " and no ")), importHint)
	}
	return nil
}

// importVersion reads goroot's version from VERSION, else asks its go. The
// platform is returned too when the answer came with it.
func importVersion(goroot string) (v versions.Version, platform string, err error) {
	data, err := os.ReadFile(filepath.Join(goroot, "VERSION"))
	if err == nil {
		first, _, _ := strings.Cut(string(data), "\n")
		if v, err := versions.Parse(strings.TrimSpace(first)); err == nil {
			return v, "", nil
		}
	}
	out, err := runGo(goroot, "version")
	if err != nil {
		return v, "", fmt.Errorf("cannot tell which Go version %s is: no usable VERSION file, and %w", goroot, err)
	}
	return parseGoVersion(out)
}

// parseGoVersion parses `go version` output: "go version go1.22.5 linux/amd64".
func parseGoVersion(out string) (versions.Version, string, error) {
	f := strings.Fields(out)
	if len(f) < 3 || f[0] != "go" || f[1] != "version" {
		return versions.Version{}, "", fmt.Errorf("unexpected go version output %q", strings.TrimSpace(out))
	}
	v, err := versions.Parse(f[2])
	if err != nil {
		return v, "", fmt.Errorf("go version reported %q: %w", f[2], err)
	}
	plat := ""
	if len(f) >= 4 {
		if p, err := versions.ParsePlatform(f[3]); err == nil {
			plat = p.String()
		}
	}
	return v, plat, nil
}

// importPlatform finds which platform goroot's tools are built for.
func importPlatform(goroot string) string {
	if entries, err := os.ReadDir(filepath.Join(goroot, "pkg", "tool")); err == nil {
		var found []versions.Platform
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			goos, goarch, ok := strings.Cut(e.Name(), "_")
			if !ok {
				continue
			}
			if p, err := versions.ParsePlatform(goos + "/" + goarch); err == nil && p.OS == goos && p.Arch == goarch {
				found = append(found, p)
			}
		}
		if len(found) == 1 {
			return found[0].String()
		}
	}
	if out, err := runGo(goroot, "env", "GOOS", "GOARCH"); err == nil {
		if f := strings.Fields(out); len(f) == 2 {
			if p, err := versions.ParsePlatform(f[0] + "/" + f[1]); err == nil {
				return p.String()
			}
		}
	}
	return versions.Host().String()
}

// runGo runs goroot's own go with settings that keep it from switching
// toolchains, reading the user's go env file, or answering for a
// cross-compilation target the user happens to have exported.
func runGo(goroot string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(goroot, "bin", "go"+exeSuffix), args...)
	cmd.Dir = goroot
	cmd.Env = goEnv(os.Environ(), goroot)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			err = fmt.Errorf("%w: %s", err, msg)
		}
		return "", fmt.Errorf("running go %s: %w", strings.Join(args, " "), err)
	}
	return string(out), nil
}

func goEnv(environ []string, goroot string) []string {
	env := make([]string, 0, len(environ)+4)
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		switch strings.ToUpper(k) {
		case "GOOS", "GOARCH", "GOROOT", "GOTOOLCHAIN", "GOENV", "GOFLAGS":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GOROOT="+goroot, "GOTOOLCHAIN=local", "GOENV=off")
}
