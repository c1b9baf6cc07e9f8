package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Participant is a resident as stored: a pseudonym, where to reach them, consent and
// the profile used for afspiegeling.
type Participant struct {
	ID             string // pseudonym
	Channel        string
	ChatID         string // needed to deliver; kept in the hash, never in a key
	ConsentVersion string
	ConsentAt      time.Time
	Kern           string
	Leeftijd       string
	Active         bool
}

// Consented reports whether the participant has given consent that was not withdrawn.
func (p *Participant) Consented() bool { return p.ConsentVersion != "" }

// Participant loads a participant; ErrNotFound if unknown.
func (s *Store) Participant(ctx context.Context, pid string) (*Participant, error) {
	m, err := s.rdb.HGetAll(ctx, participantKey(pid)).Result()
	if err != nil {
		return nil, fmt.Errorf("load participant: %w", err)
	}
	if len(m) == 0 {
		return nil, ErrNotFound
	}
	p := &Participant{
		ID: pid, Channel: m["channel"], ChatID: m["chat"],
		ConsentVersion: m["consent_version"], Kern: m["kern"], Leeftijd: m["leeftijd"],
		Active: m["active"] == "1",
	}
	if ts, err := strconv.ParseInt(m["consent_at"], 10, 64); err == nil && ts > 0 {
		p.ConsentAt = time.Unix(ts, 0)
	}
	return p, nil
}

// SaveConsent records consent with the text version and time, the chat to reach the
// participant and their profile, and makes them active.
func (s *Store) SaveConsent(ctx context.Context, p *Participant) error {
	fields := map[string]any{
		"channel": p.Channel, "chat": p.ChatID,
		"consent_version": p.ConsentVersion, "consent_at": p.ConsentAt.Unix(),
		"kern": p.Kern, "leeftijd": p.Leeftijd, "active": "1",
	}
	if err := s.rdb.HSet(ctx, participantKey(p.ID), fields).Err(); err != nil {
		return fmt.Errorf("save consent: %w", err)
	}
	if err := s.rdb.SAdd(ctx, activeKey(), p.ID).Err(); err != nil {
		return fmt.Errorf("activate participant: %w", err)
	}
	return nil
}

// SetProfile stores one profile field ("kern" or "leeftijd").
func (s *Store) SetProfile(ctx context.Context, pid, field, value string) error {
	if field != "kern" && field != "leeftijd" {
		return fmt.Errorf("set profile: unknown field %q", field)
	}
	if err := s.rdb.HSet(ctx, participantKey(pid), field, value).Err(); err != nil {
		return fmt.Errorf("set profile %s: %w", field, err)
	}
	return nil
}

// Withdraw withdraws consent: the participant gets no more messages and their profile
// is deleted. Answers already counted stay in the round tallies, which hold no identity.
func (s *Store) Withdraw(ctx context.Context, pid string) error {
	if err := s.rdb.SRem(ctx, activeKey(), pid).Err(); err != nil {
		return fmt.Errorf("withdraw: %w", err)
	}
	err := s.rdb.HDel(ctx, participantKey(pid), "consent_version", "consent_at", "kern", "leeftijd").Err()
	if err == nil {
		err = s.rdb.HSet(ctx, participantKey(pid), "active", "0").Err()
	}
	if err != nil {
		return fmt.Errorf("withdraw: %w", err)
	}
	return nil
}

// Deactivate marks a participant unreachable (blocked the bot): no more sends.
func (s *Store) Deactivate(ctx context.Context, pid string) error {
	if err := s.rdb.SRem(ctx, activeKey(), pid).Err(); err != nil {
		return fmt.Errorf("deactivate: %w", err)
	}
	if err := s.rdb.HSet(ctx, participantKey(pid), "active", "0").Err(); err != nil {
		return fmt.Errorf("deactivate: %w", err)
	}
	return nil
}

// Reactivate makes a consenting participant who came back (e.g. unblocked the bot and
// wrote again) reachable again, at the chat they wrote from.
func (s *Store) Reactivate(ctx context.Context, pid, chatID string) error {
	if err := s.rdb.HSet(ctx, participantKey(pid), "active", "1", "chat", chatID).Err(); err != nil {
		return fmt.Errorf("reactivate: %w", err)
	}
	if err := s.rdb.SAdd(ctx, activeKey(), pid).Err(); err != nil {
		return fmt.Errorf("reactivate: %w", err)
	}
	return nil
}

// ActiveParticipants calls fn for every active participant id, in batches, without
// loading the whole set at once.
func (s *Store) ActiveParticipants(ctx context.Context, fn func(pid string) error) error {
	return s.scanSet(ctx, activeKey(), fn)
}

// UpdateSeen reports whether an inbound update was already handled.
func (s *Store) UpdateSeen(ctx context.Context, channel, updateID string) (bool, error) {
	n, err := s.rdb.Exists(ctx, seenKey(channel, updateID)).Result()
	if err != nil {
		return false, fmt.Errorf("check update %s: %w", updateID, err)
	}
	return n == 1, nil
}

// MarkUpdate records an inbound update as handled, for a week (platforms redeliver
// unconfirmed updates for at most a day).
func (s *Store) MarkUpdate(ctx context.Context, channel, updateID string) error {
	if err := s.rdb.Set(ctx, seenKey(channel, updateID), "1", 7*24*time.Hour).Err(); err != nil {
		return fmt.Errorf("mark update %s: %w", updateID, err)
	}
	return nil
}

func isNil(err error) bool { return errors.Is(err, redis.Nil) }

// Kernen returns the kern of each participant given ("" when unknown or gone), read
// in one pipelined round trip per batch.
func (s *Store) Kernen(ctx context.Context, pids []string) (map[string]string, error) {
	out := make(map[string]string, len(pids))
	for start := 0; start < len(pids); start += respondentBatch {
		batch := pids[start:min(start+respondentBatch, len(pids))]
		pipe := s.rdb.Pipeline()
		cmds := make([]*redis.StringCmd, len(batch))
		for i, pid := range batch {
			cmds[i] = pipe.HGet(ctx, participantKey(pid), "kern")
		}
		if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
			return nil, fmt.Errorf("read kernen: %w", err)
		}
		for i, pid := range batch {
			out[pid] = cmds[i].Val()
		}
	}
	return out, nil
}
