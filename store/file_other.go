//go:build !windows

package store

import "os"

// removeAll removes path and everything under it; a missing path is fine.
func removeAll(path string) error { return os.RemoveAll(path) }
