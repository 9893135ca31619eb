package registry

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fake"
)

// deleteTree removes a test key and everything under it.
func deleteTree(root registry.Key, path string) {
	k, err := registry.OpenKey(root, path, registry.ENUMERATE_SUB_KEYS)
	if err == nil {
		names, _ := k.ReadSubKeyNames(-1)
		k.Close()
		for _, n := range names {
			deleteTree(root, path+`\`+n)
		}
	}
	registry.DeleteKey(root, path)
}

// winConfig is testConfig with its keys removed again after the test.
func winConfig(t *testing.T) (Config, []SDK) {
	cfg, sdks := testConfig(t)
	base := testKeyBase(t)
	t.Cleanup(func() {
		deleteTree(registry.CURRENT_USER, base)
		deleteTree(registry.LOCAL_MACHINE, base)
		for _, root := range []string{"HKCU", "HKLM"} {
			deleteIfEmpty(root, filepath.Dir(base))
			deleteIfEmpty(root, `Software\GoverTest`)
		}
	})
	deleteTree(registry.CURRENT_USER, base)
	cfg.PathEntry = `%USERPROFILE%\.gover\bin`
	return cfg, sdks
}

func setValue(t *testing.T, root registry.Key, key, name string, typ uint32, val string) {
	t.Helper()
	k, _, err := registry.CreateKey(root, key, registry.SET_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	switch typ {
	case registry.SZ:
		err = k.SetStringValue(name, val)
	case registry.EXPAND_SZ:
		err = k.SetExpandStringValue(name, val)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func getString(t *testing.T, root registry.Key, key, name string) (string, uint32) {
	t.Helper()
	k, err := registry.OpenKey(root, key, registry.QUERY_VALUE)
	if err != nil {
		t.Fatalf(`opening %s: %v`, key, err)
	}
	defer k.Close()
	v, typ, err := k.GetStringValue(name)
	if err != nil {
		t.Fatalf(`reading %s\%s: %v`, key, name, err)
	}
	return v, typ
}

// regQuery reads a value with reg.exe, as a second opinion on what the
// x/sys registry package wrote.
func regQuery(t *testing.T, key, name string) string {
	t.Helper()
	out, err := exec.Command("reg", "query", key, "/v", name).CombinedOutput()
	if err != nil {
		t.Fatalf("reg query %s /v %s: %v\n%s", key, name, err, out)
	}
	return string(out)
}

// snapshot reads every value gover may touch, raw.
func snapshot(t *testing.T, cfg Config, roots ...string) []savedValue {
	t.Helper()
	var out []savedValue
	for _, root := range roots {
		env := cfg.Keys.UserEnvironment
		if root == "HKLM" {
			env = cfg.Keys.MachineEnvironment
		}
		for _, kv := range [][2]string{
			{cfg.Keys.GoProgrammingLanguage, "installLocation"},
			{cfg.Keys.GoProgrammingLanguage, "installed"},
			{cfg.Keys.GoLang, "GoInstallPath"},
			{env, "Path"},
		} {
			v, err := readRaw(root, kv[0], kv[1])
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
	}
	return out
}

func sameSnapshot(t *testing.T, before, after []savedValue) {
	t.Helper()
	for i := range before {
		b, a := before[i], after[i]
		if b.Absent != a.Absent || b.Type != a.Type || !bytes.Equal(b.Data, a.Data) {
			t.Errorf("%s: before %+v, after %+v", b.id(), b, a)
		}
	}
}

func TestSyncWindowsRegistry(t *testing.T) {
	cfg, sdks := winConfig(t)
	const oldPath = `%SystemRoot%\system32;C:\Tools;;%USERPROFILE%\go\bin;%NOT_SET%\bin`
	setValue(t, registry.CURRENT_USER, cfg.Keys.UserEnvironment, "Path", registry.EXPAND_SZ, oldPath)
	setValue(t, registry.CURRENT_USER, cfg.Keys.GoProgrammingLanguage, "installLocation", registry.SZ, `C:\Program Files\Go\`)
	before := snapshot(t, cfg, "HKCU")

	for _, active := range []SDK{sdks[0], sdks[1], sdks[1]} {
		rep := &Report{}
		if err := syncOS(cfg, active, Options{}, rep); err != nil {
			t.Fatal(err)
		}
		if got, typ := getString(t, registry.CURRENT_USER, cfg.Keys.GoProgrammingLanguage, "installLocation"); got != active.GOROOT+`\` || typ != registry.SZ {
			t.Errorf("installLocation = %q (type %d)", got, typ)
		}
		if got, _ := getString(t, registry.CURRENT_USER, cfg.Keys.GoLang, "GoInstallPath"); got != active.GOROOT {
			t.Errorf("GoInstallPath = %q", got)
		}
		k, _ := registry.OpenKey(registry.CURRENT_USER, cfg.Keys.GoProgrammingLanguage, registry.QUERY_VALUE)
		if n, typ, err := k.GetIntegerValue("installed"); err != nil || n != 1 || typ != registry.DWORD {
			t.Errorf("installed = %d (type %d, %v)", n, typ, err)
		}
		k.Close()
		path, typ := getString(t, registry.CURRENT_USER, cfg.Keys.UserEnvironment, "Path")
		if path != cfg.PathEntry+";"+oldPath || typ != registry.EXPAND_SZ {
			t.Errorf("Path = %q (type %d)", path, typ)
		}

		// reg.exe agrees.
		out := regQuery(t, `HKCU\`+cfg.Keys.GoProgrammingLanguage, "installLocation")
		if !strings.Contains(out, "REG_SZ") || !strings.Contains(out, active.GOROOT+`\`) {
			t.Errorf("reg query installLocation:\n%s", out)
		}
		out = regQuery(t, `HKCU\`+cfg.Keys.UserEnvironment, "Path")
		if !strings.Contains(out, "REG_EXPAND_SZ") || !strings.Contains(out, `%USERPROFILE%\.gover\bin;%SystemRoot%\system32`) {
			t.Errorf("reg query Path:\n%s", out)
		}
	}

	rep, err := Undo(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Done) == 0 {
		t.Error("undo reported nothing")
	}
	sameSnapshot(t, before, snapshot(t, cfg, "HKCU"))
	if _, err := os.Stat(cfg.BackupFile()); !os.IsNotExist(err) {
		t.Errorf("backup still there: %v", err)
	}
	// The GoLang\Go key and its GoLang parent did not exist before; undo
	// takes both away again.
	for _, key := range []string{cfg.Keys.GoLang, strings.TrimSuffix(cfg.Keys.GoLang, `\Go`)} {
		if k, err := registry.OpenKey(registry.CURRENT_USER, key, registry.QUERY_VALUE); err == nil {
			k.Close()
			t.Errorf("%s left behind", key)
		}
	}
	if k, err := registry.OpenKey(registry.CURRENT_USER, cfg.Keys.UserEnvironment, registry.QUERY_VALUE); err != nil {
		t.Errorf("a key that existed before was removed: %v", err)
	} else {
		k.Close()
	}
	// A second undo has nothing to do.
	if rep, err := Undo(cfg); err != nil || len(rep.Notes) != 1 {
		t.Errorf("second undo: %v %+v", err, rep.Notes)
	}
}

func TestSyncWindowsPathCreatedAndTypeKept(t *testing.T) {
	cfg, sdks := winConfig(t)
	// No Path at all: created as REG_EXPAND_SZ, and undo deletes it.
	if err := syncOS(cfg, sdks[0], Options{}, &Report{}); err != nil {
		t.Fatal(err)
	}
	if p, typ := getString(t, registry.CURRENT_USER, cfg.Keys.UserEnvironment, "Path"); p != cfg.PathEntry || typ != registry.EXPAND_SZ {
		t.Errorf("Path = %q (type %d)", p, typ)
	}
	if _, err := Undo(cfg); err != nil {
		t.Fatal(err)
	}
	if v, _ := readRaw("HKCU", cfg.Keys.UserEnvironment, "Path"); !v.Absent {
		t.Errorf("Path not deleted again: %+v", v)
	}

	// A REG_SZ Path stays REG_SZ while gover's entry is a plain folder.
	plain := cfg
	plain.PathEntry = ""
	setValue(t, registry.CURRENT_USER, cfg.Keys.UserEnvironment, "Path", registry.SZ, `C:\A`)
	if err := syncOS(plain, sdks[0], Options{}, &Report{}); err != nil {
		t.Fatal(err)
	}
	if p, typ := getString(t, registry.CURRENT_USER, cfg.Keys.UserEnvironment, "Path"); p != cfg.BinDir()+`;C:\A` || typ != registry.SZ {
		t.Errorf("Path = %q (type %d)", p, typ)
	}
	if _, err := Undo(plain); err != nil {
		t.Fatal(err)
	}
}

// TestSyncWindowsREGSZPathBecomesExpandable: a REG_SZ user Path (setx,
// [Environment]::SetEnvironmentVariable) that gets %USERPROFILE%\.gover\bin
// is stored as REG_EXPAND_SZ, so new processes get the folder rather than
// the literal text; a literal copy of the entry left by an older gover is
// not kept twice. Undo puts the REG_SZ value back byte for byte.
func TestSyncWindowsREGSZPathBecomesExpandable(t *testing.T) {
	cfg, sdks := winConfig(t)
	for _, old := range []string{`C:\A;%SystemRoot%\system32`, cfg.PathEntry + `;C:\A`} {
		setValue(t, registry.CURRENT_USER, cfg.Keys.UserEnvironment, "Path", registry.SZ, old)
		before := snapshot(t, cfg, "HKCU")
		if err := syncOS(cfg, sdks[0], Options{}, &Report{}); err != nil {
			t.Fatal(err)
		}
		want := cfg.PathEntry + ";" + strings.TrimPrefix(old, cfg.PathEntry+";")
		p, typ := getString(t, registry.CURRENT_USER, cfg.Keys.UserEnvironment, "Path")
		if p != want || typ != registry.EXPAND_SZ {
			t.Errorf("Path = %q (type %d), want %q as REG_EXPAND_SZ", p, typ, want)
		}
		if out := regQuery(t, `HKCU\`+cfg.Keys.UserEnvironment, "Path"); !strings.Contains(out, "REG_EXPAND_SZ") {
			t.Errorf("reg query Path:\n%s", out)
		}
		// What a new process gets: the shims folder itself.
		got, _, err := ReadPath("HKCU", cfg.Keys.UserEnvironment)
		if err != nil {
			t.Fatal(err)
		}
		if first := got.Resolved(expandRegistry)[0]; !samePath(first, filepath.Join(os.Getenv("USERPROFILE"), ".gover", "bin")) {
			t.Errorf("first resolved entry %q", first)
		}
		if _, err := Undo(cfg); err != nil {
			t.Fatal(err)
		}
		sameSnapshot(t, before, snapshot(t, cfg, "HKCU"))
	}
}

// TestUndoKeepsLaterPathEdits: entries added to the Path after gover
// setup survive gover setup --undo; only gover's entry goes, and undo says
// so. A Go key another installer rewrote since is left alone.
func TestUndoKeepsLaterPathEdits(t *testing.T) {
	cfg, sdks := winConfig(t)
	const oldPath = `%SystemRoot%\system32;C:\Tools`
	setValue(t, registry.CURRENT_USER, cfg.Keys.UserEnvironment, "Path", registry.SZ, oldPath)
	if err := syncOS(cfg, sdks[0], Options{}, &Report{}); err != nil {
		t.Fatal(err)
	}
	// The user installs Node, and an MSI Go rewrites installLocation.
	cur, _ := getString(t, registry.CURRENT_USER, cfg.Keys.UserEnvironment, "Path")
	setValue(t, registry.CURRENT_USER, cfg.Keys.UserEnvironment, "Path", registry.EXPAND_SZ, cur+`;C:\Program Files\nodejs\;%APPDATA%\npm`)
	setValue(t, registry.CURRENT_USER, cfg.Keys.GoProgrammingLanguage, "installLocation", registry.SZ, `C:\Program Files\Go\`)
	// A second sync leaves the Path alone: gover's entry is still first.
	if err := syncOS(cfg, sdks[1], Options{}, &Report{}); err != nil {
		t.Fatal(err)
	}
	setValue(t, registry.CURRENT_USER, cfg.Keys.GoProgrammingLanguage, "installLocation", registry.SZ, `C:\Program Files\Go\`)

	rep, err := Undo(cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := oldPath + `;C:\Program Files\nodejs\;%APPDATA%\npm`
	if p, typ := getString(t, registry.CURRENT_USER, cfg.Keys.UserEnvironment, "Path"); p != want || typ != registry.EXPAND_SZ {
		t.Errorf("Path after undo = %q (type %d), want %q", p, typ, want)
	}
	if got, _ := getString(t, registry.CURRENT_USER, cfg.Keys.GoProgrammingLanguage, "installLocation"); got != `C:\Program Files\Go\` {
		t.Errorf("installLocation after undo = %q, want the MSI's", got)
	}
	// gover's other values, unchanged since, are gone again.
	if v, _ := readRaw("HKCU", cfg.Keys.GoLang, "GoInstallPath"); !v.Absent {
		t.Errorf("GoInstallPath kept: %+v", v)
	}
	notes := fmt.Sprint(rep.Notes)
	for _, want := range []string{"Path changed since gover set it up", "only " + cfg.PathEntry + " was taken out", "installLocation changed since gover wrote it"} {
		if !strings.Contains(notes, want) {
			t.Errorf("undo notes lack %q: %s", want, notes)
		}
	}
	if _, err := os.Stat(cfg.BackupFile()); !os.IsNotExist(err) {
		t.Errorf("backup still there: %v", err)
	}
}

func TestSyncWindowsPathTooLong(t *testing.T) {
	cfg, sdks := winConfig(t)
	long := strings.Repeat(`C:\x;`, MaxPathLen/5)
	setValue(t, registry.CURRENT_USER, cfg.Keys.UserEnvironment, "Path", registry.EXPAND_SZ, long)
	err := syncOS(cfg, sdks[0], Options{}, &Report{})
	if err == nil || !strings.Contains(err.Error(), "8191") {
		t.Fatalf("want a length error, got %v", err)
	}
	if p, _ := getString(t, registry.CURRENT_USER, cfg.Keys.UserEnvironment, "Path"); p != long {
		t.Error("Path changed although it was refused")
	}
}

// TestUndoRestoresRawBytes keeps a Path whose bytes a string round trip
// would change (no terminating NUL, odd length) and checks they come back
// exactly.
func TestUndoRestoresRawBytes(t *testing.T) {
	cfg, sdks := winConfig(t)
	raw := savedValue{Root: "HKCU", Key: cfg.Keys.UserEnvironment, Name: "Path", Type: registry.EXPAND_SZ}
	for _, r := range utf16.Encode([]rune(`C:\A;%X%`)) {
		raw.Data = binary.LittleEndian.AppendUint16(raw.Data, r)
	}
	raw.Data = append(raw.Data, 0x41) // a stray byte
	if err := writeRaw(raw); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, cfg, "HKCU")
	if err := syncOS(cfg, sdks[0], Options{}, &Report{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Undo(cfg); err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, before, snapshot(t, cfg, "HKCU"))
}

func TestSyncWindowsSystem(t *testing.T) {
	cfg, sdks := winConfig(t)
	elevated, err := Elevated()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("elevated: %v", elevated)
	rep := &Report{}
	if !elevated {
		_, err := Sync(cfg, sdks[0], sdks, Options{System: true})
		if !errors.Is(err, ErrNotElevated) {
			t.Fatalf("want ErrNotElevated, got %v", err)
		}
		if _, err := os.Stat(cfg.BackupFile()); !os.IsNotExist(err) {
			t.Fatal("a refused --system still changed something")
		}
		return
	}
	// Wine runs everything elevated: check the machine-wide half for real,
	// under the throwaway HKLM key.
	const machinePath = `%SystemRoot%\system32;C:\Program Files\Go\bin`
	setValue(t, registry.LOCAL_MACHINE, cfg.Keys.MachineEnvironment, "Path", registry.EXPAND_SZ, machinePath)
	before := snapshot(t, cfg, "HKCU", "HKLM")
	if err := checkSystem(cfg); err != nil {
		t.Fatalf("elevated, yet: %v", err)
	}
	if err := syncOS(cfg, sdks[1], Options{System: true}, rep); err != nil {
		t.Fatal(err)
	}
	if got, _ := getString(t, registry.LOCAL_MACHINE, cfg.Keys.GoProgrammingLanguage, "installLocation"); got != sdks[1].GOROOT+`\` {
		t.Errorf("HKLM installLocation = %q", got)
	}
	if p, typ := getString(t, registry.LOCAL_MACHINE, cfg.Keys.MachineEnvironment, "Path"); p != cfg.BinDir()+";"+machinePath || typ != registry.EXPAND_SZ {
		t.Errorf("machine Path = %q (type %d)", p, typ)
	}
	if _, err := Undo(cfg); err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, before, snapshot(t, cfg, "HKCU", "HKLM"))
}

func TestReportShadows(t *testing.T) {
	cfg, _ := winConfig(t)
	msi := filepath.Join(fake.TempDir(t), "Go")
	mkdirs(t, filepath.Join(msi, "bin"))
	os.WriteFile(filepath.Join(msi, "bin", "go.exe"), nil, 0o755)
	k, _, err := registry.CreateKey(registry.LOCAL_MACHINE, cfg.Keys.MachineEnvironment, registry.SET_VALUE)
	if err != nil {
		t.Skipf("cannot write the throwaway HKLM key: %v", err)
	}
	k.SetExpandStringValue("Path", `%SystemRoot%\system32;`+filepath.Join(msi, "bin"))
	k.Close()
	rep := &Report{}
	reportShadows(cfg, rep)
	if len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0].Msg, filepath.Join(msi, "bin")) || !strings.Contains(rep.Notes[0].Hint, "gover sync --system") || strings.Contains(rep.Notes[0].Hint, `\\`) {
		t.Fatalf("notes: %+v", rep.Notes)
	}
}

func TestBroadcast(t *testing.T) {
	if err := Broadcast(); err != nil {
		t.Fatal(err)
	}
}

// TestJunctionData checks the mount-point reparse buffer against the
// layout mklink /J writes.
func TestJunctionData(t *testing.T) {
	buf := junctionData(`C:\g\sdk\go1.22.5`)
	le := binary.LittleEndian
	if tag := le.Uint32(buf[0:]); tag != windows.IO_REPARSE_TAG_MOUNT_POINT {
		t.Fatalf("tag %#x", tag)
	}
	if n := int(le.Uint16(buf[4:])); n != len(buf)-8 {
		t.Fatalf("data length %d, buffer %d", n, len(buf))
	}
	name := func(off, n uint16) string {
		u := make([]uint16, n/2)
		for i := range u {
			u[i] = le.Uint16(buf[16+int(off)+2*i:])
		}
		return string(utf16.Decode(u))
	}
	if s := name(le.Uint16(buf[8:]), le.Uint16(buf[10:])); s != `\??\C:\g\sdk\go1.22.5` {
		t.Errorf("substitute name %q", s)
	}
	if s := name(le.Uint16(buf[12:]), le.Uint16(buf[14:])); s != `C:\g\sdk\go1.22.5` {
		t.Errorf("print name %q", s)
	}
}

func TestJunctionRetarget(t *testing.T) {
	needLinks(t)
	root := fake.TempDir(t)
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	mkdirs(t, a, b)
	link := filepath.Join(root, "current")
	for _, target := range []string{a, b, a} {
		if err := SetCurrent(link, target); err != nil {
			t.Fatal(err)
		}
		if got, err := ReadLink(link); err != nil || !samePath(got, target) {
			t.Fatalf("current -> %q (%v), want %s", got, err, target)
		}
	}
	// Removing the link leaves the SDK alone.
	os.WriteFile(filepath.Join(a, "keep"), nil, 0o644)
	if err := removeLink(link); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(a, "keep")); err != nil {
		t.Fatal("removing the link removed the SDK's files")
	}
}

// TestSystemNeedsElevation checks the refusal without elevation whatever
// the test runs as (Wine runs everything elevated).
func TestSystemNeedsElevation(t *testing.T) {
	cfg, sdks := winConfig(t)
	cfg.Elevated = func() (bool, error) { return false, nil }
	_, err := Sync(cfg, sdks[0], sdks, Options{System: true})
	if !errors.Is(err, ErrNotElevated) || !strings.Contains(exitcode.Hint(err), "gover sync --system") {
		t.Fatalf("want ErrNotElevated with a hint, got %v (hint %q)", err, exitcode.Hint(err))
	}
	if _, err := os.Stat(cfg.BackupFile()); !os.IsNotExist(err) {
		t.Fatal("a refused --system still changed something")
	}
	if v, _ := readRaw("HKCU", cfg.Keys.GoLang, "GoInstallPath"); !v.Absent {
		t.Fatal("a refused --system still wrote the registry")
	}
	// Undoing machine-wide values needs elevation too.
	cfg.Elevated = nil
	if err := syncOS(cfg, sdks[0], Options{System: true}, &Report{}); err != nil {
		if errors.Is(err, ErrNotElevated) {
			t.Skip("not elevated")
		}
		t.Fatal(err)
	}
	cfg.Elevated = func() (bool, error) { return false, nil }
	if _, err := Undo(cfg); !errors.Is(err, ErrNotElevated) {
		t.Fatalf("undo of HKLM values without elevation: %v", err)
	}
	cfg.Elevated = nil
	if _, err := Undo(cfg); err != nil {
		t.Fatal(err)
	}
}

// TestSyncWithoutGlobalDefault: gover setup with no global default still
// puts the shims first on the user PATH (folders with a .go-version or
// go.mod need no default), and leaves the Go installer's values and the
// current link alone.
func TestSyncWithoutGlobalDefault(t *testing.T) {
	cfg, sdks := winConfig(t)
	setValue(t, registry.CURRENT_USER, cfg.Keys.UserEnvironment, "Path", registry.EXPAND_SZ, `C:\Tools`)
	rep, err := Sync(cfg, SDK{}, sdks, Options{Explicit: true})
	if err != nil {
		t.Fatal(err)
	}
	if p, typ := getString(t, registry.CURRENT_USER, cfg.Keys.UserEnvironment, "Path"); p != cfg.PathEntry+`;C:\Tools` || typ != registry.EXPAND_SZ {
		t.Errorf("Path = %q (type %d)", p, typ)
	}
	for _, v := range []struct{ key, name string }{{cfg.Keys.GoProgrammingLanguage, "installLocation"}, {cfg.Keys.GoLang, "GoInstallPath"}} {
		if got, _ := readRaw("HKCU", v.key, v.name); !got.Absent {
			t.Errorf("%s written without a global default", got.id())
		}
	}
	if _, err := os.Lstat(cfg.CurrentLink()); !os.IsNotExist(err) {
		t.Errorf("current link made without a global default: %v", err)
	}
	if !strings.Contains(strings.Join(rep.Done, "\n"), "Path starts with "+cfg.PathEntry) {
		t.Errorf("report: %q", rep.Done)
	}
	if _, err := Undo(cfg); err != nil {
		t.Fatal(err)
	}
	if p, _ := getString(t, registry.CURRENT_USER, cfg.Keys.UserEnvironment, "Path"); p != `C:\Tools` {
		t.Errorf("Path after undo = %q", p)
	}
}
