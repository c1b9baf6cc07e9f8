package storage

import (
	"context"
	"fmt"
)

// The scheduler's writes to a round carry the fencing token of its lease (see
// lease.go): WithFence puts it in the context, and the round's transition scripts
// refuse a token smaller than the largest one the round has seen (its "fence" field),
// with ErrFenced. The check lives in the round's own hash, in the round's slot, so it
// works on a cluster where the lease is in another slot; a write without a token (the
// CLI, an organiser's action through the dashboard) is not fenced.

type fenceKey struct{}

// WithFence returns a context whose round writes carry the fencing token.
func WithFence(ctx context.Context, token int64) context.Context {
	return context.WithValue(ctx, fenceKey{}, token)
}

// fenceOf is the context's fencing token; 0 when none.
func fenceOf(ctx context.Context) int64 {
	t, _ := ctx.Value(fenceKey{}).(int64)
	return t
}

// fenceLua defines fenced(key, token): true when the hash at key has seen a larger
// token (the write must not happen); otherwise it records token as seen. A token of 0
// is not fenced.
const fenceLua = `
local function fenced(key, token)
  token = tonumber(token)
  if token == 0 then return false end
  local seen = tonumber(redis.call('HGET', key, 'fence') or '0')
  if token < seen then return true end
  if token > seen then redis.call('HSET', key, 'fence', token) end
  return false
end
`

// markRound: KEYS[1] round meta HASH. ARGV[1] fencing token, ARGV[2] field, ARGV[3]
// value, ARGV[4] "nx" to set only a missing field. Returns 1 when set, 0 when the
// field existed (nx), -1 when fenced.
var markRound = newScript("markRound", fenceLua+`
if fenced(KEYS[1], ARGV[1]) then return -1 end
if ARGV[4] == 'nx' then
  return redis.call('HSETNX', KEYS[1], ARGV[2], ARGV[3])
end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
return 1`)

// mark sets a field of a round's meta under the context's fence; false when nx and
// the field was set already.
func (s *Store) mark(ctx context.Context, rid, field string, value any, nx bool) (bool, error) {
	mode := ""
	if nx {
		mode = "nx"
	}
	n, err := s.durable.run(ctx, markRound, s.rdb, []string{roundKey(rid)}, fenceOf(ctx), field, value, mode).Int()
	if err != nil {
		return false, err
	}
	if n < 0 {
		return false, fmt.Errorf("%w (round %s, token %d)", ErrFenced, rid, fenceOf(ctx))
	}
	return n == 1, nil
}

// checkFence: KEYS[1] round meta HASH. ARGV[1] fencing token. Returns -1 when fenced,
// else 1 (recording the token as seen).
var checkFence = newScript("checkFence", fenceLua+`
if fenced(KEYS[1], ARGV[1]) then return -1 end
return 1`)

// CheckFence returns ErrFenced when the round has seen a fencing token newer than the
// context's, and records the context's otherwise: a pass checks it before it does
// anything to a round, so an old leader also queues nothing (its broadcasts would be
// deduplicated anyway) once its successor touched the round.
func (s *Store) CheckFence(ctx context.Context, rid string) error {
	if fenceOf(ctx) == 0 {
		return nil
	}
	n, err := checkFence.Run(ctx, s.rdb, []string{roundKey(rid)}, fenceOf(ctx)).Int()
	if err != nil {
		return fmt.Errorf("check fence of round %s: %w", rid, err)
	}
	if n < 0 {
		return fmt.Errorf("round %s: %w (token %d)", rid, ErrFenced, fenceOf(ctx))
	}
	return nil
}
