// Package testlog captures log output in tests. The code under test logs from its own
// goroutines (handlers, senders, a child process's pipes) while the test reads, so the
// buffer is locked.
package testlog

import (
	"bytes"
	"sync"
)

// Buffer is an io.Writer that is safe for concurrent use; give it to slog or to
// exec.Cmd and read what was written with String. The zero value is ready to use.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String is everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
