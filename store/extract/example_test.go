package extract_test

import (
	"fmt"

	"github.com/gover/gover/store/extract"
)

func ExampleCheckPath() {
	for _, name := range []string{
		"go/bin/go",
		"go/",
		"go/../../etc/passwd",
		`go\bin\go.exe`,
		"go/src/aux.go",
		"other/bin/go",
	} {
		rel, err := extract.CheckPath("go/", name)
		fmt.Printf("%-22q %q %v\n", name, rel, err)
	}
	// Output:
	// "go/bin/go"            "bin/go" <nil>
	// "go/"                  "." <nil>
	// "go/../../etc/passwd"  "" ".." path element
	// "go\\bin\\go.exe"      "" backslash in name
	// "go/src/aux.go"        "" element "aux.go" is a reserved Windows device name
	// "other/bin/go"         "" outside "go/"
}
