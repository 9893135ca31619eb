package shellrc

import (
	"fmt"
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
		q := Posix(goverExe)
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
		q := Posix(goverExe)
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
		q := Fish(goverExe)
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
`, PowerShell(goverExe)), nil
	}
	return "", unknownShell(shell, Shells)
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
		set = func(k, v string) string { return "export " + k + "=" + Posix(v) + "\n" }
		unset = func(k string) string { return "unset " + k + "\n" }
	case "fish":
		set = func(k, v string) string { return "set -gx " + k + " " + Fish(v) + "\n" }
		unset = func(k string) string { return "set -e " + k + "\n" }
	case "pwsh", "powershell":
		set = func(k, v string) string { return "$env:" + k + " = " + PowerShell(v) + "\n" }
		unset = func(k string) string { return "Remove-Item -ErrorAction SilentlyContinue Env:" + k + "\n" }
	default:
		return "", unknownShell(shell, Shells)
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

// HookLine is what a shell profile runs to activate gover.
func HookLine(shell, goverExe string) (string, error) {
	switch shell {
	case "bash", "zsh":
		return fmt.Sprintf(`eval "$(%s activate %s)"`, Posix(goverExe), shell), nil
	case "fish":
		return fmt.Sprintf(`%s activate fish | source`, Fish(goverExe)), nil
	case "pwsh", "powershell":
		return fmt.Sprintf(`& %s activate pwsh | Out-String | Invoke-Expression`, PowerShell(goverExe)), nil
	}
	return "", unknownShell(shell, Shells)
}
