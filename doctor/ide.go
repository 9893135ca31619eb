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
	"strings"

	"github.com/tailscale/hujson"

	"github.com/gover/gover/registry"
	"github.com/gover/gover/tools"
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
	s, err := registry.ReadVSCodeGo(data)
	if err != nil {
		return nil, err
	}
	var out []vscodeProblem
	if s.GOROOT != "" {
		out = append(out, vscodeProblem{
			what:  fmt.Sprintf(`"go.goroot": %q pins that Go for every folder`, s.GOROOT),
			patch: map[string]any{"op": "remove", "path": "/go.goroot"},
		})
	}
	if g := s.AlternateGo; g != "" && g != "go" && !samePath(g, shimGo) {
		out = append(out, vscodeProblem{
			what:  fmt.Sprintf(`"go.alternateTools": {"go": %q} runs that go instead of the gover shim`, g),
			patch: map[string]any{"op": "replace", "path": "/go.alternateTools/go", "value": shimGo},
		})
	}
	if s.HasEnvGOROOT {
		out = append(out, vscodeProblem{
			what:  fmt.Sprintf(`"go.toolsEnvVars": {"GOROOT": %q} pins that Go for the Go tools`, s.EnvGOROOT),
			patch: map[string]any{"op": "remove", "path": "/go.toolsEnvVars/GOROOT"},
		})
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

var dlvVersionRE = regexp.MustCompile(`(?m)^Version:\s*v?(\d+\.\d+(?:\.\d+)?)`)

// toolDirs are where Go tools are looked for: PATH, then the folder go
// install puts them in (tools.Folder), where VS Code also looks.
func (r *run) toolDirs() []string {
	dirs := append([]string(nil), r.path...)
	if d, err := tools.Folder(tools.Env{Getenv: r.Getenv, Home: r.Home, ConfigDir: r.ConfigDir}); err == nil {
		dirs = append(dirs, d)
	}
	return dirs
}

// checkDelve judges the installed dlv against the Go the folder selects
// with the tools package's Delve rule (read from Delve's own source). The
// version comes from the binary's build information, else from `dlv
// version` (a dlv built without module information).
func (r *run) checkDelve(ctx context.Context) {
	dlv, _ := lookPath(r.toolDirs(), "dlv", r.Getenv)
	if dlv == "" {
		r.add(Check{ID: "ide.dlv", Area: AreaIDE, Status: OK,
			Finding: "dlv is not installed (VS Code offers to install it the first time you debug)"})
		return
	}
	t := tools.Read(dlv)
	if t.Module != tools.DelveModule {
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
		t.Version, t.BuiltWith = "v"+string(m[1]), ""
	}
	dv := strings.TrimPrefix(t.Version, "v")
	problem, known := "", false
	if r.sel.name != "" {
		problem, known = tools.DelveProblem(t.Version, t.BuiltWith, r.sel.name)
	}
	switch {
	case problem != "":
		hint := "go install github.com/go-delve/delve/cmd/dlv@" + tools.DelveFor(r.sel.name, "")
		if p, _ := tools.DelveProblem(t.Version, r.sel.name, r.sel.name); p == "" && t.BuiltWith != "" {
			hint = "gover tools rebuild dlv" // the same release, built with the selected Go, works
		}
		r.add(Check{ID: "ide.dlv", Area: AreaIDE, Status: Warning,
			Finding: fmt.Sprintf("dlv %s at %s: %s; this folder selects %s", dv, dlv, problem, r.sel.name),
			Hint:    hint})
	case !known || r.sel.name == "":
		r.add(Check{ID: "ide.dlv", Area: AreaIDE, Status: OK, Finding: fmt.Sprintf("dlv %s at %s", dv, dlv)})
	default:
		r.add(Check{ID: "ide.dlv", Area: AreaIDE, Status: OK,
			Finding: fmt.Sprintf("dlv %s at %s supports %s", dv, dlv, r.sel.name)})
	}
}

// checkGopls finds gopls and, when it is a Go program with build
// information, judges it against the selected Go (tools.Judge): a gopls
// built with an older Go minor cannot type-check the selected Go's code.
func (r *run) checkGopls() {
	p, _ := lookPath(r.toolDirs(), "gopls", r.Getenv)
	if p == "" {
		r.add(Check{ID: "ide.gopls", Area: AreaIDE, Status: Warning,
			Finding: "gopls (the Go language server editors use) is not on PATH or in GOPATH/bin",
			Hint:    "go install golang.org/x/tools/gopls@latest"})
		return
	}
	t := tools.Read(p)
	if t.Status == tools.Unknown || r.sel.name == "" {
		r.add(Check{ID: "ide.gopls", Area: AreaIDE, Status: OK, Finding: "gopls is installed: " + p})
		return
	}
	t = tools.Judge(t, r.sel.name)
	if t.Status == tools.Incompatible {
		r.add(Check{ID: "ide.gopls", Area: AreaIDE, Status: Warning,
			Finding: fmt.Sprintf("gopls %s at %s: %s", t.Version, p, t.Reason),
			Hint:    "gover tools rebuild gopls"})
		return
	}
	r.add(Check{ID: "ide.gopls", Area: AreaIDE, Status: OK, Finding: fmt.Sprintf("gopls %s is installed: %s (%s)", t.Version, p, t.Reason)})
}
