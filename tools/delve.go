package tools

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/gover/gover/versions"
)

//go:generate go run ./internal/delvegen -o delve_table.go

// DelveModule is Delve's module path; dlv is its cmd/dlv package.
const DelveModule = "github.com/go-delve/delve"

// DelveSupport is what one Delve release's pkg/goversion/compat.go says
// about the Go versions it debugs. [DelveTable] holds it for every release,
// read from Delve's own source by internal/delvegen.
type DelveSupport struct {
	Version string // the Delve release, "v1.22.1"
	// MinGo and MaxGo are the Go minors the release supports, from
	// MinSupportedVersionOfGoMajor/Minor and MaxSupportedVersionOfGoMajor/Minor:
	// "1.19" and "1.22".
	MinGo, MaxGo string
	// DWARF5BuildGo is set when the release refuses DWARFv5 programs (what
	// Go 1.25 and later emit) unless Delve itself was built with at least
	// this Go minor ("1.25"); empty for releases without that check.
	DWARF5BuildGo string
	// VersionedDevel is set for releases that tell a versioned development
	// build of Go ("devel go1.25-abc", "go1.25-devel_abc") from an old one
	// ("devel +abc"): compat.go calls IsOldDevel. Those compare a versioned
	// build's minor, which ranks below that minor's betas.
	VersionedDevel bool
}

// versionedDevelRE matches a versioned development build of Go: "devel
// go1.24-abcdef ..." and "go1.25-devel_abcdef ...".
var versionedDevelRE = regexp.MustCompile(`^(?:devel go(\d+)\.(\d+)-|go(\d+)\.(\d+)-devel_)`)

// dwarf5Since is the first Go whose compiler writes DWARFv5 by default.
const dwarf5Since = "1.25"

// ParseDelveCompat reads the compatibility constants out of the source of
// Delve's pkg/goversion/compat.go.
func ParseDelveCompat(src []byte) (DelveSupport, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "compat.go", src, 0)
	if err != nil {
		return DelveSupport{}, err
	}
	nums := map[string]int{}
	var s DelveSupport
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if i < len(n.Values) {
					if lit, ok := n.Values[i].(*ast.BasicLit); ok && lit.Kind == token.INT {
						if v, err := strconv.Atoi(lit.Value); err == nil {
							nums[name.Name] = v
						}
					}
				}
			}
		case *ast.SelectorExpr:
			if n.Sel.Name == "IsOldDevel" {
				s.VersionedDevel = true
			}
		case *ast.CallExpr:
			// VersionAfterOrEqual(runtime.Version(), 1, 25): the Go that
			// Delve itself must be built with for DWARFv5.
			if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "VersionAfterOrEqual" && len(n.Args) == 3 {
				if c, ok := n.Args[0].(*ast.CallExpr); ok {
					if sel, ok := c.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Version" {
						a, aok := n.Args[1].(*ast.BasicLit)
						b, bok := n.Args[2].(*ast.BasicLit)
						if aok && bok {
							s.DWARF5BuildGo = a.Value + "." + b.Value
						}
					}
				}
			}
		}
		return true
	})
	for _, k := range []string{"MinSupportedVersionOfGoMajor", "MinSupportedVersionOfGoMinor", "MaxSupportedVersionOfGoMajor", "MaxSupportedVersionOfGoMinor"} {
		if _, ok := nums[k]; !ok {
			return DelveSupport{}, fmt.Errorf("compat.go has no integer %s", k)
		}
	}
	s.MinGo = fmt.Sprintf("%d.%d", nums["MinSupportedVersionOfGoMajor"], nums["MinSupportedVersionOfGoMinor"])
	s.MaxGo = fmt.Sprintf("%d.%d", nums["MaxSupportedVersionOfGoMajor"], nums["MaxSupportedVersionOfGoMinor"])
	return s, nil
}

// DelveRange returns what the Delve release dlv ("v1.22.1") supports. A
// release missing from the table (a pseudo-version, a patch released after
// gover) takes the newest known release of its own line at or below it; ok
// is false when there is none.
func DelveRange(dlv string) (DelveSupport, bool) {
	if !semver.IsValid(dlv) {
		return DelveSupport{}, false
	}
	best := -1
	for i, d := range DelveTable {
		if semver.MajorMinor(d.Version) != semver.MajorMinor(dlv) || semver.Compare(d.Version, dlv) > 0 {
			continue
		}
		if best < 0 || semver.Compare(d.Version, DelveTable[best].Version) > 0 {
			best = i
		}
	}
	if best < 0 {
		return DelveSupport{}, false
	}
	s := DelveTable[best]
	return s, true
}

// DelveProblem says why the Delve release dlv, built with builtWith, cannot
// debug programs that the Go goVersion builds, the way Delve's own
// goversion.Compatible decides:
//
//   - too old: goVersion's minor is below MinGo; a beta or release candidate
//     of the MinGo minor is accepted (Delve compares against betaRev(0));
//   - too new: goVersion's minor is above MaxGo, betas and release
//     candidates of the next minor included;
//   - development builds of Go: an old-style "devel +COMMIT" is always
//     accepted; a versioned one ("devel go1.N-...", "go1.N-devel_...")
//     ranks below 1.N's betas in releases that know the form
//     (VersionedDevel): refused for N up to MinGo, accepted up to the minor
//     after MaxGo (Delve's own development cycle); older releases accept
//     every "devel ..." and cannot read "go1.N-devel_...";
//   - from the releases that carry the DWARFv5 check on: a goVersion of
//     go1.25 or later (DWARFv5 by default) needs Delve built with at least
//     DWARF5BuildGo.
//
// It returns "" when Delve accepts goVersion or when the rule is unknown
// (known is then false).
func DelveProblem(dlv, builtWith, goVersion string) (problem string, known bool) {
	s, ok := DelveRange(dlv)
	if !ok {
		return "", false
	}
	if m := versionedDevelRE.FindStringSubmatch(goVersion); m != nil {
		// A development build of Go 1.N ranks below 1.N's betas: refused
		// for N at or below the minimum, accepted up to the minor after
		// the maximum (Delve's own development cycle).
		if !s.VersionedDevel {
			if strings.HasPrefix(goVersion, "devel") {
				return "", true // Delve before IsOldDevel accepts every "devel ..."
			}
			return fmt.Sprintf("Delve %s cannot read the Go version %s", dlv, goVersion), true
		}
		n := m[2] + m[4] // one of the two forms matched
		mm := m[1] + m[3] + "." + n
		switch {
		case cmpMinorStr(mm, s.MinGo) <= 0:
			return fmt.Sprintf("Delve %s supports Go %s to %s; %s is too old for it", dlv, s.MinGo, s.MaxGo, goVersion), true
		case cmpMinorStr(mm, nextMinor(s.MaxGo)) > 0:
			return fmt.Sprintf("Delve %s supports Go %s to %s: \"Version of Delve is too old for Go version %s\"", dlv, s.MinGo, s.MaxGo, goVersion), true
		}
		return "", true
	}
	if strings.HasPrefix(goVersion, "devel") {
		return "", true // an old-style development build: devel +COMMIT
	}
	g, err := versions.Parse(goVersion)
	if err != nil {
		return "", false
	}
	if cmpMinor(g, s.MinGo) < 0 {
		return fmt.Sprintf("Delve %s supports Go %s to %s; %s is too old for it", dlv, s.MinGo, s.MaxGo, goVersion), true
	}
	if cmpMinor(g, s.MaxGo) > 0 {
		return fmt.Sprintf("Delve %s supports Go %s to %s: \"Version of Delve is too old for Go version %s\"", dlv, s.MinGo, s.MaxGo, goVersion), true
	}
	if s.DWARF5BuildGo != "" && cmpMinor(g, dwarf5Since) >= 0 {
		if b, err := versions.Parse(goName(builtWith)); err == nil && cmpMinor(b, s.DWARF5BuildGo) < 0 {
			return fmt.Sprintf("Delve %s was built with %s; debugging %s programs (DWARFv5) needs it built with Go %s or later", dlv, goName(builtWith), goVersion, s.DWARF5BuildGo), true
		}
	}
	return "", true
}

// DelveFor returns the oldest Delve release whose range includes
// goVersion, or "latest" when no release in the table does. line, when not
// empty ("v1.22"), limits the search to that line, and "" is returned when
// none of its releases does.
func DelveFor(goVersion, line string) string {
	g, err := versions.Parse(goVersion)
	if err != nil {
		return "latest"
	}
	best := ""
	for _, d := range DelveTable {
		if line != "" && semver.MajorMinor(d.Version) != line {
			continue
		}
		if cmpMinor(g, d.MinGo) >= 0 && cmpMinor(g, d.MaxGo) <= 0 && (best == "" || semver.Compare(d.Version, best) < 0) {
			best = d.Version
		}
	}
	if best == "" && line == "" {
		return "latest"
	}
	return best
}

// goName is the Go release a build-info Go version names: "go1.22.5" from
// "go1.22.5 X:boringcrypto".
func goName(builtWith string) string {
	name, _, _ := strings.Cut(strings.TrimSpace(builtWith), " ")
	return name
}

// cmpMinor compares v's major and minor with mm ("1.22"), ignoring patch
// and prerelease: go1.23rc1 is in minor 1.23, as for Delve.
func cmpMinor(v versions.Version, mm string) int {
	a, b, _ := strings.Cut(mm, ".")
	maj, _ := strconv.Atoi(a)
	min, _ := strconv.Atoi(b)
	if c := cmp.Compare(v.Major(), maj); c != 0 {
		return c
	}
	return cmp.Compare(v.Minor(), min)
}

// cmpMinorStr compares two "major.minor" strings.
func cmpMinorStr(a, b string) int {
	v, err := versions.Parse("go" + a + ".0")
	if err != nil {
		return -1
	}
	return cmpMinor(v, b)
}

// nextMinor is the minor after mm: "1.23" for "1.22".
func nextMinor(mm string) string {
	a, b, _ := strings.Cut(mm, ".")
	n, _ := strconv.Atoi(b)
	return a + "." + strconv.Itoa(n+1)
}
