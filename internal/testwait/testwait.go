// Package testwait waits in tests for a condition with a deadline, never for a fixed
// time: on a busy CI machine a sleep is either too short or wasted.
package testwait

import (
	"testing"
	"time"
)

// Until polls cond every 20 ms until it holds; after timeout the test fails with what
// it waited for and cond's last account of what it saw.
func Until(tb testing.TB, timeout time.Duration, what string, cond func() (bool, string)) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, saw := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("timed out after %s waiting for %s; last saw: %s", timeout, what, saw)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
