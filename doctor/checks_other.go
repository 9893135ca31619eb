//go:build !windows

package doctor

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// exe is the suffix of executables.
const exe = ""

// windowsLimits says whether cmd.exe's PATH length limit applies.
const windowsLimits = false

// windowsPathEditor is appended to PATH hints on Windows.
const windowsPathEditor = ""

// samePath reports whether a and b name the same folder or file.
func samePath(a, b string) bool {
	return filepath.Clean(a) == filepath.Clean(b)
}

// pathKey is what two PATH entries naming the same folder share.
func pathKey(p string) string { return filepath.Clean(p) }

// findExecutable returns dir/name when it is an executable file.
func findExecutable(dir, name string, _ func(string) string) string {
	p := filepath.Join(dir, name)
	fi, err := os.Stat(p)
	if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		return ""
	}
	return p
}

// addPathHint is the command that puts bin first on PATH.
func addPathHint(bin string) string {
	return fmt.Sprintf(`export PATH="%s:$PATH"   (gover setup --yes adds it to your shell startup file)`, bin)
}

// loadRegistryEnv has no registry to read outside Windows.
func (r *run) loadRegistryEnv() {}

// unsetFix has no registry value to delete outside Windows.
func (r *run) unsetFix(name, origin string) fixer { return fixer{} }

// machineShadowHint has no machine PATH to look at outside Windows.
func (r *run) machineShadowHint(dir string) string { return "" }

// checkWindows has nothing to check outside Windows.
func (r *run) checkWindows() {}

// restoreRegistry cannot work outside Windows.
func restoreRegistry(e backupEntry) error {
	return errors.New(`registry values can only be restored on Windows: ` + strings.Join([]string{e.Root, e.Key, e.Name}, `\`))
}
