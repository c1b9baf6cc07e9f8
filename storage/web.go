package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Web chat transcripts. The web channel has no platform that keeps the messages, so it
// keeps them here: one LIST per chat (webTranscriptKey), oldest first, one JSON
// document per message, beside the chat's state record (webStateKey). Both are keyed
// by a keyed hash of the web participant's random id (webChat), never by the id
// itself, so a dump of Redis does not link a transcript to a pseudonym.
//
// A message's id is monotonic: the state's "base" counts the messages trimmed off the
// front when the transcript outgrew WebMaxMessages or WebMaxBytes, and a message's id
// is base + its index. Ids therefore stay stable while the oldest messages go.

// Retention of web chats, one policy: a resident's chat is kept as long as they take
// part, at most WebTranscriptTTL after its last message; the chat of a visitor who
// has not consented (or withdrew, or is under 16 and so never consents) at most
// WebVisitorTTL after its last message. WebRetention picks one.
const (
	// WebTranscriptTTL is how long a participating resident's chat is kept after its
	// last message.
	WebTranscriptTTL = 180 * 24 * time.Hour
	// WebVisitorTTL is how long the chat of a visitor who did not consent is kept
	// after its last message.
	WebVisitorTTL = 24 * time.Hour
)

// WebRetention is the lifetime of a chat after its last message (see WebTranscriptTTL).
func WebRetention(consented bool) time.Duration {
	if consented {
		return WebTranscriptTTL
	}
	return WebVisitorTTL
}

// Caps on one transcript, so a visitor cannot grow it without bound: the oldest
// messages go first. The byte cap leaves room for two of the largest attachments
// the web chat keeps inline (2 MiB).
const (
	WebMaxMessages = 500
	WebMaxBytes    = 4 << 20
)

// ErrWebGone is returned when a chat has no state record: it never started, expired,
// or was forgotten (WebForget). Nothing may be written to it.
var ErrWebGone = errors.New("web chat gone")

// webAppendScript adds a message to a chat that has a state record, trims the oldest
// messages beyond the caps and renews both keys' lifetime by the chat's retention.
// KEYS[1] the transcript (LIST), KEYS[2] the state (HASH).
// ARGV[1] the message, ARGV[2] max messages, ARGV[3] max bytes, ARGV[4] the
// retention of a consented chat (ms), ARGV[5] of any other (ms).
// Returns the message's id (base + index), or -1 when the chat has no state.
var webAppendScript = newScript("webAppendScript", `
if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
local n = redis.call('RPUSH', KEYS[1], ARGV[1])
local bytes = redis.call('HINCRBY', KEYS[2], 'bytes', string.len(ARGV[1]))
local base = tonumber(redis.call('HGET', KEYS[2], 'base') or '0')
local maxn, maxb = tonumber(ARGV[2]), tonumber(ARGV[3])
while n > 1 and (n > maxn or bytes > maxb) do
  local old = redis.call('LPOP', KEYS[1])
  bytes = bytes - string.len(old)
  n = n - 1
  base = base + 1
end
redis.call('HSET', KEYS[2], 'base', base, 'bytes', bytes)
local ttl = ARGV[5]
if redis.call('HGET', KEYS[2], 'keep') == '1' then ttl = ARGV[4] end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return base + n - 1
`)

// WebAppend adds a message to the end of a chat's transcript and returns its id. It
// trims the oldest messages beyond WebMaxMessages and WebMaxBytes and renews the
// chat's lifetime (WebRetention). A chat without a state record (WebStart) gives an
// error wrapping ErrWebGone.
func (s *Store) WebAppend(ctx context.Context, chat string, msg []byte) (int, error) {
	h, err := s.webChat(chat)
	if err != nil {
		return 0, fmt.Errorf("append web message: %w", err)
	}
	id, err := s.durable.run(ctx, webAppendScript, s.rdb, []string{webTranscriptKey(h), webStateKey(h)}, msg,
		WebMaxMessages, WebMaxBytes, WebTranscriptTTL.Milliseconds(), WebVisitorTTL.Milliseconds()).Int()
	if err != nil {
		return 0, fmt.Errorf("append web message: %w", err)
	}
	if id < 0 {
		return 0, fmt.Errorf("append web message: %w", ErrWebGone)
	}
	return id, nil
}

// webEditScript replaces one message of a transcript if it exists.
// KEYS[1] the transcript (LIST), KEYS[2] the state (HASH); ARGV[1] the message id,
// ARGV[2] the new message. Returns 1 when replaced, 0 when there is no such message.
var webEditScript = newScript("webEditScript", `
local i = tonumber(ARGV[1]) - tonumber(redis.call('HGET', KEYS[2], 'base') or '0')
if i < 0 or i >= redis.call('LLEN', KEYS[1]) then return 0 end
local old = redis.call('LINDEX', KEYS[1], i)
redis.call('LSET', KEYS[1], i, ARGV[2])
redis.call('HINCRBY', KEYS[2], 'bytes', string.len(ARGV[2]) - string.len(old))
return 1
`)

// WebEdit replaces message id of a chat's transcript. A message that does not exist
// (expired or trimmed, or an id past the end) gives an error wrapping ErrNotFound.
func (s *Store) WebEdit(ctx context.Context, chat string, id int, msg []byte) error {
	h, err := s.webChat(chat)
	if err != nil {
		return fmt.Errorf("edit web message %d: %w", id, err)
	}
	if id < 0 {
		return fmt.Errorf("edit web message %d: %w", id, ErrNotFound)
	}
	n, err := s.durable.run(ctx, webEditScript, s.rdb, []string{webTranscriptKey(h), webStateKey(h)}, id, msg).Int()
	if err != nil {
		return fmt.Errorf("edit web message %d: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("edit web message %d: %w", id, ErrNotFound)
	}
	return nil
}

// webReadScript reads a transcript from one message id on.
// KEYS[1] the transcript (LIST), KEYS[2] the state (HASH); ARGV[1] the first id wanted.
// Returns {id of the first message returned, {messages...}}.
var webReadScript = newScript("webReadScript", `
local base = tonumber(redis.call('HGET', KEYS[2], 'base') or '0')
local i = math.max(tonumber(ARGV[1]) - base, 0)
return {base + i, redis.call('LRANGE', KEYS[1], i, -1)}
`)

// WebTranscript returns a chat's messages from id from to the newest, and the id of
// the first one returned (from, or the oldest kept when from was trimmed); an unknown
// chat has none.
func (s *Store) WebTranscript(ctx context.Context, chat string, from int) (first int, msgs [][]byte, err error) {
	h, err := s.webChat(chat)
	if err != nil {
		return 0, nil, fmt.Errorf("load web transcript: %w", err)
	}
	res, err := webReadScript.Run(ctx, s.rdb, []string{webTranscriptKey(h), webStateKey(h)}, max(from, 0)).Slice()
	if err != nil {
		return 0, nil, fmt.Errorf("load web transcript: %w", err)
	}
	if len(res) != 2 {
		return 0, nil, fmt.Errorf("load web transcript: unexpected reply of %d values", len(res))
	}
	first64, ok1 := res[0].(int64)
	vals, ok2 := res[1].([]any)
	if !ok1 || !ok2 {
		return 0, nil, fmt.Errorf("load web transcript: unexpected reply %T %T", res[0], res[1])
	}
	msgs = make([][]byte, len(vals))
	for i, v := range vals {
		str, _ := v.(string)
		msgs[i] = []byte(str)
	}
	return int(first64), msgs, nil
}

// webMessageScript reads one message by id.
// KEYS[1] the transcript (LIST), KEYS[2] the state (HASH); ARGV[1] the message id.
// Returns the message, or nil when there is none with that id.
var webMessageScript = newScript("webMessageScript", `
local i = tonumber(ARGV[1]) - tonumber(redis.call('HGET', KEYS[2], 'base') or '0')
if i < 0 then return false end
return redis.call('LINDEX', KEYS[1], i)
`)

// WebMessage returns one message of a chat's transcript; ErrNotFound (wrapped) when
// there is none with that id.
func (s *Store) WebMessage(ctx context.Context, chat string, id int) ([]byte, error) {
	h, err := s.webChat(chat)
	if err != nil {
		return nil, fmt.Errorf("load web message %d: %w", id, err)
	}
	if id < 0 {
		return nil, fmt.Errorf("load web message %d: %w", id, ErrNotFound)
	}
	v, err := webMessageScript.Run(ctx, s.rdb, []string{webTranscriptKey(h), webStateKey(h)}, id).Text()
	if errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("load web message %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load web message %d: %w", id, err)
	}
	return []byte(v), nil
}

// WebLen is the id the next message of a chat gets: the number of messages ever kept,
// including those trimmed off the front.
func (s *Store) WebLen(ctx context.Context, chat string) (int, error) {
	h, err := s.webChat(chat)
	if err != nil {
		return 0, fmt.Errorf("count web messages: %w", err)
	}
	var base *redis.StringCmd
	var n *redis.IntCmd
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		base = p.HGet(ctx, webStateKey(h), "base")
		n = p.LLen(ctx, webTranscriptKey(h))
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return 0, fmt.Errorf("count web messages: %w", err)
	}
	b, err := base.Int()
	if err != nil && !errors.Is(err, redis.Nil) {
		return 0, fmt.Errorf("count web messages: %w", err)
	}
	return b + int(n.Val()), nil
}
