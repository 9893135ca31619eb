package doctor

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// checkGOROOT looks at an exported GOROOT. The shim overrides it for the go
// it runs, but VS Code, gopls and goenv-style managers take an inherited
// GOROOT as the Go to use everywhere, which defeats per-folder switching.
func (r *run) checkGOROOT() {
	goroot, origin := r.envVar("GOROOT")
	if goroot == "" {
		r.add(Check{ID: "goroot.exported", Area: AreaGOROOT, Status: OK,
			Finding: "GOROOT is not set in the environment (go finds its own; the shim sets it per folder)"})
		return
	}
	unset := r.unsetHint("GOROOT", origin)
	fix := r.unsetFix("GOROOT", origin)
	if fix.apply != nil {
		unset += "   or: gover doctor --fix"
	}
	add := func(st Status, finding string) {
		r.add(Check{ID: "goroot.exported", Area: AreaGOROOT, Status: st, Finding: finding, Hint: unset, Fix: fix.desc, apply: fix.apply})
	}
	where := goroot + " (" + origin + ")"
	switch {
	case strings.EqualFold(filepath.Base(filepath.Clean(goroot)), "bin"):
		add(Error, fmt.Sprintf("GOROOT=%s points at a bin folder; GOROOT is the folder above bin", where))
		return
	case !dirExists(filepath.Join(goroot, "src")) || !fileExists(filepath.Join(goroot, "bin", "go"+exe)):
		add(Error, fmt.Sprintf("GOROOT=%s is not a Go installation (it needs src and bin/go%s)", where, exe))
		return
	}
	v := readVersionFile(goroot)
	runs := r.runs
	if runs == "" {
		runs = r.sel.name
	}
	if runs != "" && v != "" && v != runs {
		add(Error, fmt.Sprintf("GOROOT=%s is %s, but go in this folder runs %s: tools that read GOROOT (VS Code, gopls) use the wrong Go", where, v, runs))
		return
	}
	unset += "   (gover activate sets it per folder, if a tool needs it)"
	add(Warning, fmt.Sprintf("GOROOT=%s is exported for every folder; VS Code and other tools then use that Go and ignore .go-version and go.mod", where))
}

// checkGOPATH looks at GOPATH and GOBIN: unset is fine (~/go), but a GOPATH
// inside a Go installation, one that does not exist or cannot be written,
// and a bin folder missing from PATH all cause trouble later.
func (r *run) checkGOPATH() {
	gopath, origin := r.goSetting("GOPATH")
	var dirs []string
	if gopath == "" {
		origin = "default"
		if r.Home != "" {
			dirs = []string{filepath.Join(r.Home, "go")}
		}
	} else {
		dirs = filepath.SplitList(gopath)
	}
	roots := r.goroots()
	bad := false
	for i, d := range dirs {
		if d == "" {
			continue
		}
		name := "GOPATH"
		if len(dirs) > 1 {
			name = fmt.Sprintf("GOPATH entry %d", i+1)
		}
		if root := insideAny(d, roots); root != "" {
			bad = true
			r.add(Check{ID: "gopath.dir", Area: AreaGOPATH, Status: Error,
				Finding: fmt.Sprintf("%s=%s (%s) is inside the Go installation %s; go refuses to work there", name, d, origin, root),
				Hint:    r.fixSettingHint("GOPATH", filepath.Join(r.Home, "go"), origin)})
			continue
		}
		if !filepath.IsAbs(d) {
			bad = true
			r.add(Check{ID: "gopath.dir", Area: AreaGOPATH, Status: Error,
				Finding: fmt.Sprintf("%s=%s (%s) is relative; go requires an absolute GOPATH", name, d, origin),
				Hint:    r.fixSettingHint("GOPATH", filepath.Join(r.Home, "go"), origin)})
			continue
		}
		if gopath == "" {
			continue // go creates the default GOPATH when it first needs it
		}
		if !dirExists(d) {
			bad = true
			r.add(Check{ID: "gopath.dir", Area: AreaGOPATH, Status: Warning,
				Finding: fmt.Sprintf("%s=%s (%s) does not exist", name, d, origin),
				Hint:    r.command("mkdir", d)})
			continue
		}
		if err := writable(d); err != nil {
			bad = true
			r.add(Check{ID: "gopath.dir", Area: AreaGOPATH, Status: Error,
				Finding: fmt.Sprintf("%s=%s (%s) is not writable, so go cannot download modules or install tools: %v", name, d, origin, err),
				Hint:    r.fixSettingHint("GOPATH", filepath.Join(r.Home, "go"), origin)})
		}
	}
	if !bad {
		what := "GOPATH is not set (go uses ~/go)"
		if gopath != "" {
			what = fmt.Sprintf("GOPATH=%s (%s) is usable", gopath, origin)
		}
		r.add(Check{ID: "gopath.dir", Area: AreaGOPATH, Status: OK, Finding: what})
	}

	// Where go install puts tools, and whether the shell finds them.
	gobin, binOrigin := r.goSetting("GOBIN")
	if gobin == "" && len(dirs) > 0 && dirs[0] != "" {
		gobin, binOrigin = filepath.Join(dirs[0], "bin"), "GOPATH/bin"
	}
	if gobin == "" {
		return
	}
	if gb, gbOrigin := r.goSetting("GOBIN"); gb != "" {
		if !filepath.IsAbs(gb) {
			r.add(Check{ID: "gopath.bin", Area: AreaGOPATH, Status: Error,
				Finding: fmt.Sprintf("GOBIN=%s (%s) is relative; go install refuses it", gb, gbOrigin),
				Hint:    r.fixSettingHint("GOBIN", "", gbOrigin)})
			return
		}
		if root := insideAny(gb, roots); root != "" {
			r.add(Check{ID: "gopath.bin", Area: AreaGOPATH, Status: Error,
				Finding: fmt.Sprintf("GOBIN=%s (%s) is inside the Go installation %s; installed tools would mix with the SDK", gb, gbOrigin, root),
				Hint:    r.fixSettingHint("GOBIN", "", gbOrigin)})
			return
		}
	}
	if pathIndex(r.path, gobin) < 0 {
		r.add(Check{ID: "gopath.bin", Area: AreaGOPATH, Status: Warning,
			Finding: fmt.Sprintf("%s (%s) is not on PATH, so tools installed with go install (gopls, dlv) are not found", gobin, binOrigin),
			Hint:    r.addToolPathHint(gobin)})
		return
	}
	r.add(Check{ID: "gopath.bin", Area: AreaGOPATH, Status: OK,
		Finding: fmt.Sprintf("%s (%s) is on PATH", gobin, binOrigin)})
}

// goroots are the Go installations a GOPATH must not be inside: the
// store's SDKs, an exported GOROOT and the selected SDK.
func (r *run) goroots() []string {
	roots := []string{filepath.Join(r.Root, "sdk")}
	if g, _ := r.envVar("GOROOT"); g != "" {
		roots = append(roots, g)
	}
	if r.sel.goroot != "" {
		roots = append(roots, r.sel.goroot)
	}
	return roots
}

// insideAny returns the first of roots that p is inside of (or equal to).
func insideAny(p string, roots []string) string {
	if !filepath.IsAbs(p) {
		return ""
	}
	for _, root := range roots {
		rel, err := filepath.Rel(root, p)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel) {
			return root
		}
	}
	return ""
}

// writable checks that a file can be created in dir.
func writable(dir string) error {
	f, err := os.CreateTemp(dir, ".gover-doctor-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}
