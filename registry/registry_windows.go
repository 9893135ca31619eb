package registry

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"github.com/gover/gover/internal/exitcode"
)

var (
	user32              = windows.NewLazySystemDLL("user32.dll")
	sendMessageTimeoutW = user32.NewProc("SendMessageTimeoutW")
	advapi32            = windows.NewLazySystemDLL("advapi32.dll")
	regSetValueExW      = advapi32.NewProc("RegSetValueExW")
)

// checkSystem refuses machine-wide changes without administrator rights.
func checkSystem(cfg Config) error {
	elevated := cfg.Elevated
	if elevated == nil {
		elevated = Elevated
	}
	ok, err := elevated()
	if err != nil {
		return fmt.Errorf("checking for administrator rights: %w", err)
	}
	if !ok {
		return exitcode.New(exitcode.CodeError, ErrNotElevated, "gover sync --system   (in a terminal opened with \"Run as administrator\")")
	}
	return nil
}

// Elevated reports whether the process token is elevated, the UAC meaning
// of running as administrator.
func Elevated() (bool, error) {
	return windows.GetCurrentProcessToken().IsElevated(), nil
}

func rootKey(name string) registry.Key {
	if name == "HKLM" {
		return registry.LOCAL_MACHINE
	}
	return registry.CURRENT_USER
}

// syncOS writes the registry values and PATH entries for active; with a
// zero active SDK (no global default), the PATH entries only.
func syncOS(cfg Config, active SDK, opts Options, rep *Report) error {
	dir := strings.TrimRight(filepath.Clean(active.GOROOT), `\`)
	if strings.HasSuffix(dir, ":") {
		dir += `\` // a drive root keeps its backslash: C:\ is not C:
	}
	loc := strings.TrimRight(dir, `\`) + `\`
	b, err := readBackup(cfg.BackupFile())
	if err != nil {
		return err
	}
	roots := []string{"HKCU"}
	if opts.System {
		roots = append(roots, "HKLM")
	}
	changed := false
	for _, root := range roots {
		vals := []struct {
			key, name string
			set       func(k registry.Key, name string) error
		}{
			{cfg.Keys.GoProgrammingLanguage, "installLocation", func(k registry.Key, n string) error { return k.SetStringValue(n, loc) }},
			{cfg.Keys.GoProgrammingLanguage, "installed", func(k registry.Key, n string) error { return k.SetDWordValue(n, 1) }},
			{cfg.Keys.GoLang, "GoInstallPath", func(k registry.Key, n string) error { return k.SetStringValue(n, dir) }},
		}
		if active.GOROOT == "" {
			vals = nil
		}
		for _, v := range vals {
			if err := saveFirst(cfg, b, root, v.key, v.name); err != nil {
				return err
			}
			k, _, err := registry.CreateKey(rootKey(root), v.key, registry.SET_VALUE|registry.QUERY_VALUE)
			if err != nil {
				return fmt.Errorf(`opening %s\%s: %w`, root, v.key, err)
			}
			err = v.set(k, v.name)
			k.Close()
			if err != nil {
				return fmt.Errorf(`writing %s\%s\%s: %w`, root, v.key, v.name, err)
			}
			if err := recordWrite(cfg, b, root, v.key, v.name, ""); err != nil {
				return err
			}
		}
		if len(vals) > 0 {
			rep.done(`%s\%s and %s\%s name %s`, root, cfg.Keys.GoProgrammingLanguage, root, cfg.Keys.GoLang, dir)
		}

		envKey, entry := cfg.Keys.UserEnvironment, cfg.pathEntry()
		if root == "HKLM" {
			// %USERPROFILE% means nothing machine-wide: use the folder itself.
			envKey, entry = cfg.Keys.MachineEnvironment, cfg.BinDir()
		}
		c, err := prependRegistryPath(cfg, b, root, envKey, entry)
		if err != nil {
			return err
		}
		if c {
			changed = true
			rep.done(`%s\%s Path starts with %s`, root, envKey, entry)
		}
	}
	// Only Path is environment; the Go keys are read by IDEs when they
	// look. Telling every window costs time, so do it when Path changed
	// or when asked to sync.
	if changed || opts.Explicit {
		if err := Broadcast(); err != nil {
			rep.note("sign out and in again", "could not tell running programs that PATH changed: %v", err)
		} else if changed {
			rep.note("", "open a new terminal (and restart VS Code) to pick up the new PATH")
		}
	}
	if !opts.System {
		reportShadows(cfg, rep)
	}
	return nil
}

// PrependUserPath puts the shims folder first on the user Path
// (HKCU\<Keys.UserEnvironment>\Path) exactly as gover sync does: saved
// first for gover setup --undo, other entries kept, and a REG_SZ value that
// gains a %NAME% entry stored as REG_EXPAND_SZ. It reports whether the
// value changed; telling running programs ([Broadcast]) is the caller's.
func PrependUserPath(cfg Config) (bool, error) {
	b, err := readBackup(cfg.BackupFile())
	if err != nil {
		return false, err
	}
	return prependRegistryPath(cfg, b, "HKCU", cfg.Keys.UserEnvironment, cfg.pathEntry())
}

// reportShadows notes a go in the machine PATH, which Windows puts before
// the user PATH and so before the gover shims.
func reportShadows(cfg Config, rep *Report) {
	mp, ok, err := ReadPath("HKLM", cfg.Keys.MachineEnvironment)
	if err != nil || !ok {
		return
	}
	expand := expandRegistry
	if !mp.Expand {
		expand = nil // a REG_SZ Path reaches new processes as written
	}
	hasGo := func(dir string) bool {
		fi, err := os.Stat(filepath.Join(dir, "go.exe"))
		return err == nil && !fi.IsDir()
	}
	for _, d := range ShadowingGo(mp.Text, cfg.BinDir(), expand, hasGo) {
		sdk := filepath.Dir(strings.TrimRight(d, `\`))
		rep.note(fmt.Sprintf(`gover sync --system   (in a terminal opened with "Run as administrator"), or uninstall the Go in %s (Settings > Apps)`, sdk),
			"%s on the machine PATH comes before the user PATH, so its go.exe wins over the gover shims", d)
	}
}

// Broadcast tells running programs, Explorer first, that the environment
// changed, so new terminals started from them see the new PATH. Programs
// that hang are skipped after a second.
func Broadcast() error {
	const (
		hwndBroadcast   = 0xffff
		wmSettingChange = 0x001A
		smtoAbortIfHung = 0x0002
	)
	env, err := windows.UTF16PtrFromString("Environment")
	if err != nil {
		return err
	}
	if err := sendMessageTimeoutW.Find(); err != nil {
		return err
	}
	var result uintptr
	r, _, e := sendMessageTimeoutW.Call(hwndBroadcast, wmSettingChange, 0, uintptr(unsafe.Pointer(env)), smtoAbortIfHung, 1000, uintptr(unsafe.Pointer(&result)))
	if r == 0 {
		if e != nil && e != windows.ERROR_SUCCESS {
			return fmt.Errorf("SendMessageTimeout: %w", e)
		}
		return errors.New("SendMessageTimeout timed out")
	}
	return nil
}

// HomeDir is the user's home folder, from USERPROFILE: HOME, when set by
// Git Bash or MSYS, is not where Windows programs look.
func HomeDir(getenv func(string) string) string { return getenv("USERPROFILE") }

// DefaultPathEntry is how the shims folder of the default GOVER_HOME is
// written on the user PATH: unexpanded, like the entries Windows writes,
// so it survives a renamed profile folder.
func DefaultPathEntry() string { return `%USERPROFILE%\.gover\bin` }
