// Package registry keeps the operating system in step with the SDK gover
// has made the global default, so that terminals, IDEs and Go itself find
// it without being told:
//
//   - the current link in GOVER_HOME (a junction on Windows, a symbolic
//     link elsewhere) follows the global default;
//   - on Windows, the registry values the official installer writes
//     (HKCU\Software\GoProgrammingLanguage, HKCU\Software\GoLang\Go) name
//     the same SDK, the shims folder comes first on the user PATH (and, with
//     System, on the machine PATH), and running programs are told with
//     WM_SETTINGCHANGE; every value is backed up before its first change so
//     [Undo] can put it back byte for byte (or, for a Path the user has
//     changed since, take out only gover's entry);
//   - goX.Y.Z entries in the shims folder let Go's own toolchain switch find
//     installed SDKs instead of downloading them, and ~/sdk/goX.Y.Z links
//     give VS Code's "Choose Go Environment" the golang.org/dl layout;
//   - [VSCodeSettings] points VS Code at the go shim. (Shell startup files
//     and hooks are package shellrc's.)
//
// A typical caller, after changing the global default:
//
//	rep, err := registry.Sync(registry.Config{Root: root, Home: home, Keys: registry.DefaultKeys(), Getenv: os.Getenv},
//		registry.SDK{Name: "go1.22.5", GOROOT: root + "/sdk/go1.22.5"}, installed, registry.Options{})
//
//	for _, n := range rep.Notes {
//		fmt.Println(n.Msg, n.Hint) // a Go on the machine PATH before the shims, ...
//	}
//
// The links are conveniences: where the file system cannot make them (FAT,
// Wine 8, symbolic links without Developer Mode) Sync says so in a note and
// still succeeds. Registry and PATH failures are errors.
//
// # REG_SZ and REG_EXPAND_SZ Paths
//
// Windows expands %NAME% references in a Path value only when its type is
// REG_EXPAND_SZ; a REG_SZ Path (left by setx, some installers, or
// [Environment]::SetEnvironmentVariable(...,"User")) reaches new processes
// as written. gover puts %USERPROFILE%\.gover\bin on the user Path, so when
// the Path it edits is REG_SZ it stores the result as REG_EXPAND_SZ
// ([PathValue.WithFirst]), as Windows' own environment variable editor does
// for any value holding a %. It does not write the expanded folder instead:
// that would pin today's profile folder, and the Path would stop matching
// what the editor, the MSI and other tools write. The conversion can only
// change the meaning of entries that already hold %NAME% text, which in a
// REG_SZ Path never worked as intended. [Undo] restores the original type
// with the original bytes. gover doctor reads the type too, and counts an
// entry as on the Path only in the form a new process gets it
// ([PathValue.Resolved]); its --fix writes through [PrependUserPath], the
// same code as gover sync.
//
// The pure parts (PATH editing, hook scripts, settings merges, backup
// records) work and are tested on every system; the Windows parts live in
// registry_windows.go with a twin of the same signatures for other systems.
package registry

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/gover/gover/internal/fsx"
)

// Config says where gover lives and which OS locations it keeps in step.
type Config struct {
	// Root is GOVER_HOME.
	Root string
	// PathEntry is how the shims folder is written on the PATH, for
	// example %USERPROFILE%\.gover\bin when Root is the default. Empty
	// means the shims folder as it is.
	PathEntry string
	// Home is the user's home folder, where the ~/sdk links go.
	Home string
	// Keys are the registry locations written on Windows.
	Keys Keys
	// Getenv reads the environment; nil means none is set.
	Getenv func(string) string
	// Elevated reports administrator rights; nil asks the OS ([Elevated]).
	Elevated func() (bool, error)
}

// BinDir is the shims folder.
func (c Config) BinDir() string { return filepath.Join(c.Root, "bin") }

// CurrentLink is the link that follows the global default SDK.
func (c Config) CurrentLink() string { return filepath.Join(c.Root, "current") }

// BackupFile is where the values gover changed were saved before.
func (c Config) BackupFile() string { return filepath.Join(c.Root, "registry-backup.json") }

func (c Config) pathEntry() string {
	if c.PathEntry != "" {
		return c.PathEntry
	}
	return c.BinDir()
}

func (c Config) getenv(k string) string {
	if c.Getenv == nil {
		return ""
	}
	return c.Getenv(k)
}

// Keys are registry key paths, relative to HKEY_CURRENT_USER or
// HKEY_LOCAL_MACHINE. Tests point them at a throwaway key so a developer's
// own settings are never touched.
type Keys struct {
	GoProgrammingLanguage string // installLocation (with a trailing backslash) and installed=1
	GoLang                string // GoInstallPath
	UserEnvironment       string // under HKCU: the user's Path
	MachineEnvironment    string // under HKLM: the machine's Path
}

// DefaultKeys are the locations the official Go installer and Windows use.
func DefaultKeys() Keys {
	return Keys{
		GoProgrammingLanguage: `Software\GoProgrammingLanguage`,
		GoLang:                `Software\GoLang\Go`,
		UserEnvironment:       `Environment`,
		MachineEnvironment:    `SYSTEM\CurrentControlSet\Control\Session Manager\Environment`,
	}
}

// SDK is an installed Go SDK.
type SDK struct {
	Name   string // go1.22.5
	GOROOT string // its folder
}

// Options are what the user asked for beyond the default sync.
type Options struct {
	System   bool // also the machine-wide registry values and PATH (Windows, elevated)
	SDKLinks bool // also ~/sdk/goX.Y.Z links
	// Explicit says the user asked for a sync directly, so steps that do
	// nothing on this system say so instead of staying quiet.
	Explicit bool
}

// Report tells the user what a sync changed and what still stands in the
// way.
type Report struct {
	Done  []string // one line per change
	Notes []Note   // things worth knowing, with the command that fixes them
}

// Note is a warning or remark for the user, with an optional hint.
type Note struct {
	Msg  string
	Hint string
}

func (r *Report) done(format string, args ...any) {
	r.Done = append(r.Done, fmt.Sprintf(format, args...))
}

func (r *Report) note(hint, format string, args ...any) {
	r.Notes = append(r.Notes, Note{Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// ErrNotElevated is returned when System is asked for without
// administrator rights.
var ErrNotElevated = errors.New("changing the machine-wide registry and PATH needs an elevated (administrator) terminal")

// Sync brings the OS in step with active, the global default SDK, and
// links every installed SDK where tools look for them.
//
// With no global default (a zero active SDK) the shims still go first on
// PATH, since folders with a .go-version or go.mod need no default; the Go
// installer's registry values and the current link are left alone.
func Sync(cfg Config, active SDK, installed []SDK, opts Options) (*Report, error) {
	rep := &Report{}
	if cfg.Root == "" {
		return rep, errors.New("no gover home folder given")
	}
	if opts.System {
		// Refuse before changing anything, so a failed --system leaves
		// no half-done sync behind.
		if err := checkSystem(cfg); err != nil {
			return rep, err
		}
	}
	if err := os.MkdirAll(cfg.BinDir(), 0o755); err != nil {
		return rep, err
	}
	if err := syncOS(cfg, active, opts, rep); err != nil {
		return rep, err
	}
	// The links are conveniences for IDEs and GOTOOLCHAIN: a file system
	// that cannot hold them (FAT, Wine 8) costs a warning, not the sync.
	if active.GOROOT == "" {
		// Nothing to follow yet.
	} else if err := SetCurrent(cfg.CurrentLink(), active.GOROOT); err != nil {
		rep.note("", "%s does not follow the global default: %v", cfg.CurrentLink(), err)
	} else {
		rep.done("%s -> %s", cfg.CurrentLink(), active.GOROOT)
	}
	if err := LinkToolchains(cfg.BinDir(), installed, rep); err != nil {
		return rep, err
	}
	if opts.SDKLinks {
		if cfg.Home == "" {
			return rep, errors.New("no home folder for the ~/sdk links")
		}
		if err := LinkSDKs(filepath.Join(cfg.Home, "sdk"), filepath.Join(cfg.Root, "sdk"), installed, rep); err != nil {
			rep.note("", "~/sdk links: %v", err)
		}
	}
	return rep, nil
}

// Undo puts back every value gover changed and forgets the backup. A value
// that is still as gover left it gets its bytes from before gover's first
// change back exactly. A Path someone changed since (an installer that
// added Node, an entry typed in by hand) loses only gover's entry and keeps
// everything else; another value someone changed since is left as it is.
// Both are reported in the notes.
func Undo(cfg Config) (*Report, error) {
	rep := &Report{}
	err := undoOS(cfg, rep)
	return rep, err
}

// toolchainName matches the entries LinkToolchains owns: go1.22.5, go1.21rc2.
var toolchainName = regexp.MustCompile(`^go1(\.[0-9]+)*((rc|beta)[0-9]+)?$`)

// toolchainRecord, in the shims folder, lists the goX.Y.Z entries gover
// made, so that it removes only its own.
const toolchainRecord = ".gover-toolchains"

// LinkToolchains keeps one binDir/goX.Y.Z (goX.Y.Z.exe on Windows) entry
// per installed SDK: the names cmd/go looks up on PATH when it switches
// toolchains (GOTOOLCHAIN path and auto modes). Each entry is the go shim
// itself (a hard link to binDir/go, else a copy), which runs that exact
// release when go switches to it; package shim explains why. Entries for
// SDKs no longer installed, entries left by an older shim, and the links
// to each SDK's go that earlier gover versions made are replaced or
// removed; files gover did not make are left alone. install, import,
// uninstall, setup and sync all end here.
func LinkToolchains(binDir string, sdks []SDK, rep *Report) error {
	if rep == nil {
		rep = &Report{}
	}
	shimGo := ShimPath(binDir, "go")
	shimInfo, shimErr := os.Stat(shimGo)
	recordPath := filepath.Join(binDir, toolchainRecord)
	owned := map[string]bool{}
	if data, err := os.ReadFile(recordPath); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if line = strings.TrimSpace(line); toolchainName.MatchString(strings.TrimSuffix(line, exe)) {
				owned[line] = true
			}
		}
	}
	want := map[string]bool{}
	noted := false
	for _, s := range sdks {
		if !toolchainName.MatchString(s.Name) {
			continue
		}
		name := s.Name + exe
		want[name] = true
		if shimErr != nil {
			continue
		}
		entry := filepath.Join(binDir, name)
		if fi, err := os.Lstat(entry); err == nil {
			if !isLink(entry, fi) && os.SameFile(fi, shimInfo) {
				owned[name] = true
				continue
			}
			if !owned[name] && !isLink(entry, fi) {
				rep.note("", "%s is not gover's; go switching to %s runs it instead of the installed SDK", entry, s.Name)
				continue
			}
			if isLink(entry, fi) {
				if err := removeLink(entry); err != nil {
					return err
				}
			}
		}
		if err := fsx.Place(shimGo, entry); err != nil {
			if !noted {
				noted = true
				rep.note("", "cannot make toolchain entries such as %s (%v); go cannot switch to the installed %s", entry, err, s.Name)
			}
			continue
		}
		owned[name] = true
	}
	if shimErr != nil && len(want) > 0 {
		rep.note("gover setup", "no go shim in %s, so there are no goX.Y.Z entries for go to switch to", binDir)
	}
	var keep []string
	for name := range owned {
		p := filepath.Join(binDir, name)
		if want[name] {
			if _, err := os.Lstat(p); err == nil {
				keep = append(keep, name)
			}
			continue
		}
		if fi, err := os.Lstat(p); err == nil && (fi.Mode().IsRegular() || isLink(p, fi)) {
			if err := os.Remove(p); err != nil {
				keep = append(keep, name) // running on Windows: the next sync retries
			}
		}
	}
	slices.Sort(keep)
	record := strings.Join(keep, "\n")
	if record != "" {
		record += "\n"
	}
	if old, _ := os.ReadFile(recordPath); string(old) != record {
		if err := fsx.WriteFileAtomic(recordPath, []byte(record), 0o644); err != nil {
			return err
		}
	}
	// Links to an SDK's go from earlier gover versions.
	return removeStale(binDir, want, func(name, target string) bool {
		return toolchainName.MatchString(strings.TrimSuffix(name, exe))
	})
}

// LinkSDKs makes sdkDir/goX.Y.Z (normally ~/sdk) a link to each installed
// SDK, the layout golang.org/dl uses and VS Code lists under "Choose Go
// Environment". A real SDK folder already there, from golang.org/dl, is
// kept; links into storeDir for SDKs no longer installed are removed.
func LinkSDKs(sdkDir, storeDir string, sdks []SDK, rep *Report) error {
	if rep == nil {
		rep = &Report{}
	}
	if err := os.MkdirAll(sdkDir, 0o755); err != nil {
		return err
	}
	want := map[string]bool{}
	for _, s := range sdks {
		if !toolchainName.MatchString(s.Name) {
			continue
		}
		link := filepath.Join(sdkDir, s.Name)
		if fi, err := os.Lstat(link); err == nil && !isLink(link, fi) {
			rep.note("", "%s is a separate SDK, not a link; left as it is", link)
			continue
		}
		want[s.Name] = true
		if err := linkFile(s.GOROOT, link, true); err != nil {
			return fmt.Errorf("linking %s: %w", link, err)
		}
	}
	rep.done("%s lists %d SDK(s)", sdkDir, len(want))
	return removeStale(sdkDir, want, func(name, target string) bool {
		return toolchainName.MatchString(name) && within(target, storeDir)
	})
}

// UnlinkSDKs removes the sdkDir/goX.Y.Z links LinkSDKs made into
// storeDir (gover sync --undo, gover setup --undo), then sdkDir itself if
// that leaves it empty. Real SDK folders and other links stay.
func UnlinkSDKs(sdkDir, storeDir string, rep *Report) error {
	if rep == nil {
		rep = &Report{}
	}
	before, _ := os.ReadDir(sdkDir)
	if err := removeStale(sdkDir, nil, func(name, target string) bool {
		return toolchainName.MatchString(name) && within(target, storeDir)
	}); err != nil {
		return err
	}
	after, _ := os.ReadDir(sdkDir)
	if n := len(before) - len(after); n > 0 {
		rep.done("removed %d link(s) from %s", n, sdkDir)
	}
	if len(before) > 0 && len(after) == 0 {
		os.Remove(sdkDir)
	}
	return nil
}

// removeStale removes the links in dir that are not wanted and that ours
// says gover made.
func removeStale(dir string, want map[string]bool, ours func(name, target string) bool) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	}
	for _, e := range ents {
		name := e.Name()
		if want[name] {
			continue
		}
		p := filepath.Join(dir, name)
		fi, err := os.Lstat(p)
		if err != nil || !isLink(p, fi) {
			continue
		}
		target, err := ReadLink(p)
		if err != nil || !ours(name, target) {
			continue
		}
		if err := removeLink(p); err != nil {
			return err
		}
	}
	return nil
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return samePath(path, dir)
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// ShimPath is the path of a shim (go, gofmt) in binDir on this system.
func ShimPath(binDir, tool string) string { return filepath.Join(binDir, tool+exe) }
