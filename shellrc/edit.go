package shellrc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fsx"
)

// Editor is the one way gover changes a file outside its store that the
// user owns: shell startup files and PowerShell profiles. It
//
//   - follows symbolic links and edits the target (a dotfiles repository
//     keeps its link),
//   - keeps every byte outside gover's block, and the file's line endings,
//   - refuses a read-only file ([ReadOnlyError]) instead of replacing it,
//   - saves the file as it was before gover's first edit in BackupDir and
//     records it, so that [Editor.Undo] puts it back byte for byte.
//
// Writes go through fsx.WriteFileAtomic: a crash leaves the old file or
// the new one.
type Editor struct {
	// BackupDir holds the originals and the record of what was edited
	// (GOVER_HOME/backup/startup).
	BackupDir string
}

// ReadOnlyError is returned for a startup file gover may not change.
type ReadOnlyError struct{ Path string }

func (e *ReadOnlyError) Error() string {
	return e.Path + " is read-only; gover did not change it"
}

// record is one edited file: where it is (links resolved), whether it
// existed, and the copy of its original bytes.
type record struct {
	Path    string      `json:"path"`
	Existed bool        `json:"existed"`
	Saved   string      `json:"saved,omitempty"` // file name in BackupDir
	Mode    fs.FileMode `json:"mode,omitempty"`
	// Bodies are the blocks gover wrote here, by name: recovering an
	// orphaned begin marker drops exactly these lines.
	Bodies map[string]string `json:"bodies,omitempty"`
	// Created is the outermost folder gover made for a new file
	// (~/.config/fish): undo removes it again when it is empty.
	Created string `json:"created,omitempty"`
}

type ledger struct {
	Files []*record `json:"files"`
}

const ledgerName = "files.json"

func (e *Editor) readLedger() (*ledger, error) {
	data, err := os.ReadFile(filepath.Join(e.BackupDir, ledgerName))
	if errors.Is(err, fs.ErrNotExist) {
		return &ledger{}, nil
	}
	if err != nil {
		return nil, err
	}
	var l ledger
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("reading %s: %w", filepath.Join(e.BackupDir, ledgerName), err)
	}
	return &l, nil
}

func (e *Editor) writeLedger(l *ledger) error {
	if len(l.Files) == 0 {
		err := os.Remove(filepath.Join(e.BackupDir, ledgerName))
		if errors.Is(err, fs.ErrNotExist) {
			err = nil
		}
		os.Remove(e.BackupDir) // only when empty
		return err
	}
	data, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return err
	}
	return fsx.WriteFileAtomic(filepath.Join(e.BackupDir, ledgerName), append(data, '\n'), 0o644)
}

func (l *ledger) find(path string) *record {
	for _, r := range l.Files {
		if r.Path == path {
			return r
		}
	}
	return nil
}

func (r *record) known() []string {
	var out []string
	for _, b := range r.Bodies {
		out = append(out, b)
	}
	return out
}

// Resolve follows path's symbolic links to the file they name, which may
// not exist yet. A path that is no link is returned as it is.
func Resolve(path string) (string, error) {
	p := path
	for range 40 {
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return p, nil
		}
		t, err := os.Readlink(p)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(t) {
			t = filepath.Join(filepath.Dir(p), t)
		}
		p = t
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", path)
}

// Set puts body into path as the block called name (see [SetBlock]),
// once: running it again changes nothing. It reports whether the file
// changed.
func (e *Editor) Set(path, name, body string) (bool, error) {
	return e.edit(path, name, body)
}

// Remove takes the block called name out of path, if it is there.
func (e *Editor) Remove(path, name string) (bool, error) {
	return e.edit(path, name, "")
}

func (e *Editor) edit(path, name, body string) (bool, error) {
	target, err := Resolve(path)
	if err != nil {
		return false, err
	}
	old, mode, existed, err := readFile(target)
	if err != nil {
		return false, err
	}
	if !existed && body == "" {
		return false, nil
	}
	l, err := e.readLedger()
	if err != nil {
		return false, err
	}
	rec := l.find(target)
	var known []string
	if rec != nil {
		known = rec.known()
	}
	updated := SetBlock(string(old), name, body, known...)
	if updated == string(old) {
		return false, nil
	}
	if existed && mode&0o200 == 0 {
		return false, exitcode.WithHint(&ReadOnlyError{Path: target}, "chmod u+w "+Posix(target)+"   (or add gover's lines to it yourself)")
	}
	if rec == nil {
		// The first edit: save the original before anything changes.
		rec = &record{Path: target, Existed: existed, Mode: mode}
		if !existed {
			rec.Created = missingParent(target)
		}
		if existed {
			rec.Saved = strconv.Itoa(len(l.Files)+1) + "-" + filepath.Base(target)
			if err := fsx.WriteFileAtomic(filepath.Join(e.BackupDir, rec.Saved), old, 0o600); err != nil {
				return false, fmt.Errorf("backing up %s: %w", target, err)
			}
		}
		l.Files = append(l.Files, rec)
	}
	if rec.Bodies == nil {
		rec.Bodies = map[string]string{}
	}
	if body != "" {
		rec.Bodies[name] = body
	}
	if err := e.writeLedger(l); err != nil {
		return false, err
	}
	if !existed {
		mode = 0o644
	}
	if err := fsx.WriteFileAtomic(target, []byte(updated), mode); err != nil {
		return false, err
	}
	return true, nil
}

func readFile(p string) (data []byte, mode fs.FileMode, existed bool, err error) {
	fi, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, false, nil
	}
	if err != nil {
		return nil, 0, false, err
	}
	if !fi.Mode().IsRegular() {
		return nil, 0, false, fmt.Errorf("%s is not a regular file", p)
	}
	data, err = os.ReadFile(p)
	return data, fi.Mode().Perm(), true, err
}

// Restored is what [Editor.Undo] did to one file.
type Restored struct {
	Path string
	// How: "restored" (byte for byte as before gover's first edit),
	// "removed" (gover created it), "kept" (the user changed it since,
	// so only gover's blocks were taken out), "missing" (it is gone).
	How string
}

// Undo takes gover's blocks out of every file it edited and puts each one
// back exactly as it was before the first edit: the saved original when
// nothing else changed since, else the file without gover's blocks. A file
// gover created is removed. The record and backups are removed after.
func (e *Editor) Undo() ([]Restored, error) {
	l, err := e.readLedger()
	if err != nil {
		return nil, err
	}
	var done []Restored
	var left []*record
	var errs []error
	for _, r := range l.Files {
		how, err := e.undoFile(r)
		if err != nil {
			errs = append(errs, err)
			left = append(left, r)
			continue
		}
		done = append(done, Restored{Path: r.Path, How: how})
		if r.Saved != "" {
			os.Remove(filepath.Join(e.BackupDir, r.Saved))
		}
	}
	l.Files = left
	if err := e.writeLedger(l); err != nil {
		errs = append(errs, err)
	}
	return done, errors.Join(errs...)
}

func (e *Editor) undoFile(r *record) (string, error) {
	cur, mode, existed, err := readFile(r.Path)
	if err != nil {
		return "", err
	}
	if !existed {
		return "missing", nil
	}
	var orig []byte
	if r.Existed {
		if orig, err = os.ReadFile(filepath.Join(e.BackupDir, r.Saved)); err != nil {
			return "", fmt.Errorf("the original of %s: %w", r.Path, err)
		}
	}
	stripped := []byte(RemoveBlocks(string(cur), r.known()...))
	switch {
	case bytes.Equal(stripped, orig) || bytes.Equal(stripped, append(orig, '\n')) || bytes.Equal(stripped, append(orig, '\r', '\n')):
		if !r.Existed {
			if err := os.Remove(r.Path); err != nil {
				return "", err
			}
			removeCreated(filepath.Dir(r.Path), r.Created)
			return "removed", nil
		}
		if bytes.Equal(cur, orig) {
			return "restored", nil
		}
		if mode&0o200 == 0 {
			return "", &ReadOnlyError{Path: r.Path}
		}
		return "restored", fsx.WriteFileAtomic(r.Path, orig, r.Mode)
	case bytes.Equal(stripped, cur):
		return "kept", nil
	}
	if mode&0o200 == 0 {
		return "", &ReadOnlyError{Path: r.Path}
	}
	return "kept", fsx.WriteFileAtomic(r.Path, stripped, mode)
}

// Edited lists the files the editor has changed and not undone.
func (e *Editor) Edited() ([]string, error) {
	l, err := e.readLedger()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range l.Files {
		out = append(out, r.Path)
	}
	return out, nil
}

// missingParent is the outermost folder above path that does not exist
// yet, or "".
func missingParent(path string) string {
	created := ""
	for d := filepath.Dir(path); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || filepath.Dir(d) == d {
			return created
		}
		created = d
	}
}

// removeCreated removes dir and its parents up to and including top, as
// long as they are empty: the folders gover made for a file it created.
func removeCreated(dir, top string) {
	if top == "" {
		return
	}
	for {
		if rel, err := filepath.Rel(top, dir); err != nil || strings.HasPrefix(rel, "..") {
			return
		}
		if os.Remove(dir) != nil {
			return
		}
		if dir == top {
			return
		}
		dir = filepath.Dir(dir)
	}
}
