package doctor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/tailscale/hujson"

	"github.com/gover/gover/registry"
	"github.com/gover/gover/versions"
)

// checkIDE looks at VS Code's settings, Delve and gopls.
func (r *run) checkIDE(ctx context.Context) {
	found := false
	if r.ConfigDir != "" {
		p := filepath.Join(r.ConfigDir, "Code", "User", "settings.json")
		found = r.checkVSCode("ide.vscode-user", "VS Code user settings", p) || found
	}
	if p := r.workspaceSettings(); p != "" {
		found = r.checkVSCode("ide.vscode-workspace", "VS Code workspace settings", p) || found
	}
	if !found {
		r.add(Check{ID: "ide.vscode", Area: AreaIDE, Status: OK, Finding: "no VS Code settings pin a Go SDK"})
	}
	r.checkDelve(ctx)
	r.checkGopls()
}

// workspaceSettings is the nearest .vscode/settings.json from Dir up.
func (r *run) workspaceSettings() string {
	for dir := r.Dir; ; {
		p := filepath.Join(dir, ".vscode", "settings.json")
		if fileExists(p) {
			return p
		}
		up := filepath.Dir(dir)
		if up == dir || (r.Home != "" && samePath(dir, r.Home)) {
			return ""
		}
		dir = up
	}
}

// vscodeProblem is one setting that takes Go selection away from gover,
// and the JSON Patch operation that takes it out.
type vscodeProblem struct {
	what  string
	patch map[string]any
}

// vscodeProblems finds go.goroot, a go.alternateTools go that is not the
// shim, and a GOROOT in go.toolsEnvVars in settings data (JSONC).
func vscodeProblems(data []byte, shimGo string) ([]vscodeProblem, error) {
	data, _ = registry.UnwrapText(data) // a BOM or CRLF lines from a Windows editor
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil // VS Code treats an empty file as no settings
	}
	// Standardize rewrites its argument in place (comments become spaces).
	std, err := hujson.Standardize(append([]byte(nil), data...))
	if err != nil {
		return nil, err
	}
	var s map[string]json.RawMessage
	if err := json.Unmarshal(std, &s); err != nil {
		return nil, err
	}
	var out []vscodeProblem
	var goroot string
	if raw, ok := s["go.goroot"]; ok && json.Unmarshal(raw, &goroot) == nil && goroot != "" {
		out = append(out, vscodeProblem{
			what:  fmt.Sprintf(`"go.goroot": %q pins that Go for every folder`, goroot),
			patch: map[string]any{"op": "remove", "path": "/go.goroot"},
		})
	}
	var alt map[string]json.RawMessage
	if raw, ok := s["go.alternateTools"]; ok && json.Unmarshal(raw, &alt) == nil {
		var g string
		if raw, ok := alt["go"]; ok && json.Unmarshal(raw, &g) == nil && g != "" && g != "go" && !samePath(g, shimGo) {
			out = append(out, vscodeProblem{
				what:  fmt.Sprintf(`"go.alternateTools": {"go": %q} runs that go instead of the gover shim`, g),
				patch: map[string]any{"op": "replace", "path": "/go.alternateTools/go", "value": shimGo},
			})
		}
	}
	var tenv map[string]json.RawMessage
	if raw, ok := s["go.toolsEnvVars"]; ok && json.Unmarshal(raw, &tenv) == nil {
		if raw, ok := tenv["GOROOT"]; ok {
			var g string
			json.Unmarshal(raw, &g)
			out = append(out, vscodeProblem{
				what:  fmt.Sprintf(`"go.toolsEnvVars": {"GOROOT": %q} pins that Go for the Go tools`, g),
				patch: map[string]any{"op": "remove", "path": "/go.toolsEnvVars/GOROOT"},
			})
		}
	}
	return out, nil
}

// fixVSCode applies the problems' patches to data, keeping comments and
// the rest of the layout.
func fixVSCode(data []byte, probs []vscodeProblem) ([]byte, error) {
	data, style := registry.UnwrapText(data)
	v, err := hujson.Parse(data)
	if err != nil {
		return nil, err
	}
	var ops []map[string]any
	for _, p := range probs {
		if p.patch["op"] == "remove" {
			removeMember(&v, p.patch["path"].(string))
		} else {
			ops = append(ops, p.patch)
		}
	}
	if len(ops) == 0 {
		return style.Wrap(v.Pack()), nil
	}
	patch, err := json.Marshal(ops)
	if err != nil {
		return nil, err
	}
	if err := v.Patch(patch); err != nil {
		return nil, err
	}
	return style.Wrap(v.Pack()), nil
}

// removeMember removes the member at pointer ("/go.goroot",
// "/go.toolsEnvVars/GOROOT"), moving the comments written before it to what
// follows, so that only the member is lost.
func removeMember(v *hujson.Value, pointer string) {
	names := strings.Split(strings.TrimPrefix(pointer, "/"), "/")
	cur := v
	for n, name := range names {
		obj, ok := cur.Value.(*hujson.Object)
		if !ok {
			return
		}
		i := -1
		for j := range obj.Members {
			if l, ok := obj.Members[j].Name.Value.(hujson.Literal); ok && l.String() == name {
				i = j
			}
		}
		if i < 0 {
			return
		}
		if n < len(names)-1 {
			cur = &obj.Members[i].Value
			continue
		}
		m := obj.Members[i]
		last := i == len(obj.Members)-1
		obj.Members = append(obj.Members[:i], obj.Members[i+1:]...)
		if keep := bytes.TrimRight(m.Name.BeforeExtra, " \t"); bytes.Contains(keep, []byte("/")) {
			if i < len(obj.Members) {
				nb := &obj.Members[i].Name.BeforeExtra
				*nb = append(append(hujson.Extra{}, keep...), bytes.TrimLeft(*nb, "\r\n")...)
			} else {
				obj.AfterExtra = append(append(hujson.Extra{}, keep...), bytes.TrimLeft(obj.AfterExtra, "\r\n")...)
			}
		}
		if last && len(obj.Members) > 0 {
			// The new last member ends the way the removed one did: with
			// or without a trailing comma.
			prev := &obj.Members[len(obj.Members)-1].Value
			if m.Value.AfterExtra != nil && prev.AfterExtra == nil {
				prev.AfterExtra = hujson.Extra{}
			} else if m.Value.AfterExtra == nil && len(prev.AfterExtra) == 0 {
				prev.AfterExtra = nil
			}
		}
	}
}

// checkVSCode checks one settings file and reports whether it exists.
func (r *run) checkVSCode(id, what, p string) bool {
	data, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return false
	}
	if err != nil {
		r.add(Check{ID: id, Area: AreaIDE, Status: Warning, Finding: fmt.Sprintf("%s %s cannot be read: %v", what, p, err)})
		return true
	}
	shimGo := registry.ShimPath(r.st.BinDir(), "go")
	probs, err := vscodeProblems(data, shimGo)
	if err != nil {
		r.add(Check{ID: id, Area: AreaIDE, Status: Warning,
			Finding: fmt.Sprintf("%s %s does not parse: %v", what, p, err),
			Hint:    "fix the syntax in " + p})
		return true
	}
	if len(probs) == 0 {
		r.add(Check{ID: id, Area: AreaIDE, Status: OK, Finding: fmt.Sprintf("%s %s leave Go to the gover shim", what, p)})
		return true
	}
	var whats, changes []string
	for _, pr := range probs {
		whats = append(whats, pr.what)
		switch pr.patch["op"] {
		case "remove":
			changes = append(changes, "remove "+strings.TrimPrefix(pr.patch["path"].(string), "/"))
		default:
			changes = append(changes, fmt.Sprintf("set %s to %s", strings.TrimPrefix(pr.patch["path"].(string), "/"), shimGo))
		}
	}
	r.add(Check{ID: id, Area: AreaIDE, Status: Warning,
		Finding: fmt.Sprintf("%s %s: %s", what, p, strings.Join(whats, "; ")),
		Hint:    "gover doctor --fix   (or edit " + p + ")",
		Fix:     fmt.Sprintf("in %s: %s", p, strings.Join(changes, ", ")),
		apply: func(b *Backup) error {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			cur, err := vscodeProblems(data, shimGo)
			if err != nil {
				return err
			}
			out, err := fixVSCode(data, cur)
			if err != nil {
				return err
			}
			if err := b.SaveFile(p); err != nil {
				return err
			}
			fi, err := os.Stat(p)
			if err != nil {
				return err
			}
			return copyBytes(out, p, fi.Mode().Perm())
		}})
	return true
}

// delveSupport maps Delve minor releases to the newest Go minor they
// support (go-delve/delve pkg/goversion/compat.go, per release). From Delve
// 1.20 on, Delve 1.N supports up to Go 1.N.
var delveSupport = []struct {
	delve string // "1.22": every 1.22.x
	maxGo int    // the Go minor: 22 means Go 1.22
}{
	{"1.7", 17}, {"1.8", 18}, {"1.9", 19},
	{"1.20", 20}, {"1.21", 21}, {"1.22", 22}, {"1.23", 23}, {"1.24", 24}, {"1.25", 25},
}

// delveMaxGo returns the newest Go minor a Delve version supports, or -1
// for a Delve newer than the table (assumed current).
func delveMaxGo(dlvVersion string) (int, bool) {
	maj, min, ok := majorMinor(strings.TrimPrefix(dlvVersion, "v"))
	if !ok || maj != 1 {
		return 0, false
	}
	for _, d := range delveSupport {
		if _, m, _ := majorMinor(d.delve); m == min {
			return d.maxGo, true
		}
	}
	if _, last, _ := majorMinor(delveSupport[len(delveSupport)-1].delve); min > last {
		return -1, true
	}
	return 0, false
}

// delveFor returns the Delve version to install for Go minor goMinor.
func delveFor(goMinor int) string {
	for _, d := range delveSupport {
		if d.maxGo >= goMinor {
			return "v" + d.delve + ".0"
		}
	}
	return "latest"
}

func majorMinor(v string) (int, int, bool) {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return 0, 0, false
	}
	a, err1 := strconv.Atoi(parts[0])
	b, err2 := strconv.Atoi(strings.TrimRightFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' }))
	return a, b, err1 == nil && err2 == nil
}

var dlvVersionRE = regexp.MustCompile(`(?m)^Version:\s*v?(\d+\.\d+(?:\.\d+)?)`)

// toolDirs are where Go tools are looked for: PATH, then GOBIN or
// GOPATH/bin, where VS Code also looks.
func (r *run) toolDirs() []string {
	dirs := append([]string(nil), r.path...)
	if gb, _ := r.goSetting("GOBIN"); gb != "" {
		dirs = append(dirs, gb)
	} else if gp, _ := r.goSetting("GOPATH"); gp != "" {
		dirs = append(dirs, filepath.Join(filepath.SplitList(gp)[0], "bin"))
	} else if r.Home != "" {
		dirs = append(dirs, filepath.Join(r.Home, "go", "bin"))
	}
	return dirs
}

// checkDelve compares the installed dlv with the Go the folder selects:
// Delve refuses to debug programs built by a newer Go than it knows.
func (r *run) checkDelve(ctx context.Context) {
	dlv, _ := lookPath(r.toolDirs(), "dlv", r.Getenv)
	if dlv == "" {
		r.add(Check{ID: "ide.dlv", Area: AreaIDE, Status: OK,
			Finding: "dlv is not installed (VS Code offers to install it the first time you debug)"})
		return
	}
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	out, err := r.Run(ctx, dlv, "version")
	m := dlvVersionRE.FindSubmatch(out)
	if m == nil {
		msg := "its version could not be read"
		if err != nil {
			msg = "dlv version failed: " + err.Error()
		}
		r.add(Check{ID: "ide.dlv", Area: AreaIDE, Status: Warning,
			Finding: fmt.Sprintf("%s: %s", dlv, msg),
			Hint:    "go install github.com/go-delve/delve/cmd/dlv@latest"})
		return
	}
	dv := string(m[1])
	maxGo, known := delveMaxGo(dv)
	goMinor := -1
	if r.sel.name != "" {
		if v, err := versions.Parse(r.sel.name); err == nil {
			if _, gm, ok := majorMinor(v.Lang()); ok {
				goMinor = gm
			}
		}
	}
	switch {
	case !known || maxGo < 0 || goMinor < 0:
		r.add(Check{ID: "ide.dlv", Area: AreaIDE, Status: OK, Finding: fmt.Sprintf("dlv %s at %s", dv, dlv)})
	case goMinor > maxGo:
		r.add(Check{ID: "ide.dlv", Area: AreaIDE, Status: Warning,
			Finding: fmt.Sprintf("dlv %s at %s supports Go up to 1.%d, but this folder selects %s: debugging fails with \"Go version is too recent\"", dv, dlv, maxGo, r.sel.name),
			Hint:    "go install github.com/go-delve/delve/cmd/dlv@" + delveFor(goMinor)})
	default:
		r.add(Check{ID: "ide.dlv", Area: AreaIDE, Status: OK,
			Finding: fmt.Sprintf("dlv %s at %s supports %s", dv, dlv, r.sel.name)})
	}
}

func (r *run) checkGopls() {
	if p, _ := lookPath(r.toolDirs(), "gopls", r.Getenv); p != "" {
		r.add(Check{ID: "ide.gopls", Area: AreaIDE, Status: OK, Finding: "gopls is installed: " + p})
		return
	}
	r.add(Check{ID: "ide.gopls", Area: AreaIDE, Status: Warning,
		Finding: "gopls (the Go language server editors use) is not on PATH or in GOPATH/bin",
		Hint:    "go install golang.org/x/tools/gopls@latest"})
}
