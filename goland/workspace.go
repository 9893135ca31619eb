// Package goland reads and sets the Go SDK (GOROOT) of a GoLand project,
// which GoLand keeps in .idea/workspace.xml:
//
//	<component name="GOROOT" url="file://$USER_HOME$/.gover/sdk/go1.22.5" />
//
// (older files: path="..."). Edits are targeted text edits: every byte of
// the file other than that one attribute stays as it was (comments, other
// components, attribute order, CRLF line endings), and a missing component
// is inserted where GoLand would keep it, in name order.
//
//	data, _ := os.ReadFile(".idea/workspace.xml")
//	w := goland.Workspace{ProjectDir: ".", Home: home}
//	goroot, ok := w.GOROOT(data) // "/home/me/.gover/sdk/go1.22.5", true
//	data, changed := w.SetGOROOT(data, "/home/me/.gover/sdk/go1.23.4")
package goland

import (
	"bytes"
	"html"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
)

// Dir and File are where GoLand keeps a project's settings.
const (
	Dir  = ".idea"
	File = "workspace.xml"
)

// Workspace is what GoLand's path macros expand to for one project.
type Workspace struct {
	ProjectDir string // $PROJECT_DIR$: the folder holding .idea
	Home       string // $USER_HOME$: HOME, or %USERPROFILE% on Windows
	// GOOS decides path case and separators (default runtime.GOOS).
	GOOS string
}

var (
	componentRE = regexp.MustCompile(`<component\b[^>]*>`)
	attrRE      = regexp.MustCompile(`([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')`)
)

// attr is one attribute of a tag: its name and where its value is.
type attr struct {
	name       string
	value      string // raw, still XML-escaped
	start, end int    // the value's bytes, quotes excluded, in the file
}

func attrs(data []byte, tagStart, tagEnd int) []attr {
	var out []attr
	tag := data[tagStart:tagEnd]
	for _, m := range attrRE.FindAllSubmatchIndex(tag, -1) {
		a := attr{name: string(tag[m[2]:m[3]])}
		if m[6] >= 0 {
			a.start, a.end = m[6], m[7]
		} else {
			a.start, a.end = m[8], m[9]
		}
		a.value = string(tag[a.start:a.end])
		a.start += tagStart
		a.end += tagStart
		out = append(out, a)
	}
	return out
}

func find(list []attr, name string) *attr {
	for i := range list {
		if list[i].name == name {
			return &list[i]
		}
	}
	return nil
}

// component finds the <component name="GOROOT"> tag: its bounds and
// attributes; start is -1 when there is none.
func component(data []byte) (start, end int, as []attr) {
	for _, m := range componentRE.FindAllIndex(data, -1) {
		as := attrs(data, m[0], m[1])
		if n := find(as, "name"); n != nil && n.value == "GOROOT" {
			return m[0], m[1], as
		}
	}
	return -1, -1, nil
}

// GOROOT returns the SDK folder the workspace data names, with $USER_HOME$
// and $PROJECT_DIR$ expanded, and whether it names one.
func (w Workspace) GOROOT(data []byte) (string, bool) {
	start, _, as := component(data)
	if start < 0 {
		return "", false
	}
	a := find(as, "url")
	if a == nil {
		a = find(as, "path")
	}
	if a == nil || a.value == "" {
		return "", false
	}
	v := html.UnescapeString(a.value)
	v = strings.TrimPrefix(v, "file://")
	v = strings.ReplaceAll(v, "$USER_HOME$", filepath.ToSlash(w.Home))
	v = strings.ReplaceAll(v, "$PROJECT_DIR$", filepath.ToSlash(w.ProjectDir))
	v = path.Clean(strings.ReplaceAll(v, `\`, "/"))
	if w.goos() == "windows" {
		v = strings.ReplaceAll(v, "/", `\`)
	}
	return v, true
}

// value is how GoLand writes goroot in a url= (url true) or path=
// attribute: forward slashes, $USER_HOME$ for the home folder, XML-escaped.
func (w Workspace) value(goroot string, url bool) string {
	p := strings.ReplaceAll(goroot, `\`, "/")
	if h := strings.TrimRight(strings.ReplaceAll(w.Home, `\`, "/"), "/"); h != "" {
		fold := w.goos() == "windows"
		if rest, ok := cutPathPrefix(p, h, fold); ok {
			p = "$USER_HOME$" + rest
		}
	}
	if url {
		p = "file://" + p
	}
	return html.EscapeString(p)
}

// cutPathPrefix reports whether p is dir or inside it, and what follows dir.
func cutPathPrefix(p, dir string, fold bool) (string, bool) {
	if len(p) < len(dir) {
		return "", false
	}
	head, rest := p[:len(dir)], p[len(dir):]
	if head != dir && !(fold && strings.EqualFold(head, dir)) {
		return "", false
	}
	if rest != "" && rest[0] != '/' {
		return "", false
	}
	return rest, true
}

func (w Workspace) goos() string {
	if w.GOOS == "" {
		return runtime.GOOS
	}
	return w.GOOS
}

// SetGOROOT returns data with the project GOROOT set to goroot, and whether
// that changed anything. The component's url (or, in older files, path)
// value is rewritten in place; a component without either gets url=; a
// file without the component gets one line, indented like its neighbours,
// before the first component whose name sorts after GOROOT. Empty data
// becomes a new workspace.xml.
func (w Workspace) SetGOROOT(data []byte, goroot string) ([]byte, bool) {
	if len(bytes.TrimSpace(data)) == 0 {
		return []byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project version=\"4\">\n  <component name=\"GOROOT\" url=\"" + w.value(goroot, true) + "\" />\n</project>\n"), true
	}
	start, _, as := component(data)
	if start >= 0 {
		a, url := find(as, "url"), true
		if a == nil {
			if a = find(as, "path"); a != nil {
				url = false
			}
		}
		if a != nil {
			if old, ok := w.GOROOT(data); ok && samePath(old, goroot, w.goos()) && a.value == w.value(goroot, url) {
				return data, false
			}
			return splice(data, a.start, a.end, w.value(goroot, url)), true
		}
		n := find(as, "name")
		return splice(data, n.end+1, n.end+1, ` url="`+w.value(goroot, true)+`"`), true
	}
	return w.insert(data, goroot), true
}

// insert adds the component to data, which has none.
func (w Workspace) insert(data []byte, goroot string) []byte {
	eol := "\n"
	if bytes.Contains(data, []byte("\r\n")) {
		eol = "\r\n"
	}
	indent := "  "
	at := -1
	for _, m := range componentRE.FindAllIndex(data, -1) {
		ls := lineStart(data, m[0])
		if ws := data[ls:m[0]]; len(bytes.TrimLeft(ws, " \t")) == 0 {
			indent = string(ws)
		}
		if n := find(attrs(data, m[0], m[1]), "name"); at < 0 && n != nil && n.value > "GOROOT" {
			at = ls
		}
	}
	line := indent + `<component name="GOROOT" url="` + w.value(goroot, true) + `" />`
	if at >= 0 {
		return splice(data, at, at, line+eol)
	}
	if i := bytes.LastIndex(data, []byte("</project>")); i >= 0 {
		ls := lineStart(data, i)
		if len(bytes.TrimLeft(data[ls:i], " \t")) == 0 {
			return splice(data, ls, ls, line+eol)
		}
		return splice(data, i, i, eol+line+eol)
	}
	// <project version="4" />: open it up.
	if m := regexp.MustCompile(`<project\b[^>]*?\s*/>`).FindIndex(data); m != nil {
		tag := bytes.TrimRight(bytes.TrimSuffix(data[m[0]:m[1]], []byte("/>")), " \t")
		return splice(data, m[0], m[1], string(tag)+">"+eol+line+eol+"</project>")
	}
	return append(append([]byte(nil), data...), []byte(eol+line+eol)...)
}

func lineStart(data []byte, i int) int {
	return bytes.LastIndexByte(data[:i], '\n') + 1
}

func splice(data []byte, start, end int, s string) []byte {
	out := make([]byte, 0, len(data)+len(s))
	out = append(out, data[:start]...)
	out = append(out, s...)
	return append(out, data[end:]...)
}

func samePath(a, b, goos string) bool {
	a, b = path.Clean(filepath.ToSlash(a)), path.Clean(filepath.ToSlash(b))
	if goos == "windows" {
		return strings.EqualFold(a, b)
	}
	return a == b
}

func goosOf() string { return Workspace{}.goos() }
