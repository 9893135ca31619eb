//go:build !windows

package shellrc

import "path/filepath"

// pwshProfile is PowerShell's CurrentUserCurrentHost profile outside
// Windows, where only PowerShell 7 runs.
func pwshProfile(shell string, env Env) (string, error) {
	cfg := env.getenv("XDG_CONFIG_HOME")
	if cfg == "" {
		cfg = filepath.Join(env.Home, ".config")
	}
	return filepath.Join(cfg, "powershell", "Microsoft.PowerShell_profile.ps1"), nil
}
