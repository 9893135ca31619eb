package shellrc

import (
	"path/filepath"

	"golang.org/x/sys/windows"
)

// pwshProfile is PowerShell's CurrentUserCurrentHost profile: PowerShell 7
// (pwsh) reads Documents\PowerShell, Windows PowerShell 5.1 (powershell)
// Documents\WindowsPowerShell. Documents is the known folder, which
// OneDrive may have moved.
func pwshProfile(shell string, env Env) (string, error) {
	docs, err := windows.KnownFolderPath(windows.FOLDERID_Documents, 0)
	if err != nil || docs == "" {
		docs = filepath.Join(env.Home, "Documents")
	}
	dir := "PowerShell"
	if shell == "powershell" {
		dir = "WindowsPowerShell"
	}
	return filepath.Join(docs, dir, "Microsoft.PowerShell_profile.ps1"), nil
}
