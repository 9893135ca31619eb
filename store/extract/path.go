package extract

import (
	"errors"
	"fmt"
	"strings"
)

// CheckPath checks one archive entry name and returns it relative to prefix,
// in slash form, with any trailing slash removed. The entry that names the
// prefix directory itself comes back as ".".
//
// A name is accepted only if it is safe to create under the extraction root
// on every operating system gover runs on, whichever one this is:
//
//   - it starts with prefix (when prefix is not empty);
//   - it holds no NUL or other control character, no backslash, no colon
//     (drive letters such as "C:x" and NTFS streams such as "x:y"), and none
//     of the characters Windows forbids in names (<>"|?*);
//   - it is not absolute, and no element is empty, "." or "..";
//   - no element is a reserved Windows device name (CON, NUL, COM1, ...,
//     also with an extension such as "nul.txt") or ends in a dot or a space,
//     which Windows strips silently, so that two different names would land
//     on the same file.
//
// Go's release archives and toolchain module zips pass these checks; the
// Go tree is kept valid on Windows, so none of its names use these forms.
func CheckPath(prefix, name string) (rel string, err error) {
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		return "", fmt.Errorf("prefix %q must end in a slash", prefix)
	}
	if err := checkChars(name); err != nil {
		return "", err
	}
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok {
		if name+"/" == prefix {
			return ".", nil
		}
		return "", fmt.Errorf("outside %q", prefix)
	}
	if rest == "" {
		return ".", nil
	}
	if strings.HasPrefix(rest, "/") {
		return "", errors.New("absolute path")
	}
	rest = strings.TrimSuffix(rest, "/")
	for elem := range strings.SplitSeq(rest, "/") {
		if err := checkElem(elem); err != nil {
			return "", err
		}
	}
	return rest, nil
}

func checkChars(name string) error {
	if name == "" {
		return errors.New("empty name")
	}
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c == 0:
			return errors.New("NUL in name")
		case c < 0x20 || c == 0x7f:
			return fmt.Errorf("control character %#x in name", c)
		case c == '\\':
			return errors.New("backslash in name")
		case c == ':':
			return errors.New("colon in name (drive letter or stream)")
		case strings.IndexByte(`<>"|?*`, c) >= 0:
			return fmt.Errorf("character %q not allowed on Windows", c)
		}
	}
	return nil
}

func checkElem(elem string) error {
	switch elem {
	case "":
		return errors.New("empty path element")
	case ".", "..":
		return fmt.Errorf("%q path element", elem)
	}
	if last := elem[len(elem)-1]; last == '.' || last == ' ' {
		return fmt.Errorf("element %q ends in %q, which Windows drops", elem, last)
	}
	base, _, _ := strings.Cut(elem, ".")
	base = strings.TrimRight(base, " ")
	if isReserved(base) {
		return fmt.Errorf("element %q is a reserved Windows device name", elem)
	}
	return nil
}

// isReserved reports whether base (an element up to its first dot) names a
// Windows device. The superscript digits count too (COM¹), as they do for
// filepath.IsLocal on Windows.
func isReserved(base string) bool {
	switch strings.ToUpper(base) {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(base) < 4 {
		return false
	}
	switch strings.ToUpper(base[:3]) {
	case "COM", "LPT":
		switch suffix := base[3:]; suffix {
		case "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
			return true
		}
	}
	return false
}

// foldKey is the name a case-insensitive filesystem (NTFS, APFS by default)
// would see; two entries with the same key would overwrite each other there.
func foldKey(rel string) string {
	return strings.ToLower(strings.ToUpper(rel))
}
