package doctor

import (
	"fmt"
	"strings"
)

// checkLeftovers reports what crashed or killed gover runs left in the
// store (half-installed SDKs, unfinished downloads), with their size; gover
// prune removes them.
func (r *run) checkLeftovers() {
	ls, err := r.st.Leftovers()
	if err != nil {
		r.add(Check{ID: "store.leftovers", Area: AreaShims, Status: Warning,
			Finding: "the store cannot be read fully: " + err.Error()})
		return
	}
	if len(ls) == 0 {
		r.add(Check{ID: "store.leftovers", Area: AreaShims, Status: OK,
			Finding: "no leftovers of interrupted installs in the store"})
		return
	}
	var total int64
	var paths []string
	for _, l := range ls {
		total += l.Size
		paths = append(paths, l.Path)
	}
	r.add(Check{ID: "store.leftovers", Area: AreaShims, Status: Warning,
		Finding: fmt.Sprintf("interrupted installs left %d item(s), %.1f MB: %s", len(ls), float64(total)/(1<<20), strings.Join(paths, ", ")),
		Hint:    "gover prune"})
}
