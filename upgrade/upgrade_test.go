package upgrade

import (
	"slices"
	"testing"

	"github.com/gover/gover/versions"
)

func vs(names ...string) []versions.Version {
	var out []versions.Version
	for _, n := range names {
		out = append(out, versions.MustParse(n))
	}
	return out
}

func TestPlan(t *testing.T) {
	installed := vs("1.21.3", "1.22.1", "1.22.4", "1.23rc1")
	released := vs("1.21.3", "1.22.1", "1.22.4", "1.22.7", "1.23rc1", "1.23.0", "1.24rc1")
	steps := Plan(installed, versions.MustParse("1.22.1"), released)
	var got []string
	for _, s := range steps {
		got = append(got, s.Minor+":"+s.Current.String()+"->"+s.Latest.String())
	}
	want := []string{"1.21:1.21.3->1.21.3", "1.22:1.22.4->1.22.7"}
	if !slices.Equal(got, want) {
		t.Errorf("Plan = %v, want %v", got, want)
	}
	if steps[0].Outdated() || !steps[1].Outdated() {
		t.Errorf("Outdated wrong: %+v", steps)
	}
	if g := Global(versions.MustParse("1.22.1"), steps); g != versions.MustParse("1.22.7") {
		t.Errorf("Global = %v", g)
	}
	if g := Global(versions.Version{}, steps); !g.IsZero() {
		t.Errorf("Global without a default = %v", g)
	}
	installed = append(installed, versions.MustParse("1.22.7"))
	pinned := func(v versions.Version) bool { return v == versions.MustParse("1.22.1") }
	if got := Superseded(installed, steps, pinned); !slices.Equal(got, vs("1.22.4")) {
		t.Errorf("Superseded = %v", got)
	}
	// A minor missing from the release list (offline, an old list) stays.
	if steps := Plan(vs("1.25.1"), versions.Version{}, released); len(steps) != 1 || steps[0].Outdated() {
		t.Errorf("unknown minor: %+v", steps)
	}
}
