package verify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"
	"golang.org/x/mod/sumdb"

	"github.com/gover/gover/internal/exitcode"
	"github.com/gover/gover/internal/fsx"
)

// clientOps connects one Lookup's sumdb.Client to the network and the
// cache, and records what went wrong so Lookup can report the right kind of
// error: sumdb.Client flattens its errors to text.
type clientOps struct {
	db  *SumDB
	ctx context.Context

	mu        sync.Mutex
	remoteErr error // the last failed request
	notFound  bool  // the database said it has no such module version
	localErr  error // the cache could not be read or written
	security  string
}

func (o *clientOps) ReadRemote(path string) ([]byte, error) {
	base, err := o.db.resolveBase(o.ctx)
	if err != nil {
		o.fail(err, false)
		return nil, err
	}
	data, status, err := o.db.get(o.ctx, base+path)
	if err != nil {
		o.fail(err, strings.HasPrefix(path, "/lookup/") && (status == http.StatusNotFound || status == http.StatusGone))
		return nil, err
	}
	return data, nil
}

func (o *clientOps) fail(err error, notFound bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.remoteErr = err
	o.notFound = notFound
}

func (o *clientOps) configPath(file string) (string, error) {
	if file != o.db.name+"/latest" {
		return "", fmt.Errorf("unexpected checksum database config file %q", file)
	}
	return filepath.Join(o.db.cacheDir, filepath.FromSlash(file)), nil
}

func (o *clientOps) ReadConfig(file string) ([]byte, error) {
	if file == "key" {
		return []byte(o.db.key), nil
	}
	p, err := o.configPath(file)
	if err != nil {
		return nil, err
	}
	data, err := o.locked(p, false, func() ([]byte, error) {
		data, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil // no tree head yet: start from the empty tree
		}
		return data, err
	})
	if err != nil {
		o.local(err)
	}
	return data, err
}

// WriteConfig replaces the cached tree head old with new, atomically and
// only if no other gover process changed it meanwhile (compare and swap
// under a file lock, then rename, so readers never see half a file).
func (o *clientOps) WriteConfig(file string, old, new []byte) error {
	p, err := o.configPath(file)
	if err != nil {
		return err
	}
	_, err = o.locked(p, true, func() ([]byte, error) {
		cur, err := os.ReadFile(p)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		if !bytes.Equal(cur, old) {
			return nil, sumdb.ErrWriteConflict
		}
		return nil, fsx.WriteFileAtomic(p, new, 0o644)
	})
	if err != nil && err != sumdb.ErrWriteConflict {
		o.local(err)
	}
	return err
}

// locked runs f holding the lock file next to p, shared or exclusive.
func (o *clientOps) locked(p string, exclusive bool, f func() ([]byte, error)) ([]byte, error) {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	l := flock.New(p + ".lock")
	defer l.Close()
	var err error
	if exclusive {
		_, err = l.TryLockContext(o.ctx, 10*time.Millisecond)
	} else {
		_, err = l.TryRLockContext(o.ctx, 10*time.Millisecond)
	}
	if err != nil {
		return nil, fmt.Errorf("locking %s: %w", p, err)
	}
	defer l.Unlock()
	return f()
}

func (o *clientOps) local(err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.localErr = err
}

func (o *clientOps) ReadCache(file string) ([]byte, error) {
	return os.ReadFile(filepath.Join(o.db.cacheDir, filepath.FromSlash(file)))
}

// WriteCache saves a checked tile or record. A failure only costs a later
// download, so it is ignored.
func (o *clientOps) WriteCache(file string, data []byte) {
	p := filepath.Join(o.db.cacheDir, filepath.FromSlash(file))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err == nil {
		_ = fsx.WriteFileAtomic(p, data, 0o644)
	}
}

func (o *clientOps) Log(string) {}

// SecurityError records proof that the database misbehaved. sumdb.Client
// then fails the lookup with sumdb.ErrSecurity, and classify turns that
// into a loud verification error carrying the proof.
func (o *clientOps) SecurityError(msg string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.security = msg
}

func (o *clientOps) classify(module, version string, err error) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	switch {
	case o.security != "":
		return exitcode.Verify(fmt.Errorf("checksum database %s is misbehaving (looking up %s@%s):\n%s",
			o.db.name, module, version, strings.TrimSpace(o.security)), "")
	case o.notFound:
		return exitcode.NotFound(fmt.Errorf("%s@%s is not in the checksum database %s: %w", module, version, o.db.name, o.remoteErr), "")
	case o.remoteErr != nil:
		return fmt.Errorf("looking up %s@%s: %w", module, version, o.remoteErr)
	case o.localErr != nil:
		return fmt.Errorf("looking up %s@%s: checksum database cache: %w", module, version, o.localErr)
	}
	return exitcode.Verify(fmt.Errorf("checksum database %s answer failed verification: %v", o.db.name, err), "")
}
