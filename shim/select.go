package shim

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

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
