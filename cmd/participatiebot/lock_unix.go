//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// tryLock takes flock(2) LOCK_EX|LOCK_NB on f. A flock belongs to the open file, so
// two opens in one process exclude each other too, and the descriptor is not
// inherited by the redis-server serve starts (Go opens files close-on-exec).
func tryLock(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EWOULDBLOCK):
			return errLocked
		}
		return fmt.Errorf("flock: %w", err)
	}
}
