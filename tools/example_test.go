package tools_test

import (
	"fmt"

	"github.com/gover/gover/tools"
)

func ExampleDelveProblem() {
	p, _ := tools.DelveProblem("v1.22.1", "go1.22.5", "go1.23.0")
	fmt.Println(p)
	p, _ = tools.DelveProblem("v1.25.1", "go1.24.5", "go1.25.1")
	fmt.Println(p)
	fmt.Println(tools.DelveFor("go1.23.0", ""))
	// Output:
	// Delve v1.22.1 supports Go 1.19 to 1.22: "Version of Delve is too old for Go version go1.23.0"
	// Delve v1.25.1 was built with go1.24.5; debugging go1.25.1 programs (DWARFv5) needs it built with Go 1.25 or later
	// v1.23.0
}

func ExampleJudge() {
	t := tools.Tool{Name: "stringer", Module: "golang.org/x/tools", Version: "v0.30.0", BuiltWith: "go1.22.5"}
	t = tools.Judge(t, "go1.26.8")
	fmt.Println(t.Status, "-", t.Reason)
	t = tools.Judge(tools.Tool{Name: "gopls", Module: "golang.org/x/tools/gopls", Version: "v0.18.1", BuiltWith: "go1.23.4"}, "go1.24.0")
	fmt.Println(t.Status, "-", t.Reason)
	// Output:
	// stale - built with go1.22.5, older than go1.26.8
	// incompatible - built with go1.23.4, older than go1.24.0: its go/types refuses code for Go 1.24
}
