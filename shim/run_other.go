//go:build !windows

package shim

import "syscall"

const exeSuffix = ""

func envKey(k, want string) bool { return k == want }

// run replaces the shim with the target, as cmd/go's toolchain switch,
// rustup and pyenv do: signals, the process id and exit status all belong
// to go from here on. It returns only when the exec fails.
func run(path string, args, env []string) (int, error) {
	argv := append([]string{path}, args...)
	return 1, syscall.Exec(path, argv, env)
}
