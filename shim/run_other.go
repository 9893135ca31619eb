//go:build !windows

package shim

import (
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

// readFile is os.ReadFile without the os.File machinery: a regular file
// read through os.Open also sets up the runtime's network poller (an
// epoll instance and a handful of fcntl calls), which the shim, reading
// two small files per run, would pay for and never use.
func readFile(name string) ([]byte, error) {
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
	buf := make([]byte, 0, 512)
	for {
		if len(buf) == cap(buf) {
			if len(buf) >= maxRead {
				return nil, &os.PathError{Op: "read", Path: name, Err: errTooLarge}
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
