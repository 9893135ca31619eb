package registry

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/windows/registry"

	"github.com/gover/gover/internal/exitcode"
)

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
