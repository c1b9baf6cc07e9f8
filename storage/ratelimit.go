package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// The platform limits every replica of the service shares: one channel's rate, one
// chat's rate, and the pause a 429 asks for. The outbox keeps its own window in each
// process as well (it knows when an answer came back); these are what the replicas
// together may not exceed. All of it runs on Redis's clock (TIME), the one clock the
// replicas share.
//
// The rates are the generic cell rate algorithm with a burst of one, as redis_rate
// (github.com/go-redis/redis_rate) runs it, but with both limits and the pause in one
// script: a send takes its place in the chat and in the channel together or in
// neither (two AllowN calls would spend a chat's place when the channel said no), in
// one round trip (redis_rate's AllowN reads its answer at once, so it cannot go in a
// pipeline), under the keys of keys.go (redis_rate puts its own "rate:" before every
// key).

// RateLimit is a channel's shared limit: the spacing of its messages, for the
// channel and for one chat (0: no such limit), and how far ahead a send may be given
// its turn in the channel (0: only now).
type RateLimit struct {
	Every, PerChatEvery time.Duration
	Ahead               time.Duration
	// PerChatTolerance lets a chat's sends come that much ahead of the spacing: a
	// burst of PerChatTolerance/PerChatEvery + 1 (WhatsApp's pair rate); 0 is a
	// burst of one.
	PerChatTolerance time.Duration
}

// RateWait is why TakeRate took nothing.
type RateWait int

// The answers of TakeRate.
const (
	RateTaken   RateWait = iota // the places are taken: send at the turn
	RatePaused                  // the platform paused the channel (a 429 on some replica)
	RateChat                    // the chat is at its limit; other chats may go
	RateChannel                 // the channel is at its limit
)

// RateTurn is TakeRate's answer: taken and how long until the send's turn, or why
// not and how long until asking again makes sense.
type RateTurn struct {
	Why  RateWait
	Wait time.Duration
}

// rateLua reads Redis's clock as unix µs and formats µs for SET: a double formats
// with 14 digits by default, too few for µs since 1970. Before Redis 5 a script that
// reads TIME may only write with effects replication (the default since).
const rateLua = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local function us(x) return string.format('%.0f', x) end
`

// takeRate: KEYS[1] pause STRING, KEYS[2] channel STRING, KEYS[3] chat STRING (the
// due times, unix µs). ARGV[1] places, ARGV[2] channel spacing µs, ARGV[3] chat
// spacing µs (0: no limit), ARGV[4] how far ahead a turn may be given, µs, ARGV[5]
// how far ahead of the chat's spacing its sends may come (its burst), µs. Returns
// {why, wait µs}: {0, µs until the turn} when the places were taken in both, else
// {1 paused | 2 chat | 3 channel, µs until asking again}.
//
// n places may go once the stored due time is at most n-1 spacings ahead (for n = 1:
// once it has come), and the next is due n spacings after them. A burst of one: so n
// places at once (an album) have n spacings clear before them and after, and no span
// of k spacings holds more than k places. The chat's places are taken only when free
// now; the channel's turn may be up to ARGV[4] ahead, so that the next send need not
// wait for this one's answer to ask.
var takeRate = newScript("takeRate", rateLua+`
local pause = tonumber(redis.call('GET', KEYS[1]) or '0')
if pause > now then return {1, pause - now} end
local n, gi, ci, ahead = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local tol = tonumber(ARGV[5] or '0')
local at = now
local chat = 0
if ci > 0 then
  chat = tonumber(redis.call('GET', KEYS[3]) or '0')
  local wait = chat + (n - 1) * ci - tol - now
  if wait > 0 then return {2, wait} end
end
if gi > 0 then
  at = math.max(now, tonumber(redis.call('GET', KEYS[2]) or '0') + (n - 1) * gi)
  if at - now > ahead then return {3, at - now - ahead} end
  redis.call('SET', KEYS[2], us(at + n * gi), 'PX', math.ceil((at - now + n * gi) / 1000))
end
if ci > 0 then
  local due = math.max(chat, at) + n * ci
  redis.call('SET', KEYS[3], us(due), 'PX', math.ceil((due - now) / 1000))
end
return {0, at - now}`)

// TakeRate asks for places (an album takes one a message) in the shared limits of a
// channel and of one of its chats, in one round trip; they are taken in both or in
// neither. Taken, the send's turn may lie up to lim.Ahead ahead (RateTurn.Wait).
// Without any limit in lim it asks nothing.
func (s *Store) TakeRate(ctx context.Context, channel, chat string, places int, lim RateLimit) (RateTurn, error) {
	if lim.Every <= 0 && lim.PerChatEvery <= 0 {
		return RateTurn{}, nil
	}
	sum := sha256.Sum256([]byte(chat))
	keys := []string{ratePauseKey(channel), rateGlobalKey(channel), rateChatKey(channel, hex.EncodeToString(sum[:8]))}
	got, err := takeRate.Run(ctx, s.rdb, keys, max(places, 1), max(lim.Every.Microseconds(), 0),
		max(lim.PerChatEvery.Microseconds(), 0), max(lim.Ahead.Microseconds(), 0), max(lim.PerChatTolerance.Microseconds(), 0)).Int64Slice()
	if err != nil {
		return RateTurn{}, fmt.Errorf("take %s rate limit: %w", channel, err)
	}
	if len(got) != 2 {
		return RateTurn{}, fmt.Errorf("take %s rate limit: got %v, want why and wait", channel, got)
	}
	return RateTurn{Why: RateWait(got[0]), Wait: time.Duration(got[1]) * time.Microsecond}, nil
}

// pauseRate: KEYS[1] pause STRING. ARGV[1] the pause, ms. Sets the pause's end to
// now plus the pause unless it ends later already, expiring then. Returns 1.
var pauseRate = newScript("pauseRate", rateLua+`
local ms = tonumber(ARGV[1])
local ends = now + ms * 1000
if ends > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], us(ends), 'PX', ms)
end
return 1`)

// PauseRate pauses a channel for every replica for d from now (Redis's clock), as a
// platform's 429 with retry_after d asks; a pause that ends later stays.
func (s *Store) PauseRate(ctx context.Context, channel string, d time.Duration) error {
	ms := (d + time.Millisecond - 1).Milliseconds()
	if ms <= 0 {
		return nil
	}
	if err := pauseRate.Run(ctx, s.rdb, []string{ratePauseKey(channel)}, ms).Err(); err != nil {
		return fmt.Errorf("pause %s for %s: %w", channel, d, err)
	}
	return nil
}
