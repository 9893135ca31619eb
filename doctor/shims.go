package doctor

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gover/gover/registry"
	"github.com/gover/gover/shim"
	"github.com/gover/gover/store"
	"github.com/gover/gover/store/verify"
	"github.com/gover/gover/versions"
)

// selection is what the working folder runs, shared by the checks that
// compare other settings with it.
type selection struct {
	name   string // "go1.22.5"; "" when nothing is selected
	goroot string // "" when not installed
}

// checkShims looks at GOVER_HOME/bin: the shims are there and are the
// ones this gover's `gover setup` would install.
func (r *run) checkShims() {
	bin := r.st.BinDir()
	fixShims := r.shimFix()
	if !dirExists(bin) {
		r.add(Check{ID: "shims.bin", Area: AreaShims, Status: Error,
			Finding: fmt.Sprintf("%s does not exist, so there is no go shim to put on PATH", bin),
			Hint:    "gover setup", Fix: fixShims.desc, apply: fixShims.apply})
		return
	}
	var missing, stale []string
	want := ""
	if r.ShimSource != "" {
		// gover-shim may be reached through a package manager's link.
		if src, err := filepath.EvalSymlinks(r.ShimSource); err == nil {
			want, _ = hashFile(src)
		}
	}
	for _, tool := range registry.ShimTools {
		p := registry.ShimPath(bin, tool)
		got, err := hashFile(p)
		switch {
		case err != nil:
			missing = append(missing, p)
		case want != "" && got != want:
			stale = append(stale, p)
		}
	}
	switch {
	case len(missing) > 0:
		r.add(Check{ID: "shims.bin", Area: AreaShims, Status: Error,
			Finding: "missing shim: " + strings.Join(missing, ", "),
			Hint:    "gover setup", Fix: fixShims.desc, apply: fixShims.apply})
	case len(stale) > 0:
		r.add(Check{ID: "shims.bin", Area: AreaShims, Status: Warning,
			Finding: fmt.Sprintf("%s differ from the shim this gover installs (%s); they are from another gover build", strings.Join(stale, ", "), r.ShimSource),
			Hint:    "gover setup", Fix: fixShims.desc, apply: fixShims.apply})
	case want == "":
		r.add(Check{ID: "shims.bin", Area: AreaShims, Status: OK,
			Finding: fmt.Sprintf("go and gofmt shims are in %s (no gover-shim next to gover to compare them with)", bin)})
	default:
		r.add(Check{ID: "shims.bin", Area: AreaShims, Status: OK,
			Finding: fmt.Sprintf("go and gofmt shims in %s are current", bin)})
	}
}

type fixer struct {
	desc  string
	apply func(b *Backup) error
}

// shimFix copies ShimSource over the shims, as gover setup does.
func (r *run) shimFix() fixer {
	if r.ShimSource == "" {
		return fixer{}
	}
	bin := r.st.BinDir()
	src := r.ShimSource
	return fixer{
		desc: fmt.Sprintf("copy %s to %s as go and gofmt", src, bin),
		apply: func(b *Backup) error {
			_, err := registry.PlaceShims(bin, src, b.SaveFile)
			return err
		},
	}
}

// checkSelection runs the shim's own selection for Dir and checks that the
// chosen SDK is installed and intact, and that the current link follows
// the global default.
func (r *run) checkSelection() {
	env := shim.NewEnv(r.st, r.Getenv, r.Dir)
	r.checkCurrentLink()
	sel, err := shim.Select(env, nil)
	if errors.Is(err, shim.ErrNoVersion) {
		r.add(Check{ID: "shims.selection", Area: AreaShims, Status: Error,
			Finding: fmt.Sprintf("no Go version is selected for %s: no .go-version, go.work or go.mod names one, and there is no global default", r.Dir),
			Hint:    "gover use --global <version>   (for example: gover use --global 1.22.5)"})
		return
	}
	if err != nil {
		r.add(Check{ID: "shims.selection", Area: AreaShims, Status: Error,
			Finding: "the Go version for this folder cannot be read: " + err.Error(),
			Hint:    "gover use <version>"})
		return
	}
	name, installed := shim.Resolve(sel.Request, env.Installed())
	r.checkPin(sel, name)
	r.sel.name = name
	why := sel.Source.String()
	if !installed {
		st, tail := Warning, "; the go shim installs it on first use"
		if on, _ := shim.AutoInstall(r.Getenv("GOVER_AUTO_INSTALL")); !on {
			st, tail = Error, "; GOVER_AUTO_INSTALL="+r.Getenv("GOVER_AUTO_INSTALL")+", so go fails until it is installed"
		}
		r.add(Check{ID: "shims.selection", Area: AreaShims, Status: st,
			Finding: fmt.Sprintf("this folder selects %s (set by %s), which is not installed%s", name, why, tail),
			Hint:    "gover install " + sel.Spec()})
		return
	}
	r.add(Check{ID: "shims.selection", Area: AreaShims, Status: OK,
		Finding: fmt.Sprintf("this folder selects %s (set by %s)", name, why)})
	r.checkSDK(name)
}

// checkPin warns when the folder's pin (.go-version, .tool-versions,
// GOVER_VERSION, the global default or a GOTOOLCHAIN release) is older
// than the go.mod or go.work requires: go then runs the newer version, or,
// where GOTOOLCHAIN forbids switching, fails to build.
func (r *run) checkPin(sel shim.Selection, name string) {
	pin := sel.Pin
	if sel.Request.Source.Kind == shim.FromGOTOOLCHAIN || sel.Pin.Version == "" && sel.GOTOOLCHAIN != "" {
		return
	}
	if pin.Version == "" || sel.Requirement.Version == "" || !shim.Below(pin, sel.Requirement) {
		return
	}
	req := sel.Requirement.Version
	if sel.Requirement.Min != "" {
		req = sel.Requirement.Min
	}
	finding := fmt.Sprintf("%s asks for %s, but %s requires %s or later", pin.Source, pin.Version, sel.Requirement.Source, req)
	if sel.Switching {
		finding += fmt.Sprintf("; go runs %s instead", name)
	} else {
		finding += "; GOTOOLCHAIN=" + sel.GOTOOLCHAIN + " forbids switching, so go commands here fail"
	}
	hint := "gover use " + strings.TrimPrefix(req, "go")
	if pin.Source.Kind == shim.FromGlobal {
		hint += "   (pins this folder)"
	}
	r.add(Check{ID: "shims.pin", Area: AreaShims, Status: Warning, Finding: finding, Hint: hint})
}

// checkSDK checks the installed SDK name against what was recorded when it
// was installed: a sample of files, or with Deep every file.
func (r *run) checkSDK(name string) {
	v, err := versions.Parse(name)
	if err != nil {
		return
	}
	m, err := r.st.Lookup(v)
	if err != nil {
		r.add(Check{ID: "shims.sdk", Area: AreaShims, Status: Error,
			Finding: fmt.Sprintf("the manifest of %s cannot be read: %v", name, err),
			Hint:    fmt.Sprintf("gover uninstall --force %s   then: gover install %s", v, v)})
		return
	}
	if m.Insecure && !m.Imported {
		r.add(Check{ID: "shims.sdk.unverified", Area: AreaShims, Status: Warning,
			Finding: fmt.Sprintf("%s was installed with --insecure-skip-verify: it is UNVERIFIED, nothing vouches for what was downloaded", name),
			Hint:    "gover install " + v.String() + "   (downloads and verifies it again)"})
	}
	goroot := m.GOROOT
	if !m.Imported {
		goroot = r.st.SDKDir(v)
	}
	r.sel.goroot = goroot
	reinstall := fmt.Sprintf("gover uninstall --force %s && gover install %s", v, v)
	goExe := filepath.Join(goroot, "bin", "go"+exe)
	if !fileExists(goExe) {
		hint := reinstall
		if m.Imported {
			hint = fmt.Sprintf("gover uninstall %s   (it was imported from %s, which is gone)", v, m.GOROOT)
		}
		r.add(Check{ID: "shims.sdk", Area: AreaShims, Status: Error,
			Finding: fmt.Sprintf("%s is installed but %s is missing", name, goExe), Hint: hint})
		return
	}
	if m.Imported {
		r.add(Check{ID: "shims.sdk", Area: AreaShims, Status: OK,
			Finding: fmt.Sprintf("%s is imported from %s (not gover's to verify)", name, m.GOROOT)})
		return
	}
	list := r.st.FileListPath(v)
	if !fileExists(list) {
		r.add(Check{ID: "shims.sdk", Area: AreaShims, Status: Warning,
			Finding: fmt.Sprintf("%s has no file hashes recorded at install time, so it cannot be checked", name),
			Hint:    reinstall})
		return
	}
	var bad []string
	mode := "a sample of its files"
	if r.Deep {
		mode = "every file"
		diff, err := verify.CompareFileList(goroot, list)
		if err != nil {
			bad = append(bad, err.Error())
		}
		for _, p := range diff.Changed {
			bad = append(bad, "changed "+p)
		}
		for _, p := range diff.Missing {
			bad = append(bad, "missing "+p)
		}
		for _, p := range diff.Added {
			bad = append(bad, "added "+p)
		}
	} else {
		bad, err = sampleCheck(goroot, list)
		if err != nil {
			bad = append(bad, err.Error())
		}
	}
	if len(bad) > 0 {
		more := ""
		if len(bad) > 3 {
			more = fmt.Sprintf(" and %d more", len(bad)-3)
			bad = bad[:3]
		}
		r.add(Check{ID: "shims.sdk", Area: AreaShims, Status: Error,
			Finding: fmt.Sprintf("%s differs from what was installed: %s%s", name, strings.Join(bad, ", "), more),
			Hint:    reinstall})
		return
	}
	r.add(Check{ID: "shims.sdk", Area: AreaShims, Status: OK,
		Finding: fmt.Sprintf("%s matches its install-time hashes (%s)", name, mode)})
}

// sampleCheck hashes the files that matter most (bin/, VERSION) and every
// 500th other file of the list, so the quick check takes milliseconds and
// still notices a swapped go binary or a half-deleted tree.
func sampleCheck(dir, listPath string) ([]string, error) {
	f, err := os.Open(listPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var bad []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		sum, rel, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			sum, rel, ok = strings.Cut(sc.Text(), " ")
		}
		if !ok {
			continue
		}
		n++
		if !(strings.HasPrefix(rel, "bin/") || rel == "VERSION" || n%500 == 1) {
			continue
		}
		got, err := hashFile(filepath.Join(dir, filepath.FromSlash(rel)))
		switch {
		case errors.Is(err, os.ErrNotExist):
			bad = append(bad, "missing "+rel)
		case err != nil:
			bad = append(bad, err.Error())
		case got != strings.ToLower(sum):
			bad = append(bad, "changed "+rel)
		}
	}
	return bad, sc.Err()
}

// checkCurrentLink checks that GOVER_HOME/current names the global default.
func (r *run) checkCurrentLink() {
	g, err := r.st.Global()
	if errors.Is(err, store.ErrNoGlobal) {
		r.add(Check{ID: "shims.current", Area: AreaShims, Status: Warning,
			Finding: "no global default version is set, so folders without .go-version or go.mod have no Go",
			Hint:    "gover use --global <version>"})
		return
	}
	if err != nil {
		r.add(Check{ID: "shims.current", Area: AreaShims, Status: Error,
			Finding: "the global default cannot be read: " + err.Error(),
			Hint:    "gover use --global <version>"})
		return
	}
	want := r.st.SDKDir(g)
	if m, err := r.st.Lookup(g); err == nil && m.Imported {
		want = m.GOROOT
	} else if err != nil {
		r.add(Check{ID: "shims.current", Area: AreaShims, Status: Error,
			Finding: fmt.Sprintf("the global default %s is not installed", g.Name()),
			Hint:    "gover install " + g.String()})
		return
	}
	link := r.st.CurrentLink()
	got, err := registry.ReadLink(link)
	fix := fixer{
		desc: fmt.Sprintf("point %s at %s", link, want),
		apply: func(b *Backup) error {
			if err := b.SaveLink(link); err != nil {
				return err
			}
			return registry.SetCurrent(link, want)
		},
	}
	switch {
	case err != nil && errors.Is(err, os.ErrNotExist):
		r.add(Check{ID: "shims.current", Area: AreaShims, Status: Warning,
			Finding: fmt.Sprintf("%s is missing; tools pointed at it find no Go (global default: %s)", link, g.Name()),
			Hint:    "gover sync", Fix: fix.desc, apply: fix.apply})
	case err != nil:
		r.add(Check{ID: "shims.current", Area: AreaShims, Status: Warning,
			Finding: fmt.Sprintf("%s is not a link gover can read: %v", link, err),
			Hint:    "gover sync"})
	case !samePath(got, want):
		r.add(Check{ID: "shims.current", Area: AreaShims, Status: Warning,
			Finding: fmt.Sprintf("%s points at %s, not at the global default %s", link, got, want),
			Hint:    "gover sync", Fix: fix.desc, apply: fix.apply})
	default:
		r.add(Check{ID: "shims.current", Area: AreaShims, Status: OK,
			Finding: fmt.Sprintf("the global default is %s and %s points at it", g.Name(), link)})
	}
}

// hashFile returns the hex SHA-256 of p, a regular file: a link or a FIFO
// planted in its place is refused, not followed or blocked on.
func hashFile(p string) (string, error) {
	f, err := verify.OpenRegular(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
