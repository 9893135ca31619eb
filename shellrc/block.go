package shellrc

import (
	"strings"
)

// Begin and End are the marker lines around the block named name that
// gover owns in a startup file: "# >>> gover setup >>>" ... "# <<< gover
// setup <<<". Each command edits only its own block.
func Begin(name string) string { return "# >>> gover " + name + " >>>" }

// End is the marker line that closes Begin(name)'s block.
func End(name string) string { return "# <<< gover " + name + " <<<" }

// Names of the blocks gover writes.
const (
	BlockSetup    = "setup"    // gover setup: GOVER_HOME/bin first on PATH
	BlockActivate = "activate" // gover activate --install: the GOROOT hook
)

// blockNames are every block gover has written; undo removes them all.
var blockNames = []string{BlockSetup, BlockActivate}

// SetBlock returns text with the block called name set to body: replaced
// where it is, appended when there is none, removed when body is empty.
// Everything else is kept byte for byte, and the block uses the file's
// line endings (CRLF when the file has them).
//
// A block whose end marker the user deleted (an orphaned begin marker)
// is recovered without losing the user's lines: only the marker and the
// lines right after it that gover wrote (body, or any of known, earlier
// bodies) are dropped. A lone end marker is dropped too.
func SetBlock(text, name, body string, known ...string) string {
	begin, end := Begin(name), End(name)
	// The block keeps the line endings it has, else takes the file's.
	nl := "\n"
	if i := strings.Index(text, begin+"\r\n"); i >= 0 {
		nl = "\r\n"
	} else if i := strings.IndexByte(text, '\n'); i > 0 && text[i-1] == '\r' && !strings.Contains(text, begin+"\n") {
		nl = "\r\n"
	}
	ours := map[string]bool{}
	for _, b := range append(known, body) {
		for _, l := range strings.Split(b, "\n") {
			if l = strings.TrimRight(l, "\r"); strings.TrimSpace(l) != "" {
				ours[l] = true
			}
		}
	}
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	trim := func(l string) string { return strings.TrimRight(l, "\r\n") }
	var kept []string
	at := -1 // where in kept the block goes
	for i := 0; i < len(lines); i++ {
		switch trim(lines[i]) {
		case begin:
			j := i + 1
			for j < len(lines) && trim(lines[j]) != end && trim(lines[j]) != begin {
				j++
			}
			if j < len(lines) && trim(lines[j]) == end {
				i = j // a whole block
			} else {
				for i+1 < len(lines) && ours[trim(lines[i+1])] {
					i++ // an orphaned begin marker and gover's own lines below it
				}
			}
			if at < 0 {
				at = len(kept)
			}
		case end:
			// a lone end marker
		default:
			kept = append(kept, lines[i])
		}
	}
	var block string
	if body != "" {
		b := strings.TrimRight(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
		block = begin + nl + strings.ReplaceAll(b, "\n", nl) + nl + end + nl
	}
	if at < 0 {
		if block == "" {
			return strings.Join(kept, "")
		}
		at = len(kept)
		if at > 0 && !strings.HasSuffix(kept[at-1], "\n") {
			kept[at-1] += nl
		}
	} else if block != "" && at > 0 && !strings.HasSuffix(kept[at-1], "\n") {
		kept[at-1] += nl
	}
	out := strings.Join(kept[:at], "") + block + strings.Join(kept[at:], "")
	return out
}

// RemoveBlocks returns text without any block gover writes.
func RemoveBlocks(text string, known ...string) string {
	for _, n := range blockNames {
		text = SetBlock(text, n, "", known...)
	}
	return text
}

// HasBlock reports whether text holds the begin marker of name's block.
func HasBlock(text, name string) bool {
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimRight(l, "\r") == Begin(name) {
			return true
		}
	}
	return false
}
