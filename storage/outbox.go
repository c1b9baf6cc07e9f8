package storage

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// The outbox of a channel is two queues, replies and bulk (broadcasts), so that a
// resident's next question never waits behind a broadcast (Claim takes replies first).
// A claimed message stays in its queue, pushed a lease ahead and marked with the
// claiming Store's owner token; the sender extends the lease while it holds the message
// (Extend, a heartbeat), and Ack, Retry and Bury succeed only for the owner. A sender
// that died loses its messages to the next claim once the lease has run out, and its
// late Ack or Bury can neither drop nor bury a message that someone else now holds.

// OutboxItem is one queued message, claimed for sending.
type OutboxItem struct {
	ID       string
	Payload  []byte
	Attempts int
	// Bulk says the message came from the bulk queue (a broadcast).
	Bulk bool
}

// OutboxEntry is one message to queue with EnqueueBatch.
type OutboxEntry struct {
	Payload []byte
	Due     time.Time
	// Dedupe, when set, queues the message at most once per key for Keep (0: DedupeTTL).
	Dedupe string
	Keep   time.Duration
	// Bulk queues it behind every reply (a broadcast).
	Bulk bool
}

// DedupeTTL is how long a dedupe key keeps a message from being queued again when the
// caller does not say: a broadcast is queued within hours and then marked done (the
// round's InvitesDone, its reminders, its state), so a week covers resuming it after a
// crash or an outage; what is still untrue at send time is caught by the outbox's
// freshness check instead. Replies to an inbound update need far less
// (bot.Redelivery).
const DedupeTTL = 7 * 24 * time.Hour

// ErrLeaseLost is returned by Ack, Retry and Bury when the message is no longer held
// by this Store: its lease ran out and another sender claimed it (or settled it).
var ErrLeaseLost = errors.New("lease lost")

// newOwner is a Store's owner token for the leases it takes: random, so that every
// process (and every Store in a test) is a different owner.
func newOwner() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("read random owner token: %v", err)) // crypto/rand never fails on Linux
	}
	return hex.EncodeToString(b)
}

// Owner is the token that marks the messages this Store claimed.
func (s *Store) Owner() string { return s.owner }

// enqueueBatch: KEYS[1] replies ZSET, KEYS[2] bulk ZSET, KEYS[3] messages HASH,
// KEYS[4] seq STRING, KEYS[4+i] the dedupe STRING of entry i (a placeholder never
// written when the entry has none). ARGV holds five values per entry: payload, due
// (unix ms), "1" to dedupe, dedupe ttl (s), "1" for bulk. Returns one id per entry,
// "" where the dedupe key was seen.
var enqueueBatch = newScript("enqueueBatch", chunkedLua+`
local n = #ARGV / 5
local fresh, count = {}, 0
for i = 0, n - 1 do
  local a = i * 5
  local ok = true
  if ARGV[a+3] == '1' then
    ok = redis.call('SET', KEYS[5+i], '1', 'NX', 'EX', ARGV[a+4])
  end
  if ok then
    fresh[i+1] = true
    count = count + 1
  end
end
local id = redis.call('INCRBY', KEYS[4], count) - count
local out, msgs, replies, bulk = {}, {}, {}, {}
for i = 0, n - 1 do
  local a = i * 5
  if fresh[i+1] then
    id = id + 1
    local sid = string.format('%012d', id)
    msgs[#msgs+1] = sid
    msgs[#msgs+1] = ARGV[a+1]
    local q = replies
    if ARGV[a+5] == '1' then q = bulk end
    q[#q+1] = ARGV[a+2]
    q[#q+1] = sid
    out[#out+1] = sid
  else
    out[#out+1] = ''
  end
end
if #msgs > 0 then chunked('HSET', KEYS[3], msgs, 1000) end
if #replies > 0 then chunked('ZADD', KEYS[1], replies, 1000) end
if #bulk > 0 then chunked('ZADD', KEYS[2], bulk, 1000) end
return out`)

// Enqueue queues a reply for a channel, due at the given time. With a non-empty dedupe
// key the message is queued at most once per key for keep (0: DedupeTTL); it reports
// whether it was queued.
func (s *Store) Enqueue(ctx context.Context, channel string, payload []byte, due time.Time, dedupe string, keep time.Duration) (bool, error) {
	queued, err := s.EnqueueBatch(ctx, channel, []OutboxEntry{{Payload: payload, Due: due, Dedupe: dedupe, Keep: keep}})
	if err != nil {
		return false, err
	}
	return queued[0], nil
}

// Batch sizes of EnqueueBatch: entries per script call, and script calls per pipeline
// (one round trip).
const (
	enqueuePerScript   = 100
	enqueuePerPipeline = 10
)

// EnqueueBatch queues many messages for a channel in few round trips: a script call per
// hundred entries, ten calls to a pipeline. queued[i] reports whether entries[i] was
// queued (false: its dedupe key was seen). Every script call is atomic, so a batch cut
// short by an error has queued whole calls only; posting it again is safe for entries
// with a dedupe key.
func (s *Store) EnqueueBatch(ctx context.Context, channel string, entries []OutboxEntry) ([]bool, error) {
	queued := make([]bool, 0, len(entries))
	if len(entries) == 1 { // one message (a Post): Run loads the script when Redis lacks it
		ids, err := s.durable.run(ctx, enqueueBatch, s.rdb, enqueueKeys(channel, entries), enqueueArgs(entries)...).StringSlice()
		if err != nil {
			return nil, fmt.Errorf("enqueue %s message: %w", channel, err)
		}
		return append(queued, ids[0] != ""), nil
	}
	if len(entries) > 0 {
		if err := enqueueBatch.Load(ctx, s.rdb).Err(); err != nil {
			return nil, fmt.Errorf("enqueue %s messages: load script: %w", channel, err)
		}
	}
	per := enqueuePerScript * enqueuePerPipeline
	for start := 0; start < len(entries); start += per {
		chunk := entries[start:min(start+per, len(entries))]
		pipe := s.rdb.Pipeline()
		var cmds []*redis.Cmd
		for i := 0; i < len(chunk); i += enqueuePerScript {
			part := chunk[i:min(i+enqueuePerScript, len(chunk))]
			cmds = append(cmds, enqueueBatch.EvalSha(ctx, pipe, enqueueKeys(channel, part), enqueueArgs(part)...))
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return queued, fmt.Errorf("enqueue %s messages %d–%d of %d: %w", channel, start+1, start+len(chunk), len(entries), err)
		}
		for _, c := range cmds {
			ids, err := c.StringSlice()
			if err != nil {
				return queued, fmt.Errorf("enqueue %s messages: %w", channel, err)
			}
			for _, id := range ids {
				queued = append(queued, id != "")
			}
		}
	}
	return queued, nil
}

func enqueueKeys(channel string, entries []OutboxEntry) []string {
	keys := make([]string, 4, 4+len(entries))
	keys[0], keys[1], keys[2], keys[3] = outboxQueueKey(channel), outboxBulkKey(channel), outboxMsgsKey(channel), outboxSeqKey(channel)
	for _, e := range entries {
		dkey := outboxDedupeKey(channel, "-")
		if e.Dedupe != "" {
			// hashed: dedupe keys name rounds and pseudonyms, and outlive an erasure
			sum := sha256.Sum256([]byte(e.Dedupe))
			dkey = outboxDedupeKey(channel, hex.EncodeToString(sum[:16]))
		}
		keys = append(keys, dkey)
	}
	return keys
}

func enqueueArgs(entries []OutboxEntry) []any {
	args := make([]any, 0, 5*len(entries))
	for _, e := range entries {
		keep := e.Keep
		if keep <= 0 {
			keep = DedupeTTL
		}
		args = append(args, e.Payload, e.Due.UnixMilli(), flag(e.Dedupe != ""), max(int64(keep.Seconds()), 1), flag(e.Bulk))
	}
	return args
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// chunkedLua calls a command with many arguments in steps that Lua's unpack can take,
// joining the replies: chunked('HMGET', key, fields, 1000).
const chunkedLua = `
local function chunked(cmd, key, args, step)
  local out = {}
  for i = 1, #args, step do
    local r = redis.call(cmd, key, unpack(args, i, math.min(i + step - 1, #args)))
    if type(r) == 'table' then
      for j = 1, #r do out[#out+1] = r[j] end
    end
  end
  return out
end
`

// claim: KEYS[1] replies ZSET, KEYS[2] bulk ZSET, KEYS[3] messages HASH. ARGV[1] now
// (unix ms), ARGV[2] lease (ms), ARGV[3] most replies, ARGV[4] most bulk, ARGV[5] most
// in all, ARGV[6] owner. Takes due replies first, then due bulk; pushes each a lease
// ahead, marks it with the owner and returns id, payload, attempts, bulk ("1"/"0")
// quadruples in due order.
var claim = newScript("claim", chunkedLua+`
local out = {}
local leaseEnd = ARGV[1] + ARGV[2]
local function take(q, most, bulk)
  if most <= 0 then return 0 end
  local ids = redis.call('ZRANGEBYSCORE', q, '-inf', ARGV[1], 'LIMIT', 0, most)
  if #ids == 0 then return 0 end
  local leases, owners, fields = {}, {}, {}
  for _, id in ipairs(ids) do
    leases[#leases+1] = leaseEnd
    leases[#leases+1] = id
    owners[#owners+1] = 'o:' .. id
    owners[#owners+1] = ARGV[6]
    fields[#fields+1] = id
    fields[#fields+1] = 'n:' .. id
  end
  chunked('ZADD', q, leases, 1000)
  chunked('HSET', KEYS[3], owners, 1000)
  local vals = chunked('HMGET', KEYS[3], fields, 1000)
  for i, id in ipairs(ids) do
    out[#out+1] = id
    out[#out+1] = vals[2*i-1] or ''
    out[#out+1] = vals[2*i] or '0'
    out[#out+1] = bulk
  end
  return #ids
end
local total = tonumber(ARGV[5])
local got = take(KEYS[1], math.min(tonumber(ARGV[3]), total), '0')
take(KEYS[2], math.min(tonumber(ARGV[4]), total - got), '1')
return out`)

// Claim takes up to limit due messages, replies before bulk, leasing them to this
// Store: a message not settled or extended within the lease is due again (its sender
// died).
func (s *Store) Claim(ctx context.Context, channel string, now time.Time, lease time.Duration, limit int) ([]OutboxItem, error) {
	return s.ClaimEach(ctx, channel, now, lease, limit, limit, limit)
}

// ClaimEach is Claim with a bound for each queue: up to replies replies, then up to
// bulk bulk messages, total at most.
func (s *Store) ClaimEach(ctx context.Context, channel string, now time.Time, lease time.Duration, replies, bulk, total int) ([]OutboxItem, error) {
	res, err := s.durable.run(ctx, claim, s.rdb, []string{outboxQueueKey(channel), outboxBulkKey(channel), outboxMsgsKey(channel)},
		now.UnixMilli(), lease.Milliseconds(), replies, bulk, total, s.owner).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("claim %s messages: %w", channel, err)
	}
	items := make([]OutboxItem, 0, len(res)/4)
	for i := 0; i+3 < len(res); i += 4 {
		n, _ := strconv.Atoi(res[i+2])
		items = append(items, OutboxItem{ID: res[i], Payload: []byte(res[i+1]), Attempts: n, Bulk: res[i+3] == "1"})
	}
	return items, nil
}

// extend: KEYS[1] replies ZSET, KEYS[2] bulk ZSET, KEYS[3] messages HASH. ARGV[1] new
// lease end (unix ms), ARGV[2] owner, ARGV[3…] ids. Pushes the owner's messages to the
// new lease end; returns the ids it does not own (any more).
var extend = newScript("extend", chunkedLua+`
local ids, fields = {}, {}
for i = 3, #ARGV do
  ids[#ids+1] = ARGV[i]
  fields[#fields+1] = 'o:' .. ARGV[i]
end
local owners = chunked('HMGET', KEYS[3], fields, 1000)
local lost, leases = {}, {}
for i, id in ipairs(ids) do
  if owners[i] == ARGV[2] then
    leases[#leases+1] = ARGV[1]
    leases[#leases+1] = id
  else
    lost[#lost+1] = id
  end
end
for _, q in ipairs({KEYS[1], KEYS[2]}) do
  for i = 1, #leases, 1000 do
    redis.call('ZADD', q, 'XX', unpack(leases, i, math.min(i + 999, #leases)))
  end
end
return lost`)

// Extend renews the lease of messages this Store holds until until (the heartbeat of a
// sender), and returns those it no longer holds.
func (s *Store) Extend(ctx context.Context, channel string, ids []string, until time.Time) (lost []string, err error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, 0, 2+len(ids))
	args = append(args, until.UnixMilli(), s.owner)
	for _, id := range ids {
		args = append(args, id)
	}
	lost, err = s.durable.run(ctx, extend, s.rdb, []string{outboxQueueKey(channel), outboxBulkKey(channel), outboxMsgsKey(channel)}, args...).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("extend leases of %d %s messages: %w", len(ids), channel, err)
	}
	return lost, nil
}

// ack: KEYS[1] replies ZSET, KEYS[2] bulk ZSET, KEYS[3] messages HASH, KEYS[4]
// skipped STRING. ARGV[1] owner, ARGV[2] "1" when the messages were not sent but are
// no longer true (counted in KEYS[4]), ARGV[3…] ids. Removes the owner's messages;
// returns the ids it does not own.
var ack = newScript("ack", chunkedLua+`
local ids, fields = {}, {}
for i = 3, #ARGV do
  ids[#ids+1] = ARGV[i]
  fields[#fields+1] = 'o:' .. ARGV[i]
end
local owners = chunked('HMGET', KEYS[3], fields, 1000)
local lost, owned, gone = {}, {}, {}
for i, id in ipairs(ids) do
  if owners[i] == ARGV[1] then
    owned[#owned+1] = id
    gone[#gone+1] = id
    gone[#gone+1] = 'n:' .. id
    gone[#gone+1] = 'o:' .. id
  else
    lost[#lost+1] = id
  end
end
if #owned > 0 then
  chunked('ZREM', KEYS[1], owned, 1000)
  chunked('ZREM', KEYS[2], owned, 1000)
  chunked('HDEL', KEYS[3], gone, 999)
  if ARGV[2] == '1' then redis.call('INCRBY', KEYS[4], #owned) end
end
return lost`)

// Ack removes a sent message; ErrLeaseLost when this Store no longer holds it.
func (s *Store) Ack(ctx context.Context, channel, id string) error {
	lost, err := s.AckMany(ctx, channel, []string{id}, false)
	if err != nil {
		return err
	}
	if len(lost) > 0 {
		return fmt.Errorf("ack %s message %s: %w", channel, id, ErrLeaseLost)
	}
	return nil
}

// AckMany removes messages in one step and returns those this Store no longer held
// (not removed). skipped says they were not sent because they are no longer true
// (OutboxSkipped counts them), rather than sent.
func (s *Store) AckMany(ctx context.Context, channel string, ids []string, skipped bool) (lost []string, err error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, 0, 2+len(ids))
	args = append(args, s.owner, flag(skipped))
	for _, id := range ids {
		args = append(args, id)
	}
	keys := []string{outboxQueueKey(channel), outboxBulkKey(channel), outboxMsgsKey(channel), outboxSkippedKey(channel)}
	lost, err = s.durable.run(ctx, ack, s.rdb, keys, args...).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("ack %d %s messages: %w", len(ids), channel, err)
	}
	return lost, nil
}

// OutboxSkipped counts the messages of a channel that were not sent because they were
// no longer true when their turn came.
func (s *Store) OutboxSkipped(ctx context.Context, channel string) (int64, error) {
	n, err := s.rdb.Get(ctx, outboxSkippedKey(channel)).Int64()
	if err != nil && !isNil(err) {
		return 0, fmt.Errorf("count skipped %s messages: %w", channel, err)
	}
	return n, nil
}

// retry: KEYS[1] replies ZSET, KEYS[2] bulk ZSET, KEYS[3] messages HASH. ARGV[1]
// owner, ARGV[2] id, ARGV[3] due (unix ms), ARGV[4] "1" to count an attempt. Puts the
// owner's message back in its queue, no longer leased; returns 1, or 0 when the owner
// does not hold it.
var retry = newScript("retry", `
local id = ARGV[2]
if redis.call('HGET', KEYS[3], 'o:' .. id) ~= ARGV[1] then return 0 end
redis.call('ZADD', KEYS[1], 'XX', ARGV[3], id)
redis.call('ZADD', KEYS[2], 'XX', ARGV[3], id)
redis.call('HDEL', KEYS[3], 'o:' .. id)
if ARGV[4] == '1' then redis.call('HINCRBY', KEYS[3], 'n:' .. id, 1) end
return 1`)

// Retry puts a message back, due at the given time; countAttempt says whether the
// failure counts towards giving up (a rate limit does not). ErrLeaseLost when this
// Store no longer holds it: then nothing changed, not even the attempts.
func (s *Store) Retry(ctx context.Context, channel, id string, due time.Time, countAttempt bool) error {
	n, err := s.durable.run(ctx, retry, s.rdb, []string{outboxQueueKey(channel), outboxBulkKey(channel), outboxMsgsKey(channel)},
		s.owner, id, due.UnixMilli(), flag(countAttempt)).Int()
	if err != nil {
		return fmt.Errorf("retry %s message %s: %w", channel, id, err)
	}
	if n == 0 {
		return fmt.Errorf("retry %s message %s: %w", channel, id, ErrLeaseLost)
	}
	return nil
}

// OutboxLen is the number of messages queued (due or not, claimed or not) for a channel.
func (s *Store) OutboxLen(ctx context.Context, channel string) (int64, error) {
	pipe := s.rdb.Pipeline()
	r, b := pipe.ZCard(ctx, outboxQueueKey(channel)), pipe.ZCard(ctx, outboxBulkKey(channel))
	if _, err := pipe.Exec(ctx); err != nil {
		return 0, fmt.Errorf("count %s outbox: %w", channel, err)
	}
	return r.Val() + b.Val(), nil
}

// NextDue is when the earliest queued message of a channel is due (ok false if none).
func (s *Store) NextDue(ctx context.Context, channel string) (time.Time, bool, error) {
	pipe := s.rdb.Pipeline()
	r := pipe.ZRangeWithScores(ctx, outboxQueueKey(channel), 0, 0)
	b := pipe.ZRangeWithScores(ctx, outboxBulkKey(channel), 0, 0)
	if _, err := pipe.Exec(ctx); err != nil {
		return time.Time{}, false, fmt.Errorf("next due %s message: %w", channel, err)
	}
	zs := append(r.Val(), b.Val()...)
	if len(zs) == 0 {
		return time.Time{}, false, nil
	}
	first := zs[0].Score
	for _, z := range zs[1:] {
		first = min(first, z.Score)
	}
	return time.UnixMilli(int64(first)), true, nil
}
