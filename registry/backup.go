package registry

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/gover/gover/internal/fsx"
)

// savedValue is one registry value as it was before gover first changed
// it: its raw type and bytes, or that it was absent.
type savedValue struct {
	Root      string `json:"root"` // HKCU or HKLM
	Key       string `json:"key"`
	Name      string `json:"name"`
	Absent    bool   `json:"absent,omitempty"`
	KeyAbsent bool   `json:"keyAbsent,omitempty"` // the key itself did not exist
	// Created is the outermost key that did not exist either (Key or
	// one of its parents), so undo removes every key the sync created.
	Created string `json:"created,omitempty"`
	Type    uint32 `json:"type,omitempty"`
	Data    []byte `json:"data,omitempty"`
	// Wrote is the value as gover last wrote it (Wrote.Absent never set),
	// so undo can tell whether someone changed it since; nil in backups
	// from gover versions that did not record it.
	Wrote *writtenValue `json:"wrote,omitempty"`
	// Entry is the PATH entry gover put first, for a Path value.
	Entry string `json:"entry,omitempty"`
}

// writtenValue is a value's raw type and bytes as gover wrote them.
type writtenValue struct {
	Type uint32 `json:"type"`
	Data []byte `json:"data"`
}

func (v savedValue) id() string { return v.Root + `\` + v.Key + `\` + v.Name }

// backup is the file that keeps the values gover changed, so that
// gover setup --undo can put them back.
type backup struct {
	Values []savedValue `json:"values"`
}

// has reports whether the backup already holds the value's first state.
func (b *backup) has(root, key, name string) bool {
	id := savedValue{Root: root, Key: key, Name: name}.id()
	for _, v := range b.Values {
		if v.id() == id {
			return true
		}
	}
	return false
}

// find returns the saved first state of a value, or nil.
func (b *backup) find(root, key, name string) *savedValue {
	id := savedValue{Root: root, Key: key, Name: name}.id()
	for i := range b.Values {
		if b.Values[i].id() == id {
			return &b.Values[i]
		}
	}
	return nil
}

// add records v unless an earlier state of the same value is already
// there: only the state before gover's first change is worth keeping.
func (b *backup) add(v savedValue) bool {
	if b.has(v.Root, v.Key, v.Name) {
		return false
	}
	b.Values = append(b.Values, v)
	return true
}

// readBackup reads the backup file; a missing file is an empty backup.
func readBackup(path string) (*backup, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &backup{}, nil
	}
	if err != nil {
		return nil, err
	}
	var b backup
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("reading backup %s: %w", path, err)
	}
	return &b, nil
}

// writeBackup writes the backup through a temporary file, so a crash
// leaves the old backup or the new one.
func writeBackup(path string, b *backup) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return fsx.WriteFileAtomic(path, append(data, '\n'), 0o644)
}
