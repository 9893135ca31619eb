package shim

import (
	"bytes"
	"errors"
	"io"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gover/gover/internal/goenv"
)

// The readers below are the only way selection reads a file, in the shim
// and in every gover command, so both always give the same answer. They
// scan line by line through a fixed buffer: a 200 MB .go-version or a
// 5 MB go.mod costs the same memory as a small one, and a scan stops as
// soon as it has the lines that matter.

// maxLine is the longest line the scanners look at; longer lines are seen
// as cut off ([lineScanner.long]) and never hold a version.
const maxLine = 4096

// maxVersionFile bounds a .go-version or .tool-versions file: real ones
// are a few dozen bytes. A larger one is refused after reading this much,
// not read whole. A UTF-16 one is decoded whole within the same bound.
const maxVersionFile = 64 << 10

// lineScanner yields the lines of r without their line ends (LF or CRLF),
// reading through one fixed buffer. A line longer than maxLine is handed
// over as soon as that is known, cut to its first maxLine bytes and
// flagged long; the rest of it is skipped as it streams past.
type lineScanner struct {
	r        io.Reader
	buf      []byte
	off, end int // unread data is buf[off:end]
	done     bool
	skip     bool // dropping the rest of a long line
	err      error
	line     []byte // the current line; valid until the next scan
	long     bool   // the current line was longer than maxLine
}

func newLineScanner(r io.Reader) *lineScanner {
	return &lineScanner{r: r, buf: make([]byte, 8<<10), line: make([]byte, 0, maxLine)}
}

func (s *lineScanner) add(b []byte) {
	if room := maxLine - len(s.line); len(b) > room {
		b, s.long = b[:room], true
	}
	s.line = append(s.line, b...)
}

// scan advances to the next line; it returns false at the end of the
// input or on a read error (see err).
func (s *lineScanner) scan() bool {
	s.line, s.long = s.line[:0], false
	started := false
	for {
		data := s.buf[s.off:s.end]
		i := bytes.IndexByte(data, '\n')
		switch {
		case s.skip && i >= 0:
			s.off += i + 1
			s.skip = false
			continue
		case s.skip:
			s.off = s.end
		case i >= 0:
			s.add(data[:i])
			s.off += i + 1
			return s.finish()
		case len(data) > 0:
			s.add(data)
			s.off = s.end
			started = true
			if s.long {
				s.skip = true
				return s.finish()
			}
		}
		if s.done {
			if started {
				return s.finish()
			}
			return false
		}
		n, err := s.r.Read(s.buf)
		s.off, s.end = 0, n
		if err != nil {
			s.done = true
			if err != io.EOF {
				s.err = err
			}
		}
	}
}

func (s *lineScanner) finish() bool {
	if !s.long {
		s.line = bytes.TrimSuffix(s.line, []byte("\r"))
	}
	return true
}

// textReader returns a reader of r's text as UTF-8 when r starts with a
// UTF-16 byte-order mark (Notepad's "Unicode" encoding), else r itself
// with what it peeked put back. A UTF-8 BOM is left for the caller.
func textReader(r io.Reader) (io.Reader, error) {
	var head [2]byte
	n, err := io.ReadFull(r, head[:])
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	le, be := head == [2]byte{0xFF, 0xFE}, head == [2]byte{0xFE, 0xFF}
	if n < 2 || !le && !be {
		return io.MultiReader(bytes.NewReader(head[:n]), r), nil
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	u := make([]uint16, len(data)/2)
	for i := range u {
		if le {
			u[i] = uint16(data[2*i]) | uint16(data[2*i+1])<<8
		} else {
			u[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
		}
	}
	out := make([]byte, 0, len(u))
	for _, rn := range utf16.Decode(u) {
		out = utf8.AppendRune(out, rn)
	}
	return bytes.NewReader(out), nil
}

// versionLines calls fn with each meaningful line of a version file
// (.go-version, .tool-versions): comments after # and surrounding space
// removed, blank lines skipped, a UTF-8 or UTF-16 byte-order mark and CRLF
// line ends accepted. fn returns false to stop early.
func versionLines(r io.Reader, fn func(line string, long bool) (more bool, err error)) error {
	lr := &io.LimitedReader{R: r, N: maxVersionFile + 1}
	r, err := textReader(lr)
	if err != nil {
		return err
	}
	s := newLineScanner(r)
	first := true
	for s.scan() {
		line := s.line
		if first {
			line = bytes.TrimPrefix(line, []byte("\ufeff"))
			first = false
		}
		if i := bytes.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 && !s.long {
			continue
		}
		if lr.N <= 0 {
			return errTooLarge
		}
		more, err := fn(string(line), s.long)
		if err != nil || !more {
			return err
		}
	}
	if s.err == nil && lr.N <= 0 {
		return errTooLarge
	}
	return s.err
}

var errTooLarge = errors.New("not a version file: larger than 64 KiB")

// readGoVersion reads a .go-version file: one version on one line, blank
// lines and # comments ignored (the goenv, asdf and mise format). It
// stops reading at a second version.
func readGoVersion(r io.Reader) (string, error) {
	found := ""
	err := versionLines(r, func(line string, long bool) (bool, error) {
		if found != "" {
			return false, errors.New("more than one version; a .go-version file holds exactly one")
		}
		if long {
			return false, errors.New("not a .go-version file: a line is longer than 4 KiB")
		}
		found = line
		return true, nil
	})
	if err != nil {
		return "", err
	}
	if found == "" {
		return "", errors.New("empty; it should hold one Go version such as 1.22.5")
	}
	return ParseSpec(found)
}

// readToolVersions reads the Go line of an asdf or mise .tool-versions
// file ("golang 1.22.5" or "go 1.22.5"; the first version listed is the
// one asdf uses). It returns "" when the file names no Go version.
func readToolVersions(r io.Reader) (string, error) {
	found := ""
	err := versionLines(r, func(line string, long bool) (bool, error) {
		f := bytes.Fields([]byte(line))
		if long || len(f) < 2 || string(f[0]) != "golang" && string(f[0]) != "go" {
			return true, nil
		}
		found = string(f[1])
		return false, nil
	})
	if err != nil || found == "" {
		return "", err
	}
	return ParseSpec(found)
}

// ParseGoVersionFile parses the contents of a .go-version file; see
// readGoVersion.
func ParseGoVersionFile(data []byte) (string, error) {
	return readGoVersion(bytes.NewReader(data))
}

// modLines reads the first "go" and first "toolchain" lines of a go.mod or
// go.work file exactly as cmd/go's switch does (gover.GoModLookup): a
// line, trimmed, that starts with the word and a space or tab; the value
// is the rest up to a // comment, trimmed. No UTF-16 decoding: cmd/go
// reads these files as UTF-8. It stops once both lines are found.
func modLines(r io.Reader) (goVal, toolchainVal string, err error) {
	s := newLineScanner(r)
	haveGo, haveTC := false, false
	for s.scan() && !(haveGo && haveTC) {
		line := bytes.TrimSpace(s.line)
		if !haveGo {
			if v, ok := modKey(line, "go"); ok {
				goVal, haveGo = v, true
				if s.long {
					goVal = "\x00long line"
				}
				continue
			}
		}
		if !haveTC {
			if v, ok := modKey(line, "toolchain"); ok {
				toolchainVal, haveTC = v, true
				if s.long {
					toolchainVal = "\x00long line"
				}
			}
		}
	}
	return goVal, toolchainVal, s.err
}

func modKey(line []byte, key string) (string, bool) {
	if !bytes.HasPrefix(line, []byte(key)) {
		return "", false
	}
	rest := line[len(key):]
	if len(rest) == 0 || rest[0] != ' ' && rest[0] != '\t' {
		return "", false
	}
	if i := bytes.Index(rest, []byte("//")); i >= 0 {
		rest = rest[:i]
	}
	return string(bytes.TrimSpace(rest)), true
}

// ScanModFile reads the go and toolchain lines of go.mod or go.work data
// as cmd/go's toolchain switch reads them, returning go-prefixed names
// ("go1.22.3", "go1.23.1") or "" when absent. A "toolchain default" line
// is returned as "default"; a toolchain suffix ("-bigcorp") is stripped.
func ScanModFile(data []byte) (goLine, toolchain string, err error) {
	g, t, err := modLines(bytes.NewReader(data))
	if err != nil {
		return "", "", err
	}
	return modVersions(g, t)
}

// modVersions validates the raw go and toolchain values of a module file.
func modVersions(g, t string) (goLine, toolchain string, err error) {
	if g != "" {
		if len(g) > maxSpec || !validGoLine(g) {
			return "", "", &LineError{Key: "go", Value: g}
		}
		goLine = "go" + g
	}
	switch {
	case t == "":
	case t == "default":
		toolchain = "default"
	default:
		name, perr := ParseSpec(t)
		if perr != nil || len(t) < 2 || t[:2] != "go" {
			return "", "", &LineError{Key: "toolchain", Value: t}
		}
		toolchain = name
	}
	return goLine, toolchain, nil
}

// LineError is an invalid go or toolchain line in a go.mod or go.work.
type LineError struct {
	Key, Value string
}

func (e *LineError) Error() string {
	v := e.Value
	if len(v) > maxSpec || v != "" && v[0] == 0 {
		v = v[:min(len(v), maxSpec)] + "..."
	}
	return "invalid " + e.Key + " line " + quote(v)
}

func quote(s string) string {
	b := []byte{'"'}
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r < ' ' || r == utf8.RuneError:
			b = append(b, '?')
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return string(append(b, '"'))
}

// envFileValues reads the keys wanted from a go env file (`go env -w`) as
// cmd/go does: later lines win; see [goenv.ParseLine].
func envFileValues(r io.Reader, keys ...string) (map[string]string, error) {
	m := make(map[string]string, len(keys))
	s := newLineScanner(r)
	for s.scan() {
		k, v, ok := goenv.ParseLine(s.line)
		if !ok || s.long {
			continue
		}
		for _, want := range keys {
			if k == want {
				m[k] = v
			}
		}
	}
	return m, s.err
}
