package tests

import (
	"context"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// winebox is a Windows machine for one test: a private copy of the Wine
// prefix (so registry changes stay in it), a wineserver kept alive for the
// whole test (starting one per command costs seconds), and the
// environment every Windows program there starts with.
type winebox struct {
	t      *testing.T
	wine   string
	prefix string
	env    []string
}

// newWinebox copies the prepared prefix (WINEPREFIX, else the one named in
// /tmp/gover-wine/ready, else scripts/wine-prefix.sh's default) into a
// temporary folder, or makes a fresh one with scripts/wine-prefix.sh when
// there is none. It skips the test when Wine is missing.
func newWinebox(t *testing.T) *winebox {
	t.Helper()
	wineExec, err := filepath.Abs("../scripts/wine-exec")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(wineExec, "--which").CombinedOutput()
	if err != nil {
		t.Skipf("no Wine: %s", out)
	}
	w := &winebox{t: t, wine: strings.TrimSpace(string(out)), prefix: filepath.Join(t.TempDir(), "prefix")}

	start := time.Now()
	if src := preparedPrefix(); src != "" {
		if err := copyPrefix(src, w.prefix); err != nil {
			t.Fatalf("copying the Wine prefix %s: %v", src, err)
		}
		t.Logf("copied the Wine prefix %s in %s", src, time.Since(start).Round(time.Millisecond))
		// A default GOVER_HOME other runs left there is not this user's.
		old, _ := filepath.Glob(filepath.Join(w.prefix, "drive_c", "users", "*", ".gover"))
		for _, p := range old {
			if err := os.RemoveAll(p); err != nil {
				t.Fatal(err)
			}
		}
	} else {
		cmd := exec.Command("../scripts/wine-prefix.sh")
		cmd.Env = append(os.Environ(), "GOVER_WINEPREFIX="+w.prefix)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("scripts/wine-prefix.sh: %v\n%s", err, out)
		}
		t.Logf("made a Wine prefix in %s", time.Since(start).Round(time.Millisecond))
	}

	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch up := strings.ToUpper(k); {
		case strings.HasPrefix(up, "GO"), strings.HasPrefix(up, "WINE"), strings.HasPrefix(up, "CGO_"):
			continue // the runner's Go and Wine settings are not the Windows user's
		case up == "USERPROFILE", up == "APPDATA", up == "LOCALAPPDATA", up == "LC_ALL":
			continue
		}
		w.env = append(w.env, kv)
	}
	// Wine turns arguments and output into UTF-16 and back with the Unix
	// locale's character set; a C locale would garble anything not ASCII.
	w.env = append(w.env, "WINEPREFIX="+w.prefix, "WINEDEBUG=-all", "NO_COLOR=1", "LC_ALL=C.UTF-8")

	if server := w.wineserver(); server != "" {
		// Not forever: a test binary killed on timeout runs no cleanup, and
		// the server then still goes a minute after its last program.
		// No pipes: the server outlives this command and would hold them
		// open.
		cmd := exec.Command(server, "-p60")
		cmd.Env = w.env
		if err := cmd.Run(); err != nil {
			t.Logf("wineserver -p60: %v", err)
		}
		t.Cleanup(func() {
			// -w: the server saves the registry as it goes, and the
			// prefix is removed next.
			for _, arg := range []string{"-k", "-w"} {
				cmd := exec.Command(server, arg)
				cmd.Env = w.env
				cmd.Run()
			}
		})
	}
	return w
}

// preparedPrefix is a prefix scripts/wine-prefix.sh has set up, or "".
func preparedPrefix() string {
	candidates := []string{os.Getenv("WINEPREFIX")}
	if p, err := os.ReadFile("/tmp/gover-wine/ready"); err == nil {
		candidates = append(candidates, strings.TrimSpace(string(p)))
	}
	if home, err := os.UserHomeDir(); err == nil {
		cache := os.Getenv("XDG_CACHE_HOME")
		if cache == "" {
			cache = filepath.Join(home, ".cache")
		}
		candidates = append(candidates, filepath.Join(cache, "gover", "wine"))
	}
	for _, p := range candidates {
		if p == "" {
			continue
		}
		// The stand-in DLL is what lets Go 1.26 programs start under Wine 8.
		if isRegular(filepath.Join(p, "system.reg")) && isRegular(filepath.Join(p, "drive_c", "windows", "system32", "bcryptprimitives.dll")) {
			return p
		}
	}
	return ""
}

func isRegular(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// copyPrefix copies a Wine prefix, keeping its symbolic links (dosdevices)
// as links and leaving out the users' Temp folders, which other test runs
// fill.
func copyPrefix(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case d.IsDir():
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
			if parts := strings.Split(filepath.ToSlash(rel), "/"); len(parts) == 4 && parts[0] == "drive_c" && parts[1] == "users" && strings.EqualFold(parts[3], "Temp") {
				return filepath.SkipDir
			}
			return nil
		case d.Type().IsRegular():
			return copyRegular(path, target)
		}
		return nil // sockets, devices: nothing a prefix needs
	})
}

func copyRegular(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// wineserver is the wineserver that goes with w.wine, or "".
func (w *winebox) wineserver() string {
	if p := filepath.Join(filepath.Dir(w.wine), "wineserver"); isRegular(p) {
		return p
	}
	if p, err := exec.LookPath("wineserver"); err == nil {
		return p
	}
	return ""
}

// setenv adds or replaces one variable for later runs.
func (w *winebox) setenv(k, v string) {
	for i, kv := range w.env {
		if strings.HasPrefix(kv, k+"=") {
			w.env[i] = k + "=" + v
			return
		}
	}
	w.env = append(w.env, k+"="+v)
}

// unsetenv removes a variable for later runs.
func (w *winebox) unsetenv(k string) {
	env := w.env[:0]
	for _, kv := range w.env {
		if !strings.HasPrefix(kv, k+"=") {
			env = append(env, kv)
		}
	}
	w.env = env
}

// run runs a Windows program (a Unix path to an .exe, or a program Wine
// knows such as cmd or reg) in dir, killing it after timeout.
func (w *winebox) run(timeout time.Duration, dir, prog string, args ...string) result {
	w.t.Helper()
	return w.runStdin("", timeout, dir, prog, args...)
}

// runStdin is run with stdin as the program's standard input.
func (w *winebox) runStdin(stdin string, timeout time.Duration, dir, prog string, args ...string) result {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.wine, append([]string{prog}, args...)...)
	cmd.Dir = dir
	cmd.Env = w.env
	if stdin != "" {
		in := w.outFile()
		if _, err := in.WriteString(stdin); err != nil {
			w.t.Fatal(err)
		}
		if _, err := in.Seek(0, io.SeekStart); err != nil {
			w.t.Fatal(err)
		}
		cmd.Stdin = in
	}
	// Files, not pipes: Wine's own services (started by the first program
	// and kept by the persistent wineserver) inherit them and never close
	// them.
	stdout, stderr := w.outFile(), w.outFile()
	cmd.Stdout, cmd.Stderr = stdout, stderr
	start := time.Now()
	err := cmd.Run()
	r := result{stdout: w.readOut(stdout), stderr: w.readOut(stderr)}
	took := time.Since(start).Round(time.Millisecond)
	if ctx.Err() != nil {
		w.t.Fatalf("wine %s %s: killed after %s\nstdout:\n%s\nstderr:\n%s", filepath.Base(prog), strings.Join(args, " "), timeout, r.stdout, r.stderr)
	}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			w.t.Fatalf("wine %s %s: %v", filepath.Base(prog), strings.Join(args, " "), err)
		}
		r.code = ee.ExitCode()
	}
	w.t.Logf("wine %s %s: exit %d in %s", filepath.Base(prog), strings.Join(args, " "), r.code, took)
	return r
}

func (w *winebox) outFile() *os.File {
	w.t.Helper()
	f, err := os.CreateTemp(w.t.TempDir(), "out-")
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { f.Close() })
	return f
}

// readOut is what a program wrote to f, with Windows line ends made Unix.
func (w *winebox) readOut(f *os.File) string {
	w.t.Helper()
	data, err := os.ReadFile(f.Name())
	if err != nil {
		w.t.Fatal(err)
	}
	return strings.ReplaceAll(string(data), "\r\n", "\n")
}

// ok is run that fails the test unless the program exits 0.
func (w *winebox) ok(timeout time.Duration, dir, prog string, args ...string) result {
	w.t.Helper()
	r := w.run(timeout, dir, prog, args...)
	if r.code != 0 {
		w.t.Fatalf("wine %s %s: exit %d\nstdout:\n%s\nstderr:\n%s", filepath.Base(prog), strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// regValue is one registry value as reg query prints it.
type regValue struct {
	typ, data string
}

// regQuery reads one value from the prefix's registry; ok is false when
// the key or the value is missing.
func (w *winebox) regQuery(key, name string) (v regValue, ok bool) {
	w.t.Helper()
	r := w.run(time.Minute, w.prefix, "reg", "query", key, "/v", name)
	if r.code != 0 {
		return regValue{}, false
	}
	for _, line := range strings.Split(r.stdout, "\n") {
		// "    <name>    <type>    <data>"; the data may hold spaces.
		f := strings.SplitN(strings.TrimSpace(line), "    ", 3)
		if len(f) >= 2 && strings.EqualFold(f[0], name) && strings.HasPrefix(f[1], "REG_") {
			v.typ = f[1]
			if len(f) == 3 {
				v.data = f[2]
			}
			return v, true
		}
	}
	w.t.Fatalf("reg query %s /v %s: no value in\n%s", key, name, r.stdout)
	return regValue{}, false
}

// regKeyExists reports whether the prefix's registry has key.
func (w *winebox) regKeyExists(key string) bool {
	w.t.Helper()
	return w.run(time.Minute, w.prefix, "reg", "query", key).code == 0
}

// winPath is the path a Windows program under Wine sees for a Unix path:
// drive Z: is the Unix root.
func winPath(unix string) string {
	return `Z:` + strings.ReplaceAll(filepath.Clean(unix), "/", `\`)
}
