package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Broadcasts (invitations, reminders, results, decisions) go to many participants at
// once. The reads below take a batch of pseudonyms and answer for all of them in one
// pipelined round trip, so a broadcast costs a few round trips per batch, not a few
// per participant.

// ScanActive calls fn with the active participants in batches of about n (SSCAN's
// COUNT), scanning the set without loading it whole. A participant added or removed
// during the scan may or may not be in a batch; one present throughout is in one at
// least (SSCAN may return an element twice: the broadcasts' dedupe keys absorb it).
func (s *Store) ScanActive(ctx context.Context, n int, fn func(pids []string) error) error {
	return s.scanSetPages(ctx, activeKey(), n, fn)
}

// ScanMembers calls fn with the participants who answered in a round, in batches of
// about n, as ScanActive (in a round with buckets: of n at most, read bucketBatch
// buckets a round trip, as Members).
func (s *Store) ScanMembers(ctx context.Context, rid string, n int, fn func(pids []string) error) error {
	bk, err := s.loadBuckets(ctx, rid)
	if err != nil {
		return err
	}
	if bk == 0 {
		return s.scanSetPages(ctx, membersKey(rid), n, fn)
	}
	page := make([]string, 0, n)
	if err := s.Members(ctx, rid, func(pid string) error {
		page = append(page, pid)
		if len(page) < n {
			return nil
		}
		err := fn(page)
		page = make([]string, 0, n)
		return err
	}); err != nil {
		return err
	}
	if len(page) > 0 {
		return fn(page)
	}
	return nil
}

func (s *Store) scanSetPages(ctx context.Context, key string, n int, fn func([]string) error) error {
	var cursor uint64
	for {
		page, next, err := s.rdb.SScan(ctx, key, cursor, "", int64(n)).Result()
		if err != nil {
			return fmt.Errorf("scan %s: %w", key, err)
		}
		if len(page) > 0 {
			if err := fn(page); err != nil {
				return err
			}
		}
		if next == 0 {
			return nil
		}
		cursor = next
	}
}

// recipientFields are the fields of a participant hash a broadcast reads.
var recipientFields = []string{"channel", "chat", "consent_version", "consent_at", "kern", "leeftijd", "active", "panel", "lang"}

// ParticipantsOf loads the participants named, in order (nil for one unknown or
// whose record holds only a withdrawn consent's history),
// without their consent history (Consents is nil): what a broadcast needs, read
// without decoding every history.
func (s *Store) ParticipantsOf(ctx context.Context, pids []string) ([]*Participant, error) {
	pipe := s.rdb.Pipeline()
	cmds := make([]*redis.SliceCmd, len(pids))
	for i, pid := range pids {
		cmds[i] = pipe.HMGet(ctx, participantKey(pid), recipientFields...)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("load participants: %w", err)
	}
	out := make([]*Participant, len(pids))
	for i, pid := range pids {
		v := cmds[i].Val()
		if !slices.ContainsFunc(v, func(x any) bool { return x != nil }) {
			continue // no such hash, or none of these fields (a withdrawn consent's record)
		}
		field := func(j int) string { s, _ := v[j].(string); return s }
		p := &Participant{ID: pid, Channel: field(0), ChatID: field(1), ConsentVersion: field(2),
			Kern: field(4), Leeftijd: field(5), Active: field(6) == "1", Panel: field(7), Lang: field(8)}
		if ts, err := strconv.ParseInt(field(3), 10, 64); err == nil && ts > 0 {
			p.ConsentAt = time.Unix(ts, 0)
		}
		out[i] = p
	}
	return out, nil
}

// InRound reports for each participant named whether they answered in the round
// (started: a member) and whether they finished it, in one round trip.
func (s *Store) InRound(ctx context.Context, rid string, pids []string) (started, completed []bool, err error) {
	if len(pids) == 0 {
		return nil, nil, nil
	}
	for range 2 {
		bk, err := s.buckets(ctx, rid)
		if err != nil {
			return nil, nil, err
		}
		pipe := s.rdb.Pipeline()
		meta := pipe.HGet(ctx, roundKey(rid), "bk")
		if bk == 0 {
			members := make([]any, len(pids))
			for i, pid := range pids {
				members[i] = pid
			}
			m := pipe.SMIsMember(ctx, membersKey(rid), members...)
			c := pipe.SMIsMember(ctx, completedKey(rid), members...)
			if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
				return nil, nil, fmt.Errorf("look up participants in round %s: %w", rid, err)
			}
			if n, _ := strconv.Atoi(meta.Val()); n != 0 {
				s.layouts.put(rid, n)
				continue
			}
			return m.Val(), c.Val(), nil
		}
		recs := make([]*redis.StringCmd, len(pids))
		for i, pid := range pids {
			recs[i] = pipe.HGet(ctx, bucketKey(rid, bucketOf(pid, bk)), pid)
		}
		if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
			return nil, nil, fmt.Errorf("look up participants in round %s: %w", rid, err)
		}
		if n, _ := strconv.Atoi(meta.Val()); n != bk {
			s.layouts.put(rid, n)
			continue
		}
		started, completed = make([]bool, len(pids)), make([]bool, len(pids))
		for i, c := range recs {
			started[i], completed[i] = isRespondent(c.Val()), recordDone(c.Val())
		}
		return started, completed, nil
	}
	return nil, nil, fmt.Errorf("look up participants in round %s: the round's layout keeps changing", rid)
}

// AnswersOf returns the answers (as Answers gives them) of each participant named,
// in order; an empty map for one who gave none. A few round trips per batch.
func (s *Store) AnswersOf(ctx context.Context, rid string, pids []string) ([]map[string]string, error) {
	for range 2 {
		bk, err := s.buckets(ctx, rid)
		if err != nil {
			return nil, err
		}
		var out []map[string]string
		if bk == 0 {
			out, err = s.legacyAnswersOf(ctx, rid, pids)
		} else {
			out, err = s.bucketAnswersOf(ctx, rid, bk, pids)
		}
		if errors.Is(err, errStaleLayout) {
			s.layouts.drop(rid)
			continue
		}
		return out, err
	}
	return nil, fmt.Errorf("load answers of round %s: the round's layout keeps changing", rid)
}

// bucketAnswersOf is AnswersOf in a round of bk buckets: readRecords for each
// participant in one pipeline, then their open answers' texts in one more.
func (s *Store) bucketAnswersOf(ctx context.Context, rid string, bk int, pids []string) ([]map[string]string, error) {
	// loaded first, as Respondents and EnqueueBatch do: EVALSHA alone in a pipeline
	if err := readRecords.Load(ctx, s.rdb).Err(); err != nil {
		return nil, fmt.Errorf("load answers in round %s: %w", rid, err)
	}
	pipe := s.rdb.Pipeline()
	cmds := make([]*redis.Cmd, len(pids))
	for i, pid := range pids {
		b := bucketOf(pid, bk)
		cmds[i] = readRecords.EvalSha(ctx, pipe, []string{roundKey(rid), bucketKey(rid, b), dictKey(rid)}, bk, pid)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("load answers in round %s: %w", rid, err)
	}
	var recs []bucketRecord
	at := make([]int, len(pids)) // at[i]: index of pids[i]'s record in recs, -1 for none
	for i, c := range cmds {
		rs, err := parseRecords(c.Val())
		if err != nil {
			return nil, err
		}
		at[i] = -1
		if len(rs) > 0 {
			at[i] = len(recs)
			recs = append(recs, rs[0])
		}
	}
	if err := s.openTexts(ctx, rid, recs); err != nil {
		return nil, fmt.Errorf("load answers in round %s: %w", rid, err)
	}
	out := make([]map[string]string, len(pids))
	for i, j := range at {
		if j < 0 {
			out[i] = map[string]string{}
		} else {
			out[i] = recs[j].Answers
		}
	}
	return out, nil
}

// legacyAnswersOf is AnswersOf in a round created before buckets.
func (s *Store) legacyAnswersOf(ctx context.Context, rid string, pids []string) ([]map[string]string, error) {
	pipe := s.rdb.Pipeline()
	meta := pipe.HGet(ctx, roundKey(rid), "bk")
	cmds := make([]*redis.MapStringStringCmd, len(pids))
	for i, pid := range pids {
		cmds[i] = pipe.HGetAll(ctx, answersKey(rid, pid))
	}
	if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
		return nil, fmt.Errorf("load answers in round %s: %w", rid, err)
	}
	if meta.Val() != "" && meta.Val() != "0" {
		return nil, errStaleLayout
	}
	out := make([]map[string]string, len(pids))
	for i := range pids {
		m := cmds[i].Val()
		for k := range m {
			if strings.HasPrefix(k, "t:") {
				delete(m, k)
			}
		}
		out[i] = m
	}
	return out, nil
}

// EndSessions deletes the sessions (places in the conversation) of the participants
// named in a round, in one command: a round that closed needs none (its answers,
// which the results and /mijngegevens read, stay). Idempotent.
func (s *Store) EndSessions(ctx context.Context, rid string, pids []string) error {
	if len(pids) == 0 {
		return nil
	}
	keys := make([]string, len(pids))
	for i, pid := range pids {
		keys[i] = sessionKey(rid, pid)
	}
	// one hash tag: one command, also on Redis Cluster
	if err := s.rdb.Unlink(ctx, keys...).Err(); err != nil {
		return fmt.Errorf("end sessions of round %s: %w", rid, err)
	}
	return nil
}

// MarkSessionsEnded records that every session of a closed round was deleted.
func (s *Store) MarkSessionsEnded(ctx context.Context, rid string, at time.Time) error {
	if _, err := s.mark(ctx, rid, "sessions_ended", at.Unix(), false); err != nil {
		return fmt.Errorf("mark sessions of round %s ended: %w", rid, err)
	}
	return nil
}
