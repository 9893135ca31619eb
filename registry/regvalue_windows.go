package registry

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

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
