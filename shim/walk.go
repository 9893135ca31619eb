package shim

// The walk up from the working folder and the bounded readers of the
// files it finds (.go-version, .tool-versions, go.work, go.mod).

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// walked is what one walk up from the working folder found.
type walked struct {
	pin          Request
	modFile      string // the go.mod cmd/go would find ("" for none)
	file         string // the go.work, else go.mod, whose lines count
	goVal, tcVal string // its raw go and toolchain values
}

// walk goes up from dir once, opening at most four names per folder: the
// pin files (while wantPin and none found), go.work (while gowork asks
// for a search) and go.mod (until the nearest is found).
func walk(env Env, dir string, wantPin bool, gowork string) (walked, error) {
	var w walked
	searchWork := gowork == "" || gowork == "auto"
	var work, mod struct {
		path   string
		g, t   string
		found  bool
		ignore bool
		err    error // reading it failed; it matters only if it is used
	}
	tmp := filepath.Clean(os.TempDir())
	for d := filepath.Clean(dir); ; {
		if wantPin {
			r, err := readPin(env, d)
			if err != nil {
				return w, err
			}
			if r.Version != "" {
				w.pin, wantPin = r, false
			}
		}
		if searchWork && !work.found {
			p := inDir(d, "go.work")
			g, t, ok, err := readModFile(env, p)
			if err != nil {
				return w, err
			}
			if ok {
				work.path, work.g, work.t, work.found = p, g, t, true
			}
		}
		if !mod.found {
			p := inDir(d, "go.mod")
			g, t, ok, err := readModFile(env, p)
			if ok || err != nil {
				mod.path, mod.g, mod.t, mod.found, mod.err = p, g, t, true, err
				// cmd/go ignores a go.mod directly in the temporary
				// folder (golang.org/issue/26708).
				mod.ignore = filepath.Clean(d) == tmp
			}
		}
		if !wantPin && mod.found && (work.found || !searchWork) {
			break
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	if mod.found && !mod.ignore {
		w.modFile = mod.path
	}
	if !searchWork && gowork != "off" {
		// An explicit GOWORK must be absolute; one that does not exist
		// yet (go work init) is skipped, as cmd/go skips it.
		if !filepath.IsAbs(gowork) {
			return w, fmt.Errorf("invalid GOWORK %q: not an absolute path", gowork)
		}
		g, t, ok, err := readModFile(env, gowork)
		if err != nil {
			return w, err
		}
		if ok {
			work.path, work.g, work.t, work.found = gowork, g, t, true
		}
	}
	switch {
	case work.found:
		w.file, w.goVal, w.tcVal = work.path, work.g, work.t
	case w.modFile != "":
		if mod.err != nil {
			return w, mod.err
		}
		w.file, w.goVal, w.tcVal = mod.path, mod.g, mod.t
	}
	return w, nil
}

// inDir is filepath.Join(dir, name) for a clean dir (every folder the walk
// up visits is) and a plain file name, without Join's cleaning pass when
// dir is absolute: the walk builds up to four such paths per folder on
// every go command.
func inDir(dir, name string) string {
	switch {
	case !filepath.IsAbs(dir):
		return filepath.Join(dir, name)
	case os.IsPathSeparator(dir[len(dir)-1]):
		return dir + name
	}
	return dir + string(filepath.Separator) + name
}

// readPin reads the pin files in one folder: .go-version, else
// .tool-versions (when it names a Go version).
func readPin(env Env, dir string) (Request, error) {
	p := inDir(dir, ".go-version")
	name, ok, err := readWith(env, p, readGoVersion)
	if err != nil {
		return Request{}, err
	}
	if ok {
		return Request{Version: name, Source: Source{Kind: FromGoVersion, Path: p}}, nil
	}
	p = inDir(dir, ".tool-versions")
	name, ok, err = readWith(env, p, readToolVersions)
	if err != nil || !ok || name == "" {
		return Request{}, err
	}
	return Request{Version: name, Source: Source{Kind: FromToolVersions, Path: p}}, nil
}

// readWith opens p and parses it with parse. ok is false when there is no
// such file (or it is a folder, which a .go-version may legitimately be).
func readWith(env Env, p string, parse func(io.Reader) (string, error)) (string, bool, error) {
	f, err := env.Open(p)
	if err != nil {
		if absent(p, err) {
			return "", false, nil
		}
		return "", false, err
	}
	defer f.Close()
	name, err := parse(f)
	if err != nil {
		if absent(p, err) {
			return "", false, nil
		}
		if _, ok := err.(*fs.PathError); ok {
			return "", false, err
		}
		return "", false, fmt.Errorf("%s: %w", p, err)
	}
	return name, true, nil
}

// readModFile reads the raw go and toolchain values of the go.mod or
// go.work at p; ok is false when there is none.
func readModFile(env Env, p string) (g, t string, ok bool, err error) {
	f, err := env.Open(p)
	if err != nil {
		if absent(p, err) {
			return "", "", false, nil
		}
		return "", "", false, err
	}
	defer f.Close()
	g, t, err = modLines(f)
	if err != nil {
		if absent(p, err) {
			return "", "", false, nil
		}
		return "", "", false, &fs.PathError{Op: "read", Path: p, Err: err}
	}
	return g, t, true, nil
}

// absent reports whether err from opening or reading p means there is no
// such file, by cmd/go's rule when it walks up (a go.mod counts only if
// os.Stat succeeds and it is not a folder): not there, a path component
// that is a file, a link that leads nowhere or in a loop, or a folder of
// that name. The stat is asked only after a failure, off the hot path. A
// file that exists but cannot be read is an error, as in cmd/go.
func absent(p string, err error) bool {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return true
	}
	fi, serr := os.Stat(p)
	return serr != nil || fi.IsDir()
}

// localOnly reports the command lines cmd/go's toolchain selection leaves
// to the go that was started (select.go): go env GOTOOLCHAIN,
// go env -w GOTOOLCHAIN=..., go env GOMOD and go env GOWORK.
func localOnly(args []string) bool {
	switch {
	case len(args) == 2 && args[0] == "env":
		return args[1] == "GOTOOLCHAIN" || args[1] == "GOMOD" || args[1] == "GOWORK"
	case len(args) == 3 && args[0] == "env" && args[1] == "-w":
		return strings.HasPrefix(args[2], "GOTOOLCHAIN=")
	}
	return false
}

// chdirFlag finds cmd/go's -C flag: the first flag after the command name
// (and a mod or work subcommand), or the very first argument.
func chdirFlag(args []string) string {
	i := 0
	if i < len(args) && !strings.HasPrefix(args[i], "-") {
		i++
		if i < len(args) && (args[0] == "mod" || args[0] == "work") && !strings.HasPrefix(args[i], "-") {
			i++
		}
	}
	if i >= len(args) {
		return ""
	}
	switch a := args[i]; {
	case a == "-C" || a == "--C":
		if i+1 < len(args) {
			return args[i+1]
		}
	case strings.HasPrefix(a, "-C=") || strings.HasPrefix(a, "--C="):
		_, v, _ := strings.Cut(a, "=")
		return v
	}
	return ""
}
