package download

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// sink receives the body. reset starts over from byte 0 (a server that
// cannot resume); it reports false if the sink cannot go back.
type sink interface {
	io.Writer
	reset() bool
}

type fileSink struct{ f *os.File }

func (s *fileSink) Write(p []byte) (int, error) { return s.f.Write(p) }
func (s *fileSink) reset() bool {
	if err := s.f.Truncate(0); err != nil {
		return false
	}
	_, err := s.f.Seek(0, io.SeekStart)
	return err == nil
}

type pipeSink struct {
	w        *io.PipeWriter
	consumed bool
}

func (s *pipeSink) Write(p []byte) (int, error) {
	if s.consumed {
		return len(p), nil
	}
	n, err := s.w.Write(p)
	if errors.Is(err, errConsumed) {
		s.consumed = true
		return len(p), nil
	}
	return n, err
}
func (s *pipeSink) reset() bool { return false }

type memSink struct {
	buf   []byte
	limit int64
	url   string
}

func (s *memSink) Write(p []byte) (int, error) {
	if int64(len(s.buf)+len(p)) > s.limit {
		return 0, fmt.Errorf("%s is larger than %d bytes", s.url, s.limit)
	}
	s.buf = append(s.buf, p...)
	return len(p), nil
}
func (s *memSink) reset() bool { s.buf = s.buf[:0]; return true }

// sinkError marks a failure of the sink (disk full, consumer gone), which
// retrying the network cannot fix.
type sinkError struct{ err error }

func (e sinkError) Error() string { return e.err.Error() }
func (e sinkError) Unwrap() error { return e.err }
