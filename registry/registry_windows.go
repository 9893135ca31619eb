package registry

import (
	"bytes"
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

// ReadPath reads the Path value under root\key ("HKCU" or "HKLM"). A
// missing value, or key, is an empty REG_EXPAND_SZ value and exists false.
func ReadPath(root, key string) (v PathValue, exists bool, err error) {
	k, err := registry.OpenKey(rootKey(root), key, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return PathValue{Expand: true}, false, nil
	}
	if err != nil {
		return v, false, fmt.Errorf(`opening %s\%s: %w`, root, key, err)
	}
	defer k.Close()
	text, typ, err := k.GetStringValue("Path")
	switch {
	case errors.Is(err, registry.ErrNotExist):
		return PathValue{Expand: true}, false, nil
	case err != nil:
		return v, false, fmt.Errorf(`reading %s\%s\Path: %w`, root, key, err)
	}
	return PathValue{Text: text, Expand: typ == registry.EXPAND_SZ}, true, nil
}

// writePath writes v as the Path value of k, with v's type.
func writePath(k registry.Key, v PathValue) error {
	if v.Expand {
		return k.SetExpandStringValue("Path", v.Text)
	}
	return k.SetStringValue("Path", v.Text)
}

// expandRegistry expands %NAME% references the way Windows does for the
// current user.
func expandRegistry(s string) string {
	if x, err := registry.ExpandString(s); err == nil {
		return x
	}
	return s
}

// prependRegistryPath puts entry first in the Path value under root\key
// ([PathValue.WithFirst]) and records the change in the backup.
func prependRegistryPath(cfg Config, b *backup, root, key, entry string) (bool, error) {
	old, _, err := ReadPath(root, key)
	if err != nil {
		return false, err
	}
	updated, err := old.WithFirst(entry, expandRegistry)
	if err != nil {
		return false, err
	}
	if updated == old {
		return false, nil
	}
	if err := saveFirst(cfg, b, root, key, "Path"); err != nil {
		return false, err
	}
	k, _, err := registry.CreateKey(rootKey(root), key, registry.SET_VALUE|registry.QUERY_VALUE)
	if err != nil {
		return false, fmt.Errorf(`opening %s\%s: %w`, root, key, err)
	}
	err = writePath(k, updated)
	k.Close()
	if err != nil {
		return false, fmt.Errorf(`writing %s\%s\Path: %w`, root, key, err)
	}
	return true, recordWrite(cfg, b, root, key, "Path", entry)
}

// recordWrite notes in the backup what gover just wrote to a value (and,
// for a Path, the entry it put there), so undo can tell later edits apart.
func recordWrite(cfg Config, b *backup, root, key, name, entry string) error {
	v := b.find(root, key, name)
	if v == nil {
		return nil
	}
	cur, err := readRaw(root, key, name)
	if err != nil {
		return err
	}
	v.Wrote = &writtenValue{Type: cur.Type, Data: cur.Data}
	if entry != "" {
		v.Entry = entry
	}
	return writeBackup(cfg.BackupFile(), b)
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
		cur, err := readRaw(v.Root, v.Key, v.Name)
		if err != nil {
			return err
		}
		if strings.EqualFold(v.Name, "Path") {
			kept, err := undoChangedPath(cfg, v, cur, rep)
			if err != nil {
				return err
			}
			if kept {
				continue
			}
		} else if v.Wrote != nil && (cur.Absent || cur.Type != v.Wrote.Type || !bytes.Equal(cur.Data, v.Wrote.Data)) {
			rep.note("", "%s changed since gover wrote it; left as it is", v.id())
			continue
		}
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

// undoChangedPath handles a Path value that changed since gover put its
// entry first: putting the old value back would drop whatever was added
// since (Node, npm...), so only gover's entry is taken out and the change is
// reported. It reports whether it dealt with the value; false means only
// gover's entry differs from the saved value, which undo restores byte for
// byte.
func undoChangedPath(cfg Config, v, cur savedValue, rep *Report) (bool, error) {
	entry := v.Entry
	if entry == "" {
		entry = cfg.pathEntry()
		if v.Root == "HKLM" {
			entry = cfg.BinDir()
		}
	}
	if cur.Absent {
		if v.Absent {
			return false, nil
		}
		rep.note("", "%s was deleted since gover changed it; left deleted", v.id())
		return true, nil
	}
	strip := func(s string) string { return RemovePathEntry(s, entry, expandRegistry) }
	now, before := strip(utf16String(cur.Data)), ""
	if !v.Absent {
		before = strip(utf16String(v.Data))
	}
	if now == before {
		return false, nil
	}
	k, err := registry.OpenKey(rootKey(v.Root), v.Key, registry.SET_VALUE)
	if err != nil {
		return false, fmt.Errorf(`opening %s\%s: %w`, v.Root, v.Key, err)
	}
	defer k.Close()
	if now == "" && v.Absent {
		err = k.DeleteValue(v.Name)
	} else {
		err = writePath(k, PathValue{Text: now, Expand: cur.Type != registry.SZ})
	}
	if err != nil {
		return false, fmt.Errorf("taking %s out of %s: %w", entry, v.id(), err)
	}
	rep.done("took %s out of %s", entry, v.id())
	rep.note("", "%s changed since gover set it up, so it was not put back as it was before: only %s was taken out, every other entry was kept", v.id(), entry)
	return true, nil
}

// utf16String decodes a REG_SZ or REG_EXPAND_SZ value's bytes up to the
// first NUL; a stray odd byte at the end is ignored.
func utf16String(data []byte) string {
	u := make([]uint16, 0, len(data)/2)
	for i := 0; i+1 < len(data); i += 2 {
		c := uint16(data[i]) | uint16(data[i+1])<<8
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return windows.UTF16ToString(u)
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
