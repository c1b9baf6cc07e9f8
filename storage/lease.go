package storage

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// A lease is a named role that one replica holds at a time: running the scheduler,
// polling Telegram's getUpdates, holding a Discord gateway shard. The holder renews it
// well within its lifetime (bot.HoldLease does); when the holder dies or stalls past
// the lifetime, another replica takes it over.
//
// Every new holding gets a fencing token, larger than every token before it (a counter
// that never expires, in the lease's own slot). A holder passes its token to the
// writes the role makes, and a write that has seen a larger token refuses a smaller
// one (see the round transitions in rounds.go): so a holder that was paused past its
// lease (a long GC pause, a frozen VM) and wakes up believing it still leads cannot act
// after its successor did.

// ErrFenced is returned by a write that carries a fencing token older than one the
// data has already seen: a newer holder of the lease took over.
var ErrFenced = errors.New("fenced: a newer lease holder took over")

// leaseScript: KEYS[1] lease HASH (owner, token; expires), KEYS[2] the lease's token
// counter STRING. ARGV[1] owner, ARGV[2] ttl (ms). Returns the owner's token (taking or
// renewing the lease), or the negated token of the current holder when another one
// holds it.
var leaseScript = newScript("leaseScript", `
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return tonumber(redis.call('HGET', KEYS[1], 'token'))
end
if owner then
  return -tonumber(redis.call('HGET', KEYS[1], 'token'))
end
local token = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'token', token)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return token`)

// releaseScript: KEYS[1] lease HASH. ARGV[1] owner. Deletes the lease when the owner
// holds it; returns 1 then, else 0.
var releaseScript = newScript("releaseScript", `
if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`)

// Lease takes the named lease for owner, or renews it when owner holds it, for ttl. It
// returns the holding's fencing token, or 0 when another owner holds the lease.
func (s *Store) Lease(ctx context.Context, name, owner string, ttl time.Duration) (int64, error) {
	if ttl < time.Millisecond {
		return 0, fmt.Errorf("lease %s: ttl %s is too short", name, ttl)
	}
	token, err := s.durable.run(ctx, leaseScript, s.rdb, []string{leaseKey(name), leaseTokenKey(name)}, owner, ttl.Milliseconds()).Int64()
	if err != nil {
		return 0, fmt.Errorf("lease %s: %w", name, err)
	}
	if token < 0 {
		return 0, nil
	}
	return token, nil
}

// ReleaseLease gives the named lease up when owner holds it (at a clean shutdown, so
// that another replica takes over at once instead of after the lease's lifetime).
func (s *Store) ReleaseLease(ctx context.Context, name, owner string) error {
	if err := releaseScript.Run(ctx, s.rdb, []string{leaseKey(name)}, owner).Err(); err != nil {
		return fmt.Errorf("release lease %s: %w", name, err)
	}
	return nil
}

// LeaseHolder is the owner holding the named lease and its token ("" and 0 when none).
func (s *Store) LeaseHolder(ctx context.Context, name string) (string, int64, error) {
	v, err := s.rdb.HMGet(ctx, leaseKey(name), "owner", "token").Result()
	if err != nil {
		return "", 0, fmt.Errorf("lease holder %s: %w", name, err)
	}
	owner, _ := v[0].(string)
	var token int64
	if t, ok := v[1].(string); ok {
		fmt.Sscan(t, &token)
	}
	return owner, token, nil
}
