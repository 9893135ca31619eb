package shim

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/gover/gover/store"
	"github.com/gover/gover/versions"
)

// Main is the whole shim program, cmd/gover-shim: it runs the tool named
// by its own file name (go, gofmt; any other name means go) for the
// working folder, wired to the store store.Locate finds (GOVER_HOME, else
// the store whose bin/ holds the shim, else ~/.gover), and returns the exit
// code.
func Main() int {
	sh := &Shim{Tool: ToolName(os.Args[0]), Release: ReleaseName(os.Args[0]), Environ: os.Environ(), Stderr: os.Stderr}
	self, _ := os.Executable()
	sh.Self = self
	root, err := store.Locate(os.Getenv, self)
	if err != nil {
		return sh.fail(err)
	}
	wd, err := os.Getwd()
	if err != nil {
		return sh.fail(err)
	}
	st := store.New(root)
	sh.Env = newEnv(st, os.Getenv, wd, openFile)
	sh.GOROOT = func(name string) string {
		v, err := versions.Parse(name)
		if err != nil {
			return ""
		}
		return st.FindGOROOT(v)
	}
	sh.BinDir = st.BinDir()
	sh.Install = func(spec string) error { return install(self, root, spec) }
	return sh.Run(os.Args[1:])
}

// NewEnv is the selection environment for folder dir against st, read the
// way the go shim reads it: every gover command that reports or acts on
// a folder's version (current, which, env, exec, activate, ide, doctor)
// uses it, so they all give the shim's answer.
func NewEnv(st *store.Store, getenv func(string) string, dir string) Env {
	return newEnv(st, getenv, dir, func(name string) (io.ReadCloser, error) { return os.Open(name) })
}

func newEnv(st *store.Store, getenv func(string) string, dir string, open func(string) (io.ReadCloser, error)) Env {
	return Env{
		Getenv: getenv,
		Dir:    dir,
		Open:   open,
		Global: func() (string, error) {
			// Read as text rather than through store.Global: a partial
			// default ("1.22") is fine here and no error is worth
			// stopping go for.
			f, err := open(st.VersionFile())
			if err != nil {
				return "", nil
			}
			defer f.Close()
			data, err := io.ReadAll(io.LimitReader(f, maxSpec+64))
			if err != nil {
				return "", nil
			}
			return strings.TrimSpace(string(data)), nil
		},
		Installed: func() []string {
			vs, _ := st.Installed()
			names := make([]string, len(vs))
			for i, v := range vs {
				names[i] = v.Name()
			}
			return names
		},
	}
}

// ToolName is go or gofmt, from the name the shim was started as
// (go.exe, /home/u/.gover/bin/gofmt). Any other name runs go.
func ToolName(arg0 string) string {
	name := strings.TrimSuffix(strings.ToLower(filepath.Base(arg0)), ".exe")
	if name == "gofmt" {
		return "gofmt"
	}
	return "go"
}

// install runs `gover install spec` with its output on stderr, so the
// tool's stdout stays clean for whoever reads it. gover is looked for next
// to the shim, then in GOVER_HOME/bin, then on PATH, and is told the
// shim's store in GOVER_HOME, so a gover found elsewhere installs there.
func install(self, root, spec string) error {
	name := "gover" + exeSuffix
	bin := ""
	for _, dir := range []string{filepath.Dir(self), filepath.Join(root, "bin")} {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); self != "" && err == nil && fi.Mode().IsRegular() {
			bin = p
			break
		}
	}
	if bin == "" {
		p, err := exec.LookPath("gover")
		if err != nil {
			return err
		}
		bin = p
	}
	cmd := exec.Command(bin, "install", spec)
	cmd.Env = append(os.Environ(), "GOVER_HOME="+root)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stderr, os.Stderr
	return cmd.Run()
}
