package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Retention: every round keeps its raw data (answers, open texts, sessions, who took
// part) for its bewaartermijn; then PurgeRound deletes it and only the aggregates (the
// tallies and the round's own record) stay. Sessions also expire on their own
// (SessionGrace after the round closes), so that a resident who pressed "Doe mee" but
// never answered leaves nothing behind either.

// SessionGrace is how long after a round closes a participant's place in it is kept.
const SessionGrace = 30 * 24 * time.Hour

// PurgeRound deletes a round's raw data: every participant's answers and session, the
// open texts (of the given questions, and of any answered question), and the sets of
// participants, then marks the round purged. It is idempotent; interrupted, it is simply run again (the members set, which
// it works from, goes last).
func (s *Store) PurgeRound(ctx context.Context, rid string, openQuestions []string, at time.Time) error {
	fields := map[string]bool{} // the answer fields seen: the open texts are under them
	err := s.scanSetBatches(ctx, membersKey(rid), func(batch []string) error {
		pipe := s.rdb.Pipeline()
		cmds := make([]*redis.StringSliceCmd, len(batch))
		for i, pid := range batch {
			cmds[i] = pipe.HKeys(ctx, answersKey(rid, pid))
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return fmt.Errorf("purge round %s: %w", rid, err)
		}
		for _, c := range cmds {
			for _, f := range c.Val() {
				if mayHoldText(f) {
					fields[f] = true
				}
			}
		}
		keys := make([]string, 0, 2*len(batch))
		for _, pid := range batch {
			keys = append(keys, answersKey(rid, pid), sessionKey(rid, pid))
		}
		if err := s.rdb.Del(ctx, keys...).Err(); err != nil {
			return fmt.Errorf("purge round %s: %w", rid, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, q := range openQuestions {
		fields[q] = true
	}
	keys := []string{completedKey(rid)}
	for f := range fields {
		keys = append(keys, openTextKey(rid, f))
	}
	if err := s.rdb.Del(ctx, keys...).Err(); err != nil {
		return fmt.Errorf("purge round %s: %w", rid, err)
	}
	if err := s.rdb.Del(ctx, membersKey(rid)).Err(); err != nil {
		return fmt.Errorf("purge round %s: %w", rid, err)
	}
	if err := s.rdb.HSet(ctx, roundKey(rid), "purged_at", at.Unix()).Err(); err != nil {
		return fmt.Errorf("purge round %s: %w", rid, err)
	}
	return nil
}
