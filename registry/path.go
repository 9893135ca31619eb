package registry

import (
	"fmt"
	"strings"
)

// MaxPathLen is the longest PATH value cmd.exe still honours; a longer one
// is silently ignored, which would lose every entry at once.
const MaxPathLen = 8191

// PrependPath returns the Windows PATH value path with entry first.
//
// Every other entry stays in its place and spelling, unexpanded %VARS%
// included; only entries that name the same folder as entry are dropped, so
// running it twice changes nothing. Two entries name the same folder when
// they are equal ignoring case and trailing slashes after expand has
// expanded their %VARS%. A nil expand compares them as written.
//
//	PrependPath(`C:\Go\bin;%USERPROFILE%\go\bin`, `%USERPROFILE%\.gover\bin`, expand)
//	// `%USERPROFILE%\.gover\bin;C:\Go\bin;%USERPROFILE%\go\bin`
//
// The result is refused if it would be longer than [MaxPathLen].
func PrependPath(path, entry string, expand func(string) string) (string, error) {
	if entry == "" || strings.Contains(entry, ";") {
		return "", fmt.Errorf("invalid PATH entry %q", entry)
	}
	want := samePathKey(entry, expand)
	kept := []string{entry}
	if path != "" {
		for _, e := range strings.Split(path, ";") {
			if e != "" && samePathKey(e, expand) == want {
				continue
			}
			kept = append(kept, e)
		}
	}
	out := strings.Join(kept, ";")
	if len(out) > MaxPathLen {
		return "", fmt.Errorf("PATH would be %d characters long with %s added, more than the %d Windows honours; remove unused entries first", len(out), entry, MaxPathLen)
	}
	return out, nil
}

// RemovePathEntry returns path without the entries that name the same
// folder as entry, compared the way [PrependPath] compares them.
func RemovePathEntry(path, entry string, expand func(string) string) string {
	if path == "" {
		return path
	}
	want := samePathKey(entry, expand)
	var kept []string
	for _, e := range strings.Split(path, ";") {
		if e != "" && samePathKey(e, expand) == want {
			continue
		}
		kept = append(kept, e)
	}
	return strings.Join(kept, ";")
}

// PathEntries splits a Windows PATH value into its non-empty entries,
// expanded with expand when it is not nil.
func PathEntries(path string, expand func(string) string) []string {
	var out []string
	for _, e := range strings.Split(path, ";") {
		e = strings.Trim(strings.TrimSpace(e), `"`)
		if e == "" {
			continue
		}
		if expand != nil {
			e = expand(e)
		}
		out = append(out, e)
	}
	return out
}

// samePathKey is the form two PATH entries are compared in.
func samePathKey(e string, expand func(string) string) string {
	e = strings.Trim(strings.TrimSpace(e), `"`)
	if expand != nil {
		e = expand(e)
	}
	e = strings.ReplaceAll(e, "/", `\`)
	if len(e) > 1 {
		e = strings.TrimRight(e, `\`)
		if len(e) == 2 && e[1] == ':' {
			e += `\` // C:\ and C: differ, but C:\\ is C:\
		}
	}
	return strings.ToLower(e)
}

// ExpandWindows expands %NAME% references the way ExpandEnvironmentStrings
// does: names are matched case-insensitively through lookup, and unknown
// references are left as written.
func ExpandWindows(s string, lookup func(string) (string, bool)) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '%')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i+1:], '%')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		name := s[i+1 : i+1+j]
		b.WriteString(s[:i])
		if v, ok := lookup(name); ok && name != "" {
			b.WriteString(v)
			s = s[i+j+2:]
			continue
		}
		// Not a variable: keep the first % and look again from the second,
		// which may open a real reference.
		b.WriteString(s[i : i+1+j])
		s = s[i+1+j:]
	}
}

// ShadowingGo reports the folders in machinePath that hold a go command
// and come before binDir. Windows builds a process's PATH as the machine
// PATH followed by the user PATH, so each of them beats the gover shims
// when those are only on the user PATH.
func ShadowingGo(machinePath, binDir string, expand func(string) string, hasGo func(dir string) bool) []string {
	want := samePathKey(binDir, expand)
	var out []string
	for _, e := range strings.Split(machinePath, ";") {
		if strings.TrimSpace(e) == "" {
			continue
		}
		if samePathKey(e, expand) == want {
			break
		}
		dir := strings.Trim(strings.TrimSpace(e), `"`)
		if expand != nil {
			dir = expand(dir)
		}
		if hasGo(dir) {
			out = append(out, dir)
		}
	}
	return out
}

// PathValue is a Path value as the registry holds it: its text, and
// whether its type is REG_EXPAND_SZ, the only type whose %NAME% references
// Windows expands when it builds a new process's PATH. In a REG_SZ Path,
// %USERPROFILE%\.gover\bin reaches new terminals as that literal text.
type PathValue struct {
	Text   string
	Expand bool
}

// WithFirst returns p with entry first, as [PrependPath] does. A REG_SZ
// value that then holds a %NAME% reference becomes REG_EXPAND_SZ, the way
// Windows' own environment variable editor stores such a value; see the
// package documentation for why gover converts rather than expands.
func (p PathValue) WithFirst(entry string, expand func(string) string) (PathValue, error) {
	text, err := PrependPath(p.Text, entry, expand)
	if err != nil {
		return p, err
	}
	return PathValue{Text: text, Expand: p.Expand || HasVarRef(text)}, nil
}

// Resolved is the list of folders a new process gets from p: the entries
// expanded with expand when p is REG_EXPAND_SZ, and exactly as written
// when it is REG_SZ.
func (p PathValue) Resolved(expand func(string) string) []string {
	if !p.Expand {
		expand = nil
	}
	return PathEntries(p.Text, expand)
}

// HasVarRef reports whether s holds a %NAME% reference, which only a
// REG_EXPAND_SZ value has expanded.
func HasVarRef(s string) bool {
	for {
		i := strings.IndexByte(s, '%')
		if i < 0 {
			return false
		}
		j := strings.IndexByte(s[i+1:], '%')
		if j < 0 {
			return false
		}
		if j > 0 && !strings.ContainsAny(s[i+1:i+1+j], ";") {
			return true
		}
		s = s[i+1+j:]
	}
}
