package tools

import (
	"fmt"
	"slices"
	"strings"
)

// Notice is the one line to print after the default Go changed, when some
// of the judged tools became stale or incompatible; "" when none did:
//
//	2 Go tools were built for go1.22.5 (dlv does not work with go1.23.4): gover tools rebuild
func Notice(list []Tool, selected string) string {
	var built, broken []string
	n := 0
	for _, t := range list {
		if t.Status != Stale && t.Status != Incompatible {
			continue
		}
		n++
		if b := goName(t.BuiltWith); !slices.Contains(built, b) {
			built = append(built, b)
		}
		if t.Status == Incompatible {
			broken = append(broken, t.Name)
		}
	}
	if n == 0 {
		return ""
	}
	slices.Sort(built)
	line := fmt.Sprintf("%d Go %s built for %s", n, plural(n, "tool was", "tools were"), strings.Join(built, ", "))
	if len(broken) > 0 {
		line += fmt.Sprintf(" (%s %s not work with %s)", strings.Join(broken, ", "), plural(len(broken), "does", "do"), selected)
	}
	return line + ": gover tools rebuild"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
