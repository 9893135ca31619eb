//go:build !windows

package tests

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestVerifyModesLinksFIFOs is the Unix half of issue 10 item 6: modes,
// links and FIFOs (links need privileges on Windows).
func TestVerifyModesLinksFIFOs(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	s.publish("1.22.5")
	install := func(t *testing.T) (*user, string) { return installOne(t, s) }

	t.Run("mode changes", func(t *testing.T) {
		u, sdk := install(t)
		os.Chmod(filepath.Join(sdk, "bin", "go"), os.ModeSetuid|0o755)
		os.Chmod(filepath.Join(sdk, "src", "go.mod"), 0o755)
		os.Chmod(filepath.Join(sdk, "VERSION"), 0o666)
		expect(t, u,
			"mode     bin/go: mode 4755 (setuid), want 0755",
			"mode     src/go.mod: mode 0755, want 0644",
			"mode     VERSION: mode 0666 (writable by others), want 0644",
		)
	})

	t.Run("links and FIFOs, in every SDK", func(t *testing.T) {
		s.publish("1.21.0")
		s.publish("1.20.1")
		u, sdk := install(t)
		u.ok("install", "1.21.0")
		u.ok("install", "1.20.1")
		// A link to a trojan outside the store, and a FIFO that would
		// block anyone who opens it.
		trojan := filepath.Join(u.dir, "trojan")
		os.WriteFile(trojan, []byte("trojan"), 0o755)
		os.Rename(filepath.Join(sdk, "bin", "gofmt"), filepath.Join(u.dir, "gofmt"))
		if err := os.Symlink(trojan, filepath.Join(sdk, "bin", "gofmt")); err != nil {
			t.Fatal(err)
		}
		fifo := filepath.Join(u.home, "sdk", "go1.21.0", "src", "fifo")
		if err := syscall.Mkfifo(fifo, 0o644); err != nil {
			t.Fatal(err)
		}
		expect(t, u,
			"special  bin/gofmt: symbolic link (not followed)",
			"special  src/fifo: FIFO (not followed)",
			"go1.20.1: ok",
			"2 SDKs could not be vouched for: 1.22.5, 1.21.0",
		)
	})
}
