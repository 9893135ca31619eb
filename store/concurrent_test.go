package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gover/gover/versions"
)

// installOnce is what every concurrent installer runs: begin, and if this
// one does the work, extract slowly enough that the others must wait.
func installOnce(s *Store, v versions.Version) (worked bool, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	tx, err := s.Begin(ctx, v)
	if errors.Is(err, ErrAlreadyInstalled) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer tx.Abort()
	if err := os.MkdirAll(tx.Dir()+"/bin", 0o755); err != nil {
		return false, err
	}
	if err := os.WriteFile(tx.Dir()+"/VERSION", []byte(v.Name()+"\n"), 0o644); err != nil {
		return false, err
	}
	time.Sleep(200 * time.Millisecond)
	return true, tx.Commit(&Manifest{Trust: TrustSumDB, Source: Source{Kind: SourceProxy}})
}

func TestConcurrentBeginGoroutines(t *testing.T) {
	s := newStore(t)
	v := versions.MustParse("1.22.5")
	const n = 8
	var worked atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			did, err := installOnce(s, v)
			if did {
				worked.Add(1)
			}
			if err == nil {
				// Whoever returns, the SDK is there.
				_, err = s.GOROOT(v)
			}
			errs <- err
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if worked.Load() != 1 {
		t.Errorf("%d goroutines installed, want exactly 1", worked.Load())
	}
}

const helperEnv = "GOVER_STORE_TEST_HELPER"

// TestBeginHelperProcess is one installer process of
// TestConcurrentBeginProcesses; run on its own it skips.
func TestBeginHelperProcess(t *testing.T) {
	spec := os.Getenv(helperEnv)
	if spec == "" {
		t.Skip("run by TestConcurrentBeginProcesses")
	}
	root, startNanos, _ := strings.Cut(spec, "|")
	at, _ := strconv.ParseInt(startNanos, 10, 64)
	time.Sleep(time.Until(time.Unix(0, at)))
	did, err := installOnce(New(root), versions.MustParse("1.22.5"))
	if err != nil {
		fmt.Println("RESULT error", err)
		return
	}
	fmt.Println("RESULT", did)
}

func TestConcurrentBeginProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 8 processes")
	}
	s := newStore(t)
	const n = 8
	start := time.Now().Add(1500 * time.Millisecond).UnixNano()
	outs := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestBeginHelperProcess$", "-test.v")
			cmd.Env = append(os.Environ(), helperEnv+"="+s.Root()+"|"+strconv.FormatInt(start, 10))
			outs[i], errs[i] = cmd.CombinedOutput()
		}()
	}
	wg.Wait()
	var worked, waited int
	for i, out := range outs {
		if errs[i] != nil {
			t.Fatalf("process %d: %v\n%s", i, errs[i], out)
		}
		switch {
		case strings.Contains(string(out), "RESULT true"):
			worked++
		case strings.Contains(string(out), "RESULT false"):
			waited++
		default:
			t.Errorf("process %d:\n%s", i, out)
		}
	}
	if worked != 1 || waited != n-1 {
		t.Errorf("%d processes installed and %d found it installed; want 1 and %d", worked, waited, n-1)
	}
	if _, err := s.GOROOT(versions.MustParse("1.22.5")); err != nil {
		t.Error(err)
	}
	if entries, _ := os.ReadDir(s.TmpDir()); len(entries) != 0 {
		t.Errorf("tmp not empty: %v", entries)
	}
}
