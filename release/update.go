package release

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fsx"
	"github.com/gover/gover/versions"
)

// Updater replaces an installed gover (and its shim binary, when the release
// ships one) with a release from Source.
type Updater struct {
	// Source is where releases come from. Its Keys field is how tests
	// inject their own release key; nil means the keys built into gover.
	Source   Source
	Exe      string            // the gover executable to replace, symlinks resolved
	Platform versions.Platform // which archive to fetch; normally [versions.Host]
	Log      io.Writer         // one line per step; nil for none
	// Current is the running gover's version. Installing an older release
	// is refused unless AllowDowngrade is set: a mirror must not be able to
	// roll gover back to a release with a known hole.
	Current        string
	AllowDowngrade bool
	// Copies are other places that hold a copy of gover (the one `gover
	// setup` puts next to the shims, GOVER_HOME/bin/gover). Those that
	// exist are replaced too; missing ones are left alone.
	Copies []string
}

// ErrDowngrade is returned, with exit code 3, for a release older than
// Updater.Current without AllowDowngrade. Test with errors.Is.
var ErrDowngrade = errors.New("refusing to downgrade gover")

func (u *Updater) logf(format string, args ...any) {
	if u.Log != nil {
		fmt.Fprintf(u.Log, format+"\n", args...)
	}
}

// Install fetches version, verifies it, and puts its binaries in place of
// u.Exe and the gover-shim next to it. Everything is staged in a temporary
// folder next to u.Exe and moved into place only once the archive's checksum
// matched and the new gover ran and reported version; any earlier failure
// leaves the installed binaries untouched.
func (u *Updater) Install(ctx context.Context, version string) (*Archive, error) {
	if v, err := ParseVersion(version); err == nil && !u.AllowDowngrade && Newer(u.Current, v) {
		return nil, exitcode.Verify(fmt.Errorf("%w from %s to %s", ErrDowngrade, u.Current, v), "gover self-update --allow-downgrade --version "+v)
	}
	if err := u.Source.CheckBase(); err != nil {
		return nil, err
	}
	dir := filepath.Dir(u.Exe)
	stage, err := os.MkdirTemp(dir, ".gover-update-")
	if err != nil {
		return nil, exitcode.WithHint(fmt.Errorf("cannot update %s: %w", u.Exe, err), "run gover self-update as the user who owns "+dir)
	}
	defer removeFlat(stage)

	u.logf("downloading gover %s for %s from %s", version, u.Platform, u.Source.base())
	a, err := u.Source.Fetch(ctx, version, u.Platform, stage)
	if err != nil {
		return nil, err
	}
	u.logf("verified %s: sha256 %s, listed in checksums signed by %s", filepath.Base(a.Path), a.SHA256, a.SignedBy)

	names := Binaries(u.Platform.OS)
	bins, err := Extract(a.Path, stage, names)
	if err != nil {
		return nil, err
	}
	gover, ok := bins[names[0]]
	if !ok {
		return nil, fmt.Errorf("%s holds no %s", filepath.Base(a.Path), names[0])
	}
	// Only now, with the signature and the checksum verified, does
	// anything downloaded run.
	if u.Platform == versions.Host() {
		if err := checkRuns(ctx, gover, a.Version); err != nil {
			return nil, err
		}
	}
	// The shim first: a gover that is new enough for its shim is the
	// state to end in if the second replacement fails.
	for _, name := range names[1:] {
		if src, ok := bins[name]; ok {
			if err := fsx.Replace(src, filepath.Join(dir, name)); err != nil {
				return nil, err
			}
		}
	}
	if err := fsx.Replace(gover, u.Exe); err != nil {
		return nil, err
	}
	for _, dst := range u.Copies {
		if !isOtherFile(dst, u.Exe) {
			continue
		}
		if err := fsx.Place(u.Exe, dst); err != nil {
			return nil, exitcode.WithHint(fmt.Errorf("gover %s is installed in %s, but its copy %s is not: %w", a.Version, u.Exe, dst, err), "gover setup")
		}
		u.logf("updated the copy in %s", dst)
	}
	return a, nil
}

// isOtherFile reports whether dst is a regular file, and not exe.
func isOtherFile(dst, exe string) bool {
	fd, err := os.Lstat(dst)
	if err != nil || !fd.Mode().IsRegular() {
		return false
	}
	fe, err := os.Stat(exe)
	return err != nil || !os.SameFile(fd, fe)
}

// checkRuns runs the new gover with --version before it replaces anything,
// so a binary that does not start here (wrong architecture, truncated,
// blocked) never becomes the installed one.
func checkRuns(ctx context.Context, exe, version string) error {
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, exe, "--version")
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("the downloaded gover %s does not run here: %w\n%s", version, err, strings.TrimSpace(out.String()))
	}
	if !strings.Contains(out.String(), " "+version) {
		return fmt.Errorf("the downloaded gover reports %q, not version %s", strings.TrimSpace(out.String()), version)
	}
	return nil
}

// removeFlat removes a folder of plain files, such as the staging folder,
// with one os.Remove each: the delete call os.RemoveAll makes on Windows is
// missing from Wine, where gover's Windows build is tested.
func removeFlat(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		os.Remove(filepath.Join(dir, e.Name()))
	}
	os.Remove(dir)
}

// RemoveOld deletes the executables an earlier update set aside next to the
// running gover (Windows cannot delete a running .exe, so fsx.Replace
// renames it), once they no longer run. It is cheap and silent: files
// still in use stay for the next run.
func RemoveOld() {
	exe, err := os.Executable()
	if err != nil {
		return
	}
	for _, name := range Binaries(runtime.GOOS) {
		fsx.RemoveAside(filepath.Join(filepath.Dir(exe), name))
	}
}
