package shellrc

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestEnvScript(t *testing.T) {
	goroot := filepath.FromSlash("/opt/it's $HOME/go")
	bin := filepath.Join(goroot, "bin")
	tests := []struct{ shell, want string }{
		{"bash", "export GOROOT='" + strings.ReplaceAll(goroot, "'", `'\''`) + "'\nexport PATH='" + strings.ReplaceAll(bin, "'", `'\''`) + "'\"${PATH:+:$PATH}\"\n"},
		{"fish", "set -gx GOROOT '" + strings.ReplaceAll(strings.ReplaceAll(goroot, `\`, `\\`), "'", `\'`) + "'\nset -gx PATH '" + strings.ReplaceAll(strings.ReplaceAll(bin, `\`, `\\`), "'", `\'`) + "' $PATH\n"},
		{"pwsh", "$env:GOROOT = '" + strings.ReplaceAll(goroot, "'", "''") + "'\n$env:PATH = '" + strings.ReplaceAll(bin, "'", "''") + "' + [IO.Path]::PathSeparator + $env:PATH\n"},
	}
	for _, tt := range tests {
		got, err := EnvScript(tt.shell, goroot)
		if err != nil || got != tt.want {
			t.Errorf("EnvScript(%s) = %q, %v\nwant %q", tt.shell, got, err, tt.want)
		}
	}
	if got, err := EnvScript("cmd", `C:\Go`); err != nil || got != "set \"GOROOT=C:\\Go\"\r\nset \"PATH=C:\\Go"+string(filepath.Separator)+"bin;%PATH%\"\r\n" {
		t.Errorf("EnvScript(cmd) = %q, %v", got, err)
	}
	if _, err := EnvScript("cmd", `C:\100%\Go`); err == nil {
		t.Error("EnvScript(cmd) accepted a %")
	}
	if _, err := EnvScript("tcsh", "/go"); err == nil {
		t.Error("EnvScript(tcsh) worked")
	}
}

// TestEnvScriptInBash runs the bash script in a real bash, so the quoting
// is checked by the shell rather than by string comparison.
func TestEnvScriptInBash(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil || runtime.GOOS == "windows" {
		t.Skip("no bash")
	}
	goroot := `/opt/it's "$HOME" ` + "`x`" + `\go`
	script, err := EnvScript("bash", goroot)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bash, "-c", script+`printf '%s\n%s\n' "$GOROOT" "${PATH%%:*}"`).Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := goroot + "\n" + goroot + "/bin\n"; string(out) != want {
		t.Errorf("bash saw %q, want %q", out, want)
	}
}
