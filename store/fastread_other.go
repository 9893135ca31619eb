//go:build !windows

package store

import (
	"os"
	"syscall"
)

// readSmall reads a small file (a manifest) with plain system calls. A file
// opened through os.Open also sets up the runtime's network poller (an
// epoll instance and a few more calls), which the go shim, reading one
// manifest per run, would pay for and never use. Files over max bytes are
// refused.
func readSmall(name string, max int) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	buf := make([]byte, 0, 1024)
	for {
		if len(buf) == cap(buf) {
			if len(buf) > max {
				return nil, &os.PathError{Op: "read", Path: name, Err: syscall.EFBIG}
			}
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: name, Err: err}
		}
		if n == 0 {
			return buf, nil
		}
		buf = buf[:len(buf)+n]
	}
}
