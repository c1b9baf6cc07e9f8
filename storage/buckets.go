package storage

import (
	"context"
	"fmt"
	"time"
)

// A platform's per-route rate limit buckets, as its answers describe them (Discord:
// X-RateLimit-Bucket, -Remaining, -Reset-After on every answer), shared by every
// replica: what one replica learns of a bucket, the others wait for. A bucket is a
// HASH of the requests left (rem) and when it fills again (reset, ms on Redis's
// clock), under one key per bucket and major parameter (the DM channel).
//
// A bucket not known yet lets one request through and holds the others for up to
// probe, until that request's answer teaches the bucket's size (LearnBucket), as
// discordgo does within one process.

// bucketProbe is how long an unknown bucket waits for its first answer.
const bucketProbe = 2 * time.Second

// takeBucket: KEYS[1] the bucket. ARGV[1] probe ms. Returns 0 when a request may
// go now (its place taken), else the milliseconds until the bucket fills again.
var takeBucket = newScript("takeBucket", `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local b = redis.call('HMGET', KEYS[1], 'rem', 'reset')
local rem, reset = tonumber(b[1]), tonumber(b[2])
if not reset or now >= reset then
  -- unknown, or filled again: this request probes, the others wait for its answer
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'rem', 0, 'reset', now + tonumber(ARGV[1]))
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) + 1000)
  return 0
end
if rem > 0 then
  redis.call('HINCRBY', KEYS[1], 'rem', -1)
  return 0
end
return math.max(reset - now, 1)`)

// learnBucket: KEYS[1] the bucket. ARGV[1] requests left, ARGV[2] ms until it
// fills. Records what an answer said; within the window known already it only
// lowers what is left (an answer to an earlier request may come later).
var learnBucket = newScript("learnBucket", `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local rem, reset = tonumber(ARGV[1]), now + tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'rem', 'reset', 'known')
local orem, oreset = tonumber(b[1]), tonumber(b[2])
if b[3] and orem and oreset and reset <= oreset + 100 then
  -- the same window: answers come out of order, the fewest left is the truth
  rem, reset = math.min(rem, orem), oreset
end
redis.call('HSET', KEYS[1], 'rem', rem, 'reset', reset, 'known', 1)
redis.call('PEXPIRE', KEYS[1], reset - now + 1000)
return 0`)

// TakeBucket takes a place in the shared bucket named key for a request: zero when
// the request may go now, else how long until the bucket fills again.
func (s *Store) TakeBucket(ctx context.Context, key string) (time.Duration, error) {
	ms, err := takeBucket.Run(ctx, s.rdb, []string{routeBucketKey(key)}, bucketProbe.Milliseconds()).Int64()
	if err != nil {
		return 0, fmt.Errorf("take rate limit bucket: %w", err)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// LearnBucket records what the platform said of the bucket named key: remaining
// requests until it fills again after resetAfter.
func (s *Store) LearnBucket(ctx context.Context, key string, remaining int, resetAfter time.Duration) error {
	ms := max(resetAfter.Milliseconds(), 1)
	if err := learnBucket.Run(ctx, s.rdb, []string{routeBucketKey(key)}, remaining, ms).Err(); err != nil {
		return fmt.Errorf("learn rate limit bucket: %w", err)
	}
	return nil
}
