package main

import (
	"bytes"
	"io"
	"strings"
	"sync"
)

// noteWriter is where the installer's notes and plain progress lines go:
// each line gets gover's one prefix, "gover: ", and the notes ("note: ...",
// which sources were skipped and why) show only with --verbose. A failed
// install still names every source it tried, in its error.
type noteWriter struct {
	w       io.Writer
	verbose bool

	mu   sync.Mutex
	line []byte
}

func (n *noteWriter) Write(p []byte) (int, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.line = append(n.line, p...)
	for {
		i := bytes.IndexByte(n.line, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := string(n.line[:i])
		n.line = n.line[i+1:]
		if strings.HasPrefix(line, "note: ") && !n.verbose {
			continue
		}
		if !strings.HasPrefix(line, "gover: ") {
			line = "gover: " + line
		}
		if _, err := io.WriteString(n.w, line+"\n"); err != nil {
			return len(p), err
		}
	}
}
