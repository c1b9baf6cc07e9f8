package storage

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// A round's answers are kept per participant in one short record, a field of one of
// the round's bucket hashes (bucketKey), so that the buckets stay listpacks: about
// 80 bytes per participant-round where a hash per participant took 2.5 to 3.6 kB
// (BenchmarkMemory100k, the burgerpeiling). Redis
// keeps a hash as a listpack while it has at most hash-max-listpack-entries (128 by
// default) fields of at most hash-max-listpack-value (64) bytes; a round fixes its
// number of buckets when it is created (Round.Buckets), so that its participants come
// to about 32 to 64 per bucket, with room to grow. A bucket that outgrows the limits
// (many residents joined after the round was made) becomes an ordinary hash: it takes
// more memory, and everything works the same.
//
// A record is
//
//	<header>;<value of field 0>;<value of field 1>;…
//
// The header is the index of the participant's profile in the round's dictionary,
// empty while they have no answer counted, then "c" once they completed the round.
// The value of field i is the answer to the field (question id, or "<qid>#<i>" for a
// triad) that has index i in the dictionary, empty when not answered, in the stored
// form of the compact answer (surveys.EncodeAnswer): "-" skipped, "t" an open answer
// (its text is in openTextKey), or the tag o, m or w followed by the dictionary
// indices of the option ids, comma separated. Trailing empty values are left off.
// For the burgerpeiling (ten questions) a record is about 33 bytes.
//
// The dictionary (dictKey) numbers, per round and append-only, the answer fields
// ("fi:<field>" -> i, "fn:<i>" -> field), the option ids ("vi:<oid>", "vn:<i>") and
// the profiles ("pi:<kern>:<leeftijd>", "pn:<i>"; "pi:<kern>:<leeftijd>:p" for a
// member of the lottery-drawn panel of the round's trajectory, whose counters are
// all counted a second time under "panel:"), with "f#", "v#" and "p#" counting
// each. The scripts assign the numbers, so recording an answer stays one round trip.
// While the round is open, its "open" field holds the round's mark (openMark,
// answers.go): set by the first answer after the round opened, taken out by the
// transition that closes it. A store keeps the numbers it learnt with the mark
// (dictCache), and an answer given with the mark the dictionary holds and every
// number known reads neither the meta nor the rest of the dictionary.
//
// Tallies are derived by the scripts from the stored values and the stored profile,
// exactly as surveys.TallyFields and surveys.RespondentFields name them (a test
// checks every question type and profile against those functions), so a changed
// answer or an erasure takes off exactly what was added without a list of counters
// per answer. All of a participant's counters in a round are counted under the
// profile of their first answer in it: a participant who moves to another kern
// during a round stays counted where they began, so that the weighting classes and
// the answers within them keep adding up. A joint-only round whose first answer was
// recorded by this version has "tn" in its meta: its single-choice answers (tag o,
// one option) count no "answered" counter q:<qid>:n…, as it always moves with the
// option's; Tallies adds them up from the options' counters (addAnswered).
//
// Rounds created before buckets (no "bk" in the meta, Round.Buckets 0) keep the
// earlier layout: a hash per participant (answersKey) with the answers and a
// "t:<field>" list of the counters each added, the members and completed sets. Every
// operation still works on them (answers_legacy.go).

// tallyLua is what every answer script shares: the counters of an answer, exactly as
// surveys.TallyFields and surveys.RespondentFields name them. It is kept small (few
// functions, few strings) because recordAnswer runs it for every answer.
const tallyLua = `
-- split s at every ',' ('' gives none)
local function split(s)
  local out, i = {}, 1
  if s == '' then return out end
  while true do
    local j = string.find(s, ',', i, true)
    if not j then out[#out + 1] = string.sub(s, i) return out end
    out[#out + 1] = string.sub(s, i, j - 1)
    i = j + 1
  end
end

-- jointOnly is set by the scripts that count (recordAnswer, forgetInRound) for a
-- round created with "tj" in its meta: such a round keeps of each profiled counter
-- only its kern × leeftijd cell (":j:<kern>:<age>"); Tallies adds them up into the
-- others, so an answer costs a few increments instead of a dozen
local jointOnly = false

-- derived is set with jointOnly by the scripts that count for a round whose meta
-- has "tn" (set by its first answer): a single-choice answer (tag o, one option) adds
-- no "answered" counter, as its option's counter always moves with it; Tallies
-- adds them up from the options' counters
local derived = false

-- panel is set by the scripts for a participant drawn by lot for the panel of the
-- round's trajectory (their profile is "<kern>:<age>:p"): each of their counters is
-- counted a second time under "panel:", so that the panel's results come from the
-- same tallies (surveys.PanelTallies)
local panel = false

-- rlang is set by the scripts for a participant who read the round in another
-- language than Dutch (their profile is "<kern>:<age>:<mark>:<lang>"): their
-- respondent counters get "respondents:l:<lang>", the answers by language
-- (results.Results.ByTaal); Dutch is the rest
local rlang = ''

-- panelled adds the "panel:" copy of out[from], out[from + 1], … when panel is set
local function panelled(out, from)
  if not panel then return out end
  for i = from, #out do out[#out + 1] = 'panel:' .. out[i] end
  return out
end

-- tallies appends to out every counter an answer (tag and option ids) adds to
local function tallies(qid, tag, ids, kern, age, out)
  local pre = 'q:' .. qid .. ':'
  local from = #out + 1
  if tag == '-' then out[#out + 1] = pre .. 'skip' return panelled(out, from) end
  local n = #out
  local joint = ':j:' .. kern .. ':' .. age
  -- counted adds f, per kern and per age group, and (withJoint) per cell of both
  local function counted(f, withJoint)
    if jointOnly then n = n + 1; out[n] = f .. joint return end
    n = n + 1; out[n] = f
    if kern ~= '' then n = n + 1; out[n] = f .. ':k:' .. kern end
    if age ~= '' then n = n + 1; out[n] = f .. ':a:' .. age end
    if withJoint then n = n + 1; out[n] = f .. joint end
  end
  if not (derived and tag == 'o') then counted(pre .. 'n', false) end
  if tag == 'w' then
    local win = ids[1] or ''
    out[n + 1], out[n + 2] = pre .. 'w:' .. win, pre .. 's:' .. win
    n = n + 2
    for i = 2, #ids do
      out[n + 1], out[n + 2] = pre .. 's:' .. ids[i], pre .. 'p:' .. win .. ':' .. ids[i]
      n = n + 2
    end
    -- the triad as a set, its ids sorted bytewise as Go's slices.Sort does
    local set = {}
    for i = 1, #ids do set[i] = ids[i] end
    table.sort(set)
    n = n + 1; out[n] = pre .. 't:' .. table.concat(set, ':')
  elseif tag == 'o' or tag == 'm' then
    if tag == 'm' and #ids > 0 then n = n + 1; out[n] = pre .. 'c' .. joint end
    for _, o in ipairs(ids) do counted(pre .. 'o:' .. o, true) end
  end
  return panelled(out, from)
end

-- respondent appends the counters of a participant's first answer in a round
local function respondent(kern, age, out)
  local from = #out + 1
  if not jointOnly then
    out[#out + 1] = 'respondents'
    if kern ~= '' then out[#out + 1] = 'respondents:k:' .. kern end
    if age ~= '' then out[#out + 1] = 'respondents:a:' .. age end
  end
  out[#out + 1] = 'respondents:j:' .. kern .. ':' .. age
  if rlang ~= '' then out[#out + 1] = 'respondents:l:' .. rlang end
  return panelled(out, from)
end

-- profileOf reads a dictionary profile "<kern>:<age>" or "<kern>:<age>:p" (a panel
-- member); kernen and age groups hold no ':'
local function profileOf(s)
  local kern, age, mark, l = string.match(s, '^([^:]*):([^:]*):?([^:]*):?(.*)$')
  return kern, age, mark == 'p', l
end

local function qidOf(field) return string.match(field, '^[^#]*') end

-- net moves the counters: one off each in minus, one on each in plus, one HINCRBY
-- per counter that changes (a changed answer's "answered" counters do not), deleting
-- a counter that reaches 0
local function net(tkey, minus, plus)
  local by, order = {}, {}
  for d, fields in pairs({[-1] = minus, [1] = plus}) do
    for _, f in ipairs(fields) do
      if not by[f] then by[f] = 0; order[#order + 1] = f end
      by[f] = by[f] + d
    end
  end
  for _, f in ipairs(order) do
    local d = by[f]
    if d ~= 0 and redis.call('HINCRBY', tkey, f, d) <= 0 then redis.call('HDEL', tkey, f) end
  end
end
`

// recordLua adds, for the scripts that read whole records (reading, erasing,
// completing), the record and the dictionary; they set dict first.
const recordLua = tallyLua + `
local dict
local memo = {}

-- name is the string with dictionary number n among kind ('f', 'v' or 'p')
local function name(kind, n)
  local k = kind .. 'n:' .. n
  local s = memo[k]
  if s then return s end
  s = redis.call('HGET', dict, k)
  if not s then error('round dictionary has no ' .. k) end
  memo[k] = s
  return s
end

-- parse reads a record: p the profile number ('' while no answer counted), done,
-- v the stored values by field number + 1, n how many
local function parse(raw)
  local r = {p = '', done = false, v = {}, n = 0}
  if not raw then return r end
  local i, k = 1, 0
  while true do
    local j = string.find(raw, ';', i, true)
    local seg = string.sub(raw, i, (j or 0) - 1)
    if k == 0 then
      r.p = string.match(seg, '^%d*')
      r.done = string.find(seg, 'c', 1, true) ~= nil
    else
      r.v[k] = seg
    end
    if not j then break end
    k, i = k + 1, j + 1
  end
  r.n = k
  return r
end

local function format(r)
  local out = {r.p .. (r.done and 'c' or '')}
  for i = 1, r.n do out[i + 1] = r.v[i] or '' end
  return table.concat(out, ';')
end

-- profile is the kern and age group of profile number p, and sets panel
local function profile(p)
  local kern, age
  kern, age, panel, rlang = profileOf(name('p', p))
  return kern, age
end

-- loaded is the answer value (without an open answer's text) of a stored value;
-- with its tag and option ids
local function loaded(s)
  local tag = string.sub(s, 1, 1)
  if tag == '-' or tag == 't' then return tag, tag, {} end
  local ids = {}
  for i, n in ipairs(split(string.sub(s, 2))) do ids[i] = name('v', n) end
  return tag .. table.concat(ids, ','), tag, ids
end

-- answered lists the counters of every answer in a parsed record (with its profile)
local function answered(r, kern, age, out)
  for fi = 1, r.n do
    local v = r.v[fi] or ''
    if v ~= '' then
      local _, tag, ids = loaded(v)
      tallies(qidOf(name('f', fi - 1)), tag, ids, kern, age, out)
    end
  end
  return out
end
`

// errLayout is what the scripts report (-2) when the round's bucket count is not
// the one the caller computed the bucket with: a stale layoutCache entry.
const errLayout = -2

// bucketOf is the bucket of a participant in a round of bk buckets (a power of two).
func bucketOf(pid string, bk int) int {
	h := uint32(2166136261) // FNV-1a, 32 bits
	for i := 0; i < len(pid); i++ {
		h = (h ^ uint32(pid[i])) * 16777619
	}
	return int(h & uint32(bk-1))
}

// bucketsFor is the bucket count of a round created with active participants: a
// power of two of at least active/64, and at least minBuckets.
func bucketsFor(active int64) int {
	n := minBuckets
	for int64(n)*perBucket < active {
		n *= 2
	}
	return n
}

const (
	minBuckets = 8
	perBucket  = 64 // participants per bucket when everybody active takes part
)

// layoutCache remembers the bucket count of the rounds answered in lately, so that
// recording an answer needs no read of the meta first. A count is fixed when a round
// is created; every script that uses it checks it against the meta (errLayout), so a
// stale entry (a round id made again after a FLUSHALL) costs one retry, never a
// wrong bucket. It holds at most layoutCacheSize rounds.
type layoutCache struct {
	mu sync.Mutex
	bk map[string]int
}

const layoutCacheSize = 1024

func (c *layoutCache) get(rid string) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.bk[rid]
	return n, ok
}

func (c *layoutCache) put(rid string, bk int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bk == nil || len(c.bk) >= layoutCacheSize {
		c.bk = map[string]int{}
	}
	c.bk[rid] = bk
}

func (c *layoutCache) drop(rid string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.bk, rid)
}

// dictCache remembers, per round, the dictionary numbers of the fields, option ids
// and profiles that recording answers learnt, with the round's mark they were
// learnt under (openMark), so that an answer in an open round needs no look-up in
// the dictionary. A round's dictionary is append-only, so a number never changes
// while the mark stays; a dictionary made again (a round id made again after a
// FLUSHALL, or purged) has another mark, and the script trusts the numbers only
// with the mark the dictionary holds. It holds at most layoutCacheSize rounds and
// dictCacheNames names per round.
type dictCache struct {
	mu     sync.RWMutex
	rounds map[string]*roundDict
}

const dictCacheNames = 4096

type roundDict struct {
	mark                      string
	fields, options, profiles map[string]string
}

// numbers gives the round's mark the store knows and the numbers of a field, a
// profile and the stored form of a compact value ("" for what it does not know).
func (c *dictCache) numbers(rid, field, prof, value string) (mark, fi, pn, sv string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	d := c.rounds[rid]
	if d == nil {
		return "", "", "", ""
	}
	return d.mark, d.fields[field], d.profiles[prof], d.stored(value)
}

// stored is the stored form of a compact value: its tag, then the numbers of its
// option ids, comma separated; "" when an id has no number known.
func (d *roundDict) stored(value string) string {
	tag, ids := value[:1], value[1:]
	if tag == "-" || tag == "t" || ids == "" {
		return tag
	}
	if n, ok := d.options[ids]; ok && !strings.Contains(ids, ",") {
		return tag + n
	}
	b := make([]byte, 0, 16)
	b = append(b, tag...)
	for i, id := range strings.Split(ids, ",") {
		n, ok := d.options[id]
		if !ok {
			return ""
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, n...)
	}
	return string(b)
}

// learn keeps the numbers recordAnswer returned under mark (forgetting the round's
// numbers of another mark).
func (c *dictCache) learn(rid, mark, field, fi, prof, pn, value, sv string) {
	if mark == "" || !strings.Contains("dj-", mark[:1]) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	d := c.rounds[rid]
	if d == nil || d.mark != mark {
		if c.rounds == nil || len(c.rounds) >= layoutCacheSize {
			c.rounds = map[string]*roundDict{}
		}
		d = &roundDict{mark: mark, fields: map[string]string{}, options: map[string]string{}, profiles: map[string]string{}}
		c.rounds[rid] = d
	}
	put := func(m map[string]string, k, v string) {
		if v != "" && len(m) < dictCacheNames {
			m[k] = v
		}
	}
	put(d.fields, field, fi)
	put(d.profiles, prof, pn)
	tag := value[:1]
	if tag == "-" || tag == "t" || len(sv) < 2 || sv[:1] != tag {
		return
	}
	ids, ns := strings.Split(value[1:], ","), strings.Split(sv[1:], ",")
	if len(ids) != len(ns) {
		return
	}
	for i, id := range ids {
		put(d.options, id, ns[i])
	}
}

func (c *dictCache) drop(rid string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.rounds, rid)
}

// buckets is the bucket count of a round (0: the layout before buckets, or no such
// round), from the cache or else from the meta.
func (s *Store) buckets(ctx context.Context, rid string) (int, error) {
	if n, ok := s.layouts.get(rid); ok {
		return n, nil
	}
	return s.loadBuckets(ctx, rid)
}

// loadBuckets reads a round's bucket count from its meta, and caches it.
func (s *Store) loadBuckets(ctx context.Context, rid string) (int, error) {
	v, err := s.rdb.HGet(ctx, roundKey(rid), "bk").Result()
	if err != nil && !isNil(err) {
		return 0, fmt.Errorf("load layout of round %s: %w", rid, err)
	}
	n, _ := strconv.Atoi(v)
	s.layouts.put(rid, n)
	return n, nil
}

// isRespondent reports whether a record has an answer counted (its header starts
// with the profile number); a record made by Complete alone has not.
func isRespondent(rec string) bool {
	return rec != "" && rec[0] >= '0' && rec[0] <= '9'
}

// recordDone reports whether a record's header has the completed mark.
func recordDone(rec string) bool {
	for i := 0; i < len(rec) && rec[i] != ';'; i++ {
		if rec[i] == 'c' {
			return true
		}
	}
	return false
}
