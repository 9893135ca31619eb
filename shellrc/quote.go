package shellrc

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownShell is returned for a shell gover writes nothing for. Test
// with errors.Is.
var ErrUnknownShell = errors.New("unknown shell")

func unknownShell(shell string, want []string) error {
	return fmt.Errorf("%w %q (want one of %s)", ErrUnknownShell, shell, strings.Join(want, ", "))
}

// Posix quotes s for sh, bash and zsh: one single-quoted word, with each '
// written as '\”. Nothing inside is expanded.
func Posix(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// Fish quotes s for fish, whose single quotes honour \\ and \'.
func Fish(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// PowerShell quotes s as a PowerShell single-quoted (verbatim) string.
// PowerShell also ends such a string at the typographic single quotes
// U+2018-U+201B, so those are doubled as well as '.
func PowerShell(s string) string {
	return "'" + strings.NewReplacer("'", "''", "\u2018", "\u2018\u2018", "\u2019", "\u2019\u2019", "\u201a", "\u201a\u201a", "\u201b", "\u201b\u201b").Replace(s) + "'"
}

// Cmd writes s for a cmd.exe `set "NAME=value"` line. cmd.exe has no
// quoting that survives ", % and line breaks, so those are refused.
func Cmd(s string) (string, error) {
	if strings.ContainsAny(s, "\"%\r\n") {
		return "", fmt.Errorf("cannot write %q safely for cmd.exe", s)
	}
	return s, nil
}
