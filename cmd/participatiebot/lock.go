package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// One participatiebot per DATA_DIR: a second serve on the same directory would start
// a second redis-server on the same append-only file, open demo rounds and send
// invitations twice. serve holds an exclusive lock on DATA_DIR/participatiebot.lock
// for its whole life, taken before it opens anything; the kernel drops the lock when
// the process ends, also on kill -9, so a lock is never stale. The file stays (it
// holds the holder's pid): removing it would let two processes lock two different
// files of the same name.

const lockFile = "participatiebot.lock"

// dirLock is a held lock on a DATA_DIR.
type dirLock struct {
	f *os.File
}

// inUseError says another process holds the DATA_DIR.
type inUseError struct {
	dir string
	pid int // 0 when unknown
}

func (e *inUseError) Error() string {
	who := "pid onbekend"
	if e.pid > 0 {
		who = "pid " + strconv.Itoa(e.pid)
	}
	return fmt.Sprintf("DATA_DIR %s is al in gebruik door een andere participatiebot (%s); stop die eerst of kies een andere DATA_DIR", e.dir, who)
}

// errLocked is what tryLock reports when another open file holds the lock.
var errLocked = errors.New("locked")

// lockDataDir takes the lock on dir (made when missing), or returns an *inUseError
// naming the holder's pid.
func lockDataDir(dir string) (*dirLock, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("lock DATA_DIR %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("lock DATA_DIR: %w", err)
	}
	path := filepath.Join(abs, lockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock DATA_DIR: %w", err)
	}
	if err := tryLock(f); err != nil {
		defer f.Close()
		if errors.Is(err, errLocked) {
			b, _ := os.ReadFile(path)
			pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
			return nil, &inUseError{dir: abs, pid: pid}
		}
		return nil, fmt.Errorf("lock DATA_DIR %s: %w", path, err)
	}
	if err := f.Truncate(0); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock DATA_DIR: %w", err)
	}
	if _, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock DATA_DIR: %w", err)
	}
	return &dirLock{f: f}, nil
}

// Close releases the lock. The pid is cleared first, so nobody is named who is gone.
func (l *dirLock) Close() error {
	if l == nil || l.f == nil {
		return nil
	}
	_ = l.f.Truncate(0)
	err := l.f.Close() // closing the last descriptor releases the lock
	l.f = nil
	return err
}
