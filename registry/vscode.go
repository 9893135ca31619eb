package registry

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gover/gover/internal/fsx"
	"github.com/tailscale/hujson"
)

// VSCodeResult says what [VSCodeSettings] changed.
type VSCodeResult struct {
	Changed       bool
	RemovedGOROOT string // the go.goroot setting taken out, if any
	RemovedEnv    string // the GOROOT in go.toolsEnvVars taken out, if any
}

// MergeVSCodeSettings sets "go.alternateTools": {"go": goShim} in the
// VS Code settings data (JSON with comments and trailing commas) and
// takes out a "go.goroot", and a GOROOT in "go.toolsEnvVars", either of
// which would pin one SDK for every folder. Comments, other settings and
// their layout are kept. Empty data is an empty settings file.
//
// A UTF-8 byte order mark and CRLF line endings, which Windows editors
// leave and VS Code keeps, are kept too, and the lines gover adds end the
// way the file's lines do.
func MergeVSCodeSettings(data []byte, goShim string) ([]byte, VSCodeResult, error) {
	text, style := UnwrapText(data)
	out, res, err := mergeVSCodeSettings(text, goShim)
	if err != nil || !res.Changed {
		return data, res, err
	}
	return style.Wrap(out), res, nil
}

// TextStyle is what a settings file has around its JSON that the JSON
// parser does not take: a UTF-8 byte order mark and CRLF line endings.
type TextStyle struct {
	BOM  bool
	CRLF bool
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// UnwrapText takes the byte order mark off data and turns CRLF line
// endings into LF, for the parser; [TextStyle.Wrap] puts both back. A file
// counts as CRLF when most of its line endings are.
func UnwrapText(data []byte) ([]byte, TextStyle) {
	var st TextStyle
	if bytes.HasPrefix(data, utf8BOM) {
		st.BOM, data = true, data[len(utf8BOM):]
	}
	if crlf := bytes.Count(data, []byte("\r\n")); crlf > 0 && 2*crlf >= bytes.Count(data, []byte("\n")) {
		st.CRLF, data = true, bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	}
	return data, st
}

// Wrap gives text, with LF line endings, the style st describes.
func (st TextStyle) Wrap(text []byte) []byte {
	if st.CRLF {
		text = bytes.ReplaceAll(text, []byte("\n"), []byte("\r\n"))
	}
	if st.BOM {
		text = append(append([]byte(nil), utf8BOM...), text...)
	}
	return text
}

func mergeVSCodeSettings(data []byte, goShim string) ([]byte, VSCodeResult, error) {
	var res VSCodeResult
	if len(trimSpace(data)) == 0 {
		shim, _ := json.Marshal(goShim)
		out := "{\n\t\"go.alternateTools\": {\n\t\t\"go\": " + string(shim) + "\n\t}\n}\n"
		return []byte(out), VSCodeResult{Changed: true}, nil
	}
	v, err := hujson.Parse(data)
	if err != nil {
		return nil, res, fmt.Errorf("parsing settings: %w", err)
	}
	if _, ok := v.Value.(*hujson.Object); !ok {
		return nil, res, errors.New("settings are not a JSON object")
	}
	obj := v.Value.(*hujson.Object)
	changed := false
	if g := v.Find("/go.goroot"); g != nil {
		res.RemovedGOROOT = literalString(g)
		removeMember(obj, "go.goroot")
		changed = true
	}
	if env := member(obj, "go.toolsEnvVars"); env != nil {
		if eo, ok := env.Value.(*hujson.Object); ok && member(eo, "GOROOT") != nil {
			res.RemovedEnv = literalString(member(eo, "GOROOT"))
			removeMember(eo, "GOROOT")
			changed = true
		}
	}
	shim, _ := json.Marshal(goShim)
	alt := member(obj, "go.alternateTools")
	if alt != nil && alt.Value.Kind() != '{' {
		removeMember(obj, "go.alternateTools")
		alt = nil
	}
	if alt == nil {
		indent, multiline := memberIndent(obj, "\t")
		val := `{"go": ` + string(shim) + `}`
		if multiline {
			val = "{\n" + indent + indentUnit(indent) + `"go": ` + string(shim) + "\n" + indent + "}"
		}
		if err := addMember(obj, "go.alternateTools", val, indent, multiline); err != nil {
			return nil, res, err
		}
		changed = true
	} else if ao := alt.Value.(*hujson.Object); literalOf(member(ao, "go")) != goShim {
		removeMember(ao, "go")
		outer, _ := memberIndent(obj, "\t")
		indent, multiline := memberIndent(ao, outer+indentUnit(outer))
		if err := addMember(ao, "go", string(shim), indent, multiline); err != nil {
			return nil, res, err
		}
		changed = true
	}
	if !changed {
		return data, res, nil
	}
	v.UpdateOffsets()
	res.Changed = true
	return v.Pack(), res, nil
}

// member finds the value of the member called name.
func member(obj *hujson.Object, name string) *hujson.Value {
	for i := range obj.Members {
		if l, ok := obj.Members[i].Name.Value.(hujson.Literal); ok && l.String() == name {
			return &obj.Members[i].Value
		}
	}
	return nil
}

// removeMember takes the members called name out of obj. Comments before a
// removed member are kept, moved to whatever follows it.
func removeMember(obj *hujson.Object, name string) {
	for i := 0; i < len(obj.Members); i++ {
		m := obj.Members[i]
		if l, ok := m.Name.Value.(hujson.Literal); !ok || l.String() != name {
			continue
		}
		keep := m.Name.BeforeExtra
		if !bytes.Contains(keep, []byte("/")) {
			keep = nil
		}
		last := i == len(obj.Members)-1
		trailing := m.Value.AfterExtra != nil
		obj.Members = append(obj.Members[:i], obj.Members[i+1:]...)
		switch {
		case keep == nil:
		case i < len(obj.Members):
			nb := &obj.Members[i].Name.BeforeExtra
			*nb = append(append(hujson.Extra{}, bytes.TrimRight(keep, " \t")...), bytes.TrimLeft(*nb, "\r\n")...)
		default:
			obj.AfterExtra = append(append(hujson.Extra{}, bytes.TrimRight(keep, " \t")...), bytes.TrimLeft(obj.AfterExtra, "\r\n")...)
		}
		if last && len(obj.Members) > 0 {
			// The new last member ends the way the removed one did.
			prev := &obj.Members[len(obj.Members)-1].Value
			switch {
			case trailing && prev.AfterExtra == nil:
				prev.AfterExtra = hujson.Extra{}
			case !trailing && len(prev.AfterExtra) == 0:
				prev.AfterExtra = nil
			}
		}
		i--
	}
}

// memberIndent reports how obj's members are indented and whether they sit
// on lines of their own; def is used for an empty object.
func memberIndent(obj *hujson.Object, def string) (string, bool) {
	if len(obj.Members) == 0 {
		return def, true
	}
	b := obj.Members[len(obj.Members)-1].Name.BeforeExtra
	i := bytes.LastIndexByte(b, '\n')
	if i < 0 {
		return "", false
	}
	ind := string(b[i+1:])
	if strings.Trim(ind, " \t") != "" {
		return def, true
	}
	return ind, true
}

// indentUnit guesses one level of indentation from a member's indentation.
func indentUnit(indent string) string {
	switch {
	case strings.HasPrefix(indent, "\t"):
		return "\t"
	case strings.HasPrefix(indent, "    "):
		return "    "
	case strings.HasPrefix(indent, " "):
		return "  "
	}
	return "\t"
}

// addMember appends name: raw to obj, laid out like its other members and
// keeping whether the object ends with a trailing comma.
func addMember(obj *hujson.Object, name, raw, indent string, multiline bool) error {
	key, _ := json.Marshal(name)
	val, err := hujson.Parse([]byte(raw))
	if err != nil {
		return err
	}
	before := hujson.Extra(" ")
	if multiline {
		before = hujson.Extra("\n" + indent)
	}
	m := hujson.ObjectMember{
		Name:  hujson.Value{BeforeExtra: before, Value: hujson.Literal(key)},
		Value: hujson.Value{BeforeExtra: hujson.Extra(" "), Value: val.Value},
	}
	if n := len(obj.Members); n > 0 {
		prev := &obj.Members[n-1].Value
		if prev.AfterExtra != nil {
			m.Value.AfterExtra = hujson.Extra{}
			if len(prev.AfterExtra) > 0 {
				m.Value.AfterExtra = prev.AfterExtra
				prev.AfterExtra = hujson.Extra{}
			}
		}
	} else if multiline {
		obj.AfterExtra = hujson.Extra("\n" + strings.TrimSuffix(indent, indentUnit(indent)))
	}
	obj.Members = append(obj.Members, m)
	return nil
}

func literalOf(v *hujson.Value) string {
	if v == nil {
		return ""
	}
	return literalString(v)
}

// VSCodeSettings merges the go shim into dir/.vscode/settings.json,
// creating it when there is none. A file that does not parse is left
// untouched and reported.
func VSCodeSettings(dir, goShim string) (string, VSCodeResult, error) {
	path := filepath.Join(dir, ".vscode", "settings.json")
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return path, VSCodeResult{}, err
	}
	out, res, err := MergeVSCodeSettings(data, goShim)
	if err != nil {
		return path, res, fmt.Errorf("%s: %w", path, err)
	}
	if !res.Changed && data != nil {
		return path, res, nil
	}
	res.Changed = true
	return path, res, fsx.WriteFileAtomic(path, out, 0o644)
}

func literalString(v *hujson.Value) string {
	if l, ok := v.Value.(hujson.Literal); ok {
		if l.Kind() == '"' {
			return l.String()
		}
		return string(l)
	}
	return string(v.Pack())
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	return b
}

// VSCodeGo is what a VS Code settings file says about which Go to run.
type VSCodeGo struct {
	GOROOT       string // "go.goroot"
	AlternateGo  string // "go.alternateTools": {"go": ...}
	EnvGOROOT    string // "go.toolsEnvVars": {"GOROOT": ...}
	HasEnvGOROOT bool
}

// ReadVSCodeGo reads the Go settings from VS Code settings data (JSON with
// comments, a BOM or CRLF lines allowed). Empty data has none.
func ReadVSCodeGo(data []byte) (VSCodeGo, error) {
	var g VSCodeGo
	data, _ = UnwrapText(data)
	if len(bytes.TrimSpace(data)) == 0 {
		return g, nil // VS Code treats an empty file as no settings
	}
	// Standardize rewrites its argument in place (comments become spaces).
	std, err := hujson.Standardize(append([]byte(nil), data...))
	if err != nil {
		return g, err
	}
	var s map[string]json.RawMessage
	if err := json.Unmarshal(std, &s); err != nil {
		return g, err
	}
	if raw, ok := s["go.goroot"]; ok {
		json.Unmarshal(raw, &g.GOROOT)
	}
	var alt map[string]json.RawMessage
	if raw, ok := s["go.alternateTools"]; ok && json.Unmarshal(raw, &alt) == nil {
		if raw, ok := alt["go"]; ok {
			json.Unmarshal(raw, &g.AlternateGo)
		}
	}
	var env map[string]json.RawMessage
	if raw, ok := s["go.toolsEnvVars"]; ok && json.Unmarshal(raw, &env) == nil {
		if raw, ok := env["GOROOT"]; ok {
			g.HasEnvGOROOT = true
			json.Unmarshal(raw, &g.EnvGOROOT)
		}
	}
	return g, nil
}
