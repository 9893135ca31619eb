package doctor

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/gover/gover/registry"
	"github.com/gover/gover/shellrc"
	"github.com/gover/gover/store"
)

// lookPath finds name in the PATH entries the way exec.LookPath does on
// this system (PATHEXT on Windows, the executable bit elsewhere), but over
// the given entries instead of the process's PATH. It returns the file and
// the index of its entry, or "" and -1.
func lookPath(entries []string, name string, getenv func(string) string) (string, int) {
	for i, dir := range entries {
		if dir == "" || !filepath.IsAbs(dir) {
			// exec.LookPath refuses results relative to the working folder.
			continue
		}
		if p := findExecutable(dir, name, getenv); p != "" {
			return p, i
		}
	}
	return "", -1
}

// pathIndex is the index of the first entry naming dir, or -1.
func pathIndex(entries []string, dir string) int {
	for i, e := range entries {
		if e != "" && samePath(e, dir) {
			return i
		}
	}
	return -1
}

// goToolIn reports whether any of the entries holds go or gofmt.
func goToolIn(entries []string, getenv func(string) string) bool {
	for _, tool := range []string{"go", "gofmt"} {
		if p, _ := lookPath(entries, tool, getenv); p != "" {
			return true
		}
	}
	return false
}

// checkPath looks at the PATH the process got: shims first, which go wins,
// other Go installs, and entries that are broken.
func (r *run) checkPath() {
	bin := r.st.BinDir()
	entries := r.path
	shimAt := pathIndex(entries, bin)
	goPath, goAt := lookPath(entries, "go", r.Getenv)

	fix := r.startupFix()
	switch {
	case shimAt < 0:
		r.add(Check{ID: "path.shims", Area: AreaPath, Status: Error,
			Finding: fmt.Sprintf("%s is not on PATH, so go does not follow gover", bin),
			Hint:    addPathHint(bin), Fix: fix.desc, apply: fix.apply})
	case shimAt > 0 && runtime.GOOS == "windows" && !goToolIn(entries[:shimAt], r.Getenv):
		// Windows puts the machine PATH before the user PATH, so the shims
		// are first only after gover sync --system; what matters is that
		// nothing before them answers to go or gofmt.
		r.add(Check{ID: "path.shims", Area: AreaPath, Status: OK,
			Finding: fmt.Sprintf("%s is entry %d on PATH (Windows puts the machine PATH first); nothing before it has go or gofmt", bin, shimAt+1)})
	case shimAt > 0:
		r.add(Check{ID: "path.shims", Area: AreaPath, Status: Warning,
			Finding: fmt.Sprintf("%s is entry %d on PATH, not the first; anything before it can shadow the shims", bin, shimAt+1),
			Hint:    addPathHint(bin), Fix: fix.desc, apply: fix.apply})
	default:
		r.add(Check{ID: "path.shims", Area: AreaPath, Status: OK,
			Finding: fmt.Sprintf("%s is first on PATH", bin)})
	}

	shimGo := registry.ShimPath(bin, "go")
	if goPath != "" && !samePath(goPath, shimGo) {
		r.runs = readVersionFile(filepath.Dir(filepath.Dir(goPath)))
	} else if goPath != "" {
		r.runs = r.sel.name
	}
	switch {
	case goPath == "":
		r.add(Check{ID: "path.go", Area: AreaPath, Status: Error,
			Finding: "no go command is found on PATH",
			Hint:    "gover setup"})
	case samePath(goPath, shimGo):
		r.add(Check{ID: "path.go", Area: AreaPath, Status: OK,
			Finding: fmt.Sprintf("go on PATH is the gover shim %s", goPath)})
	default:
		hint := addPathHint(bin)
		if shimAt < 0 || goAt < shimAt {
			hint += fmt.Sprintf("   (or remove %s from PATH)", filepath.Dir(goPath))
			if h := r.machineShadowHint(filepath.Dir(goPath)); h != "" {
				hint = h // gover sync changes the user PATH, which comes after
			}
		}
		r.add(Check{ID: "path.go", Area: AreaPath, Status: Error,
			Finding: fmt.Sprintf("go on PATH is %s (%s), which shadows the gover shim", goPath, describeGo(goPath)),
			Hint:    hint})
	}

	// Other Go installs anywhere on PATH.
	var before, after []string
	for i, dir := range entries {
		if dir == "" || i == shimAt || samePath(dir, bin) || !filepath.IsAbs(dir) {
			continue
		}
		if p := findExecutable(dir, "go", r.Getenv); p != "" {
			if shimAt < 0 || i < shimAt {
				before = append(before, dir)
			} else {
				after = append(after, dir)
			}
		}
	}
	switch {
	case len(before) > 0:
		hint := r.otherGoHint(before[0])
		if h := r.machineShadowHint(before[0]); h != "" {
			hint = h
		}
		r.add(Check{ID: "path.other-go", Area: AreaPath, Status: Error,
			Finding: fmt.Sprintf("other Go installs come before the shims on PATH: %s", strings.Join(before, ", ")),
			Hint:    hint})
	case len(after) > 0:
		r.add(Check{ID: "path.other-go", Area: AreaPath, Status: Warning,
			Finding: fmt.Sprintf("other Go installs are on PATH after the shims (unused, but their gofmt or tools may be found): %s", strings.Join(after, ", ")),
			Hint:    r.otherGoHint(after[0])})
	default:
		r.add(Check{ID: "path.other-go", Area: AreaPath, Status: OK,
			Finding: "no other Go install is on PATH"})
	}

	r.checkPathEntries()
	r.checkWSL()
}

// checkPathEntries reports duplicate, relative, empty and missing PATH
// entries, and a PATH too long for cmd.exe.
func (r *run) checkPathEntries() {
	entries := r.path
	seen := map[string]bool{}
	var dups, rel, missing []string
	empty := 0
	for _, e := range entries {
		if e == "" {
			empty++
			continue
		}
		if !filepath.IsAbs(e) {
			rel = append(rel, e)
			continue
		}
		k := pathKey(e)
		if seen[k] {
			dups = append(dups, e)
			continue
		}
		seen[k] = true
		if !dirExists(e) {
			missing = append(missing, e)
		}
	}
	if len(dups) > 0 {
		r.add(Check{ID: "path.duplicates", Area: AreaPath, Status: Warning,
			Finding: "PATH names these folders more than once: " + strings.Join(dups, ", "),
			Hint:    "remove the later copies from PATH in your shell startup file" + windowsPathEditor})
	}
	if len(rel) > 0 || empty > 0 {
		what := rel
		if empty > 0 {
			what = append(what, fmt.Sprintf("%d empty entr%s (the working folder)", empty, plural(empty, "y", "ies")))
		}
		r.add(Check{ID: "path.relative", Area: AreaPath, Status: Warning,
			Finding: "PATH has entries relative to the working folder, which change meaning in every folder: " + strings.Join(what, ", "),
			Hint:    "remove them from PATH, or make them absolute" + windowsPathEditor})
	}
	if len(missing) > 0 {
		r.add(Check{ID: "path.missing", Area: AreaPath, Status: Warning,
			Finding: "PATH names folders that do not exist: " + strings.Join(missing, ", "),
			Hint:    "remove them from PATH" + windowsPathEditor})
	}
	if n := len(r.Getenv("PATH")); n > registry.MaxPathLen && windowsLimits {
		r.add(Check{ID: "path.length", Area: AreaPath, Status: Error,
			Finding: fmt.Sprintf("PATH is %d characters long; cmd.exe ignores a PATH over %d characters", n, registry.MaxPathLen),
			Hint:    "remove unused and duplicate entries" + windowsPathEditor})
	}
	if len(dups)+len(rel)+len(missing)+empty == 0 {
		r.add(Check{ID: "path.entries", Area: AreaPath, Status: OK,
			Finding: fmt.Sprintf("all %d PATH entries are absolute, distinct and exist", len(entries))})
	}
}

// checkWSL notices Windows Go binaries that WSL appends to the Linux PATH
// (interop's appendWindowsPath): a go.exe under /mnt/c builds Windows
// programs and reads Windows paths.
func (r *run) checkWSL() {
	if r.ProcVersion == "" {
		return
	}
	data, err := os.ReadFile(r.ProcVersion)
	if err != nil || !strings.Contains(strings.ToLower(string(data)), "microsoft") {
		return
	}
	var leaks []string
	for _, dir := range r.path {
		if !strings.HasPrefix(dir, r.WindowsMounts) {
			continue
		}
		for _, name := range []string{"go.exe", "go"} {
			if fileExists(filepath.Join(dir, name)) {
				leaks = append(leaks, filepath.Join(dir, name))
				break
			}
		}
	}
	if len(leaks) == 0 {
		r.add(Check{ID: "path.wsl", Area: AreaPath, Status: OK,
			Finding: "WSL: no Windows Go is on the Linux PATH"})
		return
	}
	r.add(Check{ID: "path.wsl", Area: AreaPath, Status: Warning,
		Finding: "WSL appends the Windows PATH, and it brings Windows Go binaries in: " + strings.Join(leaks, ", "),
		Hint:    `printf '[interop]\nappendWindowsPath = false\n' | sudo tee -a /etc/wsl.conf   (then: wsl.exe --shutdown)`})
}

// describeGo says which Go a go binary outside the store is, from its
// GOROOT's VERSION file when it has one.
func describeGo(goExe string) string {
	root := filepath.Dir(filepath.Dir(goExe))
	if v := readVersionFile(root); v != "" {
		return v + " from " + root
	}
	return "not a gover shim"
}

// readVersionFile returns the first line of root/VERSION ("go1.22.5"), or "".
func readVersionFile(root string) string {
	data, err := os.ReadFile(filepath.Join(root, "VERSION"))
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(string(data), "\n")
	return strings.TrimSpace(line)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// otherGoHint is what to do about the Go install whose bin is dir: import
// it into gover, unless that was done already, then take it off PATH.
func (r *run) otherGoHint(dir string) string {
	goroot := filepath.Dir(dir)
	if ms, _ := r.st.List(); ms != nil {
		for _, m := range ms {
			if m.Imported && samePath(m.GOROOT, goroot) {
				return fmt.Sprintf("remove %s from PATH (gover has it imported as go%s already)", dir, m.Version)
			}
		}
	}
	rm := "remove " + dir + " from PATH" + windowsPathEditor
	if imp := r.importHint(goroot); imp != "" {
		return imp + "   then " + rm
	}
	// Another gover store's shims or SDK: gover import must not adopt it.
	return rm + "   (it belongs to another gover store)"
}

// startupFix writes gover setup's PATH lines into the startup files of the
// user's shell ($SHELL, else bash), through the one startup-file editor, as
// gover setup --yes does. Windows keeps its PATH in the registry (gover
// sync), so there is no such fix there.
func (r *run) startupFix() fixer {
	if runtime.GOOS == "windows" || r.Home == "" {
		return fixer{}
	}
	shell := filepath.Base(r.Getenv("SHELL"))
	if shell != "zsh" && shell != "fish" {
		shell = "bash"
	}
	home := ""
	if def, err := store.DefaultRoot(r.Getenv); err != nil || def != r.st.Root() {
		home = r.st.Root()
	}
	block, err := shellrc.PathBlock(shell, r.st.BinDir(), home)
	if err != nil {
		return fixer{}
	}
	files, err := shellrc.StartupFiles(shell, shellrc.Env{Home: r.Home, Getenv: r.Getenv, GOOS: runtime.GOOS})
	if err != nil {
		return fixer{}
	}
	e := &shellrc.Editor{BackupDir: filepath.Join(r.st.Root(), "backup", "startup")}
	return fixer{
		desc: "add gover's PATH lines to " + strings.Join(files, " and ") + " (gover setup --yes; undo: gover setup --undo)",
		apply: func(b *Backup) error {
			for _, f := range files {
				// The link's target: restoring the backup must not
				// turn a symlinked dotfile into a regular file.
				target, err := shellrc.Resolve(f)
				if err != nil {
					return err
				}
				if err := b.SaveFile(target); err != nil {
					return err
				}
				if _, err := e.Set(f, shellrc.BlockSetup, block); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
