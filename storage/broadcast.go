package storage

import (
	"context"
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
// about n, as ScanActive.
func (s *Store) ScanMembers(ctx context.Context, rid string, n int, fn func(pids []string) error) error {
	return s.scanSetPages(ctx, membersKey(rid), n, fn)
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
var recipientFields = []string{"channel", "chat", "consent_version", "consent_at", "kern", "leeftijd", "active"}

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
			Kern: field(4), Leeftijd: field(5), Active: field(6) == "1"}
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
	members := make([]any, len(pids))
	for i, pid := range pids {
		members[i] = pid
	}
	pipe := s.rdb.Pipeline()
	m := pipe.SMIsMember(ctx, membersKey(rid), members...)
	c := pipe.SMIsMember(ctx, completedKey(rid), members...)
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, nil, fmt.Errorf("look up participants in round %s: %w", rid, err)
	}
	return m.Val(), c.Val(), nil
}

// AnswersOf returns the encoded answers (as Answers) of each participant named, in
// order; an empty map for one who gave none.
func (s *Store) AnswersOf(ctx context.Context, rid string, pids []string) ([]map[string]string, error) {
	pipe := s.rdb.Pipeline()
	cmds := make([]*redis.MapStringStringCmd, len(pids))
	for i, pid := range pids {
		cmds[i] = pipe.HGetAll(ctx, answersKey(rid, pid))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("load answers in round %s: %w", rid, err)
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
	if err := s.rdb.HSet(ctx, roundKey(rid), "sessions_ended", at.Unix()).Err(); err != nil {
		return fmt.Errorf("mark sessions of round %s ended: %w", rid, err)
	}
	return nil
}
