//go:build !windows

package store

// exeSuffix is what executables' names end with on this platform.
const exeSuffix = ""

// homeVar names the variable that holds the user's home folder.
const homeVar = "HOME"

// homeHint is the fix for a GOVER_HOME gover cannot use.
const homeHint = `export GOVER_HOME="$HOME/.gover"`
