package store

import (
	"io"
	"os"
	"syscall"
)

// readSmall reads a small file (a manifest); Windows has no poller set-up
// to avoid. Files over max bytes are refused.
func readSmall(name string, max int) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(max)+1))
	if err == nil && len(data) > max {
		err = &os.PathError{Op: "read", Path: name, Err: syscall.EFBIG}
	}
	return data, err
}
