package doctor

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/gover/gover/internal/shellhint"
	"github.com/gover/gover/store"
)

// The hints doctor prints, written for Env.Shell (cmd, PowerShell or a
// POSIX shell) in this one file, so that every command a finding suggests
// runs where the user types it.

// regEnvNames are the variables doctor also reads from the registry on
// Windows, where every new terminal gets them.
var regEnvNames = []string{"GOROOT", "GOPATH", "GOBIN", "GOPROXY", "GOSUMDB", "GOFLAGS", "GOTOOLCHAIN"}

// regVar is a variable found in one of the registry's environments.
type regVar struct {
	value  string
	origin string // where: "user environment (HKCU\Environment)"
	root   string // HKCU or HKLM
	key    string
}

// envVar returns a variable new terminals and this one get, and where it is
// set: the registry scope that holds it (on Windows), else "environment"
// when only this process has it.
func (r *run) envVar(name string) (value, origin string) {
	v := r.Getenv(name)
	rv, ok := r.regEnv[name]
	switch {
	case v != "" && (!ok || rv.value != v):
		return v, envOrigin
	case ok:
		return rv.value, rv.origin
	}
	return "", ""
}

// envOrigin is the origin of a variable set in the process environment
// only.
const envOrigin = "environment"

// fromEnvironment reports whether origin is an environment (the process's
// or a registry scope) rather than the go env -w file or a default.
func (r *run) fromEnvironment(origin string) bool {
	if origin == envOrigin {
		return true
	}
	for _, v := range r.regEnv {
		if v.origin == origin {
			return true
		}
	}
	return false
}

// command writes a command line for the user's shell.
func (r *run) command(args ...string) string { return r.Shell.Command(args...) }

// unsetHint is how the user removes name where origin says it is set: its
// registry scope on Windows, else the current terminal (and the startup
// file that sets it).
func (r *run) unsetHint(name, origin string) string {
	if rv, ok := r.regEnv[name]; ok && rv.origin == origin {
		h := r.Shell.RegDelete(rv.root+`\`+rv.key, name)
		if rv.root == "HKLM" {
			return h + `   (in a terminal opened with "Run as administrator"; then open a new terminal)`
		}
		return h + "   (then open a new terminal)"
	}
	h := r.Shell.Unset(name)
	if r.Shell == shellhint.POSIX {
		return h + "   (and remove the export from your shell startup file)"
	}
	return h + "   (it is set in this terminal only)"
}

// addToolPathHint is how the user adds dir to PATH for good.
func (r *run) addToolPathHint(dir string) string {
	switch {
	case runtime.GOOS != "windows" && !r.Shell.Windows():
		return fmt.Sprintf(`export PATH="$PATH:%s"   (in your shell startup file)`, strings.ReplaceAll(dir, `"`, `\"`))
	case r.Shell == shellhint.PowerShell:
		return fmt.Sprintf(`[Environment]::SetEnvironmentVariable("Path", %s + [Environment]::GetEnvironmentVariable("Path", "User"), "User")`, shellhint.PowerShell.Quote(dir+";"))
	}
	return fmt.Sprintf(`rundll32 sysdm.cpl,EditEnvironmentVariables   (add %s to Path under "User variables")`, dir)
}

// importHint is how the user hands gover an SDK it did not install, or ""
// when dir is not worth importing: an SDK inside another gover store, or
// another store's shims, is removed from PATH instead.
func (r *run) importHint(dir string) string {
	if inGoverStore(dir) {
		return ""
	}
	return r.command("gover", "import", dir)
}

// inGoverStore reports whether dir is a gover store, or a folder inside
// one (its bin/ or an SDK under sdk/).
func inGoverStore(dir string) bool {
	for i := 0; i < 3; i++ {
		if store.IsStore(dir) {
			return true
		}
		up := filepath.Dir(dir)
		if up == dir {
			return false
		}
		dir = up
	}
	return false
}
