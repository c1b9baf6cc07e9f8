package bot

import (
	"math/bits"
	"sync/atomic"
)

// Refusals counts the webhook requests a channel refused (no valid secret or
// signature) and says which to log: the 1st, 2nd, 4th, 8th …, so that a flood of them
// cannot flood the log. The zero value is ready; it is safe for concurrent use.
type Refusals struct{ n atomic.Int64 }

// Add counts one refusal and returns the count so far, and whether to log this one.
func (r *Refusals) Add() (n int64, log bool) {
	n = r.n.Add(1)
	return n, bits.OnesCount64(uint64(n)) == 1
}

// Count is the number of refusals so far.
func (r *Refusals) Count() int64 { return r.n.Load() }
