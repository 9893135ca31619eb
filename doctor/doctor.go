// Package doctor finds what stands between a user and the Go version gover
// selects: shims missing or stale, another go earlier on PATH, an exported
// GOROOT, a GOPATH inside an SDK, a GOPROXY or GOSUMDB that breaks downloads,
// Windows registry values out of step, VS Code settings pinning one SDK, a
// Delve too old for the selected Go. Each check ends ok, warning or error,
// with a one-line finding and the exact command that fixes it.
//
//	rep := doctor.Run(ctx, doctor.Env{
//		Getenv: os.Getenv,
//		Root:   root, // GOVER_HOME
//		Dir:    wd,
//		Client: client, // the one *http.Client main builds
//	})
//	rep.WriteText(os.Stdout, color)
//	if rep.Errors() > 0 {
//		os.Exit(exitcode.CodeDoctor)
//	}
//
// Everything the checks read from the outside world comes through Env, so a
// test can plant a problem (a fake go ahead of the shims, GOSUMDB=off, a proxy
// on a closed port) in a temporary folder and look for the finding.
//
// Network probes run concurrently, each under Env.Timeout, so a run with
// every server unreachable still ends within a few seconds; Env.Offline skips
// them.
//
// Some findings carry a safe fix (refresh the shims, put the shims first in
// the Windows user PATH, point the current link at the global default, take
// go.goroot out of VS Code settings). ApplyFixes applies them after saving
// everything it touches under GOVER_HOME/backup/, and Restore puts a backup
// back.
package doctor

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/gover/gover/internal/shellhint"
	"github.com/gover/gover/registry"
	"github.com/gover/gover/store"
	"github.com/gover/gover/store/source"
)

// Status is how bad a finding is.
type Status int

const (
	OK Status = iota
	Warning
	Error
)

func (s Status) String() string {
	switch s {
	case OK:
		return "ok"
	case Warning:
		return "warning"
	default:
		return "error"
	}
}

// MarshalText makes a Status "ok", "warning" or "error" in JSON.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Areas group checks in the report, in this order.
const (
	AreaShims    = "shims and selection"
	AreaPath     = "PATH"
	AreaGOROOT   = "GOROOT"
	AreaGOPATH   = "GOPATH and GOBIN"
	AreaDownload = "downloads (GOPROXY, GOSUMDB, GOTOOLCHAIN)"
	AreaWindows  = "Windows"
	AreaIDE      = "IDEs and tools"
)

var areaOrder = []string{AreaShims, AreaPath, AreaGOROOT, AreaGOPATH, AreaDownload, AreaWindows, AreaIDE}

// Check is one finding.
type Check struct {
	// ID names the check, stable across releases: "path.go", "goroot.exported".
	ID      string `json:"id"`
	Area    string `json:"area"`
	Status  Status `json:"status"`
	Finding string `json:"finding"`
	// Hint is the exact command (or edit) that fixes the finding.
	Hint string `json:"hint,omitempty"`
	// Fix describes the change --fix would make; empty when there is no
	// safe automatic fix.
	Fix string `json:"fix,omitempty"`

	apply func(b *Backup) error
}

// Env is everything the checks read. Zero fields get the defaults named.
type Env struct {
	// Getenv reads the environment; required.
	Getenv func(string) string
	// Root is GOVER_HOME; required.
	Root string
	// Dir is the working folder whose Go selection is checked; required.
	Dir string
	// Home is the user's home folder (default: HOME, or USERPROFILE on Windows).
	Home string
	// ConfigDir is the user configuration folder holding go/env and
	// Code/User/settings.json (default: source.UserConfigDir).
	ConfigDir string
	// Client makes the network probes; nil skips them, as Offline does.
	Client *http.Client
	// Timeout bounds each network probe and each program run (default 3s).
	Timeout time.Duration
	// Offline skips every network probe.
	Offline bool
	// Deep re-hashes every file of the selected SDK instead of a sample.
	Deep bool
	// ShimSource is the gover-shim binary `gover setup` installs as the
	// shims; "" when it cannot be found (the shims' freshness is then not
	// judged).
	ShimSource string
	// Run runs a program and returns its standard output, for `dlv version`
	// (default: os/exec with Timeout).
	Run func(ctx context.Context, name string, args ...string) ([]byte, error)
	// ProcVersion is the file that tells WSL apart (default /proc/version
	// outside Windows).
	ProcVersion string
	// WindowsMounts is where WSL mounts Windows drives (default /mnt/).
	WindowsMounts string
	// Keys are the Windows registry locations gover keeps
	// (default registry.DefaultKeys()).
	Keys registry.Keys
	// LongPathsKey is the HKLM key holding LongPathsEnabled.
	LongPathsKey string
	// Shell is the shell the hints are written for (default:
	// shellhint.Detect).
	Shell shellhint.Shell
}

// DefaultLongPathsKey is where Windows keeps LongPathsEnabled, under HKLM.
const DefaultLongPathsKey = `SYSTEM\CurrentControlSet\Control\FileSystem`

func (e *Env) defaults() {
	if e.Home == "" {
		e.Home = registry.HomeDir(e.Getenv)
	}
	if e.ConfigDir == "" {
		e.ConfigDir = source.UserConfigDir(runtime.GOOS, e.Getenv)
	}
	if e.Timeout <= 0 {
		e.Timeout = 3 * time.Second
	}
	if e.Run == nil {
		e.Run = func(ctx context.Context, name string, args ...string) ([]byte, error) {
			return exec.CommandContext(ctx, name, args...).Output()
		}
	}
	if e.ProcVersion == "" && runtime.GOOS == "linux" {
		e.ProcVersion = "/proc/version"
	}
	if e.WindowsMounts == "" {
		e.WindowsMounts = "/mnt/"
	}
	if e.Keys == (registry.Keys{}) {
		e.Keys = registry.DefaultKeys()
	}
	if e.LongPathsKey == "" {
		e.LongPathsKey = DefaultLongPathsKey
	}
	if e.Shell == 0 {
		e.Shell = shellhint.Detect(e.Getenv, shellhint.Parents(), runtime.GOOS)
	}
}

// Report is the outcome of a run.
type Report struct {
	Checks []Check
}

// Count returns how many checks ended with status s.
func (r *Report) Count(s Status) int {
	n := 0
	for _, c := range r.Checks {
		if c.Status == s {
			n++
		}
	}
	return n
}

// Errors is Count(Error): a non-zero count means gover doctor fails.
func (r *Report) Errors() int { return r.Count(Error) }

// Find returns the check with id, or nil.
func (r *Report) Find(id string) *Check {
	for i := range r.Checks {
		if r.Checks[i].ID == id {
			return &r.Checks[i]
		}
	}
	return nil
}

// run is one doctor run's shared state: the environment and what several
// checks need (the store, the PATH, the selection).
type run struct {
	Env
	st   *store.Store
	path []string // PATH entries in order, empty ones kept

	mu     sync.Mutex
	checks []Check

	sel selection
	// runs is the version of the go that PATH runs in Dir: the selected
	// one through the shim, or the go that shadows it ("" when unknown).
	runs string

	regEnv      map[string]regVar // Windows: variables in the registry's environments
	envFile     map[string]string // the go env -w file's settings
	envFileName string
	proxies     []string // GOPROXY entries to probe
}

func (r *run) add(c Check) {
	r.mu.Lock()
	r.checks = append(r.checks, c)
	r.mu.Unlock()
}

// Run runs every check and returns the findings grouped by area. It never
// fails: what it cannot read becomes a finding.
func Run(ctx context.Context, env Env) *Report {
	env.defaults()
	r := &run{Env: env, st: store.New(env.Root)}
	r.path = filepath.SplitList(env.Getenv("PATH"))
	r.loadRegistryEnv()
	r.loadGoEnv()
	r.proxies = r.proxyURLs()

	// Probes go first, in the background: they are the slow part.
	var wg sync.WaitGroup
	if !env.Offline && env.Client != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.probeNetwork(ctx)
		}()
	}
	r.checkShims()
	r.checkSelection()
	r.checkLeftovers()
	r.checkPath()
	r.checkGOROOT()
	r.checkGOPATH()
	r.checkDownloadSettings()
	r.checkWindows()
	r.checkIDE(ctx)
	wg.Wait()

	rank := map[string]int{}
	for i, a := range areaOrder {
		rank[a] = i
	}
	sort.SliceStable(r.checks, func(i, j int) bool { return rank[r.checks[i].Area] < rank[r.checks[j].Area] })
	return &Report{Checks: r.checks}
}

// dirExists reports whether p is a folder.
func dirExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}
