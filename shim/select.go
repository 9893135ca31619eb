package shim

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"github.com/gover/gover/internal/goenv"
	"github.com/gover/gover/versions"
)

// Kinds of [Source]: where a version request came from.
const (
	FromGoverVersion = "GOVER_VERSION"
	FromGOTOOLCHAIN  = "GOTOOLCHAIN"
	FromGoVersion    = ".go-version"
	FromToolVersions = ".tool-versions"
	FromToolchain    = "toolchain" // a go.work or go.mod toolchain line
	FromGoLine       = "go"        // a go.work or go.mod go line
	FromGlobal       = "global"    // GOVER_HOME/version
	FromSwitch       = "switch"    // cmd/go switching to a goX.Y.Z entry in GOVER_HOME/bin
	FromEntry        = "entry"     // a goX.Y.Z entry in GOVER_HOME/bin run by that name
)

// Source says which variable or file asked for a version.
type Source struct {
	Kind string // one of the From* constants
	// Path is the file that asked: a .go-version, .tool-versions, go.mod
	// or go.work, or the go env file for a GOTOOLCHAIN set with
	// `go env -w`; empty for variables and the global default.
	Path string
}

func (s Source) String() string {
	switch s.Kind {
	case FromGoverVersion:
		return s.Kind + " environment variable"
	case FromGOTOOLCHAIN:
		if s.Path != "" {
			return "GOTOOLCHAIN in " + s.Path + " (go env -w)"
		}
		return s.Kind + " environment variable"
	case FromToolchain, FromGoLine:
		return s.Kind + " line in " + s.Path
	case FromGlobal:
		return "global default"
	case FromSwitch:
		return "go switching toolchains"
	case FromEntry:
		return "the name it was run as"
	}
	return s.Path
}

// Request is one version asked for, before looking at what is installed.
type Request struct {
	// Version is a valid go-prefixed version: exact ("go1.22.5",
	// "go1.23rc1") or partial ("go1.22": the newest patch of 1.22).
	Version string
	// Min is the lowest acceptable version when the request came from a go
	// line ("go 1.22.3" asks for a 1.22 that is at least go1.22.3); empty
	// otherwise.
	Min    string
	Source Source
}

// Exact reports whether the request names one release rather than a
// minor version's newest patch.
func (r Request) Exact() bool { return IsExact(r.Version) }

// Spec is the argument for `gover install` that satisfies the request:
// "1.22.5", or "1.22" for the newest patch of a minor.
func (r Request) Spec() string {
	if prerelease(r.Min) {
		// A go line naming a prerelease ("go 1.23rc1") may predate the
		// minor's first release; ask for exactly that.
		return strings.TrimPrefix(r.Min, "go")
	}
	return strings.TrimPrefix(r.Version, "go")
}

// Selection is what a folder gets, with everything that decided it. The
// embedded Request is the version to run.
type Selection struct {
	Request
	// Pin is what gover's own settings ask for (GOVER_VERSION, the
	// nearest .go-version or .tool-versions, the global default); its
	// Version is empty when there is none.
	Pin Request
	// Requirement is the module's: the newer of the go and toolchain
	// lines of the go.work or go.mod cmd/go uses; empty Version when
	// there is none (or modules are off).
	Requirement Request
	// GOTOOLCHAIN is the setting in effect ("" when unset), and
	// GOTOOLCHAINFile the go env file it came from ("" for the
	// environment).
	GOTOOLCHAIN, GOTOOLCHAINFile string
	// Switching reports whether the setting lets go move up to what the
	// module requires (auto and path modes, gover's default).
	Switching bool
	// Files lists every file that took part, nearest first.
	Files []string
	// Why says why the result differs from the pin; "" when it does not.
	Why string
}

// Env is what selection reads from the outside world. Select touches the
// process environment and file system only through it, apart from
// os.Stat after a failed read (to tell a folder from a broken file) and
// os.TempDir.
type Env struct {
	Getenv func(string) string
	Dir    string // the working folder, absolute
	// Open opens a file for reading (os.Open; the shim passes a lighter
	// one). Files are read only through the scanners in read.go.
	Open func(string) (io.ReadCloser, error)
	// Global reports the global default version ("" if none).
	Global func() (string, error)
	// Installed lists installed versions as go-prefixed names. It is
	// called only when a partial pin ("1.22") must be compared with a
	// module's requirement; nil means none.
	Installed func() []string
	// GOOS picks the go env file's location rules; "" means this system.
	GOOS string
}

// ErrNoVersion is returned (wrapped) when nothing selects a version.
var ErrNoVersion = errors.New("no Go version selected")

// Select reports which version the folder env.Dir gets, given the go
// command's arguments args (without the program name); args matter only
// for -C, which moves the starting folder as it does for cmd/go.
//
// It follows cmd/go's toolchain selection (src/cmd/go/internal/toolchain
// select.go), with gover's pin playing the part of the local toolchain:
//
//  1. The pin: GOVER_VERSION; else the nearest .go-version, else
//     .tool-versions (golang or go line) in the same folder, walking up;
//     else the global default.
//  2. GOTOOLCHAIN (environment, else the go env file): local, auto, path,
//     <name>, <name>+auto, <name>+path. A <name> replaces the pin, because
//     the user's GOTOOLCHAIN reaches go untouched and go obeys it.
//  3. In auto and path modes (and when GOTOOLCHAIN is unset) the result
//     moves up to the module's requirement, the newer of the toolchain and
//     go lines of the go.work (GOWORK honoured) or else go.mod; a
//     "toolchain default" line turns that off. A go line asks for the
//     newest installed patch of its minor that is at least that version.
//  4. With GO111MODULE=off (or auto outside a module) go ignores
//     GOTOOLCHAIN and go.mod, and so does Select.
//
// With no pin and nothing else, the requirement; with neither,
// ErrNoVersion.
func Select(env Env, args []string) (Selection, error) {
	var sel Selection
	dir := env.Dir
	if c := chdirFlag(args); c != "" {
		if filepath.IsAbs(c) {
			dir = filepath.Clean(c)
		} else {
			dir = filepath.Join(dir, c)
		}
	}

	goSetting := settings(env)
	toolchain, tcFile := goSetting("GOTOOLCHAIN")
	gowork, _ := goSetting("GOWORK")
	go111, _ := goSetting("GO111MODULE")
	tc, err := parseGOTOOLCHAIN(toolchain)
	if err != nil {
		return sel, err
	}
	sel.GOTOOLCHAIN, sel.GOTOOLCHAINFile = toolchain, tcFile

	if v := env.Getenv("GOVER_VERSION"); v != "" {
		name, err := ParseSpec(v)
		if err != nil {
			return sel, fmt.Errorf("GOVER_VERSION: %w", err)
		}
		sel.Pin = Request{Version: name, Source: Source{Kind: FromGoverVersion}}
	}

	w, err := walk(env, dir, sel.Pin.Version == "", gowork)
	if err != nil {
		return sel, err
	}
	if w.pin.Version != "" {
		sel.Pin = w.pin
		sel.Files = append(sel.Files, w.pin.Source.Path)
	}
	if sel.Pin.Version == "" && env.Global != nil {
		v, err := env.Global()
		if err != nil {
			return sel, err
		}
		if v != "" {
			name, err := ParseSpec(v)
			if err != nil {
				return sel, fmt.Errorf("global default: %w", err)
			}
			sel.Pin = Request{Version: name, Source: Source{Kind: FromGlobal}}
		}
	}

	modules := go111 == "" || go111 == "on" || go111 == "auto" && w.modFile != ""
	if localOnly(args) {
		// cmd/go runs these itself, whatever GOTOOLCHAIN and go.mod say,
		// so that a bad GOTOOLCHAIN can always be seen and undone.
		modules = false
	}
	goLine, tcLine := "", ""
	if modules && w.file != "" {
		goLine, tcLine, err = modVersions(w.goVal, w.tcVal)
		if err != nil {
			return sel, fmt.Errorf("%s: %w", w.file, err)
		}
		if goLine != "" || tcLine != "" {
			sel.Files = append(sel.Files, w.file)
		}
		sel.Requirement = requirement(goLine, tcLine, w.file)
	}
	if !modules {
		// cmd/go's Select returns at once outside module mode.
		tc = gotoolchain{mode: "auto"}
	}
	if tcFile != "" && toolchain != "" {
		sel.Files = append(sel.Files, tcFile)
	}

	base := sel.Pin
	if tc.name != "" {
		base = Request{Version: tc.name, Source: Source{Kind: FromGOTOOLCHAIN, Path: tcFile}}
	}
	sel.Switching = tc.mode != ""
	sel.Request = base
	if sel.Switching && tcLine != "default" {
		sel.Request = raise(base, goLine, tcLine, w.file, env.Installed)
	}
	if sel.Request.Version == "" {
		// No pin: the module's requirement is all there is.
		sel.Request = sel.Requirement
	}
	if sel.Request.Version == "" {
		return sel, ErrNoVersion
	}
	sel.Why = explain(sel, base, modules, go111)
	return sel, nil
}

// explain says why sel's result is not simply its pin; "" when it is.
func explain(sel Selection, base Request, modules bool, go111 string) string {
	pin := ""
	if sel.Pin.Version != "" {
		pin = sel.Pin.Source.String() + " asks for " + sel.Pin.Version
	}
	if base.Source.Kind == FromGOTOOLCHAIN {
		if pin != "" {
			pin = "GOTOOLCHAIN=" + sel.GOTOOLCHAIN + " replaces the pin, because go obeys it (" + pin + ")"
		} else {
			pin = "GOTOOLCHAIN=" + sel.GOTOOLCHAIN + " asks for " + base.Version
		}
	}
	switch {
	case sel.Request == sel.Pin:
		if !modules && go111 != "" && go111 != "on" {
			return "GO111MODULE=" + go111 + ": go reads no go.mod, go.work or GOTOOLCHAIN here"
		}
		return ""
	case sel.Request == base && sel.Pin.Version == "":
		return ""
	case sel.Request == base || base.Version == "":
		return pin
	}
	req := sel.Version
	if sel.Min != "" {
		req = sel.Min
	}
	return sel.Source.Path + " requires " + req + " or later (its " + sel.Source.Kind + " line); " + pin
}

// raise is cmd/go's auto/path step: a toolchain line newer than base wins,
// then a go line newer than that.
func raise(base Request, goLine, tcLine, file string, installed func() []string) Request {
	out := base
	min := effective(base, installed)
	if tcLine != "" && tcLine != "default" && (min == "" || cmp(tcLine, min) > 0) {
		out = Request{Version: tcLine, Source: Source{Kind: FromToolchain, Path: file}}
		min = tcLine
	}
	if goLine != "" && (min == "" || cmp(goLine, min) > 0) {
		out = goLineRequest(goLine, file)
	}
	return out
}

// requirement is the newer of a module file's toolchain and go lines.
func requirement(goLine, tcLine, file string) Request {
	return raise(Request{}, goLine, tcLine, file, nil)
}

func goLineRequest(goLine, file string) Request {
	v, _ := versions.Parse(goLine)
	return Request{Version: "go" + v.Lang(), Min: goLine, Source: Source{Kind: FromGoLine, Path: file}}
}

// effective is the version a request stands for when compared: itself
// when exact, else the installed SDK it resolves to, else its minimum.
func effective(r Request, installed func() []string) string {
	if r.Version == "" || r.Exact() {
		return r.Version
	}
	if installed != nil {
		if name, ok := Resolve(r, installed()); ok {
			return name
		}
	}
	if r.Min != "" {
		return r.Min
	}
	return r.Version
}

// gotoolchain is a parsed GOTOOLCHAIN.
type gotoolchain struct {
	name string // the release named, "" for local
	mode string // "auto", "path", or "" when switching is off
}

// parseGOTOOLCHAIN reads GOTOOLCHAIN as cmd/go does; "" (unset) is
// gover's default, which switches.
func parseGOTOOLCHAIN(v string) (gotoolchain, error) {
	switch v {
	case "", "auto":
		return gotoolchain{mode: "auto"}, nil
	case "path":
		return gotoolchain{mode: "path"}, nil
	}
	min, suffix, plus := strings.Cut(v, "+")
	var tc gotoolchain
	if min != "local" {
		name, err := ParseSpec(min)
		if err != nil || !strings.HasPrefix(min, "go") || strings.ContainsAny(min, `/\`) {
			return tc, fmt.Errorf("invalid GOTOOLCHAIN %q (want local, auto, path or a release such as go1.22.5, optionally with +auto or +path)", v)
		}
		if !IsExact(name) && cmp(name, "go1.21") >= 0 {
			return tc, fmt.Errorf("invalid GOTOOLCHAIN %q: %s is a language version, not a release (%s.0 is its first release)", v, min, name)
		}
		tc.name = name
	}
	if plus && suffix != "auto" && suffix != "path" {
		return tc, fmt.Errorf("invalid GOTOOLCHAIN %q: only version suffixes are +auto and +path", v)
	}
	tc.mode = suffix
	return tc, nil
}

// settings returns a lookup of go settings: the environment first, then
// the go env file (read once, on first need). It reports the file a
// value came from, "" for the environment.
func settings(env Env) func(string) (string, string) {
	var file map[string]string
	var path string
	read := false
	return func(key string) (string, string) {
		if v := env.Getenv(key); v != "" {
			return v, ""
		}
		if !read {
			read = true
			goos := env.GOOS
			if goos == "" {
				goos = runtime.GOOS
			}
			path = goenv.File(goos, env.Getenv)
			if path != "" {
				if f, err := env.Open(path); err == nil {
					file, _ = envFileValues(f, "GOTOOLCHAIN", "GOWORK", "GO111MODULE")
					f.Close()
				}
			}
		}
		if v := file[key]; v != "" {
			return v, path
		}
		return "", ""
	}
}

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

// IsExact reports whether name ("go1.22.5", "go1.22", "go1.23rc1") names
// one release. Minor versions ("go1.22", and "go1.20", which ParseSpec
// also makes of "1.20.0") mean the newest patch and are not exact.
func IsExact(name string) bool {
	v, err := versions.Parse(name)
	if err != nil {
		return false
	}
	return v.Prerelease() || strings.Count(name, ".") >= 2
}

// prerelease reports whether name is a beta or release candidate.
func prerelease(name string) bool {
	v, err := versions.Parse(name)
	return err == nil && v.Prerelease()
}

// cmp orders two valid go-prefixed versions as go/version does.
func cmp(a, b string) int {
	va, _ := versions.Parse(a)
	vb, _ := versions.Parse(b)
	return versions.Compare(va, vb)
}

// validGoLine reports whether a go line's value is a Go version as
// cmd/go writes it ("1.22", "1.22.3", "1.23rc1"; no "go" prefix).
func validGoLine(v string) bool {
	if strings.HasPrefix(v, "go") {
		return false
	}
	_, err := versions.Parse(v)
	return err == nil
}

// maxSpec bounds version strings read from files: a real one is at most
// a dozen bytes.
const maxSpec = 32

// ParseSpec validates a version as a user writes it ("1.22.5", "go1.22.5",
// "1.22", "1.23rc1", "go1.21.3-bigcorp") and returns the canonical
// go-prefixed name without suffix: "go1.22.5", or "go1.22" for a minor
// version, which asks for its newest patch. It is strict on purpose: the
// result becomes part of a file path (goenv CVE-2022-35861), so it must
// pass versions.Parse, which allows only digits, dots and rc/beta.
func ParseSpec(s string) (string, error) {
	if len(s) > maxSpec {
		return "", fmt.Errorf("invalid Go version %.32q...", s)
	}
	x := s
	if i := strings.IndexByte(x, '-'); i >= 0 {
		// Toolchain suffixes (go1.21.3-bigcorp) name a vendor build of
		// that release; the release is what gover can install.
		x = x[:i]
	}
	v, err := versions.Parse(x)
	if err != nil {
		if x != s {
			return "", fmt.Errorf("invalid Go version %q", s)
		}
		return "", err
	}
	if strings.Count(x, ".") == 1 && !v.Prerelease() {
		return "go" + v.Lang(), nil
	}
	return v.Name(), nil
}
