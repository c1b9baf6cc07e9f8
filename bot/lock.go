package bot

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"
)

// Handle may be called for the same participant at the same time, from any replica
// (two taps in quick succession, a webhook delivered to two replicas, a redelivery
// racing its original): the engine reads the participant's record and session,
// decides and writes back, so it handles one participant's updates one at a time under
// a lock in Redis (storage.LockParticipant), and checks whether the update was handled
// already only once it holds the lock. Updates of different participants never wait
// for each other.
//
// The lock lasts LockTTL; the handling under it gets HandleTimeout, well within, so a
// replica that is merely slow gives the lock up before it runs out. A replica killed
// while it holds one delays that participant's next update by at most LockTTL.

// LockTTL is how long a participant's lock lasts when its holder does not release it.
const LockTTL = 10 * time.Second

// HandleTimeout bounds the handling of one update under the lock.
const HandleTimeout = 7 * time.Second

// LockWait is how long an update waits for the participant's lock before Handle
// returns an error, so that the channel offers the update again later.
const LockWait = 5 * time.Second

// ErrBusy is returned (wrapped) when the participant's lock stayed taken for LockWait.
var ErrBusy = errors.New("participant busy: another update of theirs is being handled")

// lockParticipant waits for the participant's lock and returns its release.
func (e *Engine) lockParticipant(ctx context.Context, pid string) (unlock func(), err error) {
	token := rand.Text()
	wait := 2 * time.Millisecond
	give := time.NewTimer(LockWait)
	defer give.Stop()
	for {
		ok, err := e.store.LockParticipant(ctx, pid, token, LockTTL)
		if err != nil {
			return nil, err
		}
		if ok {
			return func() {
				// also when the handling's context ended: the lock must go
				c, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
				defer cancel()
				if err := e.store.UnlockParticipant(c, pid, token); err != nil {
					e.log.Warn("participant lock not released: it runs out by itself", "err", err)
				}
			}, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-give.C:
			return nil, fmt.Errorf("after %s: %w", LockWait, ErrBusy)
		case <-time.After(wait):
		}
		wait = min(2*wait, 50*time.Millisecond)
	}
}
