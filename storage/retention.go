package storage

import (
	"context"
	"fmt"
	"strings"
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
// open texts (of the given questions, and of any answered question), the round's
// dictionary and the sets of participants, then marks the round purged. It costs a
// few round trips per bucketBatch buckets, whatever the number of participants. It is
// idempotent; interrupted, it is simply run again (what names the rest goes last: the
// buckets after the sessions they name, the dictionary after the open texts, the
// members set in a round created before buckets).
func (s *Store) PurgeRound(ctx context.Context, rid string, openQuestions []string, at time.Time) error {
	bk, err := s.loadBuckets(ctx, rid)
	if err != nil {
		return err
	}
	fields := map[string]bool{} // the answer fields seen: the open texts are under them
	if bk == 0 {
		err = s.purgeLegacyAnswers(ctx, rid, fields)
	} else {
		err = s.purgeBuckets(ctx, rid, bk, fields)
	}
	if err != nil {
		return fmt.Errorf("purge round %s: %w", rid, err)
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
	if err := s.rdb.Del(ctx, membersKey(rid), dictKey(rid)).Err(); err != nil {
		return fmt.Errorf("purge round %s: %w", rid, err)
	}
	if err := s.rdb.HSet(ctx, roundKey(rid), "purged_at", at.Unix()).Err(); err != nil {
		return fmt.Errorf("purge round %s: %w", rid, err)
	}
	return nil
}

// purgeBuckets deletes the buckets of a round and the sessions of the participants in
// them, and adds the answer fields of the round's dictionary to fields.
func (s *Store) purgeBuckets(ctx context.Context, rid string, bk int, fields map[string]bool) error {
	err := s.scanHash(ctx, dictKey(rid), func(k, _ string) error {
		if f, ok := strings.CutPrefix(k, "fi:"); ok && mayHoldText(f) {
			fields[f] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	for first := 0; first < bk; first += bucketBatch {
		pipe := s.rdb.Pipeline()
		var buckets []string
		var cmds []*redis.StringSliceCmd
		for i := first; i < min(first+bucketBatch, bk); i++ {
			buckets = append(buckets, bucketKey(rid, i))
			cmds = append(cmds, pipe.HKeys(ctx, bucketKey(rid, i)))
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return err
		}
		var sessions []string
		for _, c := range cmds {
			for _, pid := range c.Val() {
				sessions = append(sessions, sessionKey(rid, pid))
			}
		}
		pipe = s.rdb.TxPipeline()
		if len(sessions) > 0 {
			pipe.Del(ctx, sessions...)
		}
		pipe.Del(ctx, buckets...)
		if _, err := pipe.Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// purgeLegacyAnswers deletes the answers and sessions of the members of a round
// created before buckets, and adds their answer fields to fields.
func (s *Store) purgeLegacyAnswers(ctx context.Context, rid string, fields map[string]bool) error {
	return s.scanSetBatches(ctx, membersKey(rid), func(batch []string) error {
		pipe := s.rdb.Pipeline()
		cmds := make([]*redis.StringSliceCmd, len(batch))
		for i, pid := range batch {
			cmds[i] = pipe.HKeys(ctx, answersKey(rid, pid))
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return err
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
		return s.rdb.Del(ctx, keys...).Err()
	})
}
