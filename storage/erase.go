package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"
)

// A resident's data is spread over the participant record, every round they took part
// in and the outbox. Erasing it (AVG art. 17) and unlinking it (at /stop, and at the end
// of a round's bewaartermijn for everybody) are built from the steps below, each
// idempotent, so that an erasure interrupted by a crash is simply run again
// (PendingErasures) and ends in the same state.

// forgetInRound takes one participant out of one round (record.go).
// KEYS[1] round meta HASH, KEYS[2] bucket HASH, KEYS[3] tallies HASH, KEYS[4]
// dictionary HASH, KEYS[5] session HASH, KEYS[6..] open text HASHes.
// ARGV[1] participant, ARGV[2] "1" to take their answers out of the tallies if the
// round is still open, ARGV[3] "1" to keep their open texts unlinked under ARGV[4]
// (another random id each time), "0" to delete them, ARGV[5] the round's bucket
// count as the caller knows it.
// Returns -2 when ARGV[5] is not the round's bucket count, 1 when the tallies
// changed, else 0.
var forgetInRound = newScript("forgetInRound", recordLua+`
dict = KEYS[4]
local m = redis.call('HMGET', KEYS[1], 'state', 'bk', 'tj', 'tn')
if (m[2] or '') ~= ARGV[5] then return -2 end
jointOnly = m[3] == '1'
derived = jointOnly and m[4] == '1'
local pid = ARGV[1]
local changed = 0
local raw = redis.call('HGET', KEYS[2], pid)
if raw and ARGV[2] == '1' and m[1] == 'open' then
  local r = parse(raw)
  local minus = {}
  if r.p ~= '' then
    local kern, age = profile(r.p)
    answered(r, kern, age, respondent(kern, age, minus))
    changed = 1
  end
  if r.done then minus[#minus + 1] = 'completed'; changed = 1 end
  net(KEYS[3], minus, {})
end
redis.call('HDEL', KEYS[2], pid)
redis.call('DEL', KEYS[5])
`+unlinkOpenTextsLua(6))

// unlinkOpenTextsLua ends both forget scripts: it takes participant pid's open
// texts out of the open-text hashes KEYS[first..], keeping each under a random id
// (ARGV[4] and its key's index) when ARGV[3] is "1", and returns changed.
func unlinkOpenTextsLua(first int) string {
	return fmt.Sprintf(`
for i = %d, #KEYS do
  local t = redis.call('HGET', KEYS[i], pid)
  if t then
    redis.call('HDEL', KEYS[i], pid)
    if ARGV[3] == '1' then redis.call('HSET', KEYS[i], ARGV[4] .. i, t) end
  end
end
return changed`, first)
}

// RoundForget says what ForgetInRound does with a participant's answers.
type RoundForget int

const (
	// Unlink deletes the participant's raw records (answers, session, membership) but
	// keeps what they contributed: the tallies, and their open texts under a random id.
	Unlink RoundForget = iota
	// Erase also takes their answers out of the tallies while the round is open (the
	// published figures of a closed round are anonymous and stay) and deletes their open
	// texts.
	Erase
)

// ForgetInRound takes a participant out of a round (see RoundForget). It reports whether
// the round's tallies changed. Doing it again does nothing more.
func (s *Store) ForgetInRound(ctx context.Context, rid, pid string, how RoundForget) (bool, error) {
	untally, keep := "0", "1"
	if how == Erase {
		untally, keep = "1", "0"
	}
	random := "x" + randomHex(8) + ":"
	for range 2 {
		bk, err := s.loadBuckets(ctx, rid)
		if err != nil {
			return false, err
		}
		if bk == 0 {
			return s.forgetLegacy(ctx, rid, pid, untally, keep, random)
		}
		// the fields they answered name the open texts that may hold theirs
		recs, err := s.readBucket(ctx, rid, bk, bucketOf(pid, bk), pid)
		if errors.Is(err, errStaleLayout) {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("forget participant in round %s: %w", rid, err)
		}
		keys := []string{roundKey(rid), bucketKey(rid, bucketOf(pid, bk)), talliesKey(rid), dictKey(rid), sessionKey(rid, pid)}
		for _, r := range recs {
			for f := range r.Answers {
				if mayHoldText(f) {
					keys = append(keys, openTextKey(rid, f))
				}
			}
		}
		n, err := s.durable.run(ctx, forgetInRound, s.rdb, keys, pid, untally, keep, random, bk).Int()
		if err != nil {
			return false, fmt.Errorf("forget participant in round %s: %w", rid, err)
		}
		if n == errLayout {
			continue
		}
		return n == 1, nil
	}
	return false, fmt.Errorf("forget participant in round %s: the round's layout keeps changing", rid)
}

// forgetLegacyInRound takes one participant out of a round created before buckets.
// KEYS[1] round meta HASH, KEYS[2] answers HASH, KEYS[3] tallies HASH, KEYS[4] members
// SET, KEYS[5] completed SET, KEYS[6] session HASH, KEYS[7..] open text HASHes.
// ARGV[1] participant, ARGV[2] "1" to take their answers out of the tallies if the
// round is still open, ARGV[3] "1" to keep their open texts unlinked under ARGV[4]
// (another random id each time), "0" to delete them.
// Returns 1 when the tallies changed, else 0.
var forgetLegacyInRound = newScript("forgetLegacyInRound", `
local pid = ARGV[1]
local changed = 0
if ARGV[2] == '1' and redis.call('HGET', KEYS[1], 'state') == 'open' then
  local function dec(f)
    if redis.call('HINCRBY', KEYS[3], f, -1) <= 0 then redis.call('HDEL', KEYS[3], f) end
  end
  if redis.call('SISMEMBER', KEYS[4], pid) == 1 then
    local h = redis.call('HGETALL', KEYS[2])
    for i = 1, #h, 2 do
      if string.sub(h[i], 1, 2) == 't:' then
        for f in string.gmatch(h[i+1], '[^\n]+') do dec(f) end
      end
    end
    changed = 1
  end
  if redis.call('SISMEMBER', KEYS[5], pid) == 1 then dec('completed'); changed = 1 end
end
redis.call('SREM', KEYS[4], pid)
redis.call('SREM', KEYS[5], pid)
redis.call('DEL', KEYS[2], KEYS[6])
`+unlinkOpenTextsLua(7))

func (s *Store) forgetLegacy(ctx context.Context, rid, pid, untally, keep, random string) (bool, error) {
	fields, err := s.rdb.HKeys(ctx, answersKey(rid, pid)).Result()
	if err != nil {
		return false, fmt.Errorf("forget participant in round %s: %w", rid, err)
	}
	keys := []string{roundKey(rid), answersKey(rid, pid), talliesKey(rid), membersKey(rid),
		completedKey(rid), sessionKey(rid, pid)}
	for _, f := range fields {
		if mayHoldText(f) {
			keys = append(keys, openTextKey(rid, f))
		}
	}
	n, err := s.durable.run(ctx, forgetLegacyInRound, s.rdb, keys, pid, untally, keep, random).Int()
	if err != nil {
		return false, fmt.Errorf("forget participant in round %s: %w", rid, err)
	}
	return n == 1, nil
}

// mayHoldText reports whether an answers field can be an open question's, and so have
// an open text under openTextKey: not a tally list ("t:…") nor a triad ("<q>#<i>").
func mayHoldText(field string) bool {
	return !strings.HasPrefix(field, "t:") && !strings.Contains(field, "#")
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand since Go 1.24)
	return hex.EncodeToString(b)
}

// Erasure is an erasure begun: enough to finish it after a crash.
type Erasure struct {
	Participant string `json:"-"`
	Channel     string `json:"channel"`
	// Chat is the participant's chat as the caller keeps it (sealed), so that queued
	// messages to it can be found and the channel can forget the chat.
	Chat string `json:"chat,omitempty"`
}

// BeginErasure records that a participant's erasure has begun, takes them out of the
// active participants, so nothing more is sent to them, and withdraws their consent, so
// nothing they send meanwhile is taken as from a participant. One transaction: a crash
// leaves either none of it or all of it.
func (s *Store) BeginErasure(ctx context.Context, e Erasure) error {
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("begin erasure: %w", err)
	}
	// the erasure's entry first, on its own: the participant's record, the active set
	// and the erasures are in three slots on a cluster, and a crash after the record
	// lost its consent must leave the entry that finishes the erasure at the start
	// (each waits for a replica on a cluster: an erasure lost in a failover would
	// bring back what the resident asked to be erased)
	if err := s.durable.exec(ctx, s.rdb, erasuresKey(), func(p redis.Pipeliner) error {
		return p.HSetNX(ctx, erasuresKey(), e.Participant, b).Err()
	}); err != nil {
		return fmt.Errorf("begin erasure: %w", err)
	}
	key := participantKey(e.Participant)
	if err := s.durable.exec(ctx, s.rdb, key, func(p redis.Pipeliner) error {
		return p.HDel(ctx, key, "consent_version", "active").Err()
	}); err != nil {
		return fmt.Errorf("begin erasure: %w", err)
	}
	if err := s.setActive(ctx, e.Participant, false); err != nil {
		return fmt.Errorf("begin erasure: %w", err)
	}
	return nil
}

// PendingErasures returns the erasures begun and not finished.
func (s *Store) PendingErasures(ctx context.Context) ([]Erasure, error) {
	m, err := s.rdb.HGetAll(ctx, erasuresKey()).Result()
	if err != nil {
		return nil, fmt.Errorf("list pending erasures: %w", err)
	}
	out := make([]Erasure, 0, len(m))
	for pid, v := range m {
		var e Erasure
		if err := json.Unmarshal([]byte(v), &e); err != nil {
			return nil, fmt.Errorf("pending erasure: %w", err)
		}
		e.Participant = pid
		out = append(out, e)
	}
	return out, nil
}

// EndErasure deletes the participant record and then the erasure's own entry: the last
// trace of the participant.
func (s *Store) EndErasure(ctx context.Context, pid string) error {
	// three slots on a cluster: no transaction, but the erasure's entry goes only
	// after the others
	if err := s.setActive(ctx, pid, false); err != nil {
		return fmt.Errorf("end erasure: %w", err)
	}
	key := participantKey(pid)
	code, err := s.rdb.HGet(ctx, key, "panel_code").Result()
	if err != nil && !isNil(err) {
		return fmt.Errorf("end erasure: %w", err)
	}
	if err := s.unlinkPanelCode(ctx, code, pid); err != nil {
		return fmt.Errorf("end erasure: %w", err)
	}
	if err := s.durable.exec(ctx, s.rdb, key, func(p redis.Pipeliner) error {
		return p.Del(ctx, key).Err()
	}); err != nil {
		return fmt.Errorf("end erasure: %w", err)
	}
	if err := s.durable.exec(ctx, s.rdb, erasuresKey(), func(p redis.Pipeliner) error {
		return p.HDel(ctx, erasuresKey(), pid).Err()
	}); err != nil {
		return fmt.Errorf("end erasure: %w", err)
	}
	return nil
}

// dropMessage: KEYS[1] queue ZSET, KEYS[2] dead ZSET, KEYS[3] messages HASH. ARGV[1] id.
var dropMessage = newScript("dropMessage", `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1], 'n:' .. ARGV[1])
return 1`)

// DropMessages deletes every message of a channel's outbox, queued or given up on,
// whose payload holds one of the marks (a participant's pseudonym or chat id, as they
// appear in the JSON). It scans the channel's messages; it is for erasures, which are
// rare. It returns how many it deleted.
func (s *Store) DropMessages(ctx context.Context, channel string, marks ...string) (int, error) {
	var cursor uint64
	var ids []string
	for {
		kv, next, err := s.rdb.HScan(ctx, outboxMsgsKey(channel), cursor, "", 1000).Result()
		if err != nil {
			return 0, fmt.Errorf("scan %s outbox: %w", channel, err)
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if strings.HasPrefix(kv[i], "n:") {
				continue
			}
			for _, m := range marks {
				if m != "" && strings.Contains(kv[i+1], m) {
					ids = append(ids, kv[i])
					break
				}
			}
		}
		if next == 0 {
			break
		}
		cursor = next
	}
	keys := []string{outboxQueueKey(channel), outboxDeadKey(channel), outboxMsgsKey(channel)}
	for _, id := range ids {
		if err := s.durable.run(ctx, dropMessage, s.rdb, keys, id).Err(); err != nil {
			return 0, fmt.Errorf("drop %s message %s: %w", channel, id, err)
		}
	}
	return len(ids), nil
}
