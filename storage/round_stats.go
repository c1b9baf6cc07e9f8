package storage

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// RoundStates counts the live rounds (those Rounds lists) by state, for /metrics.
// It reads the live index and one field of each round's meta in two round trips,
// so its cost grows with the rounds within their bewaartermijn (tens), never with
// the rounds ever held or their answers. A store whose live index was never built
// is indexed once, as by Rounds.
func (s *Store) RoundStates(ctx context.Context) (map[State]int, error) {
	pipe := s.rdb.Pipeline()
	built := pipe.Exists(ctx, liveRoundsBuiltKey())
	live := pipe.ZRange(ctx, liveRoundsKey(), 0, -1)
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("count rounds by state: %w", err)
	}
	ids := live.Val()
	if built.Val() == 0 {
		var err error
		if ids, err = s.buildLiveRounds(ctx); err != nil {
			return nil, err
		}
	}
	out := map[State]int{}
	if len(ids) == 0 {
		return out, nil
	}
	pipe = s.rdb.Pipeline()
	states := make([]*redis.StringCmd, len(ids))
	for i, id := range ids {
		states[i] = pipe.HGet(ctx, roundKey(id), "state")
	}
	_, _ = pipe.Exec(ctx) // every command's own error is read below: a missing meta is no error
	for _, c := range states {
		st, err := c.Result()
		switch {
		case isNil(err): // a round whose meta is gone, left out as by Rounds
		case err != nil:
			return nil, fmt.Errorf("count rounds by state: %w", err)
		default:
			out[State(st)]++
		}
	}
	return out, nil
}
