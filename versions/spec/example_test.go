package spec_test

import (
	"fmt"

	"github.com/gover/gover/versions"
	"github.com/gover/gover/versions/spec"
)

func ExampleSpec_Resolve() {
	installed := []versions.Version{
		versions.MustParse("1.21.0"),
		versions.MustParse("1.22.4"),
		versions.MustParse("1.22.5"),
		versions.MustParse("1.23rc1"),
	}
	for _, in := range []string{"1.22", "1.23", "latest", "~1.21", ">=1.21 <1.23", "1.22.3"} {
		s, err := spec.Parse(in)
		if err != nil {
			panic(err)
		}
		v, ok := s.Resolve(installed)
		fmt.Printf("%s: %s %v\n", s, v, ok)
	}
	// Output:
	// 1.22: 1.22.5 true
	// 1.23: 1.23rc1 true
	// latest: 1.22.5 true
	// ~1.21: 1.21.0 true
	// >=1.21 <1.23: 1.22.5 true
	// 1.22.3:  false
}
