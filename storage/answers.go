package storage

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// AnswerWrite is one answer to record.
type AnswerWrite struct {
	Round       string
	Participant string
	// Field is the answer's name within the round: the question id, or "<qid>#<i>"
	// for the i-th triad of a wie-van-de-drie question.
	Field string
	// Value is the encoded answer; the same value again is a double tap and counts once.
	Value string
	// Tallies are the counters this answer adds one to.
	Tallies []string
	// Respondent are the counters a participant's first answer in the round adds to.
	Respondent []string
	// OpenQuestion, when set, keeps Text as the open answer to that question.
	OpenQuestion string
	Text         string
}

// AnswerOutcome says what recording an answer did.
type AnswerOutcome int

// Outcomes of RecordAnswer.
const (
	Unchanged AnswerOutcome = iota // same answer as before: nothing counted
	Added                          // first answer to this field
	Changed                        // replaced an earlier answer; its tallies moved
)

// recordAnswer records an answer and moves the tallies in one step.
// KEYS[1] round meta HASH, KEYS[2] answers HASH, KEYS[3] tallies HASH,
// KEYS[4] members SET, KEYS[5] open texts HASH (ignored unless ARGV[6] is "1").
// ARGV[1] participant, ARGV[2] field, ARGV[3] value, ARGV[4] tally fields (newline
// separated), ARGV[5] respondent fields, ARGV[6] "1" for an open answer, ARGV[7] text.
// A participant's first answer in the round also keeps ARGV[5] in the answers hash
// under "t:@respondent", so that their breakdown groups can be read back (Respondents).
// Returns -1 when the round is not open, else 0 unchanged, 1 added, 2 changed.
var recordAnswer = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'state') ~= 'open' then return -1 end
local old = redis.call('HGET', KEYS[2], ARGV[2])
if old == ARGV[3] then return 0 end
local function each(s, delta)
  for f in string.gmatch(s, '[^\n]+') do redis.call('HINCRBY', KEYS[3], f, delta) end
end
if old then
  each(redis.call('HGET', KEYS[2], 't:' .. ARGV[2]) or '', -1)
elseif redis.call('SADD', KEYS[4], ARGV[1]) == 1 then
  each(ARGV[5], 1)
  redis.call('HSET', KEYS[2], 't:@respondent', ARGV[5])
end
each(ARGV[4], 1)
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3], 't:' .. ARGV[2], ARGV[4])
if ARGV[6] == '1' then
  if ARGV[7] ~= '' then redis.call('HSET', KEYS[5], ARGV[1], ARGV[7])
  else redis.call('HDEL', KEYS[5], ARGV[1]) end
end
if old then return 2 end
return 1`)

// RecordAnswer stores an answer and updates the round's tallies atomically. It returns
// ErrRoundClosed (wrapped) when the round is not open.
func (s *Store) RecordAnswer(ctx context.Context, w AnswerWrite) (AnswerOutcome, error) {
	open, openKey := "0", openTextKey(w.Round, "-")
	if w.OpenQuestion != "" {
		open, openKey = "1", openTextKey(w.Round, w.OpenQuestion)
	}
	keys := []string{roundKey(w.Round), answersKey(w.Round, w.Participant), talliesKey(w.Round),
		membersKey(w.Round), openKey}
	n, err := recordAnswer.Run(ctx, s.rdb, keys, w.Participant, w.Field, w.Value,
		strings.Join(w.Tallies, "\n"), strings.Join(w.Respondent, "\n"), open, w.Text).Int()
	if err != nil {
		return Unchanged, fmt.Errorf("record answer %s in round %s: %w", w.Field, w.Round, err)
	}
	if n < 0 {
		return Unchanged, fmt.Errorf("record answer %s in round %s: %w", w.Field, w.Round, ErrRoundClosed)
	}
	return AnswerOutcome(n), nil
}

// Answers returns a participant's encoded answers in a round, by field.
func (s *Store) Answers(ctx context.Context, rid, pid string) (map[string]string, error) {
	m, err := s.rdb.HGetAll(ctx, answersKey(rid, pid)).Result()
	if err != nil {
		return nil, fmt.Errorf("load answers: %w", err)
	}
	for k := range m {
		if strings.HasPrefix(k, "t:") {
			delete(m, k)
		}
	}
	return m, nil
}

// complete: KEYS[1] completed SET, KEYS[2] tallies HASH. ARGV[1] participant.
// Returns 1 when the participant completed now, 0 if they had before.
var complete = redis.NewScript(`
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[2], 'completed', 1)
return 1`)

// Complete marks the participant as having finished the round, counted once.
func (s *Store) Complete(ctx context.Context, rid, pid string) (bool, error) {
	n, err := complete.Run(ctx, s.rdb, []string{completedKey(rid), talliesKey(rid)}, pid).Int()
	if err != nil {
		return false, fmt.Errorf("complete round %s: %w", rid, err)
	}
	return n == 1, nil
}

// Session is a participant's place in a round's conversation.
type Session struct {
	Pos   int    // index of the current question
	Sub   int    // index of the current triad within a wie-van-de-drie question
	Await string // question id whose open answer the next text message is
	// Triads holds the triads drawn for each wie-van-de-drie question, encoded by the caller.
	Triads map[string]string
	// Selected holds the options ticked so far on a multiple-choice question, encoded
	// by the caller, until the participant presses "Klaar".
	Selected map[string]string
	// Update is the inbound update that saved the session last. Saving the session is
	// the last write of handling an update, so an update found here was handled fully.
	Update string
	Exists bool
}

// Session loads a participant's session in a round (zero Session when none).
func (s *Store) Session(ctx context.Context, rid, pid string) (*Session, error) {
	m, err := s.rdb.HGetAll(ctx, sessionKey(rid, pid)).Result()
	if err != nil {
		return nil, fmt.Errorf("load session: %w", err)
	}
	ss := &Session{Triads: map[string]string{}, Selected: map[string]string{}, Exists: len(m) > 0}
	ss.Pos, _ = strconv.Atoi(m["pos"])
	ss.Sub, _ = strconv.Atoi(m["sub"])
	ss.Await = m["await"]
	ss.Update = m["upd"]
	for k, v := range m {
		if q, ok := strings.CutPrefix(k, "triads:"); ok {
			ss.Triads[q] = v
		}
		if q, ok := strings.CutPrefix(k, "sel:"); ok {
			ss.Selected[q] = v
		}
	}
	return ss, nil
}

// SaveSession stores a participant's place (position fields and triads), kept for keep
// (the caller gives the time until the round closes plus SessionGrace).
func (s *Store) SaveSession(ctx context.Context, rid, pid string, ss *Session, keep time.Duration) error {
	fields := []any{"pos", ss.Pos, "sub", ss.Sub, "await", ss.Await, "upd", ss.Update}
	for q, v := range ss.Triads {
		fields = append(fields, "triads:"+q, v)
	}
	for q, v := range ss.Selected {
		fields = append(fields, "sel:"+q, v)
	}
	key := sessionKey(rid, pid)
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, key, fields...)
		p.Expire(ctx, key, keep)
		return nil
	})
	if err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}

// SetCurrentRound records the round the participant is answering in right now.
// It lives in the participant hash ("current" field).
func (s *Store) SetCurrentRound(ctx context.Context, pid, rid string) error {
	if err := s.rdb.HSet(ctx, participantKey(pid), "current", rid).Err(); err != nil {
		return fmt.Errorf("set current round: %w", err)
	}
	return nil
}

// CurrentRound is the round the participant last worked on ("" if none).
func (s *Store) CurrentRound(ctx context.Context, pid string) (string, error) {
	rid, err := s.rdb.HGet(ctx, participantKey(pid), "current").Result()
	if isNil(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("load current round: %w", err)
	}
	return rid, nil
}

// RespondentRecord is one participant's answers in a round, as stored.
type RespondentRecord struct {
	// Participant is the pseudonym.
	Participant string
	// Answers are the encoded answers by field (question id, or "<qid>#<i>").
	Answers map[string]string
	// Tallies are the counters the participant's answers added to, the round-level
	// respondent counters of their first answer first; the breakdown groups they
	// were counted in can be read from them.
	Tallies []string
}

// respondentBatch is how many participants' answers Respondents reads per round trip.
const respondentBatch = 200

// Respondents calls fn with the answers of every participant of a round, in no
// particular order, reading them in pipelined batches.
func (s *Store) Respondents(ctx context.Context, rid string, fn func(RespondentRecord) error) error {
	return s.scanSetBatches(ctx, membersKey(rid), func(batch []string) error {
		pipe := s.rdb.Pipeline()
		cmds := make([]*redis.MapStringStringCmd, len(batch))
		for i, pid := range batch {
			cmds[i] = pipe.HGetAll(ctx, answersKey(rid, pid))
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return fmt.Errorf("read answers of round %s: %w", rid, err)
		}
		for i, pid := range batch {
			rec := RespondentRecord{Participant: pid, Answers: map[string]string{}}
			m := cmds[i].Val()
			rec.Tallies = splitLines(m["t:@respondent"])
			for k, v := range m {
				if f, ok := strings.CutPrefix(k, "t:"); ok {
					if f != "@respondent" {
						rec.Tallies = append(rec.Tallies, splitLines(v)...)
					}
					continue
				}
				rec.Answers[k] = v
			}
			if err := fn(rec); err != nil {
				return err
			}
		}
		return nil
	})
}

// scanSetBatches calls fn with the members of a SET in batches of respondentBatch,
// scanning it without loading it whole.
func (s *Store) scanSetBatches(ctx context.Context, key string, fn func(batch []string) error) error {
	batch := make([]string, 0, respondentBatch)
	err := s.scanSet(ctx, key, func(m string) error {
		batch = append(batch, m)
		if len(batch) < respondentBatch {
			return nil
		}
		err := fn(batch)
		batch = batch[:0]
		return err
	})
	if err != nil || len(batch) == 0 {
		return err
	}
	return fn(batch)
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
