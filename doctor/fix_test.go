package doctor

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gover/gover/internal/fake"
	"github.com/gover/gover/registry"
	"github.com/gover/gover/versions"
)

// snapshot records every file and link under dirs, to tell what a fix
// changed.
func snapshot(t *testing.T, dirs ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, d := range dirs {
		filepath.WalkDir(d, func(p string, de fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if de.Type()&fs.ModeSymlink != 0 {
				target, _ := os.Readlink(p)
				out[p] = "link:" + target
				return nil
			}
			if de.IsDir() {
				if target, err := registry.ReadLink(p); err == nil {
					out[p] = "link:" + target // a junction on Windows
					return filepath.SkipDir
				}
				return nil
			}
			data, _ := os.ReadFile(p)
			out[p] = string(data)
			return nil
		})
	}
	return out
}

func changed(a, b map[string]string) []string {
	var out []string
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			out = append(out, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func TestFixChangesOnlyWhatItReportsAndRestores(t *testing.T) {
	e := newTestEnv(t)
	if e.noLinks {
		t.Skip("this system makes no directory links")
	}
	// Three fixable problems: stale shims, a wrong current link, VS Code
	// settings pinning a GOROOT. Plus one that has no safe fix.
	writeExec(t, e.shim, "shim build 2")
	registry.SetCurrent(e.st.CurrentLink(), e.base)
	settings := filepath.Join(e.env.ConfigDir, "Code", "User", "settings.json")
	orig := "{\n  // keep this comment\n  \"go.goroot\": \"/usr/local/go\",\n  \"editor.tabSize\": 4,\n}\n"
	writeFile(t, settings, orig)
	e.vars["GOSUMDB"] = "off"

	watched := []string{e.root, e.home, e.work}
	before := snapshot(t, watched...)
	r := e.run()
	fixes := r.Fixable()
	if len(fixes) != 3 {
		t.Fatalf("%d fixable checks, want 3\n%s", len(fixes), dump(r))
	}

	var out bytes.Buffer
	now := time.Date(2026, 11, 21, 10, 30, 0, 0, time.UTC)
	backup, done, err := r.ApplyFixes(e.root, now, &out)
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 3 || strings.Count(out.String(), "fixed ") != 3 {
		t.Errorf("changes %q, printed:\n%s", done, out.String())
	}
	if want := filepath.Join(e.root, "backup", "doctor-20261121T103000Z"); backup != want {
		t.Errorf("backup in %s, want %s", backup, want)
	}

	after := snapshot(t, watched...)
	var unexpected []string
	for _, p := range changed(before, after) {
		switch {
		case strings.HasPrefix(p, backup),
			p == filepath.Join(e.root, "backup"),
			p == registry.ShimPath(e.st.BinDir(), "go"),
			p == registry.ShimPath(e.st.BinDir(), "gofmt"),
			p == e.st.CurrentLink(),
			p == settings:
		default:
			unexpected = append(unexpected, p)
		}
	}
	if len(unexpected) > 0 {
		t.Errorf("fixes changed what they did not report: %q", unexpected)
	}
	for _, tool := range registry.ShimTools {
		if got, _ := os.ReadFile(registry.ShimPath(e.st.BinDir(), tool)); string(got) != "shim build 2" {
			t.Errorf("%s shim is %q after the fix", tool, got)
		}
	}
	if got, _ := registry.ReadLink(e.st.CurrentLink()); !samePath(got, e.st.SDKDir(versions.MustParse("1.22.5"))) {
		t.Errorf("current link -> %s after the fix", got)
	}
	data, _ := os.ReadFile(settings)
	if strings.Contains(string(data), "go.goroot") || !strings.Contains(string(data), "// keep this comment") || !strings.Contains(string(data), `"editor.tabSize": 4`) {
		t.Errorf("settings after the fix:\n%s", data)
	}

	// A second run finds those three fixed and the unfixable one left.
	r2 := e.run()
	if n := len(r2.Fixable()); n != 0 {
		t.Errorf("%d fixable checks remain\n%s", n, dump(r2))
	}
	if c := r2.Find("download.gosumdb"); c == nil || c.Status != Error {
		t.Errorf("GOSUMDB=off no longer reported")
	}

	// The backup puts everything back byte for byte.
	if _, err := Restore(backup); err != nil {
		t.Fatal(err)
	}
	restored := snapshot(t, watched...)
	var diff []string
	for _, p := range changed(before, restored) {
		if !strings.HasPrefix(p, filepath.Join(e.root, "backup")) {
			diff = append(diff, p)
		}
	}
	if len(diff) > 0 {
		t.Errorf("restore left differences: %q", diff)
	}
}

func TestFixCreatesMissingShimsAndRestoreRemovesThem(t *testing.T) {
	e := newTestEnv(t)
	removeBin(e)
	r := e.run()
	if e.noLinks {
		// Only the shims: the current link cannot be made here.
		r.Checks = []Check{*r.Find("shims.bin")}
	}
	backup, _, err := r.ApplyFixes(e.root, time.Now(), new(bytes.Buffer))
	if err != nil {
		t.Fatal(err)
	}
	if c := e.run().Find("shims.bin"); c.Status != OK {
		t.Errorf("after the fix: %s %s", c.Status, c.Finding)
	}
	if _, err := Restore(backup); err != nil {
		t.Fatal(err)
	}
	for _, tool := range registry.ShimTools {
		if _, err := os.Stat(registry.ShimPath(e.st.BinDir(), tool)); !os.IsNotExist(err) {
			t.Errorf("restore kept the %s shim the fix created: %v", tool, err)
		}
	}
}

func TestNothingToFix(t *testing.T) {
	e := newTestEnv(t)
	if e.noLinks {
		t.Skip("this system makes no directory links")
	}
	backup, done, err := e.run().ApplyFixes(e.root, time.Now(), new(bytes.Buffer))
	if backup != "" || done != nil || err != nil {
		t.Errorf("clean environment: backup %q, changes %q, err %v", backup, done, err)
	}
	if _, err := os.Stat(filepath.Join(e.root, "backup")); !os.IsNotExist(err) {
		t.Errorf("a backup folder was made with nothing to fix")
	}
}

func TestRestoreRejectsCorruptBackup(t *testing.T) {
	dir := fake.TempDir(t)
	writeFile(t, filepath.Join(dir, backupRecord), "{not json")
	if _, err := Restore(dir); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Errorf("corrupt backup: %v", err)
	}
}

func TestJSONSchema(t *testing.T) {
	e := newTestEnv(t)
	e.vars["GOSUMDB"] = "off"
	writeExec(t, e.shim, "shim build 2")
	var b bytes.Buffer
	if err := e.run().WriteJSON(&b, []string{"a change"}, "/backup"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema  int            `json:"schema"`
		OK      *bool          `json:"ok"`
		Summary map[string]int `json:"summary"`
		Checks  []struct {
			ID, Area, Status, Finding, Hint, Fix string
		} `json:"checks"`
		Fixed  []string `json:"fixed"`
		Backup string   `json:"backup"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if doc.Schema != JSONSchema || doc.OK == nil || *doc.OK || doc.Summary["error"] != 1 || doc.Backup != "/backup" || len(doc.Fixed) != 1 {
		t.Errorf("document: %+v", doc)
	}
	var sawFix bool
	for _, c := range doc.Checks {
		if c.ID == "" || c.Area == "" || c.Finding == "" {
			t.Errorf("incomplete check %+v", c)
		}
		switch c.Status {
		case "ok", "warning", "error":
		default:
			t.Errorf("status %q", c.Status)
		}
		if c.ID == "shims.bin" && c.Fix != "" {
			sawFix = true
		}
	}
	if !sawFix {
		t.Errorf("the stale shims' fix is not in the JSON")
	}
}

func TestTextOutput(t *testing.T) {
	e := newTestEnv(t)
	e.vars["GOSUMDB"] = "off"
	r := e.run()
	var plain, color bytes.Buffer
	r.WriteText(&plain, false)
	r.WriteText(&color, true)
	if strings.Contains(plain.String(), "\x1b[") {
		t.Errorf("colour without asking")
	}
	if !strings.Contains(color.String(), ansiRed) {
		t.Errorf("no red error in colour output")
	}
	for _, want := range []string{AreaShims + "\n", "  error GOSUMDB=off", "go env -w GOSUMDB=sum.golang.org", "1 error"} {
		if !strings.Contains(plain.String(), want) {
			t.Errorf("text output lacks %q:\n%s", want, plain.String())
		}
	}
	// Areas come in a fixed order, each once.
	last := -1
	for _, c := range r.Checks {
		i := -1
		for j, a := range areaOrder {
			if a == c.Area {
				i = j
			}
		}
		if i < last {
			t.Errorf("area %q after a later one", c.Area)
		}
		last = i
	}
}

// TestApplyFixesContinuesPastAFailure: a fix that fails (a junction a FAT
// drive cannot hold) does not keep the independent fixes after it from
// being applied; each result is printed, and the failure is returned.
func TestApplyFixesContinuesPastAFailure(t *testing.T) {
	root := fake.TempDir(t)
	file := filepath.Join(root, "settings.json")
	writeFile(t, file, "old")
	r := &Report{Checks: []Check{
		{ID: "shims.current", Status: Error, Fix: "point the current link at go1.22.5",
			apply: func(b *Backup) error { return errors.New("the file system cannot hold a junction") }},
		{ID: "ide.vscode", Status: Warning, Fix: "take go.goroot out of settings.json",
			apply: func(b *Backup) error {
				if err := b.SaveFile(file); err != nil {
					return err
				}
				return os.WriteFile(file, []byte("new"), 0o644)
			}},
	}}
	var out bytes.Buffer
	backup, done, err := r.ApplyFixes(root, time.Now(), &out)
	if err == nil || !strings.Contains(err.Error(), "junction") {
		t.Errorf("error %v, want the failed fix's", err)
	}
	if len(done) != 1 || done[0] != "take go.goroot out of settings.json" {
		t.Errorf("done %q", done)
	}
	for _, want := range []string{"failed shims.current: point the current link at go1.22.5: the file system cannot hold a junction", "fixed ide.vscode"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if got, _ := os.ReadFile(file); string(got) != "new" {
		t.Errorf("the second fix was not applied: %q", got)
	}
	if _, err := Restore(backup); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(file); string(got) != "old" {
		t.Errorf("restored %q", got)
	}
}

// TestApplyFixesLeavesNoEmptyBackup: fixes that all fail before saving
// anything leave no backup folder behind.
func TestApplyFixesLeavesNoEmptyBackup(t *testing.T) {
	root := fake.TempDir(t)
	r := &Report{Checks: []Check{{ID: "shims.current", Status: Error, Fix: "x",
		apply: func(b *Backup) error { return errors.New("cannot") }}}}
	backup, _, err := r.ApplyFixes(root, time.Now(), io.Discard)
	if err == nil || backup != "" {
		t.Errorf("backup %q, error %v", backup, err)
	}
	if ents, _ := os.ReadDir(filepath.Join(root, "backup")); len(ents) > 0 {
		t.Errorf("backup folders left: %v", ents)
	}
}

// TestFixAddsPathLinesThroughTheEditor: with the shims off PATH, doctor
// --fix writes gover setup's block into the shell's startup files through
// the startup-file editor (a symlinked .bashrc keeps its link), and
// restoring the backup puts the files back byte for byte.
func TestFixAddsPathLinesThroughTheEditor(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the Windows PATH is the registry's (gover sync)")
	}
	e := newTestEnv(t)
	e.vars["PATH"] = e.tools
	e.vars["SHELL"] = "/bin/bash"
	dotfiles := filepath.Join(e.base, "dotfiles", "bashrc")
	writeFile(t, dotfiles, "alias ll='ls -l'\n")
	if err := os.Symlink(dotfiles, filepath.Join(e.home, ".bashrc")); err != nil {
		t.Skipf("no symbolic links: %v", err)
	}
	r := e.run()
	c := r.Find("path.shims")
	if c == nil || c.apply == nil || !strings.Contains(c.Fix, ".bashrc") {
		t.Fatalf("path.shims has no startup-file fix: %+v", c)
	}
	var out bytes.Buffer
	dir, _, err := r.ApplyFixes(e.root, time.Now(), &out)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(dotfiles)
	if !strings.HasPrefix(string(data), "alias ll='ls -l'\n# >>> gover setup >>>\n") || !strings.Contains(string(data), e.st.BinDir()) {
		t.Errorf(".bashrc's target after the fix:\n%s", data)
	}
	if fi, err := os.Lstat(filepath.Join(e.home, ".bashrc")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the fix replaced the .bashrc link: %v", err)
	}
	if _, err := os.Stat(filepath.Join(e.home, ".profile")); err != nil {
		t.Errorf("no login file: %v", err)
	}
	if _, err := Restore(dir); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(dotfiles); string(data) != "alias ll='ls -l'\n" {
		t.Errorf("after restore: %q", data)
	}
	if fi, err := os.Lstat(filepath.Join(e.home, ".bashrc")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("restore replaced the .bashrc link: %v", err)
	}
	if _, err := os.Stat(filepath.Join(e.home, ".profile")); !os.IsNotExist(err) {
		t.Errorf("restore left the .profile the fix created: %v", err)
	}
}
