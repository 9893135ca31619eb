package tools

import (
	"fmt"
	"golang.org/x/mod/semver"

	"github.com/gover/gover/versions"
)

// typeCheckers are modules whose tools type-check Go code with the go/types
// they were built with. Since Go 1.21, go/types refuses a package whose
// go.mod asks for a newer language than its own ("package requires newer Go
// version go1.N (application built with go1.M)"), so such a tool built with
// an older Go minor cannot read code for the selected one.
var typeCheckers = map[string]bool{
	"golang.org/x/tools/gopls":             true,
	"honnef.co/go/tools":                   true, // staticcheck
	"github.com/golangci/golangci-lint":    true,
	"github.com/golangci/golangci-lint/v2": true,
	"golang.org/x/vuln":                    true, // govulncheck
	"github.com/mgechev/revive":            true,
}

// Judge sets t's Status and Reason against the selected Go (a go-prefixed
// release such as "go1.23.4"):
//
//   - Unknown stays as Read left it (not a Go program, no module info);
//   - Incompatible: Delve outside the range its release supports
//     ([DelveProblem]), or a type-checking tool (gopls, staticcheck,
//     golangci-lint, govulncheck, revive) built with an older Go minor;
//   - Stale: built with an older Go than the selected one;
//   - OK otherwise.
func Judge(t Tool, selected string) Tool {
	if t.Status == Unknown {
		return t
	}
	built := goName(t.BuiltWith)
	sel, selErr := versions.Parse(selected)
	b, bErr := versions.Parse(built)
	note := ""
	if t.Module == DelveModule {
		if p, known := DelveProblem(t.Version, t.BuiltWith, selected); p != "" {
			t.Status, t.Reason = Incompatible, p
			if line := semver.MajorMinor(t.Version); line != "" && DelveFor(selected, line) == "" {
				t.Reason += "; no " + line + ".x release supports it: gover tools rebuild --latest dlv"
			}
			return t
		} else if !known && t.Version != Devel && selErr == nil {
			note = fmt.Sprintf("; Delve %s is not in gover's table (%s to %s); its Go range is unknown", t.Version, DelveTable[0].Version, DelveTable[len(DelveTable)-1].Version)
		}
	}
	switch {
	case selErr != nil:
		t.Status, t.Reason = OK, fmt.Sprintf("built with %s; no Go selected to compare with", built)
	case bErr != nil:
		// A development build of Go ("devel go1.24-abc"): nothing to compare.
		t.Status, t.Reason = OK, fmt.Sprintf("built with %s", t.BuiltWith)
	case typeCheckers[t.Module] && cmpMinor(b, sel.Lang()) < 0:
		t.Status, t.Reason = Incompatible, fmt.Sprintf("built with %s, older than %s: its go/types refuses code for Go %s", built, selected, sel.Lang())
	case versions.Less(b, sel):
		t.Status, t.Reason = Stale, fmt.Sprintf("built with %s, older than %s", built, selected)
	default:
		t.Status, t.Reason = OK, fmt.Sprintf("built with %s", built)
	}
	if t.Version == Devel {
		// Where is not looked up here: reading the line table costs tens
		// of milliseconds a binary. Rebuild names the checkout.
		note += "; built from a local checkout"
	}
	t.Reason += note
	return t
}

// Outdated counts the tools that are stale or incompatible.
func Outdated(list []Tool) int {
	n := 0
	for _, t := range list {
		if t.Status == Stale || t.Status == Incompatible {
			n++
		}
	}
	return n
}
