package doctor

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// JSONSchema is the version of the --json output. It changes only when a
// field changes meaning; new fields may be added without a change.
//
// The output is one object:
//
//	{
//	  "schema": 1,
//	  "ok": false,                 // true when no check is an error
//	  "summary": {"ok": 14, "warning": 2, "error": 1},
//	  "checks": [
//	    {
//	      "id": "path.go",         // stable check name: "<area>.<what>"
//	      "area": "PATH",          // the heading it is grouped under
//	      "status": "error",       // "ok", "warning" or "error"
//	      "finding": "go on PATH is /usr/local/go/bin/go (go1.21.0 from /usr/local/go), which shadows the gover shim",
//	      "hint": "export PATH=...",   // the command that fixes it; omitted when none
//	      "fix": "..."             // what --fix would change; omitted when it has no safe fix
//	    }
//	  ],
//	  "fixed": ["..."],            // with --fix: the changes made, in order
//	  "backup": "/home/me/.gover/backup/doctor-20261121T103000Z"   // with --fix: where they were saved
//	}
const JSONSchema = 1

// JSON is the --json document.
type JSON struct {
	Schema  int            `json:"schema"`
	OK      bool           `json:"ok"`
	Summary map[string]int `json:"summary"`
	Checks  []Check        `json:"checks"`
	Fixed   []string       `json:"fixed,omitempty"`
	Backup  string         `json:"backup,omitempty"`
}

// WriteJSON writes r as the documented JSON object; fixed and backup come
// from ApplyFixes.
func (r *Report) WriteJSON(w io.Writer, fixed []string, backup string) error {
	checks := r.Checks
	if checks == nil {
		checks = []Check{}
	}
	doc := JSON{
		Schema: JSONSchema,
		OK:     r.Errors() == 0,
		Summary: map[string]int{
			"ok":      r.Count(OK),
			"warning": r.Count(Warning),
			"error":   r.Count(Error),
		},
		Checks: checks,
		Fixed:  fixed,
		Backup: backup,
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiGreen  = "\x1b[32m"
	ansiDim    = "\x1b[2m"
)

// WriteText writes r for people: one heading per area, one line per check
// with its hint below it, and a summary. color adds ANSI colours; callers
// pass false when NO_COLOR is set or w is not a terminal.
func (r *Report) WriteText(w io.Writer, color bool) error {
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return code + s + ansiReset
	}
	var b strings.Builder
	area := ""
	for _, c := range r.Checks {
		if c.Area != area {
			if area != "" {
				b.WriteString("\n")
			}
			area = c.Area
			b.WriteString(paint(ansiBold, area) + "\n")
		}
		var tag string
		switch c.Status {
		case OK:
			tag = paint(ansiGreen, "  ok    ")
		case Warning:
			tag = paint(ansiYellow, "  warn  ")
		default:
			tag = paint(ansiRed, "  error ")
		}
		fmt.Fprintf(&b, "%s%s\n", tag, c.Finding)
		if c.Hint != "" && c.Status != OK {
			fmt.Fprintf(&b, "        %s %s\n", paint(ansiDim, "fix:"), c.Hint)
		} else if c.Hint != "" {
			fmt.Fprintf(&b, "        %s %s\n", paint(ansiDim, "tip:"), c.Hint)
		}
	}
	e, wn := r.Errors(), r.Count(Warning)
	fmt.Fprintf(&b, "\n%d ok, %d warning%s, %d error%s", r.Count(OK), wn, plural(wn, "", "s"), e, plural(e, "", "s"))
	if n := len(r.Fixable()); n > 0 {
		fmt.Fprintf(&b, "; gover doctor --fix applies %d safe fix%s", n, plural(n, "", "es"))
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}
