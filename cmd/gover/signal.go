package main

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// stopSignals are the signals that stop gover the way Ctrl+C does: the
// running command's context is cancelled, it cleans up (an install removes
// its half-written SDK and download) and gover exits with 128 plus the
// signal's number, as a shell reports it (130, 143, 129). On Windows,
// closing the console window or logging off arrives as SIGTERM.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// signalContext returns a context that the first stop signal cancels, and
// a function that reports which signal that was (0 for none). After the
// first signal the default action is back, so a second Ctrl+C ends gover
// at once.
func signalContext() (context.Context, func() syscall.Signal) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, stopSignals...)
	var (
		mu     sync.Mutex
		caught syscall.Signal
	)
	go func() {
		s := <-ch
		mu.Lock()
		if n, ok := s.(syscall.Signal); ok {
			caught = n
		}
		mu.Unlock()
		signal.Reset(stopSignals...)
		cancel()
	}()
	return ctx, func() syscall.Signal {
		mu.Lock()
		defer mu.Unlock()
		return caught
	}
}
