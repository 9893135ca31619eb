// Command gover-shim is the go and gofmt shim that `gover setup` installs
// into GOVER_HOME/bin. It runs the tool named by its own file name (go,
// gofmt) from the SDK the working folder selects:
//
//	$ ln gover-shim ~/.gover/bin/go && ~/.gover/bin/go version
//	go version go1.22.5 linux/amd64
//
// It is a separate, minimal program rather than a mode of the gover binary
// so that every go invocation pays only its small start-up cost; package
// shim documents the measurements.
package main

import (
	"os"

	"github.com/gover/gover/shim"
)

func main() { os.Exit(shim.Main()) }
