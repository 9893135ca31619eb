//go:build !windows

package shim

import (
	"io"
	"os"
	"syscall"
)

const exeSuffix = ""

func envKey(k, want string) bool { return k == want }

// run replaces the shim with the target, as cmd/go's toolchain switch,
// rustup and pyenv do: signals, the process id and exit status all belong
// to go from here on. It returns only when the exec fails.
func run(path string, args, env []string) (int, error) {
	argv := append([]string{path}, args...)
	return 1, syscall.Exec(path, argv, env)
}

// fdFile reads a file through its descriptor with plain system calls.
type fdFile struct {
	fd   int
	name string
}

// openFile opens name for the selection scanners without the os.File
// machinery: a regular file opened through os.Open also sets up the
// runtime's network poller (an epoll instance and a handful of fcntl
// calls), which the shim, reading a few small files per run, would pay
// for and never use.
func openFile(name string) (io.ReadCloser, error) {
	for {
		fd, err := syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "open", Path: name, Err: err}
		}
		return &fdFile{fd: fd, name: name}, nil
	}
}

func (f *fdFile) Read(p []byte) (int, error) {
	for {
		n, err := syscall.Read(f.fd, p)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return 0, &os.PathError{Op: "read", Path: f.name, Err: err}
		}
		if n == 0 && len(p) > 0 {
			return 0, io.EOF
		}
		return n, nil
	}
}

func (f *fdFile) Close() error { return syscall.Close(f.fd) }

// samePathName compares two cleaned paths as the file system does.
func samePathName(a, b string) bool { return a == b }
