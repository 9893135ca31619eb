package main

import (
	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/store"
	"github.com/gover/gover/versions"
)

// openStore opens the store at GOVER_HOME, else ~/.gover.
func (a *app) openStore() (*store.Store, error) {
	root, err := store.DefaultRoot(a.getenv)
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
