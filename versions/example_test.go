package versions_test

import (
	"fmt"

	"github.com/gover/gover/versions"
)

func ExampleParse() {
	for _, s := range []string{"go1.22.5", "1.22rc1", "1.20.0", "1.21", "1.022"} {
		v, err := versions.Parse(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(v, v.Name(), v.Lang(), v.Prerelease(), v.IsLang())
	}
	// Output:
	// 1.22.5 go1.22.5 1.22 false false
	// 1.22rc1 go1.22rc1 1.22 true false
	// 1.20 go1.20 1.20 false false
	// 1.21 go1.21 1.21 false true
	// invalid Go version "1.022": leading zero in minor version (want a version like 1.22.5, go1.22.5, 1.22rc1 or 1.22)
}

func ExampleSort() {
	vs := []versions.Version{
		versions.MustParse("1.21.0"),
		versions.MustParse("1.21rc2"),
		versions.MustParse("1.21"),
		versions.MustParse("1.20"),
		versions.MustParse("1.21beta1"),
	}
	versions.Sort(vs)
	fmt.Println(vs, versions.Max(vs))
	// Output: [1.20 1.21 1.21beta1 1.21rc2 1.21.0] 1.21.0
}

func ExampleParsePlatform() {
	p, err := versions.ParsePlatform("windows-x64")
	if err != nil {
		panic(err)
	}
	fmt.Println(p, p.Dashed(), p.ArchiveExt())
	// Output: windows/amd64 windows-amd64 .zip
}
