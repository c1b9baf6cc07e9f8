package storage

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Dead letters: messages the outbox gave up on, kept with their reason for an operator
// to inspect (`participatiebot outbox dead`) and put back (`outbox retry`). They are
// trimmed by age and by number as asynq trims its archive (internal/rdb's archive
// script: ZREMRANGEBYSCORE below the cutoff, then ZREMRANGEBYRANK beyond the size), and
// here the payloads go with them.

// DeadKeep bounds the dead letters of one channel.
type DeadKeep struct {
	Age time.Duration // older ones are dropped
	Max int           // beyond this many, the oldest are dropped
}

// DefaultDeadKeep keeps a channel's dead letters 30 days, 10,000 at most.
var DefaultDeadKeep = DeadKeep{Age: 30 * 24 * time.Hour, Max: 10000}

func (k DeadKeep) orDefault() DeadKeep {
	if k.Age <= 0 {
		k.Age = DefaultDeadKeep.Age
	}
	if k.Max <= 0 {
		k.Max = DefaultDeadKeep.Max
	}
	return k
}

// DeadLetter is a message given up on.
type DeadLetter struct {
	ID       string
	Channel  string
	At       time.Time // when it was given up on
	Attempts int       // sends tried, the last one included
	Reason   string
	Bulk     bool
	Payload  []byte
}

// deadTrimStep is the most dead letters one script call drops, so that a script stays short.
const deadTrimStep = 1000

// trimDeadLua drops, from dead ZSET KEYS[4] and dead HASH KEYS[5], the letters older
// than cut and the oldest beyond most (at most deadTrimStep, 1000, of each).
const trimDeadLua = `
local function drop(ids)
  for _, d in ipairs(ids) do
    redis.call('ZREM', KEYS[4], d)
    redis.call('HDEL', KEYS[5], d, 'r:' .. d, 'n:' .. d, 'b:' .. d)
    redis.call('HDEL', KEYS[3], d, 'n:' .. d) -- where earlier versions left the payload
  end
end
local function trim(cut, most)
  drop(redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', '(' .. cut, 'LIMIT', 0, 1000))
  local over = redis.call('ZCARD', KEYS[4]) - tonumber(most)
  if over > 0 then drop(redis.call('ZRANGE', KEYS[4], 0, math.min(over, 1000) - 1)) end
end
`

// bury: KEYS[1] replies ZSET, KEYS[2] bulk ZSET, KEYS[3] messages HASH, KEYS[4] dead
// ZSET, KEYS[5] dead HASH. ARGV[1] owner, ARGV[2] id, ARGV[3] now (unix ms), ARGV[4]
// reason, ARGV[5] oldest kept (unix ms), ARGV[6] most kept. Moves the owner's message
// with its payload, reason, attempts (the last included) and queue into the dead
// letters, then trims them; returns 1, or 0 when the owner does not hold it (then
// nothing changed: no dead letter for a message someone else sent).
var bury = newScript("bury", trimDeadLua+`
local id = ARGV[2]
if redis.call('HGET', KEYS[3], 'o:' .. id) ~= ARGV[1] then return 0 end
local bulk = redis.call('ZREM', KEYS[2], id)
redis.call('ZREM', KEYS[1], id)
local payload = redis.call('HGET', KEYS[3], id) or ''
local n = tonumber(redis.call('HGET', KEYS[3], 'n:' .. id) or '0') + 1
redis.call('HDEL', KEYS[3], id, 'n:' .. id, 'o:' .. id)
redis.call('ZADD', KEYS[4], ARGV[3], id)
redis.call('HSET', KEYS[5], id, payload, 'r:' .. id, ARGV[4], 'n:' .. id, n, 'b:' .. id, bulk)
trim(ARGV[5], ARGV[6])
return 1`)

// Bury gives up on a message this Store holds: it moves to the channel's dead letters
// with reason, which are then trimmed to keep. ErrLeaseLost when this Store no longer
// holds it.
func (s *Store) Bury(ctx context.Context, channel, id string, now time.Time, reason string, keep DeadKeep) error {
	keep = keep.orDefault()
	// the index of channels with dead letters first: a crash in between leaves a name
	// with no letters, never letters nobody lists
	if err := s.rdb.SAdd(ctx, outboxDeadChannelsKey(), channel).Err(); err != nil {
		return fmt.Errorf("bury %s message %s: %w", channel, id, err)
	}
	n, err := s.durable.run(ctx, bury, s.rdb, deadKeys(channel), s.owner, id, now.UnixMilli(), reason,
		now.Add(-keep.Age).UnixMilli(), keep.Max).Int()
	if err != nil {
		return fmt.Errorf("bury %s message %s: %w", channel, id, err)
	}
	if n == 0 {
		return fmt.Errorf("bury %s message %s: %w", channel, id, ErrLeaseLost)
	}
	return nil
}

func deadKeys(channel string) []string {
	return []string{outboxQueueKey(channel), outboxBulkKey(channel), outboxMsgsKey(channel),
		outboxDeadKey(channel), outboxDeadMsgsKey(channel)}
}

// trimDead: KEYS as bury. ARGV[1] oldest kept (unix ms), ARGV[2] most kept. Returns
// how many dead letters remain.
var trimDead = newScript("trimDead", trimDeadLua+`
trim(ARGV[1], ARGV[2])
return redis.call('ZCARD', KEYS[4])`)

// TrimDead drops a channel's dead letters beyond keep, as Bury does, for a channel
// where nothing was buried for a while.
func (s *Store) TrimDead(ctx context.Context, channel string, now time.Time, keep DeadKeep) error {
	keep = keep.orDefault()
	for range 100 { // deadTrimStep at a time, up to 100,000
		before, err := s.rdb.ZCard(ctx, outboxDeadKey(channel)).Result()
		if err != nil {
			return fmt.Errorf("trim %s dead letters: %w", channel, err)
		}
		after, err := trimDead.Run(ctx, s.rdb, deadKeys(channel), now.Add(-keep.Age).UnixMilli(), keep.Max).Int64()
		if err != nil {
			return fmt.Errorf("trim %s dead letters: %w", channel, err)
		}
		if before-after < deadTrimStep {
			return nil
		}
	}
	return nil
}

// DeadChannels are the channels that may have dead letters.
func (s *Store) DeadChannels(ctx context.Context) ([]string, error) {
	names, err := s.rdb.SMembers(ctx, outboxDeadChannelsKey()).Result()
	if err != nil {
		return nil, fmt.Errorf("list channels with dead letters: %w", err)
	}
	return names, nil
}

// DeadLetters lists up to limit dead letters of a channel, newest first.
func (s *Store) DeadLetters(ctx context.Context, channel string, limit int) ([]DeadLetter, error) {
	zs, err := s.rdb.ZRevRangeWithScores(ctx, outboxDeadKey(channel), 0, int64(limit)-1).Result()
	if err != nil {
		return nil, fmt.Errorf("list %s dead letters: %w", channel, err)
	}
	if len(zs) == 0 {
		return nil, nil
	}
	fields := make([]string, 0, 4*len(zs))
	for _, z := range zs {
		id := z.Member.(string)
		fields = append(fields, id, "r:"+id, "n:"+id, "b:"+id)
	}
	vals, err := s.rdb.HMGet(ctx, outboxDeadMsgsKey(channel), fields...).Result()
	if err != nil {
		return nil, fmt.Errorf("list %s dead letters: %w", channel, err)
	}
	str := func(v any) string { s, _ := v.(string); return s }
	out := make([]DeadLetter, len(zs))
	for i, z := range zs {
		n, _ := strconv.Atoi(str(vals[4*i+2]))
		out[i] = DeadLetter{ID: z.Member.(string), Channel: channel, At: time.UnixMilli(int64(z.Score)),
			Payload: []byte(str(vals[4*i])), Reason: str(vals[4*i+1]), Attempts: n, Bulk: str(vals[4*i+3]) == "1"}
	}
	return out, nil
}

// requeueDead: KEYS as bury. ARGV[1] due (unix ms), ARGV[2…] ids. Puts dead letters
// back in their queue with no attempts counted, and drops listed ids without a payload;
// returns how many it put back.
var requeueDead = newScript("requeueDead", `
local n = 0
for i = 2, #ARGV do
  local id = ARGV[i]
  -- earlier versions left the payload in the messages HASH
  local payload = redis.call('HGET', KEYS[5], id) or redis.call('HGET', KEYS[3], id)
  if payload then
    local q = KEYS[1]
    if redis.call('HGET', KEYS[5], 'b:' .. id) == '1' then q = KEYS[2] end
    redis.call('HSET', KEYS[3], id, payload)
    redis.call('ZADD', q, ARGV[1], id)
    n = n + 1
  end
  redis.call('ZREM', KEYS[4], id)
  redis.call('HDEL', KEYS[5], id, 'r:' .. id, 'n:' .. id, 'b:' .. id)
end
return n`)

// RequeueDead puts dead letters of a channel back in the queue, due at due, and
// reports how many of ids it found.
func (s *Store) RequeueDead(ctx context.Context, channel string, due time.Time, ids ...string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	args := make([]any, 0, 1+len(ids))
	args = append(args, due.UnixMilli())
	for _, id := range ids {
		args = append(args, id)
	}
	n, err := s.durable.run(ctx, requeueDead, s.rdb, deadKeys(channel), args...).Int()
	if err != nil {
		return 0, fmt.Errorf("requeue %d %s dead letters: %w", len(ids), channel, err)
	}
	return n, nil
}

// RequeueAllDead puts every dead letter of a channel back in the queue, due at due,
// and reports how many.
func (s *Store) RequeueAllDead(ctx context.Context, channel string, due time.Time) (int, error) {
	total := 0
	for {
		ids, err := s.rdb.ZRange(ctx, outboxDeadKey(channel), 0, 499).Result()
		if err != nil && err != redis.Nil {
			return total, fmt.Errorf("requeue %s dead letters: %w", channel, err)
		}
		if len(ids) == 0 {
			return total, nil
		}
		n, err := s.RequeueDead(ctx, channel, due, ids...) // removes every id listed
		total += n
		if err != nil {
			return total, err
		}
	}
}
