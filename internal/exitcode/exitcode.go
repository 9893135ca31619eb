// Package exitcode defines gover's process exit codes, in one place, and the
// error type that carries a code and a hint from deep inside gover up to the
// command line.
//
// A package that knows what went wrong and what would fix it says so:
//
//	return exitcode.NotFound(fmt.Errorf("go1.22.5 is not installed"), "gover install 1.22.5")
//
// and cmd/gover prints
//
//	gover: go1.22.5 is not installed
//	gover: hint: gover install 1.22.5
//
// then exits with [CodeNotFound]. Wrapping with %w keeps both visible to
// [Code] and [Hint].
package exitcode

import (
	"errors"
	"os"
	"syscall"
)

// Exit codes. Scripts may rely on them; never renumber.
const (
	CodeOK       = 0 // success
	CodeError    = 1 // any failure without a more specific code
	CodeUsage    = 2 // bad command line: unknown flag, missing or malformed argument
	CodeVerify   = 3 // a download or an installed SDK failed verification
	CodeNotFound = 4 // a version, SDK, file or release that does not exist
	CodeLocked   = 5 // another gover holds a lock that did not come free in time
	CodeDoctor   = 6 // gover doctor found at least one error

	// CodeSignal plus a signal's number is the exit code of a command
	// that signal stopped: 130 for Ctrl+C (SIGINT), 143 for SIGTERM, 129
	// for SIGHUP, as shells report them.
	CodeSignal = 128
)

// Signaled is the exit code of a command that signal number sig stopped.
func Signaled(sig int) int { return CodeSignal + sig }

// Error is an error with an exit code and an optional hint: the exact command
// that fixes it.
type Error struct {
	Err  error
	Code int
	Hint string
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// New wraps err with code and hint. A nil err stays nil.
func New(code int, err error, hint string) error {
	if err == nil {
		return nil
	}
	return &Error{Err: err, Code: code, Hint: hint}
}

// WithHint attaches a hint to err and keeps any code err already carries.
func WithHint(err error, hint string) error {
	return New(Code(err), err, hint)
}

// Usage marks err as a command-line mistake.
func Usage(err error, hint string) error { return New(CodeUsage, err, hint) }

// NotFound marks err as naming something that does not exist.
func NotFound(err error, hint string) error { return New(CodeNotFound, err, hint) }

// Verify marks err as a verification failure.
func Verify(err error, hint string) error { return New(CodeVerify, err, hint) }

// Locked marks err as a lock held too long by another process.
func Locked(err error, hint string) error { return New(CodeLocked, err, hint) }

// Code reports the exit code for err: the outermost *Error's code,
// [CodeOK] for nil and [CodeError] otherwise.
func Code(err error) int {
	if err == nil {
		return CodeOK
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeError
}

// Hint reports the outermost non-empty hint in err's chain, or "".
func Hint(err error) string {
	for err != nil {
		if e, ok := err.(*Error); ok && e.Hint != "" {
			return e.Hint
		}
		err = errors.Unwrap(err)
	}
	return ""
}

// Signal is the exit code of a process ended by sig, as shells report it:
// 128 + the signal's number (130 for Ctrl+C, 143 for SIGTERM).
func Signal(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return CodeError
}

// errQuiet is the message of an error that has already been reported.
var errQuiet = errors.New("")

// Quiet is an exit with code and nothing printed: a command gover ran
// already told the user why it failed.
func Quiet(code int) error { return New(code, errQuiet, "") }

// IsQuiet reports whether err is one made by [Quiet].
func IsQuiet(err error) bool { return errors.Is(err, errQuiet) }
