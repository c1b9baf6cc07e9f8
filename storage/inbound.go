package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// The inbound failure policy (bot.Engine.Handle) counts the failed attempts at an
// update and, past a bound or at once for a panic, sets the update aside here: the
// update is then confirmed to the platform, so that one update that cannot be handled
// never blocks the residents behind it. Operators list what was set aside with
// `participatiebot inbound`.

// InboundAttemptsTTL is how long failed attempts at an update are remembered; platforms
// redeliver an unconfirmed update within minutes.
const InboundAttemptsTTL = 24 * time.Hour

// InboundDeadTTL and InboundDeadMax bound the updates set aside, by age and by number.
const (
	InboundDeadTTL = 30 * 24 * time.Hour
	InboundDeadMax = 10000
)

// InboundDead is an inbound update that was set aside. It holds no platform user id and
// no typed text: only what an operator needs to see what went wrong.
type InboundDead struct {
	Time     time.Time `json:"time"`
	Channel  string    `json:"channel"`
	UpdateID string    `json:"update_id"`
	// Kind is "command", "choice", "text" or "" when the channel could not map it.
	Kind string `json:"kind"`
	// Detail is the command, or the button data (clipped), never a typed text.
	Detail   string `json:"detail,omitempty"`
	Reason   string `json:"reason"`
	Attempts int    `json:"attempts"`
}

// InboundFailed counts one failed attempt at an update and returns the attempts so far.
func (s *Store) InboundFailed(ctx context.Context, channel, updateID string) (int, error) {
	key := inboundAttemptsKey(channel, updateID)
	var incr *redis.IntCmd
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		incr = p.Incr(ctx, key)
		p.Expire(ctx, key, InboundAttemptsTTL)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count failed attempt at %s update %s: %w", channel, updateID, err)
	}
	return int(incr.Val()), nil
}

// setAside: KEYS[1] dead ZSET, KEYS[2] dead entries HASH, KEYS[3] attempts STRING.
// ARGV[1] member "<channel>:<update>", ARGV[2] entry JSON, ARGV[3] now (unix ms),
// ARGV[4] oldest score kept, ARGV[5] most entries kept.
// Returns 1 when set aside now, 0 when it was already.
var setAside = newScript("setAside", `
redis.call('DEL', KEYS[3])
local added = redis.call('ZADD', KEYS[1], 'NX', ARGV[3], ARGV[1])
if added == 1 then redis.call('HSET', KEYS[2], ARGV[1], ARGV[2]) end
local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[4])
local n = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[5])
if n > 0 then
  for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, n - 1)) do table.insert(old, m) end
end
for _, m in ipairs(old) do
  redis.call('ZREM', KEYS[1], m)
  redis.call('HDEL', KEYS[2], m)
end
return added`)

// SetAside records an inbound update as set aside, once per update, and trims what
// was set aside by age (InboundDeadTTL) and number (InboundDeadMax). The caller marks
// the update handled (MarkUpdate), so a redelivery is not tried again.
func (s *Store) SetAside(ctx context.Context, d InboundDead) error {
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("set aside %s update %s: %w", d.Channel, d.UpdateID, err)
	}
	now := d.Time.UnixMilli()
	keys := []string{inboundDeadKey(), inboundDeadEntriesKey(), inboundAttemptsKey(d.Channel, d.UpdateID)}
	err = s.durable.run(ctx, setAside, s.rdb, keys, d.Channel+":"+d.UpdateID, b, now,
		strconv.FormatInt(now-InboundDeadTTL.Milliseconds(), 10), InboundDeadMax).Err()
	if err != nil {
		return fmt.Errorf("set aside %s update %s: %w", d.Channel, d.UpdateID, err)
	}
	return nil
}

// SetAsideUpdates returns the newest n updates set aside, newest first.
func (s *Store) SetAsideUpdates(ctx context.Context, n int) ([]InboundDead, error) {
	if n <= 0 {
		return nil, nil
	}
	members, err := s.rdb.ZRevRange(ctx, inboundDeadKey(), 0, int64(n)-1).Result()
	if err != nil {
		return nil, fmt.Errorf("list updates set aside: %w", err)
	}
	if len(members) == 0 {
		return nil, nil
	}
	vals, err := s.rdb.HMGet(ctx, inboundDeadEntriesKey(), members...).Result()
	if err != nil {
		return nil, fmt.Errorf("list updates set aside: %w", err)
	}
	out := make([]InboundDead, 0, len(vals))
	for i, v := range vals {
		str, ok := v.(string)
		if !ok {
			continue // trimmed between the two reads
		}
		var d InboundDead
		if err := json.Unmarshal([]byte(str), &d); err != nil {
			return nil, fmt.Errorf("update set aside %s: %w", members[i], err)
		}
		out = append(out, d)
	}
	return out, nil
}
