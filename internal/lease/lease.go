// Package lease runs a role (the scheduler, Telegram's long polling, a Discord gateway
// shard) on one replica at a time, under a lease in Redis (storage.Store.Lease).
//
// Hold takes the lease when it is free, renews it every third of its lifetime, and runs
// the role with a context that ends before the lease could have run out: when a
// renewal fails or finds another holder, and at the latest two thirds of a lifetime
// after the last renewal that succeeded, whether or not the renewal call came back. So
// the role stops on this replica before another one can take the lease. A holder that
// was frozen past that moment (a stopped VM) may still write once it thaws: the
// fencing token it was given is what its writes carry to be refused then.
package lease

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Store takes, renews and releases leases; *storage.Store implements it.
type Store interface {
	// Lease takes or renews the lease for owner; 0 when another owner holds it.
	Lease(ctx context.Context, name, owner string, ttl time.Duration) (int64, error)
	ReleaseLease(ctx context.Context, name, owner string) error
}

// Role is what runs while the lease is held; ctx ends when the lease is lost or Hold
// stops. token is the holding's fencing token.
type Role func(ctx context.Context, token int64) error

// Hold runs role whenever owner holds the named lease, until ctx ends. A role that
// returns nil or an error gives the lease up; an error ends Hold with it (a role that
// ends because its context did is not an error). A failure to reach Redis only means
// the lease is not held: Hold tries again a third of ttl later.
func Hold(ctx context.Context, store Store, name, owner string, ttl time.Duration, log *slog.Logger, role Role) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	every := ttl / 3
	for {
		token, err := store.Lease(ctx, name, owner, ttl)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			log.Warn("lease unavailable", "lease", name, "err", err)
		case token > 0:
			log.Info("lease taken", "lease", name, "token", token)
			err := hold(ctx, store, name, owner, ttl, token, log, role)
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), every)
			if rerr := store.ReleaseLease(rctx, name, owner); rerr != nil {
				log.Warn("lease not released: it runs out by itself", "lease", name, "err", rerr)
			}
			cancel()
			if err != nil && ctx.Err() == nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			if ctx.Err() != nil {
				return nil
			}
			log.Info("lease given up", "lease", name)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(every):
		}
	}
}

// errLost ends the role's context when the lease was lost.
var errLost = errors.New("lease lost")

// hold runs role while renewing the lease, and ends it when the lease is lost.
func hold(ctx context.Context, store Store, name, owner string, ttl time.Duration, token int64, log *slog.Logger, role Role) error {
	every := ttl / 3
	rctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	done := make(chan error, 1)
	go func() { done <- role(rctx, token) }()
	// the role must stop before the lease can run out: at two thirds of a lifetime
	// after the last renewal that came back, whatever happens to the next one
	deadline := time.NewTimer(2 * every)
	defer deadline.Stop()
	tick := time.NewTicker(every)
	defer tick.Stop()
	type renewal struct {
		token int64 // -1: the call failed
		sent  time.Time
	}
	renewed := make(chan renewal, 1)
	renewing := false
	for {
		select {
		case err := <-done:
			if errors.Is(err, context.Canceled) || errors.Is(context.Cause(rctx), errLost) {
				err = nil
			}
			return err
		case <-deadline.C:
			log.Warn("lease lost: no renewal in time", "lease", name, "token", token)
			cancel(errLost)
		case <-tick.C:
			if renewing || rctx.Err() != nil {
				continue
			}
			renewing = true
			sent := time.Now()
			go func() {
				c, stop := context.WithTimeout(rctx, every)
				defer stop()
				t, err := store.Lease(c, name, owner, ttl)
				if err != nil {
					t = -1
				}
				renewed <- renewal{t, sent}
			}()
		case r := <-renewed:
			renewing = false
			switch {
			case r.token == token:
				// Redis extended the lease at some moment after sent: count from sent
				deadline.Reset(2*every - time.Since(r.sent))
			case r.token < 0:
				// a failed renewal: the deadline decides
			default:
				log.Warn("lease lost to another holder", "lease", name, "token", token)
				cancel(errLost)
			}
		}
	}
}
