// Package leasetest has a lease store that a test can cut off from Redis, as a replica
// that crashed, froze or lost its network while it held a lease: it can neither renew
// nor release it, and another replica takes over once the lease runs out.
package leasetest

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/participatiebot/participatiebot/internal/lease"
)

// ErrCut is what every call answers while the store is cut off.
var ErrCut = errors.New("cut off from Redis")

// CutOff is a lease store whose calls fail while Cut is set.
type CutOff struct {
	lease.Store
	Cut atomic.Bool
}

// Lease takes or renews the lease unless the store is cut off.
func (c *CutOff) Lease(ctx context.Context, name, owner string, ttl time.Duration) (int64, error) {
	if c.Cut.Load() {
		return 0, ErrCut
	}
	return c.Store.Lease(ctx, name, owner, ttl)
}

// ReleaseLease gives the lease up unless the store is cut off.
func (c *CutOff) ReleaseLease(ctx context.Context, name, owner string) error {
	if c.Cut.Load() {
		return ErrCut
	}
	return c.Store.ReleaseLease(ctx, name, owner)
}
