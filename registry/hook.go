package registry

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gover/gover/internal/fsx"
)

// Shells are the shells gover has hooks for.
var Shells = []string{"bash", "zsh", "fish", "pwsh"}

// ownedVar remembers which GOROOT the hook exported, so that leaving a
// project unsets only a GOROOT gover set and never the user's own.
const ownedVar = "__GOVER_GOROOT"

// Hook returns the script that, evaluated in shell, exports GOROOT for the
// current folder: bash checks on each prompt (PROMPT_COMMAND), zsh on
// chpwd, fish on PWD changes, PowerShell in its prompt and, on 7.2 and
// later, on LocationChangedAction. The check runs goverExe hook-env
// <shell>, one selection and no network, and only when the folder changed
// or a gover command ran since the last one (gover use may have changed
// the answer), so an ordinary prompt costs a string comparison.
//
//	eval "$(gover activate bash)"
func Hook(shell, goverExe string) (string, error) {
	switch shell {
	case "bash":
		q := posixQuote(goverExe)
		return fmt.Sprintf(`# gover activate bash: eval "$(gover activate bash)"
_gover_hook() {
  local status=$?
  if [[ "$PWD" != "${__gover_pwd-}" ]]; then
    __gover_pwd=$PWD
    eval "$(%s hook-env bash)"
  fi
  return $status
}
gover() {
  %s "$@"
  local status=$?
  __gover_pwd=
  return $status
}
if [[ ";${PROMPT_COMMAND[*]:-};" != *";_gover_hook;"* ]]; then
  PROMPT_COMMAND="_gover_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
fi
_gover_hook
`, q, q), nil
	case "zsh":
		q := posixQuote(goverExe)
		return fmt.Sprintf(`# gover activate zsh: eval "$(gover activate zsh)"
_gover_hook() {
  eval "$(%s hook-env zsh)"
}
gover() {
  %s "$@"
  local gover_status=$?
  _gover_hook
  return $gover_status
}
autoload -Uz add-zsh-hook
add-zsh-hook chpwd _gover_hook
_gover_hook
`, q, q), nil
	case "fish":
		q := fishQuote(goverExe)
		return fmt.Sprintf(`# gover activate fish: gover activate fish | source
function __gover_hook --on-variable PWD
    %s hook-env fish | source
end
function gover
    %s $argv
    set -l gover_status $status
    __gover_hook
    return $gover_status
end
__gover_hook
`, q, q), nil
	case "pwsh", "powershell":
		return fmt.Sprintf(`# gover activate pwsh: gover activate pwsh | Out-String | Invoke-Expression
$global:__GoverExe = %s
function global:__GoverHook {
  if ($global:__GoverPwd -ne $PWD.ProviderPath) {
    $global:__GoverPwd = $PWD.ProviderPath
    $set = & $global:__GoverExe hook-env pwsh | Out-String
    if ($set.Trim()) { Invoke-Expression $set }
  }
}
function global:gover { & $global:__GoverExe @args; $global:__GoverPwd = $null }
if (-not $global:__GoverPrompt) {
  $global:__GoverPrompt = $function:prompt
  function global:prompt { __GoverHook; & $global:__GoverPrompt }
}
if ([version]"$($PSVersionTable.PSVersion.Major).$($PSVersionTable.PSVersion.Minor)" -ge [version]'7.2' -and -not $global:__GoverLocation) {
  $global:__GoverLocation = $ExecutionContext.SessionState.InvokeCommand.LocationChangedAction
  if (-not $global:__GoverLocation) { $global:__GoverLocation = {} }
  $ExecutionContext.SessionState.InvokeCommand.LocationChangedAction = {
    __GoverHook
    & $global:__GoverLocation @args
  }
}
__GoverHook
`, pwshQuote(goverExe)), nil
	}
	return "", fmt.Errorf("unknown shell %q (want one of %s)", shell, strings.Join(Shells, ", "))
}

// HookEnv returns the shell commands that make GOROOT goroot: nothing when
// it already is, an export otherwise. An empty goroot (no version selected
// here) unsets GOROOT only if the hook exported it, as getenv tells.
func HookEnv(shell, goroot string, getenv func(string) string) (string, error) {
	cur, owned := getenv("GOROOT"), getenv(ownedVar)
	var set func(k, v string) string
	var unset func(k string) string
	switch shell {
	case "bash", "zsh":
		set = func(k, v string) string { return "export " + k + "=" + posixQuote(v) + "\n" }
		unset = func(k string) string { return "unset " + k + "\n" }
	case "fish":
		set = func(k, v string) string { return "set -gx " + k + " " + fishQuote(v) + "\n" }
		unset = func(k string) string { return "set -e " + k + "\n" }
	case "pwsh", "powershell":
		set = func(k, v string) string { return "$env:" + k + " = " + pwshQuote(v) + "\n" }
		unset = func(k string) string { return "Remove-Item -ErrorAction SilentlyContinue Env:" + k + "\n" }
	default:
		return "", fmt.Errorf("unknown shell %q (want one of %s)", shell, strings.Join(Shells, ", "))
	}
	switch {
	case goroot == "":
		if owned != "" && cur == owned {
			return unset("GOROOT") + unset(ownedVar), nil
		}
		if owned != "" {
			return unset(ownedVar), nil
		}
		return "", nil
	case cur == goroot && owned == goroot:
		return "", nil
	}
	return set("GOROOT", goroot) + set(ownedVar, goroot), nil
}

func posixQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func pwshQuote(s string) string {
	// PowerShell also closes single-quoted strings at typographic quotes.
	return "'" + strings.NewReplacer("'", "''", "\u2018", "\u2018\u2018", "\u2019", "\u2019\u2019", "\u201a", "\u201a\u201a", "\u201b", "\u201b\u201b").Replace(s) + "'"
}

// Marker lines around the block gover owns in a shell profile.
const (
	blockBegin = "# >>> gover activate >>>"
	blockEnd   = "# <<< gover activate <<<"
)

// HookLine is what a shell profile runs to activate gover.
func HookLine(shell, goverExe string) (string, error) {
	switch shell {
	case "bash", "zsh":
		return fmt.Sprintf(`eval "$(%s activate %s)"`, posixQuote(goverExe), shell), nil
	case "fish":
		return fmt.Sprintf(`%s activate fish | source`, fishQuote(goverExe)), nil
	case "pwsh", "powershell":
		return fmt.Sprintf(`& %s activate pwsh | Out-String | Invoke-Expression`, pwshQuote(goverExe)), nil
	}
	return "", fmt.Errorf("unknown shell %q (want one of %s)", shell, strings.Join(Shells, ", "))
}

// ReplaceBlock returns profile with gover's marked block set to body:
// replaced where it is, appended when there is none, removed when body is
// empty. Everything outside the block is kept byte for byte.
func ReplaceBlock(profile, body string) string {
	// Keep the file's line endings: the block's own when it has one.
	nl := "\n"
	start := strings.Index(profile, blockBegin)
	if start >= 0 && strings.HasPrefix(profile[start+len(blockBegin):], "\r\n") ||
		start < 0 && strings.Contains(profile, "\r\n") {
		nl = "\r\n"
	}
	var block string
	if body != "" {
		block = blockBegin + nl + strings.ReplaceAll(strings.TrimRight(body, "\r\n"), "\n", nl) + nl + blockEnd + nl
	}
	if start >= 0 {
		if rel := strings.Index(profile[start:], blockEnd); rel >= 0 {
			end := start + rel + len(blockEnd)
			if strings.HasPrefix(profile[end:], "\r\n") {
				end += 2
			} else if strings.HasPrefix(profile[end:], "\n") {
				end++
			}
			return profile[:start] + block + profile[end:]
		}
	}
	if block == "" {
		return profile
	}
	if profile != "" && !strings.HasSuffix(profile, "\n") {
		profile += nl
	}
	return profile + block
}

// InstallHook puts the activation line for shell into its profile file,
// once: running it again replaces gover's block instead of adding
// another. It reports whether the file changed.
func InstallHook(profile, shell, goverExe string) (bool, error) {
	line, err := HookLine(shell, goverExe)
	if err != nil {
		return false, err
	}
	return editProfile(profile, line)
}

// RemoveHook takes gover's block out of a profile file, if it is there.
func RemoveHook(profile string) (bool, error) { return editProfile(profile, "") }

func editProfile(profile, body string) (bool, error) {
	old, err := os.ReadFile(profile)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return false, err
	}
	if errors.Is(err, os.ErrNotExist) && body == "" {
		return false, nil
	}
	updated := ReplaceBlock(string(old), body)
	if updated == string(old) {
		return false, nil
	}
	perm := os.FileMode(0o644)
	if fi, err := os.Stat(profile); err == nil {
		perm = fi.Mode().Perm()
	}
	return true, fsx.WriteFileAtomic(profile, []byte(updated), perm)
}

// ProfilePath is the startup file shell reads for interactive sessions:
// ~/.bashrc, ${ZDOTDIR:-~}/.zshrc, the fish config.fish under
// XDG_CONFIG_HOME, or PowerShell's $PROFILE (CurrentUserCurrentHost).
func ProfilePath(shell, home string, getenv func(string) string) (string, error) {
	if home == "" {
		return "", errors.New("no home folder")
	}
	switch shell {
	case "bash":
		return filepath.Join(home, ".bashrc"), nil
	case "zsh":
		if d := getenv("ZDOTDIR"); d != "" {
			return filepath.Join(d, ".zshrc"), nil
		}
		return filepath.Join(home, ".zshrc"), nil
	case "fish":
		cfg := getenv("XDG_CONFIG_HOME")
		if cfg == "" {
			cfg = filepath.Join(home, ".config")
		}
		return filepath.Join(cfg, "fish", "config.fish"), nil
	case "pwsh", "powershell":
		return pwshProfile(shell, home, getenv)
	}
	return "", fmt.Errorf("unknown shell %q (want one of %s)", shell, strings.Join(Shells, ", "))
}
