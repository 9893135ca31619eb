package source

import (
	"errors"
	"io"
	"sync"
	"sync/atomic"
)

var errSideWriter = errors.New("writing the archive failed")

// sideWriter hands what is written to it to w on its own goroutine, so
// that the writer's work (a file write, a signature hash) runs beside the
// caller's instead of inside it. Memory is bounded: at most sideQueue
// chunks wait.
type sideWriter struct {
	w    io.Writer
	ch   chan *[]byte
	bufs sync.Pool
	done chan struct{}
	err  error // set by the goroutine; read after done
	// failed lets Write stop the caller early once w has failed.
	failed atomic.Bool
}

const (
	sideQueue = 64
	sideChunk = 64 << 10
)

func newSideWriter(w io.Writer) *sideWriter {
	s := &sideWriter{w: w, ch: make(chan *[]byte, sideQueue), done: make(chan struct{})}
	s.bufs.New = func() any { b := make([]byte, 0, sideChunk); return &b }
	go s.run()
	return s
}

func (s *sideWriter) run() {
	defer close(s.done)
	for b := range s.ch {
		if s.err == nil {
			if _, s.err = s.w.Write(*b); s.err != nil {
				s.failed.Store(true)
			}
		}
		s.bufs.Put(b)
	}
}

// Write queues a copy of p. Once w has failed, Write fails too, and Close
// reports w's error.
func (s *sideWriter) Write(p []byte) (int, error) {
	if s.failed.Load() {
		return 0, errSideWriter
	}
	for rest := p; len(rest) > 0; {
		b := s.bufs.Get().(*[]byte)
		n := min(len(rest), cap(*b))
		*b = append((*b)[:0], rest[:n]...)
		s.ch <- b
		rest = rest[n:]
	}
	return len(p), nil
}

// Close waits until everything written has reached w and returns w's
// first error.
func (s *sideWriter) Close() error {
	close(s.ch)
	<-s.done
	return s.err
}
