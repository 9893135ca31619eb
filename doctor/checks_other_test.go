//go:build !windows

package doctor

// windowsSetup has nothing to set up outside Windows.
func windowsSetup(e *testEnv) {}
