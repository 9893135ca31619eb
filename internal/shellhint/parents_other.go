//go:build !windows

package shellhint

// Parents returns the executable names of this process's ancestors,
// nearest first. Outside Windows the shell is told apart by its
// environment alone, so there are none.
func Parents() []string { return nil }
