package shellhint

import (
	"os/exec"
	"syscall"
)

// cmdLine runs line in cmd.exe as typed at its prompt: /s /c "line" hands
// cmd the text between the outer quotes untouched.
func cmdLine(line string) *exec.Cmd {
	cmd := exec.Command("cmd")
	cmd.SysProcAttr = &syscall.SysProcAttr{CmdLine: `cmd /s /c "` + line + `"`}
	return cmd
}
