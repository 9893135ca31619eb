//go:build !windows

package registry

// checkSystem reports whether machine-wide changes may be made. Outside
// Windows there is no machine registry or PATH for gover to change.
func checkSystem(cfg Config) error { return nil }

// Elevated reports whether the process runs with administrator rights.
// Outside Windows that has no bearing on what gover does.
func Elevated() (bool, error) { return false, nil }

// syncOS has nothing to do outside Windows beyond the links; it says so
// when the user asked for the registry explicitly.
func syncOS(cfg Config, active SDK, opts Options, rep *Report) error {
	if opts.System {
		rep.note("", "there is no registry or machine PATH on this system; --system changed nothing")
	}
	return nil
}

// Broadcast tells running programs that the environment changed. Only
// Windows has such a message.
func Broadcast() error { return nil }

// HomeDir is the user's home folder, from HOME.
func HomeDir(getenv func(string) string) string { return getenv("HOME") }

// DefaultPathEntry is how the shims folder of the default GOVER_HOME is
// written on the PATH. Only Windows keeps a PATH in the registry.
func DefaultPathEntry() string { return "" }
