package storage

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// State is where a round is in its life.
type State string

// Round states, in order.
const (
	Scheduled State = "scheduled"
	Opened    State = "open"
	Closed    State = "closed"    // no more answers; results not yet all queued
	Published State = "published" // results queued for every participant and the stuurgroep
	Decided   State = "decided"   // the decision (terugkoppeling) was sent
)

// Round is one run of a survey.
type Round struct {
	ID       string
	Survey   string
	Code     string // short code used in button data
	Slot     string // the local wall-clock slot it was scheduled for, "2006-01-02T15:04"
	State    State
	OpensAt  time.Time
	ClosesAt time.Time
	// Times of the transitions that happened (zero if not yet).
	OpenedAt, ClosedAt, PublishedAt, DecidedAt time.Time
	// InvitesDone is set once every invitation was queued.
	InvitesDone bool
	// Decision is the terugkoppeling text ("De raad besloot …") once an organiser gave it.
	Decision string
	// Reminders holds the indexes of reminders already queued.
	Reminders map[int]bool
	// PurgedAt is when the round's raw data was deleted at the end of its
	// bewaartermijn (PurgeRound); zero while it is kept.
	PurgedAt time.Time
	// Buckets is the number of hashes the round's answers are kept in, fixed when it
	// was created (record.go); 0 for a round created before buckets.
	Buckets int
	// SessionsEnded is when the sessions of the round were deleted after it closed
	// (EndSessions); zero before.
	SessionsEnded time.Time
	// Wording is, per question id, the signature of the question as the round asked
	// it (surveys.Signature), fixed when the round was created: a trend across the
	// rounds of a survey joins a question only where the wording is the same. Nil
	// for a round created before it was kept.
	Wording map[string]string
}

// RoundCode derives the short code of a round id: 8 base32 characters of its SHA-256,
// so button data stays small whatever the survey id.
func RoundCode(rid string) string {
	sum := sha256.Sum256([]byte(rid))
	return strings.ToLower(base32.StdEncoding.EncodeToString(sum[:5]))
}

// createRound: KEYS[1] round meta HASH. ARGV: survey, code, slot, opens_at, closes_at,
// bk (the number of answer buckets), qs (the wording, JSON; "" for none).
// Returns 1 when created, 0 when the round already existed (creation is idempotent).
var createRound = newScript("createRound", `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'survey', ARGV[1], 'code', ARGV[2], 'slot', ARGV[3],
  'state', 'scheduled', 'opens_at', ARGV[4], 'closes_at', ARGV[5], 'bk', ARGV[6], 'tj', '1')
if ARGV[7] ~= '' then redis.call('HSET', KEYS[1], 'qs', ARGV[7]) end
return 1`)

// CreateRound creates a round in state scheduled unless it exists. It reports whether
// it was created. The round's answers go into a number of buckets fixed now from the
// number of active participants (bucketsFor): a round that exists keeps its own.
func (s *Store) CreateRound(ctx context.Context, r *Round) (bool, error) {
	active, err := s.rdb.SCard(ctx, activeKey()).Result()
	if err != nil {
		return false, fmt.Errorf("create round %s: %w", r.ID, err)
	}
	code := RoundCode(r.ID)
	// the code the round's buttons carry: lost in a failover, every button of the
	// round would be stale
	var set *redis.BoolCmd
	err = s.durable.exec(ctx, s.rdb, roundCodeKey(code), func(p redis.Pipeliner) error {
		set = p.SetNX(ctx, roundCodeKey(code), r.ID, 0)
		return nil
	})
	ok := err == nil && set.Val()
	if err != nil {
		return false, fmt.Errorf("create round %s: %w", r.ID, err)
	}
	if !ok {
		other, err := s.rdb.Get(ctx, roundCodeKey(code)).Result()
		if err != nil {
			return false, fmt.Errorf("create round %s: %w", r.ID, err)
		}
		if other != r.ID {
			return false, fmt.Errorf("create round %s: code %s already used by round %s", r.ID, code, other)
		}
	}
	wording := ""
	if len(r.Wording) > 0 {
		b, err := json.Marshal(r.Wording)
		if err != nil {
			return false, fmt.Errorf("create round %s: %w", r.ID, err)
		}
		wording = string(b)
	}
	n, err := s.durable.run(ctx, createRound, s.rdb, []string{roundKey(r.ID)},
		r.Survey, code, r.Slot, r.OpensAt.Unix(), r.ClosesAt.Unix(), bucketsFor(active), wording).Int()
	if err != nil {
		return false, fmt.Errorf("create round %s: %w", r.ID, err)
	}
	if err := s.indexRound(ctx, r.ID, r.OpensAt); err != nil {
		return false, err
	}
	r.Code, r.State = code, Scheduled
	return n == 1, nil
}

// Round loads a round; ErrNotFound if unknown.
func (s *Store) Round(ctx context.Context, rid string) (*Round, error) {
	m, err := s.rdb.HGetAll(ctx, roundKey(rid)).Result()
	if err != nil {
		return nil, fmt.Errorf("load round %s: %w", rid, err)
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("round %s: %w", rid, ErrNotFound)
	}
	return s.parseRound(rid, m), nil
}

// parseRound reads a round from its meta hash.
func (s *Store) parseRound(rid string, m map[string]string) *Round {
	r := &Round{
		ID: rid, Survey: m["survey"], Code: m["code"], Slot: m["slot"], State: State(m["state"]),
		OpensAt: unix(m["opens_at"]), ClosesAt: unix(m["closes_at"]),
		OpenedAt: unix(m["opened_at"]), ClosedAt: unix(m["closed_at"]),
		PublishedAt: unix(m["published_at"]), DecidedAt: unix(m["decided_at"]),
		InvitesDone:   m["invites_done"] != "",
		Decision:      m["decision"],
		Reminders:     map[int]bool{},
		PurgedAt:      unix(m["purged_at"]),
		SessionsEnded: unix(m["sessions_ended"]),
	}
	r.Buckets, _ = strconv.Atoi(m["bk"])
	s.layouts.put(rid, r.Buckets)
	if qs := m["qs"]; qs != "" {
		// written by createRound from a map: a round whose field does not decode
		// (edited by hand) has no wording, as one from before it was kept
		_ = json.Unmarshal([]byte(qs), &r.Wording)
	}
	for k := range m {
		if i, ok := strings.CutPrefix(k, "reminder:"); ok {
			n, _ := strconv.Atoi(i)
			r.Reminders[n] = true
		}
	}
	return r
}

// RoundByCode resolves a short round code from button data.
func (s *Store) RoundByCode(ctx context.Context, code string) (*Round, error) {
	rid, err := s.rdb.Get(ctx, roundCodeKey(code)).Result()
	if isNil(err) {
		return nil, fmt.Errorf("round code %s: %w", code, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("resolve round code %s: %w", code, err)
	}
	return s.Round(ctx, rid)
}

// Rounds lists the live rounds (every round not yet purged: see liveRoundsKey),
// oldest opening first, reading them in one pipelined round trip. Its cost grows with
// the rounds within their bewaartermijn, not with every round ever held.
func (s *Store) Rounds(ctx context.Context) ([]*Round, error) {
	pipe := s.rdb.Pipeline()
	built := pipe.Exists(ctx, liveRoundsBuiltKey())
	live := pipe.ZRange(ctx, liveRoundsKey(), 0, -1)
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("list rounds: %w", err)
	}
	ids := live.Val()
	if built.Val() == 0 {
		var err error
		if ids, err = s.buildLiveRounds(ctx); err != nil {
			return nil, err
		}
	}
	return s.roundsByID(ctx, ids)
}

// ArchivedRounds lists every round ever created, purged ones too, oldest opening
// first: the archive (roundsKey), for the organiser who asks for it (`rounds list
// --archief`). Its cost grows with every round held; nothing reads it in the normal
// course.
func (s *Store) ArchivedRounds(ctx context.Context) ([]*Round, error) {
	ids, err := s.rdb.ZRange(ctx, roundsKey(), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("list archived rounds: %w", err)
	}
	return s.roundsByID(ctx, ids)
}

// roundsByID loads the rounds named, in order, in one pipeline; a round whose meta
// is gone (never the case but for a hand-made key) is left out.
func (s *Store) roundsByID(ctx context.Context, ids []string) ([]*Round, error) {
	if len(ids) == 0 {
		return []*Round{}, nil
	}
	pipe := s.rdb.Pipeline()
	cmds := make([]*redis.MapStringStringCmd, len(ids))
	for i, id := range ids {
		cmds[i] = pipe.HGetAll(ctx, roundKey(id))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("list rounds: %w", err)
	}
	out := make([]*Round, 0, len(ids))
	for i, id := range ids {
		if m := cmds[i].Val(); len(m) > 0 {
			out = append(out, s.parseRound(id, m))
		}
	}
	return out, nil
}

// indexRound adds a new round to the archive of every round and to the live index.
func (s *Store) indexRound(ctx context.Context, rid string, opens time.Time) error {
	z := redis.Z{Score: float64(opens.Unix()), Member: rid}
	pipe := s.rdb.Pipeline()
	pipe.ZAdd(ctx, roundsKey(), z)
	pipe.ZAdd(ctx, liveRoundsKey(), z)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("index round %s: %w", rid, err)
	}
	return nil
}

// buildLiveRounds fills the live index from the archive once, for a store written
// by a version that kept only the archive: every round not purged is live. Two
// replicas doing it at once add the same rounds; a round purged meanwhile is
// taken out again by the next RetireRound. It returns the live ids, oldest first.
func (s *Store) buildLiveRounds(ctx context.Context) ([]string, error) {
	all, err := s.rdb.ZRangeWithScores(ctx, roundsKey(), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("build live rounds: %w", err)
	}
	pipe := s.rdb.Pipeline()
	purged := make([]*redis.StringCmd, len(all))
	for i, z := range all {
		purged[i] = pipe.HGet(ctx, roundKey(z.Member.(string)), "purged_at")
	}
	if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
		return nil, fmt.Errorf("build live rounds: %w", err)
	}
	var live []redis.Z
	var ids []string
	for i, z := range all {
		if purged[i].Val() == "" {
			live = append(live, z)
			ids = append(ids, z.Member.(string))
		}
	}
	// the index first, then the mark that it was built (two slots on a cluster, so two
	// steps: a crash between them builds it again, which adds nothing new)
	if len(live) > 0 {
		if err := s.rdb.ZAdd(ctx, liveRoundsKey(), live...).Err(); err != nil {
			return nil, fmt.Errorf("build live rounds: %w", err)
		}
	}
	if err := s.rdb.Set(ctx, liveRoundsBuiltKey(), "1", 0).Err(); err != nil {
		return nil, fmt.Errorf("build live rounds: %w", err)
	}
	return ids, nil
}

// RetireRound takes a purged round out of the live index (Rounds); it stays in the
// archive and can still be loaded by id (Round), with its tallies. Idempotent.
func (s *Store) RetireRound(ctx context.Context, rid string) error {
	if err := s.rdb.ZRem(ctx, liveRoundsKey(), rid).Err(); err != nil {
		return fmt.Errorf("retire round %s: %w", rid, err)
	}
	return nil
}

// transition: KEYS[1] round meta HASH, KEYS[2] dictionary HASH. ARGV: from state,
// to state, timestamp field, unix, fencing token. Returns 1 when the state moved, 0
// when the round was not in the from state, -1 when fenced.
// A round leaving the open state loses the dictionary's mark (openMark) in the same
// step: recordAnswer, which takes the mark for the open state, refuses every answer
// from then on.
var transition = newScript("transition", fenceLua+`
if fenced(KEYS[1], ARGV[5]) then return -1 end
if redis.call('HGET', KEYS[1], 'state') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[2], ARGV[3], ARGV[4])
if ARGV[1] == 'open' and ARGV[2] ~= 'open' then redis.call('HDEL', KEYS[2], '`+openMark+`') end
return 1`)

var stateStamp = map[State]string{
	Opened: "opened_at", Closed: "closed_at", Published: "published_at", Decided: "decided_at",
}

// Transition moves a round from one state to the next, at most once: it reports false
// when the round was not in state from (another replica or an earlier run did it), and
// ErrFenced when the context's fencing token is older than one the round has seen.
func (s *Store) Transition(ctx context.Context, rid string, from, to State, at time.Time) (bool, error) {
	n, err := s.durable.run(ctx, transition, s.rdb, []string{roundKey(rid), dictKey(rid)},
		string(from), string(to), stateStamp[to], at.Unix(), fenceOf(ctx)).Int()
	if err != nil {
		return false, fmt.Errorf("round %s %s -> %s: %w", rid, from, to, err)
	}
	if n < 0 {
		return false, fmt.Errorf("round %s %s -> %s: %w (token %d)", rid, from, to, ErrFenced, fenceOf(ctx))
	}
	return n == 1, nil
}

// SetClosesAt moves a round's deadline (closing by hand sets it to now).
func (s *Store) SetClosesAt(ctx context.Context, rid string, at time.Time) error {
	if err := s.rdb.HSet(ctx, roundKey(rid), "closes_at", at.Unix()).Err(); err != nil {
		return fmt.Errorf("set close of round %s: %w", rid, err)
	}
	return nil
}

// MarkReminder records that reminder i of a round was queued; false if it already was.
func (s *Store) MarkReminder(ctx context.Context, rid string, i int, at time.Time) (bool, error) {
	ok, err := s.mark(ctx, rid, "reminder:"+strconv.Itoa(i), at.Unix(), true)
	if err != nil {
		return false, fmt.Errorf("mark reminder %d of round %s: %w", i, rid, err)
	}
	return ok, nil
}

// Tallies returns all counters of a round, named as surveys.TallyFields and
// surveys.RespondentFields name them. A round created with "tj" in its meta keeps
// of each profiled counter only its kern × leeftijd cells (record.go, jointOnly):
// the others are their sums, added here (addJoint); one whose meta also has
// derivedMark keeps no "answered" counter of single-choice answers (addAnswered).
func (s *Store) Tallies(ctx context.Context, rid string) (map[string]int64, error) {
	pipe := s.rdb.Pipeline()
	meta := pipe.HMGet(ctx, roundKey(rid), "tj", derivedMark)
	all := pipe.HGetAll(ctx, talliesKey(rid))
	if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
		return nil, fmt.Errorf("load tallies of round %s: %w", rid, err)
	}
	m := all.Val()
	out := make(map[string]int64, len(m))
	for k, v := range m {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("tally %s of round %s: %w", k, rid, err)
		}
		if n != 0 {
			out[k] = n
		}
	}
	if flags := meta.Val(); len(flags) == 2 && flags[0] == "1" {
		if flags[1] == "1" {
			addAnswered(out)
		}
		addJoint(out)
	}
	return out, nil
}

// addAnswered adds to the counters of a round whose single-choice answers count no
// "answered" counter (derivedMark) those counters: of a question with no stored
// "[panel:]q:<qid>:n…" counter (a single-choice one: every other answer counts it),
// each "[panel:]q:<qid>:o:<oid><rest>" adds to "[panel:]q:<qid>:n<rest>", as each
// of its answers has one option.
func addAnswered(m map[string]int64) {
	counts := map[string]bool{} // "[panel:]q:<qid>" with answered counters stored
	type option struct {
		question, rest string
		n              int64
	}
	var options []option
	for f, n := range m {
		panel, rest := "", f
		if r, ok := strings.CutPrefix(f, "panel:"); ok {
			panel, rest = "panel:", r
		}
		parts := strings.SplitN(rest, ":", 5) // q, qid, kind, oid, rest
		if len(parts) < 3 || parts[0] != "q" {
			continue
		}
		question := panel + "q:" + parts[1]
		switch {
		case parts[2] == "n":
			counts[question] = true
		case parts[2] == "o" && len(parts) >= 4:
			o := option{question: question, n: n}
			if len(parts) == 5 {
				o.rest = ":" + parts[4]
			}
			options = append(options, o)
		}
	}
	for _, o := range options {
		if !counts[o.question] {
			m[o.question+":n"+o.rest] += o.n
		}
	}
}

// addJoint adds to the counters of a round that keeps only the kern × leeftijd cells
// of its profiled counters ("<counter>:j:<kern>:<leeftijd>") the counters they add
// up to: the counter itself, ":k:<kern>" and ":a:<leeftijd>" (for a known kern or
// leeftijd), for the respondents, the answers to a question ("q:<qid>:n", whose
// cells it then drops: no output reads them) and its options ("q:<qid>:o:<oid>").
// A multiple-choice question's "q:<qid>:c" had only its cells before: it keeps
// them alone.
func addJoint(m map[string]int64) {
	type cell struct {
		counter, kern, age string
		n                  int64
	}
	var cells []cell
	for f, n := range m {
		counter, profile, ok := strings.Cut(f, ":j:") // ids and kernen hold no ':'
		if !ok {
			continue
		}
		kern, age, _ := strings.Cut(profile, ":")
		cells = append(cells, cell{counter, kern, age, n})
	}
	for _, c := range cells {
		// a panel member's copy ("panel:…") adds up as the counter it copies
		parts := strings.Split(strings.TrimPrefix(c.counter, "panel:"), ":")
		answered := len(parts) == 3 && parts[0] == "q" && parts[2] == "n"
		option := len(parts) == 4 && parts[0] == "q" && parts[2] == "o"
		respondents := len(parts) == 1 && parts[0] == "respondents"
		if !respondents && !answered && !option {
			continue
		}
		m[c.counter] += c.n
		if c.kern != "" {
			m[c.counter+":k:"+c.kern] += c.n
		}
		if c.age != "" {
			m[c.counter+":a:"+c.age] += c.n
		}
		if answered {
			delete(m, c.counter+":j:"+c.kern+":"+c.age)
		}
	}
}

// SetInvited sets the number of participants invited to a round (the "invited"
// tally), once every invitation was queued.
func (s *Store) SetInvited(ctx context.Context, rid string, n int64) error {
	if err := s.rdb.HSet(ctx, talliesKey(rid), "invited", n).Err(); err != nil {
		return fmt.Errorf("count invited for round %s: %w", rid, err)
	}
	return nil
}

// AddInvited counts n more invitations sent for a round.
func (s *Store) AddInvited(ctx context.Context, rid string, n int64) error {
	if err := s.rdb.HIncrBy(ctx, talliesKey(rid), "invited", n).Err(); err != nil {
		return fmt.Errorf("count invited for round %s: %w", rid, err)
	}
	return nil
}

// OpenTexts returns the open answers to the given questions, in no particular order.
func (s *Store) OpenTexts(ctx context.Context, rid string, qids []string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, q := range qids {
		vals, err := s.rdb.HVals(ctx, openTextKey(rid, q)).Result()
		if err != nil {
			return nil, fmt.Errorf("load open answers %s of round %s: %w", q, rid, err)
		}
		out[q] = vals
	}
	return out, nil
}

// Members calls fn for every participant who answered in the round, scanning its
// buckets (or, in a round created before buckets, its members set).
func (s *Store) Members(ctx context.Context, rid string, fn func(pid string) error) error {
	bk, err := s.loadBuckets(ctx, rid)
	if err != nil {
		return err
	}
	if bk == 0 {
		return s.scanSet(ctx, membersKey(rid), fn)
	}
	member := func(pid, rec string) error {
		if !isRespondent(rec) {
			return nil
		}
		return fn(pid)
	}
	// a listpack bucket comes whole with its first HSCAN: bucketBatch of them per
	// round trip; one that outgrew a listpack is scanned on
	for first := 0; first < bk; first += bucketBatch {
		pipe := s.rdb.Pipeline()
		var cmds []*redis.ScanCmd
		for i := first; i < min(first+bucketBatch, bk); i++ {
			cmds = append(cmds, pipe.HScan(ctx, bucketKey(rid, i), 0, "", 1000))
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return fmt.Errorf("list members of round %s: %w", rid, err)
		}
		for j, c := range cmds {
			kv, cursor := c.Val()
			for i := 0; i+1 < len(kv); i += 2 {
				if err := member(kv[i], kv[i+1]); err != nil {
					return err
				}
			}
			if cursor != 0 {
				if err := s.scanHashFrom(ctx, bucketKey(rid, first+j), cursor, member); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Completed reports whether the participant finished the round.
func (s *Store) Completed(ctx context.Context, rid, pid string) (bool, error) {
	for range 2 {
		bk, err := s.buckets(ctx, rid)
		if err != nil {
			return false, err
		}
		pipe := s.rdb.Pipeline()
		meta := pipe.HGet(ctx, roundKey(rid), "bk")
		var done func() bool
		if bk == 0 {
			c := pipe.SIsMember(ctx, completedKey(rid), pid)
			done = c.Val
		} else {
			c := pipe.HGet(ctx, bucketKey(rid, bucketOf(pid, bk)), pid)
			done = func() bool { return recordDone(c.Val()) }
		}
		if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
			return false, fmt.Errorf("check completed: %w", err)
		}
		if n, _ := strconv.Atoi(meta.Val()); n != bk {
			s.layouts.put(rid, n)
			continue
		}
		return done(), nil
	}
	return false, fmt.Errorf("check completed in round %s: the round's layout keeps changing", rid)
}

// scanHash calls fn with every field and value of a HASH, scanning it.
func (s *Store) scanHash(ctx context.Context, key string, fn func(field, value string) error) error {
	return s.scanHashFrom(ctx, key, 0, fn)
}

// scanHashFrom is scanHash from a cursor an earlier HSCAN returned.
func (s *Store) scanHashFrom(ctx context.Context, key string, cursor uint64, fn func(field, value string) error) error {
	for {
		kv, next, err := s.rdb.HScan(ctx, key, cursor, "", 500).Result()
		if err != nil {
			return fmt.Errorf("scan %s: %w", key, err)
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if err := fn(kv[i], kv[i+1]); err != nil {
				return err
			}
		}
		if next == 0 {
			return nil
		}
		cursor = next
	}
}

func (s *Store) scanSet(ctx context.Context, key string, fn func(string) error) error {
	var cursor uint64
	for {
		ids, next, err := s.rdb.SScan(ctx, key, cursor, "", 500).Result()
		if err != nil {
			return fmt.Errorf("scan %s: %w", key, err)
		}
		for _, id := range ids {
			if err := fn(id); err != nil {
				return err
			}
		}
		if next == 0 {
			return nil
		}
		cursor = next
	}
}

func unix(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n == 0 {
		return time.Time{}
	}
	return time.Unix(n, 0)
}

// MarkInvitesDone records that every invitation of a round was queued.
func (s *Store) MarkInvitesDone(ctx context.Context, rid string, at time.Time) error {
	if _, err := s.mark(ctx, rid, "invites_done", at.Unix(), false); err != nil {
		return fmt.Errorf("mark invitations of round %s: %w", rid, err)
	}
	return nil
}

// Notify wakes running services (a CLI action happened).
func (s *Store) Notify(ctx context.Context, what string) error {
	if err := s.rdb.Publish(ctx, EventsChannel, what).Err(); err != nil {
		return fmt.Errorf("notify %s: %w", what, err)
	}
	return nil
}

// Subscribe returns a subscription to the events channel.
func (s *Store) Subscribe(ctx context.Context) *redis.PubSub {
	return s.rdb.Subscribe(ctx, EventsChannel)
}

// setDecision: KEYS[1] round meta HASH. ARGV[1] text, ARGV[2] unix time.
// Returns 1 when stored, 0 when the round's results were not published yet, -1 when
// the decision was already sent.
var setDecision = newScript("setDecision", `
local st = redis.call('HGET', KEYS[1], 'state')
if st == 'decided' then return -1 end
if st ~= 'published' then return 0 end
local old = redis.call('HGET', KEYS[1], 'decision')
if old and old ~= '' then
  if old == ARGV[1] then return 1 end
  return -1
end
redis.call('HSET', KEYS[1], 'decision', ARGV[1], 'decision_set_at', ARGV[2])
return 1`)

// ErrNotPublished is returned for a decision on a round whose results are not out yet.
var ErrNotPublished = errors.New("results not published yet")

// ErrDecided is returned for a decision on a round that has one already (being sent
// or sent): a second text could reach some participants and not others.
var ErrDecided = errors.New("decision already sent")

// SetDecision stores the decision text of a round whose results were published; the
// scheduler then sends it to every participant, once. The same text again is a
// no-op (a retried command); a different text is refused with ErrDecided.
func (s *Store) SetDecision(ctx context.Context, rid, text string, at time.Time) error {
	n, err := s.durable.run(ctx, setDecision, s.rdb, []string{roundKey(rid)}, text, at.Unix()).Int()
	switch {
	case err != nil:
		return fmt.Errorf("set decision of round %s: %w", rid, err)
	case n == 0:
		return fmt.Errorf("round %s: %w", rid, ErrNotPublished)
	case n < 0:
		return fmt.Errorf("round %s: %w", rid, ErrDecided)
	}
	return nil
}
