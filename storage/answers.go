package storage

import (
	"context"
	"errors"
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
	// for the i-th triad of a wie-van-de-drie question. Its counters are those of the
	// question id.
	Field string
	// Value is the compact answer (surveys.EncodeAnswer); the same value again is a
	// double tap and counts once. An open answer's text ("t<text>") is kept under
	// the question (openTextKey), not in the participant's record.
	Value string
	// Kern and Leeftijd are the participant's profile now ("" unknown). A round
	// counts all of a participant's answers under the profile of their first answer
	// in it (see record.go).
	Kern, Leeftijd string
	// Lang is the language the participant reads the round in, "" for Dutch: a
	// participant who reads another gets "respondents:l:<lang>" with the respondent
	// counters of their first answer (surveys.RespondentFields). A code of letters
	// only (lang.Code), never with ':'.
	Lang string
	// Panel is set for a member of the lottery-drawn panel of the round's
	// trajectory: each counter of theirs is counted a second time under "panel:"
	// (surveys.PanelTallies). Like the profile, it is fixed by the first answer.
	Panel bool
}

// AnswerOutcome says what recording an answer did.
type AnswerOutcome int

// Outcomes of RecordAnswer.
const (
	Unchanged AnswerOutcome = iota // same answer as before: nothing counted
	Added                          // first answer to this field
	Changed                        // replaced an earlier answer; its tallies moved
)

// recordAnswer records an answer and moves the tallies in one step (see record.go).
// KEYS[1] round meta HASH, KEYS[2] bucket HASH, KEYS[3] tallies HASH, KEYS[4]
// dictionary HASH, KEYS[5] open texts HASH of the field.
// ARGV[1] participant, ARGV[2] field, ARGV[3] compact value, ARGV[4] kern,
// ARGV[5] leeftijd, ARGV[6] the round's mark (the dictionary's "open" field) as
// the caller knows it, or else "<bucket count as the caller knows it>:<random>",
// ARGV[7] "1" for a member of the trajectory's panel, ARGV[8] the field's
// dictionary number, ARGV[9] the profile's ("<kern>:<leeftijd>[:p][:<lang>]",
// profileName), ARGV[10] the stored value (the tag and the option numbers), each ""
// when the caller does not know it (dictCache), ARGV[11] the language the
// participant reads ("" for Dutch).
// While the round is open the dictionary holds its mark (openMark): who holds it
// knows the round is open, the layout, and that the numbers it learnt under it are
// this dictionary's. With the mark as ARGV[6] and every number given, an answer
// reads neither the meta nor the dictionary; else the script checks the meta (and
// sets the mark when missing), looks the names up in the dictionary as the caller's
// numbers may be another's, and returns what the caller is to learn.
// A participant's first answer adds the respondent counters and fixes their profile.
// An open answer's text goes to KEYS[5]; an open answer without text or a skip
// takes it out.
// Returns -1 when the round is not open, -2 when ARGV[6] is not the round's bucket
// count, else the outcome (0 unchanged, 1 added, 2 changed) alone when the caller's
// numbers were used, or {outcome, mark, field number, profile number ("" when the
// caller's profile has none yet), stored value}.
var recordAnswer = newScript("recordAnswer", tallyLua+`
local pid, field, value, kern, age = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local tag = string.sub(value, 1, 1)
if tag == '' or not string.find('-tomw', tag, 1, true) then return redis.error_reply('invalid answer value') end
local dict = KEYS[4]
local mark = redis.call('HGET', dict, 'open')
local fi, pn, sv = ARGV[8], ARGV[9], ARGV[10]
local known = mark == ARGV[6]
if not known then
  local m = redis.call('HMGET', KEYS[1], 'state', 'bk', 'tj', 'tn')
  if m[1] ~= 'open' then return -1 end
  if (m[2] or '') ~= string.match(ARGV[6], '%d*') then return -2 end
  if not mark then
    -- set while the round is open; the transition that closes it takes it out.
    -- A joint-only round whose first answer this is derives its "answered"
    -- counters of single-choice answers (tn in the meta) for good; one with
    -- answers counted before keeps counting them.
    local kind = '-'
    if m[3] == '1' then
      kind = 'j'
      if m[4] == '1' then
        kind = 'd'
      elseif not m[4] and not redis.call('HGET', dict, 'f#') then
        kind = 'd'
        redis.call('HSET', KEYS[1], 'tn', '1')
      end
    end
    mark = kind .. ARGV[6]
    redis.call('HSET', dict, 'open', mark)
  end
end
local mk = string.byte(mark, 1)
jointOnly = mk == 106 or mk == 100
derived = mk == 100
local rec = redis.call('HGET', KEYS[2], pid) or ''
local p = string.match(rec, '^%d*')
local first = p == ''
local ids = {}
if tag ~= '-' and tag ~= 't' then ids = split(string.sub(value, 2)) end
if derived and tag == 'o' and #ids ~= 1 then return redis.error_reply('invalid answer value: tag o takes one option') end
local learnt
if known and fi ~= '' and sv ~= '' and pn ~= '' and (first or p == pn) then
  p = pn
  panel, rlang = ARGV[7] == '1', ARGV[11]
else
  -- the dictionary numbers of the field, the profiles and the options, in one look-up
  local prof = kern .. ':' .. age
  if ARGV[7] == '1' then prof = prof .. ':p' end
  if ARGV[11] ~= '' then prof = prof .. (ARGV[7] == '1' and ':' or '::') .. ARGV[11] end
  local q = {'fi:' .. field, 'pi:' .. prof}
  if not first then q[3] = 'pn:' .. p end
  local o = #q
  for i, id in ipairs(ids) do q[o + i] = 'vi:' .. id end
  local got = redis.call('HMGET', dict, unpack(q))
  local function number(i, kind, s)
    if got[i] then return got[i] end
    local n = tostring(redis.call('HINCRBY', dict, kind .. '#', 1) - 1)
    redis.call('HSET', dict, q[i], n, kind .. 'n:' .. n, s)
    got[i] = n
    return n
  end
  fi = number(1, 'f', field)
  if first then
    p = number(2, 'p', prof)
    panel, rlang = ARGV[7] == '1', ARGV[11]
  elseif got[3] then
    kern, age, panel, rlang = profileOf(got[3])
  else
    return redis.error_reply('round dictionary has no profile ' .. p)
  end
  sv = tag
  if #ids > 0 then
    local idx = {}
    for i = 1, #ids do idx[i] = number(i + o, 'v', ids[i]) end
    sv = tag .. table.concat(idx, ',')
  end
  learnt = {mark, fi, got[2] or '', sv}
end
fi = tonumber(fi)
-- the stored value of field fi is the record's segment fi + 1 (the header is the first)
local pos, k = 1, 0
while k <= fi do
  local j = string.find(rec, ';', pos, true)
  if not j then break end
  pos, k = j + 1, k + 1
end
local old = ''
if k > fi then
  local j = string.find(rec, ';', pos, true)
  old = string.sub(rec, pos, (j or 0) - 1)
  rec = string.sub(rec, 1, pos - 1) .. sv .. (j and string.sub(rec, j) or '')
else
  rec = rec .. string.rep(';', fi + 1 - k) .. sv
end
local text = tag == 't' and string.sub(value, 2)
if old == sv then
  if tag ~= 't' or (redis.call('HGET', KEYS[5], pid) or '') == text then
    if learnt then return {0, learnt[1], learnt[2], learnt[3], learnt[4]} end
    return 0
  end
else
  local qid = qidOf(field)
  local plus = tallies(qid, tag, ids, kern, age, first and respondent(kern, age, {}) or {})
  if old == '' then
    for i = 1, #plus do redis.call('HINCRBY', KEYS[3], plus[i], 1) end
  else
    local otag, oids = string.sub(old, 1, 1), {}
    if otag ~= '-' and otag ~= 't' and string.len(old) > 1 then
      local keys = {}
      for i, n in ipairs(split(string.sub(old, 2))) do keys[i] = 'vn:' .. n end
      oids = redis.call('HMGET', dict, unpack(keys))
      for i = 1, #keys do
        if not oids[i] then return redis.error_reply('round dictionary has no ' .. keys[i]) end
      end
    end
    net(KEYS[3], tallies(qid, otag, oids, kern, age, {}), plus)
  end
  if first then rec = p .. rec end
  redis.call('HSET', KEYS[2], pid, rec)
end
-- an open text is kept only beside a stored "t" (a skip or a first answer has none
-- to take out)
if tag == 't' and text ~= '' then redis.call('HSET', KEYS[5], pid, text)
elseif string.byte(old, 1) == 116 and (tag == 't' or tag == '-') then redis.call('HDEL', KEYS[5], pid) end
local n = old == '' and 1 or 2
if learnt then return {n, learnt[1], learnt[2], learnt[3], learnt[4]} end
return n`)

// openMark is the dictionary field that holds the round's mark while it is open
// (recordAnswer): its layout ("d" for joint-only tallies whose single-choice
// answers count no "answered" counter, "j" for joint-only tallies, else "-", then
// the bucket count) and a random token, so that each opening of a round's
// dictionary has a mark of its own.
const openMark = "open"

// derivedMark is the meta field ("1") of a round whose single-choice answers
// count no "answered" counter (q:<qid>:n…): set by its first answer, when the round
// keeps joint-only tallies; Tallies adds those counters up from the options'.
const derivedMark = "tn"

// RecordAnswer stores an answer and updates the round's tallies atomically, in one
// round trip. It returns ErrRoundClosed (wrapped) when the round is not open.
func (s *Store) RecordAnswer(ctx context.Context, w AnswerWrite) (AnswerOutcome, error) {
	if err := checkValue(w.Value); err != nil {
		return Unchanged, fmt.Errorf("record answer %s in round %s: %w", w.Field, w.Round, err)
	}
	for range 2 {
		bk, err := s.buckets(ctx, w.Round)
		if err != nil {
			return Unchanged, err
		}
		var n int
		if bk == 0 {
			n, err = s.recordLegacy(ctx, w)
		} else {
			n, err = s.record(ctx, w, bk)
		}
		switch {
		case err != nil:
			return Unchanged, fmt.Errorf("record answer %s in round %s: %w", w.Field, w.Round, err)
		case n == errLayout:
			s.layouts.drop(w.Round)
			s.dicts.drop(w.Round)
			continue
		case n < 0:
			return Unchanged, fmt.Errorf("record answer %s in round %s: %w", w.Field, w.Round, ErrRoundClosed)
		}
		return AnswerOutcome(n), nil
	}
	return Unchanged, fmt.Errorf("record answer %s in round %s: the round's layout keeps changing", w.Field, w.Round)
}

// record runs recordAnswer in a round with bk buckets, with the dictionary numbers
// the store knows, and learns those the script looked up.
func (s *Store) record(ctx context.Context, w AnswerWrite, bk int) (int, error) {
	prof := profileName(w)
	mark, fi, pn, sv := s.dicts.numbers(w.Round, w.Field, prof, w.Value)
	if mark == "" {
		mark = strconv.Itoa(bk) + ":" + newOwner() // the mark to set, when the round has none
	}
	keys := []string{roundKey(w.Round), bucketKey(w.Round, bucketOf(w.Participant, bk)), talliesKey(w.Round),
		dictKey(w.Round), openTextKey(w.Round, w.Field)}
	v, err := s.durable.run(ctx, recordAnswer, s.answers, keys, w.Participant, w.Field, w.Value, w.Kern, w.Leeftijd,
		mark, panelFlag(w.Panel), fi, pn, sv, w.Lang).Result()
	if err != nil {
		return 0, err
	}
	switch v := v.(type) {
	case int64:
		return int(v), nil
	case []any:
		if len(v) == 5 {
			n, ok := v[0].(int64)
			str := func(x any) string { s, _ := x.(string); return s }
			if ok {
				s.dicts.learn(w.Round, str(v[1]), w.Field, str(v[2]), prof, str(v[3]), w.Value, str(v[4]))
				return int(n), nil
			}
		}
	}
	return 0, fmt.Errorf("unexpected reply %v", v)
}

// profileName is the dictionary name of an answer's profile, as recordAnswer makes
// it: "<kern>:<leeftijd>", ":p" for a panel member, and ":<lang>" after the mark
// (empty when not a panel member) for a language other than Dutch.
func profileName(w AnswerWrite) string {
	prof := w.Kern + ":" + w.Leeftijd
	if w.Panel {
		prof += ":p"
	}
	if w.Lang != "" {
		if !w.Panel {
			prof += ":"
		}
		prof += ":" + w.Lang
	}
	return prof
}

// checkValue refuses what is not a compact answer: the scripts derive counters from it.
func checkValue(v string) error {
	if v == "" {
		return errors.New("empty answer value")
	}
	switch v[0] {
	case '-':
		if v == "-" {
			return nil
		}
	case 't':
		return nil
	case 'o', 'm', 'w':
		if !strings.ContainsAny(v, "; \n") {
			return nil
		}
	}
	return fmt.Errorf("invalid answer value (tag %q)", v[0])
}

// readRecords reads participants' records, decoded.
// KEYS[1] round meta HASH, KEYS[2] bucket HASH, KEYS[3] dictionary HASH.
// ARGV[1] the round's bucket count as the caller knows it, ARGV[2] a participant, or
// "" for every participant in the bucket.
// Returns -2 when ARGV[1] is not the round's bucket count, else for each record:
// participant, "1" when completed else "0", the respondent counters of their profile
// (newline separated; "" when no answer was counted), the number of answers k, then
// k pairs of field and compact value (an open answer as "t", without its text).
var readRecords = newScript("readRecords", recordLua+`
dict = KEYS[3]
if (redis.call('HGET', KEYS[1], 'bk') or '') ~= ARGV[1] then return -2 end
local raw
if ARGV[2] ~= '' then
  local v = redis.call('HGET', KEYS[2], ARGV[2])
  raw = v and {ARGV[2], v} or {}
else
  raw = redis.call('HGETALL', KEYS[2])
end
local out = {}
for i = 1, #raw, 2 do
  local r = parse(raw[i + 1])
  local resp = {}
  if r.p ~= '' then
    local kern, age = profile(r.p)
    respondent(kern, age, resp)
  end
  local kv = {}
  for fi = 1, r.n do
    local v = r.v[fi] or ''
    if v ~= '' then
      kv[#kv + 1] = name('f', fi - 1)
      kv[#kv + 1] = (loaded(v))
    end
  end
  out[#out + 1] = raw[i]
  out[#out + 1] = r.done and '1' or '0'
  out[#out + 1] = table.concat(resp, '\n')
  out[#out + 1] = tostring(#kv / 2)
  for _, x in ipairs(kv) do out[#out + 1] = x end
end
return out`)

// Answers returns a participant's answers in a round, by field, as compact values
// (surveys.DecodeAnswer reads them; open answers with their text).
func (s *Store) Answers(ctx context.Context, rid, pid string) (map[string]string, error) {
	for range 2 {
		bk, err := s.buckets(ctx, rid)
		if err != nil {
			return nil, err
		}
		if bk == 0 {
			m, err := s.legacyAnswers(ctx, rid, pid)
			if errors.Is(err, errStaleLayout) {
				s.layouts.drop(rid)
				continue
			}
			return m, err
		}
		recs, err := s.readBucket(ctx, rid, bk, bucketOf(pid, bk), pid)
		if errors.Is(err, errStaleLayout) {
			s.layouts.drop(rid)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("load answers: %w", err)
		}
		if len(recs) == 0 {
			return map[string]string{}, nil
		}
		if err := s.openTexts(ctx, rid, recs); err != nil {
			return nil, fmt.Errorf("load answers: %w", err)
		}
		return recs[0].Answers, nil
	}
	return nil, fmt.Errorf("load answers of round %s: the round's layout keeps changing", rid)
}

// errStaleLayout is a read that found another bucket count than the caller's.
var errStaleLayout = errors.New("round layout changed")

// bucketRecord is a record as readRecords gives it.
type bucketRecord struct {
	RespondentRecord
	done bool
}

// readBucket reads the records of one bucket (of pid alone when pid is not "").
func (s *Store) readBucket(ctx context.Context, rid string, bk, i int, pid string) ([]bucketRecord, error) {
	v, err := readRecords.Run(ctx, s.rdb, []string{roundKey(rid), bucketKey(rid, i), dictKey(rid)}, bk, pid).Result()
	if err != nil {
		return nil, err
	}
	return parseRecords(v)
}

// parseRecords reads the reply of readRecords.
func parseRecords(v any) ([]bucketRecord, error) {
	if n, ok := v.(int64); ok && n == errLayout {
		return nil, errStaleLayout
	}
	l, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("read records: unexpected reply %T", v)
	}
	str := func(i int) string {
		if i < len(l) {
			s, _ := l[i].(string)
			return s
		}
		return ""
	}
	var out []bucketRecord
	for i := 0; i+3 < len(l); {
		rec := bucketRecord{RespondentRecord: RespondentRecord{Participant: str(i), Tallies: splitLines(str(i + 2))}, done: str(i+1) == "1"}
		k, err := strconv.Atoi(str(i + 3))
		if err != nil || i+4+2*k > len(l) {
			return nil, fmt.Errorf("read records: malformed reply")
		}
		rec.Answers = make(map[string]string, k)
		for j := range k {
			rec.Answers[str(i+4+2*j)] = str(i + 5 + 2*j)
		}
		out = append(out, rec)
		i += 4 + 2*k
	}
	return out, nil
}

// openTexts puts the texts of the records' open answers (stored as "t") into them.
func (s *Store) openTexts(ctx context.Context, rid string, recs []bucketRecord) error {
	byField := map[string][]int{} // open question -> records with an open answer to it
	for i, r := range recs {
		for f, v := range r.Answers {
			if v == "t" {
				byField[f] = append(byField[f], i)
			}
		}
	}
	if len(byField) == 0 {
		return nil
	}
	pipe := s.rdb.Pipeline()
	cmds := map[string]*redis.SliceCmd{}
	for f, idx := range byField {
		pids := make([]string, len(idx))
		for j, i := range idx {
			pids[j] = recs[i].Participant
		}
		cmds[f] = pipe.HMGet(ctx, openTextKey(rid, f), pids...)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("read open answers: %w", err)
	}
	for f, idx := range byField {
		for j, t := range cmds[f].Val() {
			text, _ := t.(string)
			recs[idx[j]].Answers[f] = "t" + text
		}
	}
	return nil
}

// complete: KEYS[1] round meta HASH, KEYS[2] bucket HASH, KEYS[3] tallies HASH.
// ARGV[1] participant, ARGV[2] the round's bucket count as the caller knows it.
// Returns 1 when the participant completed now, 0 if they had before, -2 when
// ARGV[2] is not the round's bucket count.
var complete = newScript("complete", recordLua+`
if (redis.call('HGET', KEYS[1], 'bk') or '') ~= ARGV[2] then return -2 end
local r = parse(redis.call('HGET', KEYS[2], ARGV[1]))
if r.done then return 0 end
r.done = true
redis.call('HSET', KEYS[2], ARGV[1], format(r))
redis.call('HINCRBY', KEYS[3], 'completed', 1)
return 1`)

// Complete marks the participant as having finished the round, counted once.
func (s *Store) Complete(ctx context.Context, rid, pid string) (bool, error) {
	for range 2 {
		bk, err := s.buckets(ctx, rid)
		if err != nil {
			return false, err
		}
		var n int
		if bk == 0 {
			n, err = s.durable.run(ctx, completeLegacy, s.rdb, []string{completedKey(rid), talliesKey(rid), roundKey(rid)}, pid).Int()
		} else {
			n, err = s.durable.run(ctx, complete, s.answers, []string{roundKey(rid), bucketKey(rid, bucketOf(pid, bk)), talliesKey(rid)}, pid, bk).Int()
		}
		if err != nil {
			return false, fmt.Errorf("complete round %s: %w", rid, err)
		}
		if n == errLayout {
			s.layouts.drop(rid)
			continue
		}
		return n == 1, nil
	}
	return false, fmt.Errorf("complete round %s: the round's layout keeps changing", rid)
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
	// a session lost in a failover would send the resident back a question, and take
	// the next answer for a change of that one
	err := s.durable.exec(ctx, s.rdb, key, func(p redis.Pipeliner) error {
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
	key := participantKey(pid)
	if err := s.durable.exec(ctx, s.rdb, key, func(p redis.Pipeliner) error {
		return p.HSet(ctx, key, "current", rid).Err()
	}); err != nil {
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
	// Answers are the compact answers by field (question id, or "<qid>#<i>"); open
	// answers with their text. Rounds recorded before the compact form hold JSON.
	Answers map[string]string
	// Tallies are the round-level respondent counters of the participant's profile
	// (respondents, respondents:k:<kern>, respondents:a:<leeftijd>, …), and in
	// rounds created before buckets also every counter their answers added; the
	// breakdown groups they were counted in can be read from them.
	Tallies []string
}

// respondentBatch is how many participants' answers Respondents reads per round
// trip in the layout before buckets; bucketBatch how many buckets.
const (
	respondentBatch = 200
	bucketBatch     = 16
)

// Respondents calls fn with the answers of every participant of a round, in no
// particular order, reading a few buckets per round trip, so that memory stays
// bounded whatever the round's size.
func (s *Store) Respondents(ctx context.Context, rid string, fn func(RespondentRecord) error) error {
	bk, err := s.loadBuckets(ctx, rid)
	if err != nil {
		return err
	}
	if bk == 0 {
		return s.legacyRespondents(ctx, rid, fn)
	}
	if err := readRecords.Load(ctx, s.rdb).Err(); err != nil {
		return fmt.Errorf("read answers of round %s: %w", rid, err)
	}
	for first := 0; first < bk; first += bucketBatch {
		pipe := s.rdb.Pipeline()
		cmds := make([]*redis.Cmd, 0, bucketBatch)
		for i := first; i < min(first+bucketBatch, bk); i++ {
			cmds = append(cmds, readRecords.EvalSha(ctx, pipe, []string{roundKey(rid), bucketKey(rid, i), dictKey(rid)}, bk, ""))
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return fmt.Errorf("read answers of round %s: %w", rid, err)
		}
		var recs []bucketRecord
		for _, c := range cmds {
			got, err := parseRecords(c.Val())
			if err != nil {
				return fmt.Errorf("read answers of round %s: %w", rid, err)
			}
			for _, r := range got {
				if len(r.Tallies) > 0 { // answered: not only completed
					recs = append(recs, r)
				}
			}
		}
		if err := s.openTexts(ctx, rid, recs); err != nil {
			return fmt.Errorf("read answers of round %s: %w", rid, err)
		}
		for _, r := range recs {
			if err := fn(r.RespondentRecord); err != nil {
				return err
			}
		}
	}
	return nil
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// panelFlag is a script's argument for a panel member: "1", or "".
func panelFlag(panel bool) string {
	if panel {
		return "1"
	}
	return ""
}
