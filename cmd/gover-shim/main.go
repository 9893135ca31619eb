// Command gover-shim is the go and gofmt shim that `gover setup` installs
// into GOVER_HOME/bin. It runs the tool named by its own file name (go,
// gofmt) from the SDK the working folder selects:
//
//	$ ln gover-shim ~/.gover/bin/go && ~/.gover/bin/go version
//	go version go1.22.5 linux/amd64
//
// It is a separate, minimal program rather than a mode of the gover binary
// so that every go invocation pays only its small start-up cost; the
// package shim documents the measurements.
package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/gover/gover/shim"
	"github.com/gover/gover/store"
	"github.com/gover/gover/versions"
)

func main() {
	os.Exit(run())
}

func run() int {
	tool := toolName(os.Args[0])
	sh := &shim.Shim{Tool: tool, Environ: os.Environ(), Stderr: os.Stderr}
	root, err := store.DefaultRoot(os.Getenv)
	if err != nil {
		return fail(err)
	}
	wd, err := os.Getwd()
	if err != nil {
		return fail(err)
	}
	st := store.New(root)
	self, _ := os.Executable()
	sh.Self = self
	sh.Env = shim.Env{
		Getenv:   os.Getenv,
		Dir:      wd,
		ReadFile: os.ReadFile,
		Global: func() (string, error) {
			data, err := os.ReadFile(st.VersionFile())
			if err != nil {
				return "", nil
			}
			return strings.TrimSpace(string(data)), nil
		},
	}
	sh.GOROOT = func(name string) string {
		v, err := versions.Parse(name)
		if err != nil {
			return ""
		}
		goroot, err := st.GOROOT(v)
		if err != nil {
			return ""
		}
		return goroot
	}
	sh.Installed = func() []string {
		vs, _ := st.Installed()
		names := make([]string, len(vs))
		for i, v := range vs {
			names[i] = v.Name()
		}
		return names
	}
	sh.Install = func(spec string) error { return install(self, root, spec) }
	return sh.Run(os.Args[1:])
}

// toolName is go or gofmt, from the name the shim was started as
// (go.exe, /home/u/.gover/bin/gofmt). Any other name runs go.
func toolName(arg0 string) string {
	name := strings.TrimSuffix(strings.ToLower(filepath.Base(arg0)), ".exe")
	if name == "gofmt" {
		return "gofmt"
	}
	return "go"
}

// install runs `gover install spec` with its output on stderr, so the
// tool's stdout stays clean for whoever reads it. gover is looked for next
// to the shim, then in GOVER_HOME/bin, then on PATH.
func install(self, root, spec string) error {
	name := "gover"
	if filepath.Ext(self) == ".exe" {
		name += ".exe"
	}
	bin := ""
	for _, dir := range []string{filepath.Dir(self), filepath.Join(root, "bin")} {
		if p := filepath.Join(dir, name); dir != "." && isFile(p) {
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
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stderr, os.Stderr
	return cmd.Run()
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

func fail(err error) int {
	os.Stderr.WriteString("gover: " + err.Error() + "\n")
	return 1
}
