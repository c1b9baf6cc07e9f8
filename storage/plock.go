package storage

import (
	"context"
	"fmt"
	"time"
)

// A participant's lock orders the handling of their updates across replicas: the
// engine reads a participant's record and session, decides, and writes them back, which
// is only right while no other replica does the same for that participant at once. The
// lock is a key with a random token and a short lifetime, so a replica killed while it
// holds one delays that participant's next update by at most the lifetime, and holds
// up no one else.

// unlockParticipant: KEYS[1] lock STRING. ARGV[1] token. Deletes the lock when the
// token holds it.
var unlockParticipant = newScript("unlockParticipant", `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`)

// LockParticipant takes the participant's lock for token, for ttl; false when another
// token holds it.
func (s *Store) LockParticipant(ctx context.Context, pid, token string, ttl time.Duration) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, participantLockKey(pid), token, ttl).Result()
	if err != nil {
		return false, fmt.Errorf("lock participant: %w", err)
	}
	return ok, nil
}

// UnlockParticipant releases the participant's lock when token still holds it (after
// its lifetime ran out another token may hold it: that one stays).
func (s *Store) UnlockParticipant(ctx context.Context, pid, token string) error {
	if err := unlockParticipant.Run(ctx, s.rdb, []string{participantLockKey(pid)}, token).Err(); err != nil {
		return fmt.Errorf("unlock participant: %w", err)
	}
	return nil
}
