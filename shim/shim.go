// Package shim picks the Go version a folder gets and runs that SDK's go or
// gofmt in place of the one on PATH.
//
// # Selection: cmd/go's rules, with gover's pin as the local toolchain
//
// [Select] is shared by the shim and every gover command that reports or
// acts on a folder's version (current, which, env, exec, activate, ide,
// doctor), through [NewEnv] and the line scanners in read.go, so they all
// give the same answer. cmd/go's own toolchain selection
// (src/cmd/go/internal/toolchain/select.go) is the specification; gover's
// pin stands where cmd/go has "the local toolchain":
//
//  1. the pin: GOVER_VERSION; else the nearest .go-version, else
//     .tool-versions (golang or go line) in the same folder, walking up
//     (go -C dir moves the start); else the global default
//     (GOVER_HOME/version);
//  2. GOTOOLCHAIN, from the environment or else the go env -w file:
//     local, auto, path, <name>, <name>+auto, <name>+path. A <name>
//     replaces the pin (GOVER_VERSION included), because the user's
//     GOTOOLCHAIN reaches go untouched and go obeys it;
//  3. unless GOTOOLCHAIN forbids switching (local, or a name without
//     +auto/+path), the result moves up to the module's requirement: the
//     newer of the toolchain and go lines of the go.work (GOWORK honoured,
//     off included) or else the nearest go.mod, read exactly as cmd/go
//     reads them (first line of each; "toolchain default" turns moving up
//     off; -bigcorp suffixes stripped). A go line "go 1.22.3" takes the
//     newest installed 1.22.x that is at least 1.22.3, where cmd/go would
//     take exactly go1.22.3; go then sees a toolchain new enough and does
//     not switch;
//  4. with GO111MODULE=off (or auto outside a module) go ignores go.mod and
//     GOTOOLCHAIN, and so does Select.
//
// [Resolve] then maps the result onto what is installed (the store's rule,
// [store.Store.IsInstalled], two lstats), and [Shim.Run] execs
// <sdk>/bin/<tool> by absolute path with GOROOT set to the SDK:
//
//	$ cd ~/src/project && cat .go-version
//	1.22.5
//	$ go version                # GOVER_HOME/bin/go, the shim
//	go version go1.22.5 linux/amd64
//
// # cmd/go's own switching, served from the store
//
// The shim does not set GOTOOLCHAIN=local. When the user set no
// GOTOOLCHAIN, the SDK's go runs with GOTOOLCHAIN=path: it starts from its
// own version, which already meets go.mod, and switches only when a
// command needs a newer Go (go get go@1.27.0, a dependency's go line) and
// then only to a goX.Y.Z program found on PATH, never by downloading into
// the module cache. A user's own GOTOOLCHAIN (environment or go env -w)
// reaches go untouched; `path` names no version, so a nested go run
// through the shim selects as usual.
//
// gover keeps one GOVER_HOME/bin/goX.Y.Z (goX.Y.Z.exe, found through
// PATHEXT on Windows) per installed SDK; install, import, uninstall, setup
// and sync keep them in step (registry.LinkToolchains). Each entry is this
// shim itself, not a link to the SDK's go, because:
//
//   - cmd/go runs a toolchain found on PATH with GOROOT unset, and an SDK's
//     go finds its GOROOT from its own path. A symbolic link resolves, but
//     Windows makes symbolic links only with Developer Mode, and a hard
//     link or copy of go.exe outside its SDK finds no GOROOT. The shim
//     sets GOROOT itself, so a hard link or copy works on every system.
//   - cmd/go tells the toolchain it switches to which release it expects
//     (GOTOOLCHAIN_INTERNAL_SWITCH_VERSION, which the target clears). The
//     shim runs exactly that release, installing it first when it is
//     missing (verified, through gover install) instead of failing.
//   - typed by hand, go1.22.5 runs go1.22.5 with GOTOOLCHAIN=local (unless
//     set), as golang.org/dl's wrappers of that name do ([ReleaseName]).
//   - there are no loops: the shim runs the SDK's go by absolute path, and
//     cmd/go's own switch counter travels through the shim's environment.
//
// Path mode finds the entries through PATH. When GOVER_HOME/bin is not on
// the child's PATH (a shim started by absolute path from an IDE), the
// shim appends it, last, so cmd/go can switch while every other program
// found on PATH, go included, stays the one the user had first.
//
// # One small binary, measured
//
// The shim is its own main package, cmd/gover-shim, not the gover binary
// dispatching on argv[0]. It links this package, store's lookup, versions,
// internal/goenv and the standard library; no urfave/cli, net/http,
// crypto/tls, Masterminds/semver or modfile (TestShimStaysSmall enforces
// it), because every go invocation in an editor, a build script or
// `go generate` pays its start-up cost. bench/shim.sh measures, side by
// side and interleaved in one run, the SDK's go run directly, a Go program
// that only execs it (the floor for any Go shim), and the shim six folders
// below a go.mod and a .go-version (median wall time per `go version`).
// On the shared 2-core build VM, with a load average of 8 to 13 from other
// jobs (2026-12-02, 1000 rounds, go1.26.8 imported as the SDK), before and
// after removing the start-up regexp and Join's cleaning pass (below):
//
//	                                  median    vs direct   vs exec-only
//	before: SDK's go run directly     3.93 ms
//	        exec-only Go program      5.90 ms   +1.97 ms
//	        gover shim                6.55 ms   +2.62 ms    +0.65 ms
//	after:  SDK's go run directly     4.19 ms
//	        exec-only Go program      6.50 ms   +2.31 ms
//	        gover shim                6.98 ms   +2.79 ms    +0.48 ms
//
// Separate runs under that load differ by a few tenths of a millisecond,
// so the fairer comparison is the old and new shim in the same run: the
// exec-only program 6.60 ms, the old shim 6.80 ms (+0.20), the new one
// 6.66 ms (+0.06), 1500 rounds at a load average of 6 to 7.
//
// Where the time went, measured inside the shim (median of 300 runs,
// timestamps from the start of Main to just before the exec, about
// 0.3 ms in all): os.Environ and os.Executable 0.07 ms, os.Getwd 0.02 ms,
// the go env file 0.04 ms, the walk up to the .go-version 0.13 ms, the
// rest of the walk (go.mod, go.work up to the root) 0.03 ms, the store
// lookup and guard 0.05 ms. System calls cost about 2 µs each on this VM
// and are most of it (the walk builds its paths without filepath.Join's
// cleaning pass, which was 8% of its CPU time): the walk's openat calls (38 six folders down) cannot
// be fewer, because every name cmd/go would consult is consulted; a
// directory descriptor per folder (openat relative to it) measured no
// faster. Before Main, package initialisation compiled a regexp in store
// (0.1 ms, 94 allocations, and it linked regexp); store now matches its
// bin entries by hand and its init costs 0.006 ms. Binary size matters
// little: the shim's start-up touches about 23 more pages than a trivial
// Go program.
//
// What the shim keeps off its hot path: no flag or config parsing, no JSON
// (installed is two lstats; only imported SDKs read their manifest), no
// network, files opened with plain system calls (no poller set-up), and
// one walk up that opens at most four names per folder.
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
	// Release is the release the shim was started as, when its name is a
	// goX.Y.Z entry ("go1.22.5"); "" otherwise. See [ReleaseName].
	Release string
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
	if s.Release != "" && s.Tool == "go" && s.Env.Getenv(switchEnv) == "" {
		// Run as GOVER_HOME/bin/goX.Y.Z by name, as golang.org/dl's
		// wrappers are: that release, whatever the folder says.
		sel.Request = Request{Version: s.Release, Source: Source{Kind: FromEntry}}
	} else if v := s.Env.Getenv(switchEnv); v != "" && s.Tool == "go" {
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
				return Target{}, exitcode.NotFound(fmt.Errorf("no Go version selected for %s", s.Env.Dir), "gover use --global latest")
			}
			if exitcode.Hint(err) == "" {
				// A file that selects nothing valid: write one that does,
				// as gover current says.
				err = exitcode.WithHint(err, "gover use <version>")
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
		auto, known := AutoInstall(s.Env.Getenv("GOVER_AUTO_INSTALL"))
		if !known {
			fmt.Fprintf(s.Stderr, "gover: GOVER_AUTO_INSTALL=%q is not one of 1, 0, true, false, yes, no, on, off; installing as if unset\n", s.Env.Getenv("GOVER_AUTO_INSTALL"))
		}
		if !auto || s.Install == nil {
			return Target{}, exitcode.NotFound(fmt.Errorf("%s is not installed (selected by %s)", describe(sel.Request), sel.Source), "gover install "+spec)
		}
		if s.Stderr != nil {
			// Say why a go command is suddenly downloading.
			fmt.Fprintf(s.Stderr, "gover: %s is not installed; installing it now (selected by %s; GOVER_AUTO_INSTALL=0 turns this off)\n", describe(sel.Request), sel.Source)
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

// ReleaseName is the release a shim started as arg0 stands for: "go1.22.5"
// for GOVER_HOME/bin/go1.22.5 (go1.22.5.exe), typed by hand as one types
// golang.org/dl's wrappers; "" for go, gofmt and anything else. When
// cmd/go switches to an entry it passes its own argv[0] instead, and names
// the release in GOTOOLCHAIN_INTERNAL_SWITCH_VERSION.
func ReleaseName(arg0 string) string {
	name := filepath.Base(arg0)
	if len(name) > 4 && strings.EqualFold(name[len(name)-4:], ".exe") {
		name = name[:len(name)-4]
	}
	if !strings.HasPrefix(name, "go1.") {
		return ""
	}
	v, err := ParseSpec(name)
	if err != nil || v != name || !IsExact(v) {
		return ""
	}
	return v
}

// AutoInstall reads GOVER_AUTO_INSTALL: on unless 0, false, no or off
// (any case). known is false for a value that is none of the usual boolean
// spellings (1, true, yes, on, or empty), which callers warn about.
func AutoInstall(v string) (on, known bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "0", "false", "no", "off":
		return false, true
	case "", "1", "true", "yes", "on":
		return true, true
	}
	return true, false
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
		err = s.guard(t)
	}
	if err != nil {
		return s.fail(err)
	}
	var env []string
	switch t.Selection.Source.Kind {
	case FromSwitch:
		// go set up this switch; only GOROOT changes.
		env = shimEnv(s.Environ, t.GOROOT, true, "")
	case FromEntry:
		// goX.Y.Z typed by hand means that release, as golang.org/dl's
		// wrappers do it: GOTOOLCHAIN=local unless set.
		env = ChildEnv(s.Environ, t.GOROOT)
	default:
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
func (s *Shim) guard(t Target) error {
	path := t.Path
	fi, err := os.Lstat(path)
	if err != nil {
		v := strings.TrimPrefix(t.Name, "go")
		// gover installs into sdk/go1.22.5; anything else was imported,
		// and installing does not repair a folder gover did not create.
		hint := "gover install --force " + v
		if filepath.Base(t.GOROOT) != t.Name || filepath.Base(filepath.Dir(t.GOROOT)) != "sdk" {
			hint = "gover uninstall --force " + v + "   (forget the import of " + t.GOROOT + ")"
		}
		return exitcode.NotFound(fmt.Errorf("the SDK has no %s: %w", filepath.Base(path), err), hint)
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
	return childEnv(environ, goroot, "local", "")
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
	toolchain := "path"
	if userToolchain {
		toolchain = ""
	}
	return childEnv(environ, goroot, toolchain, binDir)
}

// childEnv is environ with GOROOT replaced by goroot, binDir appended to
// PATH when binDir is set and PATH lacks it, and GOTOOLCHAIN=toolchain
// added when the environment sets no GOTOOLCHAIN and toolchain is not "".
// An empty GOTOOLCHAIN in environ counts as unset and is dropped.
func childEnv(environ []string, goroot, toolchain, binDir string) []string {
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
			toolchain = ""
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
	if toolchain != "" {
		env = append(env, "GOTOOLCHAIN="+toolchain)
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
