// Package shim picks the Go version a folder asks for and runs that SDK's
// go or gofmt in place of the one on PATH.
//
// Selection ([Select]) is shared with `gover current`, `gover which` and
// `gover env`; first match wins:
//
//  1. GOVER_VERSION;
//  2. GOTOOLCHAIN naming a release (go1.22.5, go1.22.5+auto);
//  3. the nearest .go-version walking up from the folder (go -C dir moves it);
//  4. the go.work cmd/go would use (GOWORK, incl. off), else the nearest
//     go.mod: its toolchain line, else its go line;
//  5. the global default (GOVER_HOME/version).
//
// [Resolve] then maps the request onto what is installed, and [Shim.Run]
// execs <sdk>/bin/<tool> by absolute path with GOROOT set to the SDK and
// GOTOOLCHAIN=local (unless the user set GOTOOLCHAIN), so the chosen go
// neither recurses into the shim nor switches toolchains behind gover's
// back:
//
//	$ cd ~/src/project && cat .go-version
//	1.22.5
//	$ go version                # GOVER_HOME/bin/go, the shim
//	go version go1.22.5 linux/amd64
//
// # One small binary, measured
//
// The shim is its own main package, cmd/gover-shim, not the gover binary
// dispatching on argv[0]. It links this package, store's lookup, versions
// and the standard library; no urfave/cli, net/http, crypto/tls,
// Masterminds/semver or modfile (TestShimStaysSmall enforces it), because
// every go invocation in an editor, a build script or `go generate` pays
// its start-up cost. Measured on the 2-core build VM (Go 1.26.8, go1.26.8
// as the SDK, a folder six levels below a go.mod and a .go-version;
// bench/shim.sh runs hyperfine -N, 1000 runs each, twice):
//
//	                                    median wall     vs direct
//	SDK's go run directly               3.92 / 4.08 ms
//	empty Go program that only execs    5.37 / 5.78 ms  +1.45 / +1.70 ms  (floor for any Go shim)
//	cmd/gover-shim                      5.82 / 6.69 ms  +1.90 / +2.61 ms
//	a binary linking gover's CLI deps   7.2 ms (min)    +4.5 ms (min; the argv[0]-dispatch option)
//
// The machine was shared and loaded (load average 10-18) during these
// runs, so means were dominated by scheduling noise (hyperfine's means
// were +2 to +13 ms for every Go binary); medians are the steadier figure.
// perf stat -r 300 put the shim's CPU time within ±0.3 ms of the empty Go
// program's; it faults in about 50-80 more pages (a 3.7 MB binary against
// 2.1 MB: store and versions bring fmt, encoding/json and x/sys/unix).
// So nearly all of the overhead is Go's own runtime start-up (signal
// handlers, heap arenas, threads, cgroup probing), which no Go shim avoids, and the +1.0 ms target is below that
// floor on this machine. What the shim keeps off its hot path: no flag or
// config parsing, no JSON (the store's "manifest present, no partial
// marker" contract is checked with three lstats; only imported SDKs read
// their manifest), no network, and a walk up that opens at most three
// names per folder. BenchmarkFind, the whole decision before exec, takes
// 65 µs (exact .go-version) to 120 µs (go.mod go line) in the quietest
// runs on this VM, and up to three times that under its heaviest load:
// nearly all of it is the ~25 open and stat calls of the walk up.
//
// On Unix the shim replaces itself with syscall.Exec. Windows has no exec:
// the shim starts the child with the console and std handles inherited,
// puts it in a kill-on-close job object so killing the shim kills go,
// ignores Ctrl+C and console close while the child handles them, and exits
// with the child's full 32-bit exit code.
package shim

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gover/gover/internal/exitcode"
)

// CodeNotFound is the exit code for a version that is not installed.
const CodeNotFound = exitcode.CodeNotFound

// switchEnv is the variable cmd/go sets on the toolchain it switches to
// (cmd/go/internal/toolchain: targetEnv); the target checks it names
// itself and clears it, so children never inherit it.
const switchEnv = "GOTOOLCHAIN_INTERNAL_SWITCH_VERSION"

// Shim runs one tool (go or gofmt) from the SDK a folder selects.
// Everything it reads from the outside world is injected.
type Shim struct {
	Tool    string // "go" or "gofmt"
	Env     Env
	Environ []string // the process environment, for the child
	Stderr  io.Writer

	// GOROOT reports the folder of an installed SDK ("go1.22.5"), or ""
	// when it is not installed.
	GOROOT func(name string) string
	// Install installs spec ("1.22.5", "1.22") and is called when the
	// selected version is missing, unless GOVER_AUTO_INSTALL is false.
	Install func(spec string) error
	// Self is the shim's own executable, or "" when unknown; the shim
	// refuses to run a target that is itself.
	Self string
	// BinDir is GOVER_HOME/bin, where the goX.Y.Z entries cmd/go switches
	// to live; "" leaves PATH alone.
	BinDir string
}

// Target is what the shim will run.
type Target struct {
	Selection Selection
	Name      string // the installed version, "go1.22.5"
	GOROOT    string
	Path      string // GOROOT/bin/<tool>
}

// Find selects, resolves and, when allowed, installs the SDK for args.
func (s *Shim) Find(args []string) (Target, error) {
	var sel Selection
	if v := s.Env.Getenv(switchEnv); v != "" && s.Tool == "go" {
		// cmd/go is switching to a goX.Y.Z entry (this shim): run
		// exactly that release, whatever the folder says.
		name, err := ParseSpec(v)
		if err != nil || !IsExact(name) || name != v {
			return Target{}, fmt.Errorf("go asked to switch to %q, which is not a Go release gover can run", v)
		}
		sel.Request = Request{Version: name, Source: Source{Kind: FromSwitch}}
	} else {
		if s.Tool != "go" {
			args = nil // -C is cmd/go's flag; gofmt has none like it
		}
		var err error
		sel, err = Select(s.Env, args)
		if err != nil {
			if errors.Is(err, ErrNoVersion) {
				return Target{}, exitcode.NotFound(fmt.Errorf("no Go version selected for %s", s.Env.Dir), "gover use --global 1.22.5  (or gover use 1.22.5 in the project folder)")
			}
			return Target{}, err
		}
	}
	installed := func() []string {
		if s.Env.Installed == nil {
			return nil
		}
		return s.Env.Installed()
	}
	name, goroot := sel.Version, ""
	if sel.Exact() {
		goroot = s.GOROOT(name)
	} else {
		var ok bool
		if name, ok = Resolve(sel.Request, installed()); ok {
			goroot = s.GOROOT(name)
		}
	}
	if goroot == "" {
		spec := sel.Spec()
		if !autoInstall(s.Env.Getenv("GOVER_AUTO_INSTALL")) || s.Install == nil {
			return Target{}, exitcode.NotFound(fmt.Errorf("%s is not installed (selected by %s)", describe(sel.Request), sel.Source), "gover install "+spec)
		}
		if err := s.Install(spec); err != nil {
			return Target{}, exitcode.New(exitcode.CodeError, fmt.Errorf("installing %s (selected by %s): %w", name, sel.Source, err), "gover install "+spec)
		}
		if !sel.Exact() {
			name, _ = Resolve(sel.Request, installed())
		}
		if goroot = s.GOROOT(name); goroot == "" {
			return Target{}, exitcode.NotFound(fmt.Errorf("%s is still not installed after gover install %s", name, spec), "gover install "+spec)
		}
	}
	return Target{Selection: sel, Name: name, GOROOT: goroot, Path: filepath.Join(goroot, "bin", s.Tool+exeSuffix)}, nil
}

// autoInstall reads GOVER_AUTO_INSTALL: on unless 0, false, no or off.
func autoInstall(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "0", "false", "no", "off":
		return false
	}
	return true
}

// describe names what r asks for: "go1.22.5", "a go1.22.x", "go1.22.3
// or a later go1.22.x".
func describe(r Request) string {
	switch {
	case r.Exact():
		return r.Version
	case r.Min != "" && IsExact(r.Min):
		return r.Min + " or a later " + r.Version + ".x"
	}
	return "a " + r.Version + ".x"
}

// Run finds the target and runs it with args, returning the exit code
// (on Unix it does not return when the exec succeeds).
func (s *Shim) Run(args []string) int {
	t, err := s.Find(args)
	if err == nil {
		err = s.guard(t.Path)
	}
	if err != nil {
		return s.fail(err)
	}
	var env []string
	if t.Selection.Source.Kind == FromSwitch {
		// go set up this switch; only GOROOT changes.
		env = shimEnv(s.Environ, t.GOROOT, true, "")
	} else {
		env = shimEnv(s.Environ, t.GOROOT, t.Selection.GOTOOLCHAIN != "", s.BinDir)
	}
	code, err := run(t.Path, args, env)
	if err != nil {
		return s.fail(fmt.Errorf("running %s: %w", t.Path, err))
	}
	return code
}

func (s *Shim) fail(err error) int {
	fmt.Fprintf(s.Stderr, "gover: %v\n", err)
	if h := exitcode.Hint(err); h != "" {
		fmt.Fprintf(s.Stderr, "gover: hint: %s\n", h)
	}
	return exitcode.Code(err)
}

// guard refuses to run the shim itself: an SDK whose bin/go is (a link to)
// a shim would otherwise exec forever. It costs one lstat on the hot path.
func (s *Shim) guard(path string) error {
	fi, err := os.Lstat(path)
	if err != nil {
		v := strings.TrimPrefix(filepath.Base(filepath.Dir(filepath.Dir(path))), "go")
		return exitcode.NotFound(fmt.Errorf("the SDK has no %s: %w", filepath.Base(path), err), "gover uninstall "+v+" && gover install "+v)
	}
	if s.Self == "" {
		return nil
	}
	self, err := os.Stat(s.Self)
	if err != nil {
		return nil
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		if fi, err = os.Stat(path); err != nil {
			return nil
		}
	}
	if os.SameFile(fi, self) {
		return fmt.Errorf("%s is the gover shim itself; the SDK in %s is broken", path, filepath.Dir(filepath.Dir(path)))
	}
	return nil
}

// ChildEnv is environ with GOROOT replaced by goroot and, unless the user
// set GOTOOLCHAIN, GOTOOLCHAIN=local: the environment `gover exec` runs a
// command in, pinned to the SDK asked for. The shim's own is shimEnv.
func ChildEnv(environ []string, goroot string) []string {
	env := make([]string, 0, len(environ)+2)
	hasToolchain := false
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		switch {
		case envKey(k, "GOROOT"):
			continue
		case envKey(k, "GOTOOLCHAIN"):
			if v == "" {
				continue
			}
			hasToolchain = true
		}
		env = append(env, kv)
	}
	env = append(env, "GOROOT="+goroot)
	if !hasToolchain {
		env = append(env, "GOTOOLCHAIN=local")
	}
	return env
}

// shimEnv is the environment the shim runs the SDK's tool with: environ
// with GOROOT replaced by goroot, and PATH and GOTOOLCHAIN as below.
//
// When the user set no GOTOOLCHAIN (neither in the environment nor with
// go env -w; userToolchain false), go runs with GOTOOLCHAIN=path rather
// than local, so that it may still switch up when a command needs a newer
// Go (go get go@1.27.0, a dependency's go line), but only to the goX.Y.Z
// entries gover keeps in binDir, never by downloading. The chosen SDK
// itself never switches away: path mode starts from go's own version and
// moves only up to what go.mod requires, which the shim has already met.
// A user's own GOTOOLCHAIN is passed through untouched.
//
// binDir is appended to PATH when PATH lacks it (a shim run by absolute
// path from an IDE), so that path mode finds the entries; appending
// rather than prepending keeps whichever go came first on PATH for the
// programs go runs.
func shimEnv(environ []string, goroot string, userToolchain bool, binDir string) []string {
	env := make([]string, 0, len(environ)+3)
	hasPath := false
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		switch {
		case envKey(k, "GOROOT"):
			continue
		case envKey(k, "GOTOOLCHAIN"):
			if v == "" {
				continue
			}
			userToolchain = true
		case envKey(k, "PATH") && binDir != "":
			hasPath = true
			if !onPath(v, binDir) {
				if v != "" {
					v += string(os.PathListSeparator)
				}
				kv = k + "=" + v + binDir
			}
		}
		env = append(env, kv)
	}
	if !hasPath && binDir != "" {
		env = append(env, "PATH="+binDir)
	}
	env = append(env, "GOROOT="+goroot)
	if !userToolchain {
		env = append(env, "GOTOOLCHAIN=path")
	}
	return env
}

// onPath reports whether dir is an entry of the PATH list.
func onPath(list, dir string) bool {
	dir = filepath.Clean(dir)
	for _, e := range filepath.SplitList(list) {
		if e != "" && samePathName(filepath.Clean(e), dir) {
			return true
		}
	}
	return false
}
