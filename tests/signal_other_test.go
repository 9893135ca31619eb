//go:build !windows

package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gover/gover/internal/fake"
)

// TestInterruptExitCodes: Ctrl+C during an install exits 130 and SIGTERM
// 143, as shells report a process the signal ended, not 1 with "context
// canceled".
func TestInterruptExitCodes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			t.Parallel()
			s := newServers(t)
			s.publish("1.22.5")
			u := newUser(t)
			s.use(u)
			zp := fake.ZipPath("1.22.5", s.plat)
			stall := fake.NewStall(int64(len(s.px.File(zp)) / 2))
			s.px.SetFault(zp, stall)
			defer close(stall.Release)
			cmd, out := u.start("install", "1.22.5")
			waitReached(t, stall, cmd, out)
			cmd.Process.Signal(tc.sig)
			cmd.Wait()
			if got := cmd.ProcessState.ExitCode(); got != tc.code {
				t.Errorf("exit %d, want %d\n%s", got, tc.code, out)
			}
			if strings.Contains(out.String(), "context canceled") {
				t.Errorf("output:\n%s", out)
			}
		})
	}
}

// TestExecSignals: gover exec passes SIGTERM on to the command and exits
// as the command did: with its code, or 128+n when a signal ended it.
func TestExecSignals(t *testing.T) {
	t.Parallel()
	s := newServers(t)
	s.publish("1.22.5")
	u := newUser(t)
	s.use(u)
	u.ok("install", "1.22.5")

	if r := u.fails(137, "exec", "1.22.5", "--", "sh", "-c", "kill -KILL $$"); r.stderr != "" {
		t.Errorf("killed command: %q", r.stderr)
	}
	if r := u.fails(1, "exec", "1.22.5", "--", "false"); r.stderr != "" {
		t.Errorf("exec false: %q", r.stderr)
	}

	for _, tc := range []struct {
		name, script string
		code         int
	}{
		{"handled", `trap "exit 7" TERM; touch ready; while :; do sleep 0.1; done`, 7},
		{"default", `touch ready; exec sleep 300`, 143},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ready := filepath.Join(u.dir, "ready")
			os.Remove(ready)
			cmd := exec.Command(bins.gover, "exec", "1.22.5", "--", "sh", "-c", tc.script)
			cmd.Dir, cmd.Env = u.dir, u.env
			var out strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				if _, err := os.Stat(ready); err == nil {
					break
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatalf("the command never started:\n%s", out.String())
				}
			}
			cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(60 * time.Second):
				cmd.Process.Kill()
				<-done
				t.Fatalf("gover exec ignored SIGTERM:\n%s", out.String())
			}
			if got := cmd.ProcessState.ExitCode(); got != tc.code {
				t.Errorf("exit %d, want %d\n%s", got, tc.code, out.String())
			}
		})
	}
}
