package main

import (
	"os"
)

// forwardSignal passes a signal gover received on to the command it runs.
// Ctrl+C reaches every process on the console by itself; anything else
// (a service stop) can only end the command.
func forwardSignal(p *os.Process, sig os.Signal) {
	if sig != os.Interrupt {
		p.Kill()
	}
}

// childExitCode is the command's exit code.
func childExitCode(ps *os.ProcessState) int { return ps.ExitCode() }
