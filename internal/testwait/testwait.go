// Package testwait waits in tests for a condition with a deadline, never for a fixed
// time: on a busy CI machine a sleep is either too short or wasted.
package testwait

import (
	"testing"
	"time"
)

// fast is how often For and Poll look: their conditions read a fake's records or a
// locked buffer in memory, and a reply there comes within milliseconds.
const fast = 5 * time.Millisecond

// slow is how often Until looks: its conditions usually ask Redis or HTTP and
// describe what they saw each time.
const slow = 20 * time.Millisecond

// Until polls cond every 20 ms until it holds; after timeout the test fails with what
// it waited for and cond's last account of what it saw.
func Until(tb testing.TB, timeout time.Duration, what string, cond func() (bool, string)) {
	tb.Helper()
	var saw string
	held := poll(timeout, slow, func() bool {
		var ok bool
		ok, saw = cond()
		return ok
	})
	if !held {
		tb.Fatalf("timed out after %s waiting for %s; last saw: %s", timeout, what, saw)
	}
}

// For polls cond every 5 ms until it holds; after timeout the test fails with what it
// waited for. Use Until when the condition can say what it saw instead.
func For(tb testing.TB, timeout time.Duration, what string, cond func() bool) {
	tb.Helper()
	if !poll(timeout, fast, cond) {
		tb.Fatalf("timed out after %s waiting for %s", timeout, what)
	}
}

// Poll polls cond every 5 ms until it holds or timeout has passed, and reports whether
// it held. It never fails the test, so a goroutine other than the test's (which must
// not call Fatal) can wait and return an error of its own.
func Poll(timeout time.Duration, cond func() bool) bool {
	return poll(timeout, fast, cond)
}

// poll asks cond before it looks at the clock, so a condition that came true during
// the last sleep still counts.
func poll(timeout, every time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(every)
	}
}
