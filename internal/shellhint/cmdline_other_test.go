//go:build !windows

package shellhint

import "os/exec"

// cmdLine has no cmd.exe to run outside Windows; the tests use sh there.
func cmdLine(line string) *exec.Cmd { return exec.Command("false", line) }
