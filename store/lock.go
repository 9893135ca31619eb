package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gofrs/flock"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/versions"
)

// Locks: the one home for how gover serialises work on a version.
//
// There is one policy. Whoever works on version v (install, uninstall,
// import, clean-up) holds meta/<v>.lock, taking it with [Store.lock]: it
// tries at once and then keeps trying until its context is done. A caller
// that must not wait (Clean, which skips versions a live gover works on)
// passes a context that is already done, and gets exactly one try.
//
// A lock file exists only while someone holds it: the holder removes it
// when it lets go, so meta/ collects no lock files for versions that were
// only looked up, failed to download or were uninstalled. Removing a file
// another process may be about to lock is made safe by the check in
// tryLock: a lock on a file that is no longer at the lock's path is
// worthless, so the taker lets it go and tries again.
//
// The holder writes who it is into the lock file, after its first byte
// (the byte Windows' LockFileEx locks, which no other process may read),
// so a waiter can say within a second which process it waits for and what
// that process is doing.

// lockPoll is how often a waiting gover retries a held lock. flock has no
// blocking wait that honours a context, so it polls.
const lockPoll = 50 * time.Millisecond

// holderWait is how long a waiter gives a holder that has just taken the
// lock to write down who it is, before saying that it waits for "another
// gover".
const holderWait = 500 * time.Millisecond

// heldLock is a version lock this process holds.
type heldLock struct {
	fl *flock.Flock
}

// Lock operations, as a waiter reads them: "pid 1234 is installing go1.22.5".
const (
	opInstall   = "installing"
	opUninstall = "removing"
	opImport    = "importing"
	opClean     = "cleaning up"
)

// lock takes v's lock for op, trying until ctx is done. While it waits it
// says once, on the store's notes writer, who holds the lock.
func (s *Store) lock(ctx context.Context, v versions.Version, op string) (*heldLock, error) {
	if err := s.Mark(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(s.metaRoot(), 0o755); err != nil {
		return nil, err
	}
	path := s.lockPath(v)
	start := s.now()
	said := false
	for {
		l, err := tryLock(path)
		if err != nil {
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		if l != nil {
			l.record(op, v)
			return l, nil
		}
		if !said && s.notes != nil {
			if who := lockHolder(path); who != "" || s.now().Sub(start) >= holderWait {
				if who == "" {
					who = "another gover"
				}
				fmt.Fprintf(s.notes, "gover: waiting for %s to finish (lock %s)\n", who, path)
				said = true
			}
		}
		select {
		case <-ctx.Done():
			return nil, lockError(ctx.Err(), v, path)
		case <-time.After(lockPoll):
		}
	}
}

// tryLock takes the lock at path if it is free, or returns nil.
func tryLock(path string) (*heldLock, error) {
	for {
		fl := flock.New(path)
		ok, err := fl.TryLock()
		if err != nil && lockBusy(err) {
			return nil, nil
		}
		if err != nil || !ok {
			return nil, err
		}
		// The previous holder may have removed the file after this one
		// opened it: then this lock guards nothing, and whoever opens the
		// path next makes a new file.
		held, herr := fl.Stat()
		now, perr := os.Stat(path)
		if herr == nil && perr == nil && os.SameFile(held, now) {
			return &heldLock{fl: fl}, nil
		}
		fl.Unlock()
		if perr != nil && !errors.Is(perr, fs.ErrNotExist) {
			return nil, perr
		}
	}
}

func lockError(err error, v versions.Version, path string) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return exitcode.Locked(fmt.Errorf("another gover is installing or removing %s and still holds %s; wait for it to finish, then run the command again", v.Name(), path), "")
	}
	return fmt.Errorf("interrupted while waiting for %s: %w", path, err)
}

// record writes who holds the lock, after the first byte.
func (l *heldLock) record(op string, v versions.Version) {
	f, err := os.OpenFile(l.fl.Path(), os.O_WRONLY, 0)
	if err != nil {
		return // only the waiters' message is poorer
	}
	defer f.Close()
	f.WriteAt([]byte(fmt.Sprintf("pid %d %s %s\n", os.Getpid(), op, v.Name())), 1)
}

// lockHolder reads who holds the lock at path: "pid 1234 (installing
// go1.22.5)", or "" when it has not said yet.
func lockHolder(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	buf := make([]byte, 256)
	n, _ := f.ReadAt(buf, 1)
	line, _, ok := strings.Cut(string(buf[:n]), "\n")
	if !ok {
		return ""
	}
	f1 := strings.Fields(line)
	if len(f1) < 3 || f1[0] != "pid" {
		return ""
	}
	if _, err := strconv.Atoi(f1[1]); err != nil {
		return ""
	}
	return "gover (pid " + f1[1] + ", " + strings.Join(f1[2:], " ") + ")"
}

// unlock lets the lock go and removes its file.
func (l *heldLock) unlock() error {
	if l == nil {
		return nil
	}
	return unlockAndRemove(l.fl)
}

// SetNotes makes the store say on w what it waits for (another gover
// holding a lock). Without it the store waits silently.
func (s *Store) SetNotes(w io.Writer) { s.notes = w }

// tryOnce is a context that is already done: lock with it tries once.
func tryOnce() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
