package main

import (
	"fmt"
	"os"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/store"
	"github.com/gover/gover/versions"
)

// openStore opens the store store.Locate finds: GOVER_HOME, else the store
// whose bin/ holds this gover, else ~/.gover. It says on stderr what it
// waits for, and keeps the download cache within GOVER_CACHE_MAX.
func (a *app) openStore() (*store.Store, error) {
	exe, _ := os.Executable()
	root, err := store.Locate(a.getenv, exe)
	if err != nil {
		return nil, err
	}
	st := store.New(root)
	if err := st.CheckDrive(); err != nil {
		return nil, err
	}
	st.SetNotes(a.stderr)
	a.store = st
	if v := a.getenv("GOVER_CACHE_MAX"); v != "" {
		n, err := store.ParseSize(v)
		if err != nil {
			return nil, fmt.Errorf("GOVER_CACHE_MAX: %w", err)
		}
		st.SetCacheMax(n)
	}
	return st, nil
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
