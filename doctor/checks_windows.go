package doctor

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/windows/registry"

	goverreg "github.com/gover/gover/registry"
)

// exe is the suffix of executables.
const exe = ".exe"

// windowsLimits says whether cmd.exe's PATH length limit applies.
const windowsLimits = true

// windowsPathEditor is appended to PATH hints on Windows.
const windowsPathEditor = "   (rundll32 sysdm.cpl,EditEnvironmentVariables opens the editor)"

// samePath reports whether a and b name the same folder or file: Windows
// file names ignore case, and PATH entries often end in a backslash.
func samePath(a, b string) bool { return pathKey(a) == pathKey(b) }

// pathKey is what two PATH entries naming the same folder share.
func pathKey(p string) string {
	p = filepath.Clean(p)
	if len(p) > 3 {
		p = strings.TrimRight(p, `\/`)
	}
	return strings.ToLower(p)
}

// findExecutable returns the file that exec.LookPath would run for name in
// dir: name with each PATHEXT extension in turn, or name itself when it
// already carries one of them.
func findExecutable(dir, name string, getenv func(string) string) string {
	exts := []string{".com", ".exe", ".bat", ".cmd"}
	if pe := getenv("PATHEXT"); pe != "" {
		exts = nil
		for _, e := range strings.Split(strings.ToLower(pe), ";") {
			if e = strings.TrimSpace(e); e != "" {
				if e[0] != '.' {
					e = "." + e
				}
				exts = append(exts, e)
			}
		}
	}
	cands := make([]string, 0, len(exts)+1)
	if ext := strings.ToLower(filepath.Ext(name)); ext != "" {
		for _, e := range exts {
			if e == ext {
				cands = append(cands, name)
			}
		}
	}
	for _, e := range exts {
		cands = append(cands, name+e)
	}
	for _, c := range cands {
		p := filepath.Join(dir, c)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}

// addPathHint is the command that puts bin first on PATH.
func addPathHint(bin string) string {
	return "gover sync   (puts " + bin + " first on your user PATH; then open a new terminal)"
}

func rootKey(name string) registry.Key {
	if name == "HKLM" {
		return registry.LOCAL_MACHINE
	}
	return registry.CURRENT_USER
}

// readString reads a string registry value and whether it is REG_EXPAND_SZ.
func readString(root, key, name string) (string, bool, error) {
	k, err := registry.OpenKey(rootKey(root), key, registry.QUERY_VALUE)
	if err != nil {
		return "", false, err
	}
	defer k.Close()
	v, typ, err := k.GetStringValue(name)
	return v, typ == registry.EXPAND_SZ, err
}

func writeString(root, key, name, value string, expand bool) error {
	k, _, err := registry.CreateKey(rootKey(root), key, registry.SET_VALUE|registry.QUERY_VALUE)
	if err != nil {
		return err
	}
	defer k.Close()
	if expand {
		return k.SetExpandStringValue(name, value)
	}
	return k.SetStringValue(name, value)
}

// SaveRegistry saves the string value root\key\name, or notes that there is
// none.
func (b *Backup) SaveRegistry(root, key, name string) error {
	v, expand, err := readString(root, key, name)
	if errors.Is(err, registry.ErrNotExist) {
		return b.add(backupEntry{Kind: "registry", Root: root, Key: key, Name: name})
	}
	if err != nil {
		return err
	}
	return b.add(backupEntry{Kind: "registry", Root: root, Key: key, Name: name, Existed: true, Value: v, Expand: expand})
}

func restoreRegistry(e backupEntry) error {
	if !e.Existed {
		k, err := registry.OpenKey(rootKey(e.Root), e.Key, registry.SET_VALUE)
		if errors.Is(err, registry.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		defer k.Close()
		if err := k.DeleteValue(e.Name); err != nil && !errors.Is(err, registry.ErrNotExist) {
			return err
		}
		goverreg.Broadcast()
		return nil
	}
	if err := writeString(e.Root, e.Key, e.Name, e.Value, e.Expand); err != nil {
		return err
	}
	if strings.EqualFold(e.Name, "Path") {
		goverreg.Broadcast()
	}
	return nil
}

// machineShadowHint is the fix for a go in dir on the machine PATH, which
// gover sync (the user PATH) cannot beat: the shims first machine-wide, as
// an administrator, or the old install (the MSI) removed. "" when dir is
// not on the machine PATH.
func (r *run) machineShadowHint(dir string) string {
	mp, ok, err := goverreg.ReadPath("HKLM", r.Keys.MachineEnvironment)
	if err != nil || !ok {
		return ""
	}
	expand := func(s string) string {
		return goverreg.ExpandWindows(s, func(k string) (string, bool) {
			v := r.Getenv(k)
			return v, v != ""
		})
	}
	if pathIndex(mp.Resolved(expand), dir) < 0 {
		return ""
	}
	sdk := filepath.Dir(strings.TrimRight(dir, `\`))
	h := r.command("gover", "sync", "--system") + `   (in a terminal opened with "Run as administrator"), or uninstall the Go in ` + sdk + " (Settings > Apps)"
	if imp := r.importHint(sdk); imp != "" {
		h += "; to keep that SDK, first: " + imp
	}
	return h
}

// loadRegistryEnv reads the Go variables from the machine's and the
// user's environment in the registry, which every new terminal gets (the
// user's winning, as Windows builds it), whatever this process inherited.
func (r *run) loadRegistryEnv() {
	r.regEnv = map[string]regVar{}
	lookup := func(k string) (string, bool) {
		v := r.Getenv(k)
		return v, v != ""
	}
	for _, sc := range []struct{ root, key, what string }{
		{"HKLM", r.Keys.MachineEnvironment, "system environment"},
		{"HKCU", r.Keys.UserEnvironment, "user environment"},
	} {
		for _, name := range regEnvNames {
			v, expand, err := readString(sc.root, sc.key, name)
			if err != nil || v == "" {
				continue
			}
			if expand {
				v = goverreg.ExpandWindows(v, lookup)
			}
			r.regEnv[name] = regVar{value: v, origin: fmt.Sprintf(`%s, %s\%s`, sc.what, sc.root, sc.key), root: sc.root, key: sc.key}
		}
	}
}

// unsetFix deletes name from the user's environment in the registry,
// saved first, when origin says it is set there. The machine's needs an
// administrator, so it is left to the hint.
func (r *run) unsetFix(name, origin string) fixer {
	rv, ok := r.regEnv[name]
	if !ok || rv.origin != origin || rv.root != "HKCU" {
		return fixer{}
	}
	return fixer{
		desc: fmt.Sprintf(`delete %s from HKCU\%s`, name, rv.key),
		apply: func(b *Backup) error {
			if err := b.SaveRegistry("HKCU", rv.key, name); err != nil {
				return err
			}
			k, err := registry.OpenKey(registry.CURRENT_USER, rv.key, registry.SET_VALUE)
			if err != nil {
				return err
			}
			defer k.Close()
			if err := k.DeleteValue(name); err != nil && !errors.Is(err, registry.ErrNotExist) {
				return err
			}
			goverreg.Broadcast()
			return nil
		},
	}
}

// checkWindows checks what only Windows has: long paths, the registry
// values and PATHs gover keeps, and anti-virus scanning of the store.
func (r *run) checkWindows() {
	r.checkLongPaths()
	r.checkRegistryValues()
	r.checkWindowsPath()
	r.add(Check{ID: "windows.defender", Area: AreaWindows, Status: OK,
		Finding: fmt.Sprintf("Microsoft Defender scans every file of each SDK gover installs; an exclusion for %s makes installs and builds faster (reading Defender settings needs an administrator, so this is not checked)", r.Root),
		Hint:    fmt.Sprintf(`Add-MpPreference -ExclusionPath "%s"   (in PowerShell run as administrator)`, r.Root)})
}

func (r *run) checkLongPaths() {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, r.LongPathsKey, registry.QUERY_VALUE)
	var v uint64
	if err == nil {
		v, _, err = k.GetIntegerValue("LongPathsEnabled")
		k.Close()
	}
	if err == nil && v == 1 {
		r.add(Check{ID: "windows.longpaths", Area: AreaWindows, Status: OK, Finding: "long paths are enabled (LongPathsEnabled=1)"})
		return
	}
	r.add(Check{ID: "windows.longpaths", Area: AreaWindows, Status: Warning,
		Finding: `long paths are not enabled: tools other than go fail on files deeper than 260 characters (module caches and SDKs reach that)`,
		Hint:    `New-ItemProperty -Path "HKLM:\` + r.LongPathsKey + `" -Name LongPathsEnabled -Value 1 -PropertyType DWORD -Force   (in PowerShell run as administrator)`})
}

// checkRegistryValues compares the values the Go installer writes, and
// gover keeps, with the global default.
func (r *run) checkRegistryValues() {
	g, err := r.st.Global()
	if err != nil {
		return // checkCurrentLink already reports a missing global default
	}
	want := r.st.SDKDir(g)
	if m, err := r.st.Lookup(g); err == nil && m.Imported {
		want = m.GOROOT
	}
	vals := []struct{ key, name, want string }{
		{r.Keys.GoProgrammingLanguage, "installLocation", want + `\`},
		{r.Keys.GoLang, "GoInstallPath", want},
	}
	var off []string
	for _, v := range vals {
		got, _, err := readString("HKCU", v.key, v.name)
		switch {
		case err != nil:
			off = append(off, fmt.Sprintf(`HKCU\%s\%s is not set`, v.key, v.name))
		case !samePath(got, v.want):
			off = append(off, fmt.Sprintf(`HKCU\%s\%s is %s`, v.key, v.name, got))
		}
	}
	if len(off) > 0 {
		r.add(Check{ID: "windows.registry", Area: AreaWindows, Status: Warning,
			Finding: fmt.Sprintf("the registry does not name the global default %s (%s): %s; tools that read it find another Go", g.Name(), want, strings.Join(off, "; ")),
			Hint:    "gover sync"})
		return
	}
	r.add(Check{ID: "windows.registry", Area: AreaWindows, Status: OK,
		Finding: fmt.Sprintf("the registry names the global default %s", g.Name())})
}

// checkWindowsPath looks at the PATHs new processes will get: the machine
// PATH comes first, then the user PATH.
func (r *run) checkWindowsPath() {
	bin := r.st.BinDir()
	expand := func(s string) string {
		return goverreg.ExpandWindows(s, func(k string) (string, bool) {
			v := r.Getenv(k)
			return v, v != ""
		})
	}
	hasGo := func(dir string) bool { return findExecutable(dir, "go", r.Getenv) != "" }
	if mp, ok, err := goverreg.ReadPath("HKLM", r.Keys.MachineEnvironment); err == nil && ok {
		mexpand := expand
		if !mp.Expand {
			mexpand = nil // a REG_SZ Path reaches new processes as written
		}
		if sh := goverreg.ShadowingGo(mp.Text, bin, mexpand, hasGo); len(sh) > 0 {
			r.add(Check{ID: "windows.machine-path", Area: AreaWindows, Status: Error,
				Finding: fmt.Sprintf("the machine PATH has Go in %s, and Windows puts the machine PATH before the user PATH, so it beats the gover shims in every new terminal", strings.Join(sh, ", ")),
				Hint:    r.machineShadowHint(sh[0])})
		} else {
			r.add(Check{ID: "windows.machine-path", Area: AreaWindows, Status: OK,
				Finding: "no Go on the machine PATH shadows the shims"})
		}
	}

	key := r.Keys.UserEnvironment
	up, _, err := goverreg.ReadPath("HKCU", key)
	if err != nil {
		r.add(Check{ID: "windows.user-path", Area: AreaWindows, Status: Warning,
			Finding: fmt.Sprintf(`the user PATH (HKCU\%s) cannot be read: %v`, key, err), Hint: "gover sync"})
		return
	}
	// Only what a new process gets counts: Windows expands %NAME% in a
	// REG_EXPAND_SZ Path, never in a REG_SZ one.
	entries := up.Resolved(expand)
	if len(entries) > 0 && samePath(entries[0], bin) {
		r.add(Check{ID: "windows.user-path", Area: AreaWindows, Status: OK,
			Finding: fmt.Sprintf("%s is first on the user PATH", bin)})
		return
	}
	cfg := goverreg.Config{Root: r.Root, Keys: r.Keys, PathEntry: bin}
	if samePath(r.Root, filepath.Join(r.Home, ".gover")) {
		cfg.PathEntry = goverreg.DefaultPathEntry()
	}
	finding := fmt.Sprintf(`%s is not first on the user PATH (HKCU\%s), so new terminals and IDEs may run another go`, bin, key)
	if !up.Expand {
		for _, e := range goverreg.PathEntries(up.Text, nil) {
			if goverreg.HasVarRef(e) && samePath(expand(e), bin) {
				finding = fmt.Sprintf(`the user PATH (HKCU\%s) is REG_SZ, so Windows does not expand %s in it: new terminals get that text, not %s, and go is not found`, key, e, bin)
				break
			}
		}
	}
	c := Check{ID: "windows.user-path", Area: AreaWindows, Status: Warning, Finding: finding, Hint: "gover sync"}
	if _, perr := up.WithFirst(cfg.PathEntry, expand); perr == nil {
		c.Fix = fmt.Sprintf(`put %s first on the user PATH (HKCU\%s)`, cfg.PathEntry, key)
		c.apply = func(b *Backup) error {
			if err := b.SaveRegistry("HKCU", key, "Path"); err != nil {
				return err
			}
			// The same code as gover sync: the type, the backup for
			// gover setup --undo and the entries kept are its.
			if _, err := goverreg.PrependUserPath(cfg); err != nil {
				return err
			}
			// New terminals read the registry anyway; the broadcast only
			// spares a sign-out, so its failure is no reason to stop.
			goverreg.Broadcast()
			return nil
		}
	}
	r.add(c)
}
