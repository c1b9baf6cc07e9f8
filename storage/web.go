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
// document per message, a message's id being its index. The chat is the web
// participant's random id, never a pseudonym or another platform's id.

// WebTranscriptTTL is how long a web chat is kept after its last new message.
const WebTranscriptTTL = 180 * 24 * time.Hour

// WebAppend adds a message to the end of a chat's transcript (LIST, RPUSH) and returns
// its id, the index in the list. It renews the transcript's expiry (WebTranscriptTTL).
func (s *Store) WebAppend(ctx context.Context, chat string, msg []byte) (int, error) {
	key := webTranscriptKey(chat)
	var push *redis.IntCmd
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		push = p.RPush(ctx, key, msg)
		p.Expire(ctx, key, WebTranscriptTTL)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("append web message: %w", err)
	}
	return int(push.Val()) - 1, nil
}

// webEditScript replaces one message of a transcript if it exists.
// KEYS[1] the transcript (LIST); ARGV[1] the index, ARGV[2] the new message.
// Returns 1 when replaced, 0 when there is no such index.
var webEditScript = redis.NewScript(`
local i = tonumber(ARGV[1])
if i < 0 or i >= redis.call('LLEN', KEYS[1]) then return 0 end
redis.call('LSET', KEYS[1], i, ARGV[2])
return 1
`)

// WebEdit replaces message id of a chat's transcript (LIST, LSET). A message that does
// not exist (expired transcript, index out of range) gives an error wrapping ErrNotFound.
func (s *Store) WebEdit(ctx context.Context, chat string, id int, msg []byte) error {
	if id < 0 {
		return fmt.Errorf("edit web message %d: %w", id, ErrNotFound)
	}
	n, err := webEditScript.Run(ctx, s.rdb, []string{webTranscriptKey(chat)}, id, msg).Int()
	if err != nil {
		return fmt.Errorf("edit web message %d: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("edit web message %d: %w", id, ErrNotFound)
	}
	return nil
}

// WebTranscript returns a chat's messages from id from to the newest (LIST, LRANGE);
// an unknown chat has none.
func (s *Store) WebTranscript(ctx context.Context, chat string, from int) ([][]byte, error) {
	vals, err := s.rdb.LRange(ctx, webTranscriptKey(chat), int64(max(from, 0)), -1).Result()
	if err != nil {
		return nil, fmt.Errorf("load web transcript: %w", err)
	}
	msgs := make([][]byte, len(vals))
	for i, v := range vals {
		msgs[i] = []byte(v)
	}
	return msgs, nil
}

// WebMessage returns one message of a chat's transcript (LIST, LINDEX); ErrNotFound
// (wrapped) when there is none with that id.
func (s *Store) WebMessage(ctx context.Context, chat string, id int) ([]byte, error) {
	if id < 0 {
		return nil, fmt.Errorf("load web message %d: %w", id, ErrNotFound)
	}
	v, err := s.rdb.LIndex(ctx, webTranscriptKey(chat), int64(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("load web message %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load web message %d: %w", id, err)
	}
	return v, nil
}

// WebLen is the number of messages in a chat's transcript (LIST, LLEN).
func (s *Store) WebLen(ctx context.Context, chat string) (int, error) {
	n, err := s.rdb.LLen(ctx, webTranscriptKey(chat)).Result()
	if err != nil {
		return 0, fmt.Errorf("count web messages: %w", err)
	}
	return int(n), nil
}

// WebDelete removes a chat's transcript (LIST, DEL), for a resident who erases their data.
func (s *Store) WebDelete(ctx context.Context, chat string) error {
	if err := s.rdb.Del(ctx, webTranscriptKey(chat)).Err(); err != nil {
		return fmt.Errorf("delete web transcript: %w", err)
	}
	return nil
}
