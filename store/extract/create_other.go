//go:build !unix

package extract

import (
	"io"
	"os"
)

// createNew creates name, which must not exist, for writing.
func createNew(name string, mode os.FileMode) (io.WriteCloser, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return nil, err
	}
	// writerOnly hides os.File.ReadFrom so that io.CopyBuffer uses the
	// caller's buffer, larger than ReadFrom's generic fallback.
	return struct {
		writerOnly
		io.Closer
	}{writerOnly{f}, f}, nil
}
