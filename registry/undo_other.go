//go:build !windows

package registry

// undoOS has no registry values to restore outside Windows.
func undoOS(cfg Config, rep *Report) error { return nil }
