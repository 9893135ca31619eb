package shim

import (
	"errors"
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
	sh := &Shim{Tool: ToolName(os.Args[0]), Environ: os.Environ(), Stderr: os.Stderr}
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
	sh.Env = Env{
		Getenv:   os.Getenv,
		Dir:      wd,
		ReadFile: readFile,
		Global: func() (string, error) {
			// Read as text rather than through store.Global: a partial
			// default ("1.22") is fine here and no error is worth
			// stopping go for.
			data, err := readFile(st.VersionFile())
			if err != nil {
				return "", nil
			}
			return strings.TrimSpace(string(data)), nil
		},
	}
	sh.GOROOT, sh.Installed = storeLookup(st)
	sh.Install = func(spec string) error { return install(self, root, spec) }
	return sh.Run(os.Args[1:])
}

// storeLookup is how the shim asks st what is installed.
func storeLookup(st *store.Store) (goroot func(string) string, installed func() []string) {
	goroot = func(name string) string {
		v, err := versions.Parse(name)
		if err != nil {
			return ""
		}
		// The store's contract: installed means the manifest exists and the
		// partial marker does not, and a gover-installed SDK's GOROOT is
		// its SDKDir. Checking that with stats skips decoding the JSON
		// manifest on every go run; imported SDKs, which live elsewhere,
		// take the manifest path.
		if sdk := st.SDKDir(v); exists(st.ManifestPath(v)) && !exists(st.PartialMarker(v)) && exists(sdk) {
			return sdk
		}
		goroot, err := st.GOROOT(v)
		if err != nil {
			return ""
		}
		return goroot
	}
	installed = func() []string {
		vs, _ := st.Installed()
		names := make([]string, len(vs))
		for i, v := range vs {
			names[i] = v.Name()
		}
		return names
	}
	return goroot, installed
}

// maxRead bounds what the shim reads from one file: .go-version, go.mod
// and go.work files worth reading are far smaller. A huge go.mod is
// refused rather than slurped on every go run.
const maxRead = 1 << 20

var errTooLarge = errors.New("file larger than 1 MiB")

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

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}
