package storage

import (
	"context"
	"encoding/json"
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
	// Lang is the language the resident reads the bot in (lang.Code: "en", "ar");
	// "" for Dutch, the default, so that a Dutch-only deployment stores nothing more.
	Lang string
	// Panel is the trajectory whose lottery-drawn panel the participant joined
	// with a personal code ("" for everyone else): their kern and leeftijd came with
	// the code, and their answers in that trajectory's rounds count for the panel.
	Panel string
	// PanelCode is the keyed hash of the code they joined with, so that a
	// withdrawal or an erasure unlinks them from it (panelCodeKey).
	PanelCode string
	Active    bool
	// Consents is the consent history, oldest first: every consent given and withdrawn,
	// with the version of the privacy text. It outlives a withdrawal (it is the proof
	// that answers were given with consent) until WithdrawnTTL or an erasure.
	Consents []ConsentEvent
}

// ConsentEvent is one consent given or withdrawn.
type ConsentEvent struct {
	Version string    `json:"version,omitempty"`
	At      time.Time `json:"at"`
	// Given is true for consent given, false for withdrawn.
	Given bool `json:"given"`
}

// WithdrawnTTL is how long the record of a participant who withdrew consent (the consent
// history, nothing else) is kept: as long as the raw answers given under that consent
// may be kept (a round's bewaartermijn, 12 months by default, after its decision), with
// a margin.
const WithdrawnTTL = 2 * 366 * 24 * time.Hour

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
	return parseParticipant(pid, m)
}

// parseParticipant reads a participant from its hash.
func parseParticipant(pid string, m map[string]string) (*Participant, error) {
	p := &Participant{
		ID: pid, Channel: m["channel"], ChatID: m["chat"],
		ConsentVersion: m["consent_version"], Kern: m["kern"], Leeftijd: m["leeftijd"], Lang: m["lang"],
		Panel: m["panel"], PanelCode: m["panel_code"], Active: m["active"] == "1",
	}
	if h := m["consents"]; h != "" {
		if err := json.Unmarshal([]byte(h), &p.Consents); err != nil {
			return nil, fmt.Errorf("load participant: consent history: %w", err)
		}
	}
	if ts, err := strconv.ParseInt(m["consent_at"], 10, 64); err == nil && ts > 0 {
		p.ConsentAt = time.Unix(ts, 0)
	}
	return p, nil
}

// consentEvent appends one event to a participant's consent history and sets fields.
// KEYS[1] participant HASH. ARGV[1] event JSON, ARGV[2] "1" to keep the record without
// expiry, "0" to let it expire after ARGV[3] seconds; ARGV[4..] field, value pairs to
// set, then "-" and the fields to delete.
var consentEvent = newScript("consentEvent", `
local h = redis.call('HGET', KEYS[1], 'consents')
local list = {}
if h then list = cjson.decode(h) end
list[#list+1] = cjson.decode(ARGV[1])
redis.call('HSET', KEYS[1], 'consents', cjson.encode(list))
local i = 4
while i <= #ARGV and ARGV[i] ~= '-' do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i+1])
  i = i + 2
end
for j = i + 1, #ARGV do redis.call('HDEL', KEYS[1], ARGV[j]) end
if ARGV[2] == '1' then redis.call('PERSIST', KEYS[1])
else redis.call('EXPIRE', KEYS[1], ARGV[3]) end
return 1`)

func (s *Store) consentEvent(ctx context.Context, pid string, ev ConsentEvent, keep bool, set []any, del ...string) error {
	b, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	flag := "0"
	if keep {
		flag = "1"
	}
	args := append([]any{b, flag, int(WithdrawnTTL.Seconds())}, set...)
	args = append(args, "-")
	for _, d := range del {
		args = append(args, d)
	}
	return s.durable.run(ctx, consentEvent, s.rdb, []string{participantKey(pid)}, args...).Err()
}

// SaveConsent records consent with the text version and time (also in the consent
// history), the chat to reach the participant and their profile, and makes them active.
func (s *Store) SaveConsent(ctx context.Context, p *Participant) error {
	set := []any{"channel", p.Channel, "chat", p.ChatID,
		"consent_version", p.ConsentVersion, "consent_at", p.ConsentAt.Unix(),
		"kern", p.Kern, "leeftijd", p.Leeftijd, "active", "1"}
	if p.Lang != "" {
		set = append(set, "lang", p.Lang)
	}
	if p.Panel != "" {
		set = append(set, "panel", p.Panel, "panel_code", p.PanelCode)
	}
	ev := ConsentEvent{Version: p.ConsentVersion, At: p.ConsentAt, Given: true}
	if err := s.consentEvent(ctx, p.ID, ev, true, set); err != nil {
		return fmt.Errorf("save consent: %w", err)
	}
	if err := s.setActive(ctx, p.ID, true); err != nil {
		return fmt.Errorf("activate participant: %w", err)
	}
	return nil
}

// setActive adds the participant to the active set, or takes them out. Like every
// participant write it waits for a replica on a cluster: one lost in a failover
// would leave a consenting resident out of every invitation until the repair.
func (s *Store) setActive(ctx context.Context, pid string, on bool) error {
	return s.durable.exec(ctx, s.rdb, activeKey(), func(p redis.Pipeliner) error {
		if on {
			return p.SAdd(ctx, activeKey(), pid).Err()
		}
		return p.SRem(ctx, activeKey(), pid).Err()
	})
}

// setFields sets fields of the participant record, waiting for a replica on a
// cluster.
func (s *Store) setFields(ctx context.Context, pid string, fields ...any) error {
	key := participantKey(pid)
	return s.durable.exec(ctx, s.rdb, key, func(p redis.Pipeliner) error {
		return p.HSet(ctx, key, fields...).Err()
	})
}

// SetProfile stores one profile field ("kern", "leeftijd" or "lang").
func (s *Store) SetProfile(ctx context.Context, pid, field, value string) error {
	if field != "kern" && field != "leeftijd" && field != "lang" {
		return fmt.Errorf("set profile: unknown field %q", field)
	}
	if err := s.setFields(ctx, pid, field, value); err != nil {
		return fmt.Errorf("set profile %s: %w", field, err)
	}
	return nil
}

// JoinPanel makes a participant a member of a trajectory's lottery-drawn panel, with
// the kern and leeftijd their code (by its hash) stands for (RedeemPanelCode).
func (s *Store) JoinPanel(ctx context.Context, pid, traject, hash, kern, leeftijd string) error {
	if err := s.setFields(ctx, pid, "panel", traject, "panel_code", hash, "kern", kern, "leeftijd", leeftijd); err != nil {
		return fmt.Errorf("join panel of %s: %w", traject, err)
	}
	return nil
}

// Withdraw withdraws consent: the participant gets no more messages; their profile,
// chat and place in rounds are deleted; the record keeps only the consent history (with
// this withdrawal) and expires after WithdrawnTTL. What they answered is unlinked from
// them by the caller (UnlinkFromRound).
//
// The record is written first and the active set after: the two are in different hash
// slots on a cluster, so a crash between them can leave the set behind, and the record
// is the truth (a broadcast reads it and passes over an inactive participant).
func (s *Store) Withdraw(ctx context.Context, pid string, at time.Time) error {
	code, err := s.rdb.HGet(ctx, participantKey(pid), "panel_code").Result()
	if err != nil && !isNil(err) {
		return fmt.Errorf("withdraw: %w", err)
	}
	err = s.consentEvent(ctx, pid, ConsentEvent{At: at, Given: false}, false, []any{"active", "0"},
		"consent_version", "consent_at", "kern", "leeftijd", "lang", "panel", "panel_code", "chat", "current")
	if err != nil {
		return fmt.Errorf("withdraw: %w", err)
	}
	if err := s.unlinkPanelCode(ctx, code, pid); err != nil {
		return fmt.Errorf("withdraw: %w", err)
	}
	if err := s.setActive(ctx, pid, false); err != nil {
		return fmt.Errorf("withdraw: %w", err)
	}
	return nil
}

// Deactivate marks a participant unreachable (blocked the bot): no more sends.
// The record is written before the active set, as in Withdraw.
func (s *Store) Deactivate(ctx context.Context, pid string) error {
	if err := s.setFields(ctx, pid, "active", "0"); err != nil {
		return fmt.Errorf("deactivate: %w", err)
	}
	if err := s.setActive(ctx, pid, false); err != nil {
		return fmt.Errorf("deactivate: %w", err)
	}
	return nil
}

// Reactivate makes a consenting participant who came back (e.g. unblocked the bot and
// wrote again) reachable again, at the chat they wrote from.
func (s *Store) Reactivate(ctx context.Context, pid, chatID string) error {
	if err := s.setFields(ctx, pid, "active", "1", "chat", chatID); err != nil {
		return fmt.Errorf("reactivate: %w", err)
	}
	if err := s.setActive(ctx, pid, true); err != nil {
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

// MarkUpdate records an inbound update as handled, for keep: as long as the platform
// may deliver it again (bot.Redelivery).
func (s *Store) MarkUpdate(ctx context.Context, channel, updateID string, keep time.Duration) error {
	if err := s.rdb.Set(ctx, seenKey(channel, updateID), "1", keep).Err(); err != nil {
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
