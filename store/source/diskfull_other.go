//go:build !windows

package source

import (
	"errors"
	"syscall"
)

// isDiskFull reports whether err says the disk or the user's quota is full.
func isDiskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}
