package shellrc

import (
	"fmt"
	"path/filepath"
)

// EnvShells are the shells EnvScript writes for.
var EnvShells = []string{"bash", "zsh", "sh", "fish", "pwsh", "powershell", "cmd"}

// EnvScript sets GOROOT and puts goroot/bin first on PATH in shell's
// syntax, quoting the paths so spaces, quotes and $ survive (gover env).
func EnvScript(shell, goroot string) (string, error) {
	bin := filepath.Join(goroot, "bin")
	switch shell {
	case "bash", "zsh", "sh":
		return fmt.Sprintf("export GOROOT=%s\nexport PATH=%s\"${PATH:+:$PATH}\"\n", Posix(goroot), Posix(bin)), nil
	case "fish":
		return fmt.Sprintf("set -gx GOROOT %s\nset -gx PATH %s $PATH\n", Fish(goroot), Fish(bin)), nil
	case "pwsh", "powershell":
		return fmt.Sprintf("$env:GOROOT = %s\n$env:PATH = %s + [IO.Path]::PathSeparator + $env:PATH\n", PowerShell(goroot), PowerShell(bin)), nil
	case "cmd":
		g, err := Cmd(goroot)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("set \"GOROOT=%s\"\r\nset \"PATH=%s;%%PATH%%\"\r\n", g, filepath.Join(g, "bin")), nil
	}
	return "", unknownShell(shell, EnvShells)
}

// PathBlock is what `gover setup` puts in shell's startup files: bin first
// on PATH (unless it already is first, so nested shells do not pile up
// copies), and GOVER_HOME=home when home is not "" (a store elsewhere than
// the default).
func PathBlock(shell, bin, home string) (string, error) {
	var out string
	switch shell {
	case "bash", "zsh", "sh":
		if home != "" {
			out += "export GOVER_HOME=" + Posix(home) + "\n"
		}
		q := Posix(bin)
		out += fmt.Sprintf("case \":${PATH}:\" in\n  :%s:*) ;;\n  *) export PATH=%s\"${PATH:+:$PATH}\" ;;\nesac\n", q, q)
	case "fish":
		if home != "" {
			out += "set -gx GOVER_HOME " + Fish(home) + "\n"
		}
		q := Fish(bin)
		out += fmt.Sprintf("if test \"$PATH[1]\" != %s\n    set -gx PATH %s $PATH\nend\n", q, q)
	case "pwsh", "powershell":
		if home != "" {
			out += "$env:GOVER_HOME = " + PowerShell(home) + "\n"
		}
		q := PowerShell(bin)
		out += fmt.Sprintf("if (($env:PATH -split [IO.Path]::PathSeparator)[0] -ne %s) { $env:PATH = %s + [IO.Path]::PathSeparator + $env:PATH }\n", q, q)
	default:
		return "", unknownShell(shell, Shells)
	}
	return out, nil
}
