package main

import (
	"os"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/store"
	"github.com/gover/gover/versions"
)

// openStore opens the store store.Locate finds: GOVER_HOME, else the store
// whose bin/ holds this gover, else ~/.gover.
func (a *app) openStore() (*store.Store, error) {
	exe, _ := os.Executable()
	root, err := store.Locate(a.getenv, exe)
	if err != nil {
		return nil, err
	}
	return store.New(root), nil
}

// parseReleaseArg parses a version named on the command line for a command
// that acts on installed SDKs.
func parseReleaseArg(s string) (versions.Version, error) {
	v, err := versions.Parse(s)
	if err != nil {
		return v, exitcode.Usage(err, "gover list")
	}
	return v, nil
}
