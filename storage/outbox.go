package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// OutboxItem is one queued message, claimed for sending.
type OutboxItem struct {
	ID       string
	Payload  []byte
	Attempts int
}

// DedupeTTL is how long a dedupe key keeps a message from being queued again, unless
// the caller says otherwise: longer than any round lasts, so a resumed broadcast never
// sends twice.
const DedupeTTL = 120 * 24 * time.Hour

// enqueue: KEYS[1] queue ZSET, KEYS[2] messages HASH, KEYS[3] seq STRING,
// KEYS[4] dedupe STRING. ARGV[1] payload, ARGV[2] due (unix ms), ARGV[3] "1" to
// dedupe, ARGV[4] dedupe ttl (s). Returns the new id, or "" when the dedupe key was seen.
var enqueue = redis.NewScript(`
if ARGV[3] == '1' then
  if not redis.call('SET', KEYS[4], '1', 'NX', 'EX', ARGV[4]) then return '' end
end
local id = string.format('%012d', redis.call('INCR', KEYS[3]))
redis.call('HSET', KEYS[2], id, ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[2], id)
return id`)

// Enqueue queues a payload for a channel, due at the given time. With a non-empty
// dedupe key the message is queued at most once per key for keep (0: DedupeTTL); it
// reports whether it was queued.
func (s *Store) Enqueue(ctx context.Context, channel string, payload []byte, due time.Time, dedupe string, keep time.Duration) (bool, error) {
	if keep <= 0 {
		keep = DedupeTTL
	}
	flag, dkey := "0", outboxDedupeKey(channel, "-")
	if dedupe != "" {
		// hashed: dedupe keys name rounds and pseudonyms, and outlive an erasure
		sum := sha256.Sum256([]byte(dedupe))
		flag, dkey = "1", outboxDedupeKey(channel, hex.EncodeToString(sum[:16]))
	}
	keys := []string{outboxQueueKey(channel), outboxMsgsKey(channel), outboxSeqKey(channel), dkey}
	id, err := enqueue.Run(ctx, s.rdb, keys, payload, due.UnixMilli(), flag, int(keep.Seconds())).Text()
	if err != nil {
		return false, fmt.Errorf("enqueue %s message: %w", channel, err)
	}
	return id != "", nil
}

// claim: KEYS[1] queue ZSET, KEYS[2] messages HASH. ARGV[1] now (unix ms),
// ARGV[2] lease (ms), ARGV[3] limit. Pushes each due message a lease ahead and returns
// id, payload, attempts triples in due order.
var claim = redis.NewScript(`
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
local out = {}
for _, id in ipairs(ids) do
  redis.call('ZADD', KEYS[1], ARGV[1] + ARGV[2], id)
  out[#out+1] = id
  out[#out+1] = redis.call('HGET', KEYS[2], id) or ''
  out[#out+1] = redis.call('HGET', KEYS[2], 'n:' .. id) or '0'
end
return out`)

// Claim takes up to limit due messages, leasing them: a message not acked or retried
// within the lease is due again (its sender died).
func (s *Store) Claim(ctx context.Context, channel string, now time.Time, lease time.Duration, limit int) ([]OutboxItem, error) {
	res, err := claim.Run(ctx, s.rdb, []string{outboxQueueKey(channel), outboxMsgsKey(channel)},
		now.UnixMilli(), lease.Milliseconds(), limit).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("claim %s messages: %w", channel, err)
	}
	items := make([]OutboxItem, 0, len(res)/3)
	for i := 0; i+2 < len(res); i += 3 {
		n, _ := strconv.Atoi(res[i+2])
		items = append(items, OutboxItem{ID: res[i], Payload: []byte(res[i+1]), Attempts: n})
	}
	return items, nil
}

// ack: KEYS[1] queue ZSET, KEYS[2] messages HASH. ARGV[1] id.
var ack = redis.NewScript(`
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1], 'n:' .. ARGV[1])
return 1`)

// Ack removes a sent message.
func (s *Store) Ack(ctx context.Context, channel, id string) error {
	if err := ack.Run(ctx, s.rdb, []string{outboxQueueKey(channel), outboxMsgsKey(channel)}, id).Err(); err != nil {
		return fmt.Errorf("ack %s message %s: %w", channel, id, err)
	}
	return nil
}

// retry: KEYS[1] queue ZSET, KEYS[2] messages HASH. ARGV[1] id, ARGV[2] due (unix ms),
// ARGV[3] "1" to count an attempt.
var retry = redis.NewScript(`
redis.call('ZADD', KEYS[1], 'XX', ARGV[2], ARGV[1])
if ARGV[3] == '1' then redis.call('HINCRBY', KEYS[2], 'n:' .. ARGV[1], 1) end
return 1`)

// Retry puts a message back, due at the given time; countAttempt says whether the
// failure counts towards giving up (a rate limit does not).
func (s *Store) Retry(ctx context.Context, channel, id string, due time.Time, countAttempt bool) error {
	flag := "0"
	if countAttempt {
		flag = "1"
	}
	if err := retry.Run(ctx, s.rdb, []string{outboxQueueKey(channel), outboxMsgsKey(channel)},
		id, due.UnixMilli(), flag).Err(); err != nil {
		return fmt.Errorf("retry %s message %s: %w", channel, id, err)
	}
	return nil
}

// bury: KEYS[1] queue ZSET, KEYS[2] dead ZSET. ARGV[1] id, ARGV[2] now (unix ms).
var bury = redis.NewScript(`
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1`)

// Bury gives up on a message; it stays in the dead set (with its payload) for inspection.
func (s *Store) Bury(ctx context.Context, channel, id string, now time.Time) error {
	if err := bury.Run(ctx, s.rdb, []string{outboxQueueKey(channel), outboxDeadKey(channel)},
		id, now.UnixMilli()).Err(); err != nil {
		return fmt.Errorf("bury %s message %s: %w", channel, id, err)
	}
	return nil
}

// OutboxLen is the number of messages queued (due or not) for a channel.
func (s *Store) OutboxLen(ctx context.Context, channel string) (int64, error) {
	n, err := s.rdb.ZCard(ctx, outboxQueueKey(channel)).Result()
	if err != nil {
		return 0, fmt.Errorf("count %s outbox: %w", channel, err)
	}
	return n, nil
}

// NextDue is when the earliest queued message of a channel is due (ok false if none).
func (s *Store) NextDue(ctx context.Context, channel string) (time.Time, bool, error) {
	zs, err := s.rdb.ZRangeWithScores(ctx, outboxQueueKey(channel), 0, 0).Result()
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due %s message: %w", channel, err)
	}
	if len(zs) == 0 {
		return time.Time{}, false, nil
	}
	return time.UnixMilli(int64(zs[0].Score)), true, nil
}
