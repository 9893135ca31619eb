package doctor

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/gover/gover/internal/fsx"
	"github.com/gover/gover/registry"
)

// Fixable returns the checks that found a problem and carry a safe fix.
func (r *Report) Fixable() []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Status != OK && c.apply != nil {
			out = append(out, c)
		}
	}
	return out
}

// ApplyFixes applies every safe fix in r, saving what each one changes in a
// new folder under root/backup/ first, and prints one line per fix to w:
// "fixed" or "failed". The fixes are independent, so one that fails (a
// current link a FAT drive cannot hold) does not keep the others from
// being applied. It returns the backup folder ("" when nothing was saved:
// no folder is left behind then), what it changed, and the failures
// joined into one error.
func (r *Report) ApplyFixes(root string, now time.Time, w io.Writer) (string, []string, error) {
	b := &Backup{parent: filepath.Join(root, "backup"), now: now}
	var done []string
	var errs []error
	for _, c := range r.Fixable() {
		if err := c.apply(b); err != nil {
			err = fmt.Errorf("fixing %s (%s): %w", c.ID, c.Fix, err)
			errs = append(errs, err)
			fmt.Fprintf(w, "failed %s: %s: %v\n", c.ID, c.Fix, errors.Unwrap(err))
			continue
		}
		done = append(done, c.Fix)
		fmt.Fprintf(w, "fixed %s: %s\n", c.ID, c.Fix)
	}
	return b.Dir, done, errors.Join(errs...)
}

// Backup records the state of everything a fix is about to change, in a
// folder with a backup.json that Restore reads. The folder is made with
// the first entry, and the record is rewritten after each entry, so a fix
// that fails halfway still leaves a usable backup.
type Backup struct {
	Dir     string // "" until something is saved
	parent  string
	now     time.Time
	entries []backupEntry
}

// backupEntry is one saved thing. Its JSON is the backup.json format.
type backupEntry struct {
	Kind string `json:"kind"` // "file", "link" or "registry"
	// Path is the file or link.
	Path string `json:"path,omitempty"`
	// Existed is false when there was nothing at Path (or no registry
	// value): restoring removes what the fix created.
	Existed bool `json:"existed"`
	// Saved is the copy's name inside the backup folder (kind file).
	Saved string      `json:"saved,omitempty"`
	Mode  os.FileMode `json:"mode,omitempty"`
	// Target is where the link pointed (kind link).
	Target string `json:"target,omitempty"`
	// Root ("HKCU", "HKLM"), Key and Name locate a registry value; Value
	// and Expand are its string data and whether it was REG_EXPAND_SZ.
	Root   string `json:"root,omitempty"`
	Key    string `json:"key,omitempty"`
	Name   string `json:"name,omitempty"`
	Value  string `json:"value,omitempty"`
	Expand bool   `json:"expand,omitempty"`
}

const backupRecord = "backup.json"

// open makes the backup folder, once: parent/doctor-<time>, with a number
// added when that name is taken.
func (b *Backup) open() error {
	if b.Dir != "" {
		return nil
	}
	if err := os.MkdirAll(b.parent, 0o755); err != nil {
		return fmt.Errorf("creating the backup folder: %w", err)
	}
	base := "doctor-" + b.now.UTC().Format("20060102T150405Z")
	for i := 0; ; i++ {
		name := base
		if i > 0 {
			name += "-" + strconv.Itoa(i)
		}
		dir := filepath.Join(b.parent, name)
		err := os.Mkdir(dir, 0o755)
		if err == nil {
			b.Dir = dir
			return nil
		}
		if !errors.Is(err, os.ErrExist) {
			return fmt.Errorf("creating the backup folder: %w", err)
		}
	}
}

func (b *Backup) add(e backupEntry) error {
	if err := b.open(); err != nil {
		return err
	}
	b.entries = append(b.entries, e)
	return b.write()
}

func (b *Backup) write() error {
	data, err := json.MarshalIndent(struct {
		Entries []backupEntry `json:"entries"`
	}{b.entries}, "", "  ")
	if err != nil {
		return err
	}
	return fsx.WriteFileAtomic(filepath.Join(b.Dir, backupRecord), append(data, '\n'), 0o644)
}

// SaveFile saves a copy of the file at path, or notes that there is none.
func (b *Backup) SaveFile(path string) error {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return b.add(backupEntry{Kind: "file", Path: path})
	}
	if err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := b.open(); err != nil {
		return err
	}
	saved := fmt.Sprintf("%d-%s", len(b.entries)+1, filepath.Base(path))
	if err := os.WriteFile(filepath.Join(b.Dir, saved), data, 0o600); err != nil {
		return err
	}
	return b.add(backupEntry{Kind: "file", Path: path, Existed: true, Saved: saved, Mode: fi.Mode().Perm()})
}

// SaveLink notes where the link at path points, or that there is none.
func (b *Backup) SaveLink(path string) error {
	target, err := registry.ReadLink(path)
	if errors.Is(err, os.ErrNotExist) {
		return b.add(backupEntry{Kind: "link", Path: path})
	}
	if err != nil {
		return err
	}
	return b.add(backupEntry{Kind: "link", Path: path, Existed: true, Target: target})
}

// Restore puts back everything recorded in the backup folder dir, last
// change first.
func Restore(dir string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(dir, backupRecord))
	if err != nil {
		return nil, err
	}
	var rec struct {
		Entries []backupEntry `json:"entries"`
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, fmt.Errorf("%s is corrupt: %w", filepath.Join(dir, backupRecord), err)
	}
	var done []string
	for i := len(rec.Entries) - 1; i >= 0; i-- {
		e := rec.Entries[i]
		var err error
		var msg string
		switch e.Kind {
		case "file":
			if !e.Existed {
				err = os.Remove(e.Path)
				if errors.Is(err, os.ErrNotExist) {
					err = nil
				}
				msg = "removed " + e.Path
				break
			}
			var data []byte
			if data, err = os.ReadFile(filepath.Join(dir, filepath.Base(e.Saved))); err == nil {
				err = copyBytes(data, e.Path, e.Mode)
			}
			msg = "restored " + e.Path
		case "link":
			if !e.Existed {
				err = os.Remove(e.Path)
				if errors.Is(err, os.ErrNotExist) {
					err = nil
				}
				msg = "removed " + e.Path
				break
			}
			err = registry.SetCurrent(e.Path, e.Target)
			msg = fmt.Sprintf("pointed %s at %s again", e.Path, e.Target)
		case "registry":
			err = restoreRegistry(e)
			msg = fmt.Sprintf(`restored %s\%s\%s`, e.Root, e.Key, e.Name)
		default:
			err = fmt.Errorf("unknown backup entry kind %q", e.Kind)
		}
		if err != nil {
			return done, err
		}
		done = append(done, msg)
	}
	return done, nil
}

func copyBytes(data []byte, dst string, mode os.FileMode) error {
	if mode == 0 {
		mode = 0o644
	}
	return fsx.WriteFileAtomic(dst, data, mode)
}
