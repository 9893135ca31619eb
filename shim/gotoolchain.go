package shim

// GOTOOLCHAIN as cmd/go reads it: from the environment, else the go env -w
// file, and what each form allows.

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/gover/gover/internal/goenv"
)

// gotoolchain is a parsed GOTOOLCHAIN.
type gotoolchain struct {
	name string // the release named, "" for local
	mode string // "auto", "path", or "" when switching is off
}

// parseGOTOOLCHAIN reads GOTOOLCHAIN as cmd/go does; "" (unset) is
// gover's default, which switches.
func parseGOTOOLCHAIN(v string) (gotoolchain, error) {
	switch v {
	case "", "auto":
		return gotoolchain{mode: "auto"}, nil
	case "path":
		return gotoolchain{mode: "path"}, nil
	}
	min, suffix, plus := strings.Cut(v, "+")
	var tc gotoolchain
	if min != "local" {
		name, err := ParseSpec(min)
		if err != nil || !strings.HasPrefix(min, "go") || strings.ContainsAny(min, `/\`) {
			return tc, fmt.Errorf("invalid GOTOOLCHAIN %q (want local, auto, path or a release such as go1.22.5, optionally with +auto or +path)", v)
		}
		if !IsExact(name) && cmp(name, "go1.21") >= 0 {
			return tc, fmt.Errorf("invalid GOTOOLCHAIN %q: %s is a language version, not a release (%s.0 is its first release)", v, min, name)
		}
		tc.name = name
	}
	if plus && suffix != "auto" && suffix != "path" {
		return tc, fmt.Errorf("invalid GOTOOLCHAIN %q: only version suffixes are +auto and +path", v)
	}
	tc.mode = suffix
	return tc, nil
}

// settings returns a lookup of go settings: the environment first, then
// the go env file (read once, on first need). It reports the file a
// value came from, "" for the environment.
func settings(env Env) func(string) (string, string) {
	var file map[string]string
	var path string
	read := false
	return func(key string) (string, string) {
		if v := env.Getenv(key); v != "" {
			return v, ""
		}
		if !read {
			read = true
			goos := env.GOOS
			if goos == "" {
				goos = runtime.GOOS
			}
			path = goenv.File(goos, env.Getenv)
			if path != "" {
				if f, err := env.Open(path); err == nil {
					file, _ = envFileValues(f, "GOTOOLCHAIN", "GOWORK", "GO111MODULE")
					f.Close()
				}
			}
		}
		if v := file[key]; v != "" {
			return v, path
		}
		return "", ""
	}
}
