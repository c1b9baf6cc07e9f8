package storage

import (
	"context"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"
)

// Rounds created before buckets (Round.Buckets 0) keep their layout: a hash per
// participant (answersKey) with their answers and, per answer, the counters it added
// ("t:<field>"), the members SET and the completed SET. New answers in such a round
// are written in that layout too (their value in the compact form, which
// surveys.DecodeAnswer reads beside the JSON of earlier versions), with the counters
// the script derives, so that a changed answer always undoes its stored list.
// Unlike the bucket layout, each answer counts under the profile given with it,
// as before.

// recordLegacyAnswer records an answer in a round without buckets.
// KEYS[1] round meta HASH, KEYS[2] answers HASH, KEYS[3] tallies HASH,
// KEYS[4] members SET, KEYS[5] open texts HASH of the field.
// ARGV[1] participant, ARGV[2] field, ARGV[3] compact value, ARGV[4] kern,
// ARGV[5] leeftijd.
// A participant's first answer in the round also keeps the respondent counters in the
// answers hash under "t:@respondent", so that their breakdown groups can be read back.
// An answer stored as JSON by an earlier version that says the same as the new
// value is unchanged (a double tap after an upgrade).
// Returns -1 when the round is not open, -2 when it has buckets, else 0 unchanged,
// 1 added, 2 changed.
var recordLegacyAnswer = newScript("recordLegacyAnswer", tallyLua+`
local m = redis.call('HMGET', KEYS[1], 'state', 'bk')
if m[1] ~= 'open' then return -1 end
if m[2] then return -2 end
local pid, field, value, kern, age = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local tag = string.sub(value, 1, 1)
if tag == '' or not string.find('-tomw', tag, 1, true) then return redis.error_reply('invalid answer value') end
local function fromJSON(s)
  local ok, a = pcall(cjson.decode, s)
  if not ok or type(a) ~= 'table' then return nil end
  if a.skipped == true then return '-' end
  if tag == 't' then return 't' .. (a.text or '') end
  if tag == 'w' then
    local l = {a.winner or ''}
    for _, x in ipairs(a.losers or {}) do l[#l + 1] = x end
    return 'w' .. table.concat(l, ',')
  end
  return tag .. table.concat(a.options or {}, ',')
end
local old = redis.call('HGET', KEYS[2], field)
if old == value or (old and string.sub(old, 1, 1) == '{' and fromJSON(old) == value) then return 0 end
local minus, plus = {}, {}
if old then
  for f in string.gmatch(redis.call('HGET', KEYS[2], 't:' .. field) or '', '[^\n]+') do minus[#minus + 1] = f end
elseif redis.call('SADD', KEYS[4], pid) == 1 then
  respondent(kern, age, plus)
  redis.call('HSET', KEYS[2], 't:@respondent', table.concat(plus, '\n'))
end
local ids = {}
if tag ~= '-' and tag ~= 't' then ids = split(string.sub(value, 2)) end
local t = tallies(qidOf(field), tag, ids, kern, age, {})
for _, f in ipairs(t) do plus[#plus + 1] = f end
net(KEYS[3], minus, plus)
redis.call('HSET', KEYS[2], field, value, 't:' .. field, table.concat(t, '\n'))
local text = string.sub(value, 2)
if tag == 't' and text ~= '' then redis.call('HSET', KEYS[5], pid, text)
elseif tag == 't' or tag == '-' then redis.call('HDEL', KEYS[5], pid) end
if old then return 2 end
return 1`)

func (s *Store) recordLegacy(ctx context.Context, w AnswerWrite) (int, error) {
	keys := []string{roundKey(w.Round), answersKey(w.Round, w.Participant), talliesKey(w.Round),
		membersKey(w.Round), openTextKey(w.Round, w.Field)}
	return s.durable.run(ctx, recordLegacyAnswer, s.rdb, keys, w.Participant, w.Field, w.Value, w.Kern, w.Leeftijd).Int()
}

// readLegacy: KEYS[1] round meta HASH, KEYS[2] answers HASH.
// Returns -2 when the round has buckets, else the answers hash (HGETALL).
var readLegacy = newScript("readLegacy", `
if redis.call('HEXISTS', KEYS[1], 'bk') == 1 then return -2 end
return redis.call('HGETALL', KEYS[2])`)

// legacyAnswers reads a participant's answers in a round without buckets
// (errStaleLayout when it has them).
func (s *Store) legacyAnswers(ctx context.Context, rid, pid string) (map[string]string, error) {
	v, err := readLegacy.Run(ctx, s.rdb, []string{roundKey(rid), answersKey(rid, pid)}).Result()
	if err != nil {
		return nil, fmt.Errorf("load answers: %w", err)
	}
	if n, ok := v.(int64); ok && n == errLayout {
		return nil, errStaleLayout
	}
	l, _ := v.([]any)
	m := make(map[string]string, len(l)/2)
	for i := 0; i+1 < len(l); i += 2 {
		k, _ := l[i].(string)
		if !strings.HasPrefix(k, "t:") {
			m[k], _ = l[i+1].(string)
		}
	}
	return m, nil
}

// completeLegacy: KEYS[1] completed SET, KEYS[2] tallies HASH, KEYS[3] round meta
// HASH. ARGV[1] participant.
// Returns 1 when the participant completed now, 0 if they had before, -2 when the
// round has buckets.
var completeLegacy = newScript("completeLegacy", `
if redis.call('HEXISTS', KEYS[3], 'bk') == 1 then return -2 end
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[2], 'completed', 1)
return 1`)

// legacyRespondents is Respondents for a round without buckets: the members set,
// and each member's answers hash.
func (s *Store) legacyRespondents(ctx context.Context, rid string, fn func(RespondentRecord) error) error {
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
