//go:build !windows

package main

import (
	"os"
	"syscall"

	"github.com/gover/gover/internal/exitcode"
)

// forwardSignal passes a signal gover received on to the command it runs.
func forwardSignal(p *os.Process, sig os.Signal) { p.Signal(sig) }

// childExitCode is the exit code a shell would report for the command:
// its own, or 128+n when signal n ended it.
func childExitCode(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return exitcode.Signal(ws.Signal())
	}
	return ps.ExitCode()
}
