package registry

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
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

// syncOS writes the registry values and PATH entries for active.
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
		}
		rep.done(`%s\%s and %s\%s name %s`, root, cfg.Keys.GoProgrammingLanguage, root, cfg.Keys.GoLang, dir)

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

// prependRegistryPath puts entry first in the Path value under root\key,
// keeping the value's type (REG_EXPAND_SZ unless it was REG_SZ).
func prependRegistryPath(cfg Config, b *backup, root, key, entry string) (bool, error) {
	k, _, err := registry.CreateKey(rootKey(root), key, registry.SET_VALUE|registry.QUERY_VALUE)
	if err != nil {
		return false, fmt.Errorf(`opening %s\%s: %w`, root, key, err)
	}
	defer k.Close()
	old, typ, err := k.GetStringValue("Path")
	switch {
	case errors.Is(err, registry.ErrNotExist):
		old, typ = "", registry.EXPAND_SZ
	case err != nil:
		return false, fmt.Errorf(`reading %s\%s\Path: %w`, root, key, err)
	}
	expand := func(s string) string {
		if x, err := registry.ExpandString(s); err == nil {
			return x
		}
		return s
	}
	updated, err := PrependPath(old, entry, expand)
	if err != nil {
		return false, err
	}
	if updated == old {
		return false, nil
	}
	if err := saveFirst(cfg, b, root, key, "Path"); err != nil {
		return false, err
	}
	if typ == registry.SZ {
		err = k.SetStringValue("Path", updated)
	} else {
		err = k.SetExpandStringValue("Path", updated)
	}
	if err != nil {
		return false, fmt.Errorf(`writing %s\%s\Path: %w`, root, key, err)
	}
	return true, nil
}

// saveFirst records a value's state in the backup file before gover first
// changes it.
func saveFirst(cfg Config, b *backup, root, key, name string) error {
	if b.has(root, key, name) {
		return nil
	}
	v, err := readRaw(root, key, name)
	if err != nil {
		return err
	}
	b.add(v)
	return writeBackup(cfg.BackupFile(), b)
}

// readRaw reads a value's exact type and bytes, or that it is absent.
func readRaw(root, key, name string) (savedValue, error) {
	v := savedValue{Root: root, Key: key, Name: name}
	k, err := registry.OpenKey(rootKey(root), key, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		v.Absent, v.KeyAbsent, v.Created = true, true, key
		for p := key; strings.Contains(p, `\`); {
			p = p[:strings.LastIndex(p, `\`)]
			k, err := registry.OpenKey(rootKey(root), p, registry.QUERY_VALUE)
			if err == nil {
				k.Close()
				break
			}
			v.Created = p
		}
		return v, nil
	}
	if err != nil {
		return v, fmt.Errorf(`opening %s\%s: %w`, root, key, err)
	}
	defer k.Close()
	n, typ, err := k.GetValue(name, nil)
	if errors.Is(err, registry.ErrNotExist) {
		v.Absent = true
		return v, nil
	}
	if err != nil && !errors.Is(err, windows.ERROR_MORE_DATA) {
		return v, fmt.Errorf(`reading %s\%s\%s: %w`, root, key, name, err)
	}
	buf := make([]byte, n)
	if n > 0 {
		n, typ, err = k.GetValue(name, buf)
		if err != nil {
			return v, fmt.Errorf(`reading %s\%s\%s: %w`, root, key, name, err)
		}
		buf = buf[:n]
	}
	v.Type, v.Data = typ, buf
	return v, nil
}

// writeRaw writes a value with its exact type and bytes.
func writeRaw(v savedValue) error {
	k, _, err := registry.CreateKey(rootKey(v.Root), v.Key, registry.SET_VALUE)
	if err != nil {
		return err
	}
	defer k.Close()
	name, err := windows.UTF16PtrFromString(v.Name)
	if err != nil {
		return err
	}
	var p *byte
	if len(v.Data) > 0 {
		p = &v.Data[0]
	}
	r, _, _ := regSetValueExW.Call(uintptr(k), uintptr(unsafe.Pointer(name)), 0, uintptr(v.Type), uintptr(unsafe.Pointer(p)), uintptr(len(v.Data)))
	if r != 0 {
		return syscall.Errno(r)
	}
	return nil
}

// undoOS restores every saved value, newest change first, deletes values
// and keys that were absent, and forgets the backup.
func undoOS(cfg Config, rep *Report) error {
	b, err := readBackup(cfg.BackupFile())
	if err != nil {
		return err
	}
	if len(b.Values) == 0 {
		rep.note("", "gover has not changed the registry; nothing to restore")
		return nil
	}
	for _, v := range b.Values {
		if v.Root == "HKLM" {
			if err := checkSystem(cfg); err != nil {
				return exitcode.WithHint(fmt.Errorf("restoring machine-wide values: %w", err), "gover setup --undo   (in a terminal opened with \"Run as administrator\")")
			}
			break
		}
	}
	for i := len(b.Values) - 1; i >= 0; i-- {
		v := b.Values[i]
		if v.Absent {
			k, err := registry.OpenKey(rootKey(v.Root), v.Key, registry.SET_VALUE|registry.QUERY_VALUE)
			if err == nil {
				err = k.DeleteValue(v.Name)
				k.Close()
			}
			if err != nil && !errors.Is(err, registry.ErrNotExist) {
				return fmt.Errorf(`deleting %s: %w`, v.id(), err)
			}
			if v.KeyAbsent {
				created := v.Created
				if created == "" {
					created = v.Key
				}
				for p := v.Key; len(p) >= len(created); p = p[:max(strings.LastIndex(p, `\`), 0)] {
					if !deleteIfEmpty(v.Root, p) {
						break
					}
				}
			}
			rep.done("removed %s", v.id())
			continue
		}
		if err := writeRaw(v); err != nil {
			return fmt.Errorf("restoring %s: %w", v.id(), err)
		}
		rep.done("restored %s", v.id())
	}
	if err := Broadcast(); err != nil {
		rep.note("sign out and in again", "could not tell running programs that PATH changed: %v", err)
	}
	return os.Remove(cfg.BackupFile())
}

// deleteIfEmpty deletes a key gover created once nothing is left in it.
// It reports whether the key is gone.
func deleteIfEmpty(root, key string) bool {
	if key == "" {
		return false
	}
	k, err := registry.OpenKey(rootKey(root), key, registry.QUERY_VALUE|registry.ENUMERATE_SUB_KEYS)
	if errors.Is(err, registry.ErrNotExist) {
		return true
	}
	if err != nil {
		return false
	}
	st, err := k.Stat()
	k.Close()
	if err != nil || st.ValueCount != 0 || st.SubKeyCount != 0 {
		return false
	}
	return registry.DeleteKey(rootKey(root), key) == nil
}

// reportShadows notes a go in the machine PATH, which Windows puts before
// the user PATH and so before the gover shims.
func reportShadows(cfg Config, rep *Report) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, cfg.Keys.MachineEnvironment, registry.QUERY_VALUE)
	if err != nil {
		return
	}
	mp, _, err := k.GetStringValue("Path")
	k.Close()
	if err != nil {
		return
	}
	expand := func(s string) string {
		if x, err := registry.ExpandString(s); err == nil {
			return x
		}
		return s
	}
	hasGo := func(dir string) bool {
		fi, err := os.Stat(filepath.Join(dir, "go.exe"))
		return err == nil && !fi.IsDir()
	}
	for _, d := range ShadowingGo(mp, cfg.BinDir(), expand, hasGo) {
		sdk := filepath.Dir(strings.TrimRight(d, `\`))
		rep.note(fmt.Sprintf("gover import %q, then remove it, or put the shims first machine-wide: gover sync --system", sdk),
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
