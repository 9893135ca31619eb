package shim

import (
	"errors"
	"fmt"
	"go/version"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/gover/gover/versions"
)

// Kinds of [Source]: where a selection came from.
const (
	FromGoverVersion = "GOVER_VERSION"
	FromGOTOOLCHAIN  = "GOTOOLCHAIN"
	FromGoVersion    = ".go-version"
	FromToolchain    = "toolchain" // a go.work or go.mod toolchain line
	FromGoLine       = "go"        // a go.work or go.mod go line
	FromGlobal       = "global"    // GOVER_HOME/version
)

// Source says which variable or file chose a version.
type Source struct {
	Kind string // one of the From* constants
	Path string // the file that chose it; empty for variables and the global default
}

func (s Source) String() string {
	switch s.Kind {
	case FromGoverVersion, FromGOTOOLCHAIN:
		return s.Kind + " environment variable"
	case FromToolchain, FromGoLine:
		return s.Kind + " line in " + s.Path
	case FromGlobal:
		return "global default"
	}
	return s.Path
}

// Selection is what a folder asks for, before looking at what is installed.
type Selection struct {
	// Version is a valid go-prefixed version: exact ("go1.22.5",
	// "go1.23rc1") or partial ("go1.22": the newest patch of 1.22).
	Version string
	// Min is the lowest acceptable version when the request came from a go
	// line ("go 1.22.3" asks for a 1.22 that is at least go1.22.3); empty
	// otherwise.
	Min    string
	Source Source
}

// Exact reports whether the selection names one release rather than a
// minor version's newest patch.
func (s Selection) Exact() bool { return IsExact(s.Version) }

// Spec is the argument for `gover install` that satisfies the selection:
// "1.22.5", or "1.22" for the newest patch of a minor.
func (s Selection) Spec() string {
	if prerelease(s.Min) {
		// A go line naming a prerelease ("go 1.23rc1") may predate the
		// minor's first release; ask for exactly that.
		return strings.TrimPrefix(s.Min, "go")
	}
	return strings.TrimPrefix(s.Version, "go")
}

// Env is what selection reads from the outside world. Select touches the
// process environment and file system only through it, apart from one
// os.Stat when a .go-version cannot be read (to tell a folder of that name
// from a broken file).
type Env struct {
	Getenv   func(string) string
	Dir      string                       // the working folder, absolute
	ReadFile func(string) ([]byte, error) // os.ReadFile
	Global   func() (string, error)       // the global default version ("" if none)
}

// ErrNoVersion is returned (wrapped) when nothing selects a version.
var ErrNoVersion = errors.New("no Go version selected")

// Select reports which version the folder env.Dir asks for, given the go
// command's arguments args (without the program name). args matter only
// for -C, which moves the starting folder as it does for cmd/go.
//
// First match wins: GOVER_VERSION; GOTOOLCHAIN naming a release; the
// nearest .go-version; the go.work that cmd/go would use, else the nearest
// go.mod (toolchain line, else go line); the global default.
func Select(env Env, args []string) (Selection, error) {
	if v := env.Getenv("GOVER_VERSION"); v != "" {
		name, err := ParseSpec(v)
		if err != nil {
			return Selection{}, fmt.Errorf("GOVER_VERSION: %w", err)
		}
		return Selection{Version: name, Source: Source{Kind: FromGoverVersion}}, nil
	}
	if name, ok := toolchainFromEnv(env.Getenv("GOTOOLCHAIN")); ok {
		return Selection{Version: name, Source: Source{Kind: FromGOTOOLCHAIN}}, nil
	}

	dir := env.Dir
	if c := chdirFlag(args); c != "" {
		if filepath.IsAbs(c) {
			dir = filepath.Clean(c)
		} else {
			dir = filepath.Join(dir, c)
		}
	}

	// One walk up finds the nearest .go-version and, on the way, the
	// nearest go.work and go.mod, so each folder is read at most once.
	gowork := env.Getenv("GOWORK")
	walkWork := gowork == "" || gowork == "auto"
	var workFile, modFile string
	var workData, modData []byte
	for d := dir; ; {
		p := filepath.Join(d, ".go-version")
		if data, err := env.ReadFile(p); err == nil {
			name, err := ParseGoVersionFile(data)
			if err != nil {
				return Selection{}, fmt.Errorf("%s: %w", p, err)
			}
			return Selection{Version: name, Source: Source{Kind: FromGoVersion, Path: p}}, nil
		} else if !notExist(err) && !isDir(p) {
			return Selection{}, err
		}
		if walkWork && workFile == "" {
			p := filepath.Join(d, "go.work")
			if data, err := env.ReadFile(p); err == nil {
				workFile, workData = p, data
			}
		}
		if modFile == "" && workFile == "" {
			p := filepath.Join(d, "go.mod")
			if data, err := env.ReadFile(p); err == nil {
				modFile, modData = p, data
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}

	if gowork != "" && gowork != "auto" && gowork != "off" {
		// cmd/go insists on an absolute path ending in .work; a go.work
		// it would reject chooses nothing here either.
		if filepath.IsAbs(gowork) && strings.HasSuffix(gowork, ".work") {
			if data, err := env.ReadFile(gowork); err == nil {
				workFile, workData = gowork, data
			}
		}
	}
	file, data := modFile, modData
	if workFile != "" {
		// A go.work found anywhere above beats a closer go.mod: cmd/go
		// then runs in workspace mode and reads only go.work's lines.
		file, data = workFile, workData
	}
	if file != "" {
		goLine, toolchain, err := ScanModFile(data)
		if err != nil {
			return Selection{}, fmt.Errorf("%s: %w", file, err)
		}
		if toolchain != "" {
			return Selection{Version: toolchain, Source: Source{Kind: FromToolchain, Path: file}}, nil
		}
		if goLine != "" {
			return Selection{Version: version.Lang(goLine), Min: goLine, Source: Source{Kind: FromGoLine, Path: file}}, nil
		}
	}

	if env.Global != nil {
		v, err := env.Global()
		if err != nil {
			return Selection{}, err
		}
		if v != "" {
			name, err := ParseSpec(v)
			if err != nil {
				return Selection{}, fmt.Errorf("global default: %w", err)
			}
			return Selection{Version: name, Source: Source{Kind: FromGlobal}}, nil
		}
	}
	return Selection{}, ErrNoVersion
}

func notExist(err error) bool {
	// ENOTDIR shows up when a path component is a file; treat it like
	// absence, as cmd/go does when it walks up.
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// isDir reports whether p is a folder, which a .go-version may
// legitimately be (some tools keep a .go-version/ directory of their own).
// It is asked only after a read failed, off the hot path.
func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
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

// toolchainFromEnv interprets GOTOOLCHAIN: "go1.22.5", "go1.22.5+auto" and
// "go1.22.5+path" name a release; "local", "auto", "path" and anything
// else name none.
func toolchainFromEnv(v string) (string, bool) {
	v, _, _ = strings.Cut(v, "+")
	if !strings.HasPrefix(v, "go") {
		return "", false
	}
	name, err := ParseSpec(v)
	if err != nil {
		return "", false
	}
	return name, true
}

// IsExact reports whether name ("go1.22.5", "go1.22", "go1.23rc1") names one
// release. Minor versions ("go1.22") mean the newest patch and are not exact.
func IsExact(name string) bool {
	return version.Lang(name) != name
}

func prerelease(name string) bool {
	return strings.Contains(name, "rc") || strings.Contains(name, "beta")
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

// ParseGoVersionFile reads a .go-version file: one version on one line,
// blank lines and # comments ignored (the goenv, asdf and mise format).
// A byte-order mark and CRLF line ends, as Windows editors write them,
// are accepted.
func ParseGoVersionFile(data []byte) (string, error) {
	if len(data) > 4096 {
		return "", errors.New("not a .go-version file: larger than 4 KiB")
	}
	s := strings.TrimPrefix(string(data), "\ufeff")
	var found string
	for line := range strings.Lines(s) {
		line, _, _ = strings.Cut(line, "#")
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if found != "" {
			return "", errors.New("more than one version; a .go-version file holds exactly one")
		}
		found = line
	}
	if found == "" {
		return "", errors.New("empty; it should hold one Go version such as 1.22.5")
	}
	return ParseSpec(found)
}

// ScanModFile reads the go and toolchain lines of a go.mod or go.work
// file, returning them as go-prefixed names ("go1.22.3", "go1.23.1") or
// "" when absent. A "toolchain default" line counts as absent and a
// toolchain suffix ("-bigcorp") is stripped.
//
// It is a deliberately small line scanner rather than a modfile parse:
// the shim runs on every go invocation and only needs two lines. Fuzzing
// checks it against golang.org/x/mod/modfile on every file modfile
// accepts.
func ScanModFile(data []byte) (goLine, toolchain string, err error) {
	block := ""
	for line := range strings.Lines(string(data)) {
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		verb := f[0]
		if block != "" {
			if verb == ")" {
				block = ""
				continue
			}
			verb, f = block, append([]string{block}, f...)
		} else if len(f) == 2 && f[1] == "(" || len(f) == 1 && strings.HasSuffix(verb, "(") {
			block = strings.TrimSuffix(verb, "(")
			continue
		}
		switch verb {
		case "go":
			if len(f) != 2 {
				continue
			}
			_, perr := versions.Parse(f[1])
			if perr != nil || strings.HasPrefix(f[1], "go") {
				return "", "", fmt.Errorf("invalid go version %q", f[1])
			}
			goLine = "go" + f[1]
		case "toolchain":
			if len(f) != 2 || f[1] == "default" {
				continue
			}
			name, perr := ParseSpec(f[1])
			if perr != nil || !strings.HasPrefix(f[1], "go") {
				return "", "", fmt.Errorf("invalid toolchain %q", f[1])
			}
			toolchain = name
		}
	}
	return goLine, toolchain, nil
}
