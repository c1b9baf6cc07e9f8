package storage

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// A web chat's keys are named by webChat(id), a keyed hash of the participant's random
// web id under a key that never enters Redis (SetWebKey). Its state record
// (webStateKey) exists from the chat's first post until it expires (WebRetention) or
// is forgotten (WebForget); the web channel accepts a cookie or personal link of a
// chat only while it exists, so deleting it ends every session at once and leaves no
// marker of the chat behind.

// ErrNoWebKey is returned by the web chat functions before SetWebKey was called.
var ErrNoWebKey = errors.New("no web key set")

// webKey holds the key of the web chat's keyed hashes.
type webKey struct{ p atomic.Pointer[[]byte] }

// SetWebKey gives the store the key it hashes web ids and visitors' addresses with
// (the web channel derives it from its secret). It may be set again only to the same
// key: every stored chat is named by it.
func (s *Store) SetWebKey(key []byte) error {
	if len(key) < 16 {
		return fmt.Errorf("set web key: %d bytes is too short (at least 16)", len(key))
	}
	k := bytes.Clone(key)
	if s.web.p.CompareAndSwap(nil, &k) {
		return nil
	}
	if !hmac.Equal(*s.web.p.Load(), key) {
		return errors.New("set web key: a different web key is already set")
	}
	return nil
}

// webHash is the keyed hash naming a web chat ("chat") or a visitor's address
// ("addr"): 128 bits in hex.
func (s *Store) webHash(kind, value string) (string, error) {
	k := s.web.p.Load()
	if k == nil {
		return "", ErrNoWebKey
	}
	m := hmac.New(sha256.New, *k)
	m.Write([]byte(kind + ":" + value))
	return hex.EncodeToString(m.Sum(nil)[:16]), nil
}

func (s *Store) webChat(chat string) (string, error) { return s.webHash("chat", chat) }

// webStartScript creates a chat's state record unless it exists.
// KEYS[1] the state (HASH), KEYS[2] the transcript (LIST); ARGV[1] now (unix seconds),
// ARGV[2] the retention of a new chat (ms).
// Returns 1 when created, 0 when it existed.
var webStartScript = newScript("webStartScript", `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[1], 'created', ARGV[1], 'base', 0, 'bytes', 0, 'keep', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`)

// WebStart creates a chat's state record (HASH: created, base, bytes, keep) when it
// has none, with the retention of a visitor who has not consented; it reports whether
// it was created. The web channel calls it at a new visitor's first post.
func (s *Store) WebStart(ctx context.Context, chat string, now time.Time) (bool, error) {
	h, err := s.webChat(chat)
	if err != nil {
		return false, fmt.Errorf("start web chat: %w", err)
	}
	n, err := s.durable.run(ctx, webStartScript, s.rdb, []string{webStateKey(h), webTranscriptKey(h)},
		now.Unix(), WebVisitorTTL.Milliseconds()).Int()
	if err != nil {
		return false, fmt.Errorf("start web chat: %w", err)
	}
	return n == 1, nil
}

// WebExists reports whether a chat has its state record: it started and was neither
// forgotten nor expired.
func (s *Store) WebExists(ctx context.Context, chat string) (bool, error) {
	h, err := s.webChat(chat)
	if err != nil {
		return false, fmt.Errorf("check web chat: %w", err)
	}
	n, err := s.rdb.Exists(ctx, webStateKey(h)).Result()
	if err != nil {
		return false, fmt.Errorf("check web chat: %w", err)
	}
	return n == 1, nil
}

// webKeepScript sets a chat's retention and renews its keys' lifetime by it.
// KEYS[1] the state (HASH), KEYS[2] the transcript (LIST); ARGV[1] "1" consented or
// "0", ARGV[2] the retention (ms). Returns 0 when the chat has no state.
var webKeepScript = newScript("webKeepScript", `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'keep', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
`)

// WebKeep records whether the chat's resident takes part, which sets how long the chat
// is kept after its last message (WebRetention), and renews that lifetime now. A chat
// without state gives an error wrapping ErrWebGone.
func (s *Store) WebKeep(ctx context.Context, chat string, consented bool) error {
	h, err := s.webChat(chat)
	if err != nil {
		return fmt.Errorf("keep web chat: %w", err)
	}
	flag := "0"
	if consented {
		flag = "1"
	}
	n, err := webKeepScript.Run(ctx, s.rdb, []string{webStateKey(h), webTranscriptKey(h)},
		flag, WebRetention(consented).Milliseconds()).Int()
	if err != nil {
		return fmt.Errorf("keep web chat: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("keep web chat: %w", ErrWebGone)
	}
	return nil
}

// WebForget deletes everything the store keeps of one web chat: its transcript, its
// state record and its post counter. Afterwards every cookie and personal link of the
// chat is refused, and nothing naming the chat remains. The engine calls it when a
// web resident stops (/stop) or erases their data (/vergeetmij). Forgetting a chat
// that is gone is no error.
func (s *Store) WebForget(ctx context.Context, chat string) error {
	h, err := s.webChat(chat)
	if err != nil {
		return fmt.Errorf("forget web chat: %w", err)
	}
	// one hash tag: a single multi-key DEL, also on a Cluster
	if err := s.rdb.Del(ctx, webTranscriptKey(h), webStateKey(h), webChatRateKey(h)).Err(); err != nil {
		return fmt.Errorf("forget web chat: %w", err)
	}
	return nil
}

// webCountScript counts one event in a fixed window.
// KEYS[1] the counter (STRING); ARGV[1] the window (ms).
// Returns {count in the window so far, ms until the window ends}.
var webCountScript = newScript("webCountScript", `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`)

// WebCountChat counts a post of one chat in a fixed window of length window and
// returns the count so far and when the window ends, for the web chat's rate limit.
func (s *Store) WebCountChat(ctx context.Context, chat string, window time.Duration) (int, time.Duration, error) {
	h, err := s.webChat(chat)
	if err != nil {
		return 0, 0, fmt.Errorf("count web posts: %w", err)
	}
	return s.webCount(ctx, webChatRateKey(h), window)
}

// WebCountAddress counts a post from one remote address in a fixed window, like
// WebCountChat. The address is kept only as a keyed hash.
func (s *Store) WebCountAddress(ctx context.Context, addr string, window time.Duration) (int, time.Duration, error) {
	h, err := s.webHash("addr", addr)
	if err != nil {
		return 0, 0, fmt.Errorf("count web posts: %w", err)
	}
	return s.webCount(ctx, webAddressRateKey(h), window)
}

func (s *Store) webCount(ctx context.Context, key string, window time.Duration) (int, time.Duration, error) {
	res, err := webCountScript.Run(ctx, s.rdb, []string{key}, window.Milliseconds()).Int64Slice()
	if err != nil {
		return 0, 0, fmt.Errorf("count web posts: %w", err)
	}
	if len(res) != 2 {
		return 0, 0, fmt.Errorf("count web posts: unexpected reply of %d values", len(res))
	}
	return int(res[0]), time.Duration(res[1]) * time.Millisecond, nil
}

// WebDropLegacy deletes the transcripts that versions before the keyed hash kept
// under the raw web id ("pb:web:{<id>}:t"): they linked a pseudonym's chat id to its
// transcript. They were demo data; nothing is migrated. It returns how many it deleted.
func (s *Store) WebDropLegacy(ctx context.Context) (int, error) {
	var n atomic.Int64
	drop := func(ctx context.Context, c redis.UniversalClient) error {
		iter := c.Scan(ctx, 0, legacyWebTranscriptPattern, 1000).Iterator()
		for iter.Next(ctx) {
			// one key at a time: on a Cluster every key may be in another slot
			if err := c.Del(ctx, iter.Val()).Err(); err != nil {
				return err
			}
			n.Add(1)
		}
		return iter.Err()
	}
	var err error
	if cc, ok := s.rdb.(*redis.ClusterClient); ok {
		err = cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error { return drop(ctx, c) })
	} else {
		err = drop(ctx, s.rdb)
	}
	if err != nil {
		return int(n.Load()), fmt.Errorf("drop legacy web transcripts: %w", err)
	}
	return int(n.Load()), nil
}
