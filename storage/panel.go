package storage

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// A lottery (participatiebot loting) draws a stratified sample of addresses from the
// population register for a trajectory's panel and sends each a letter with a
// personal code. The store keeps, per code, only its keyed hash with the
// trajectory, the stratum and the expiry; per trajectory, the letters sent per
// stratum (the invited, against whom response rates are real response rates) and
// each draw's audit record. Which address got which code is on the letter only.

// PanelCode is what a personal invitation code stands for.
type PanelCode struct {
	Traject string
	// Stratum is "<kern>|<leeftijdsgroep>" (either may be empty when the draw was
	// stratified by one of them only).
	Stratum string
	Expires time.Time
	// Participant is who joined with the code ("" while unused).
	Participant string
}

// Kern and Leeftijd are the stratum's parts.
func (c PanelCode) Kern() string     { k, _, _ := strings.Cut(c.Stratum, "|"); return k }
func (c PanelCode) Leeftijd() string { _, a, _ := strings.Cut(c.Stratum, "|"); return a }

// Errors of RedeemPanelCode.
var (
	ErrCodeUnknown = errors.New("storage: unknown invitation code")
	ErrCodeUsed    = errors.New("storage: invitation code used by someone else")
	ErrCodeExpired = errors.New("storage: invitation code expired")
)

// PanelCodeKeep is how long a code's record stays after the code expired, so that a
// late resident hears that their code expired rather than that it is unknown.
const PanelCodeKeep = 90 * 24 * time.Hour

// PanelDraw is one lottery's result to store: the codes' hashes with their
// strata, the letters per stratum, and the audit record.
type PanelDraw struct {
	Traject string
	// ID names the draw (its seed and the register's hash, say): a draw is counted
	// once, also when it is saved again after a crash.
	ID      string
	Codes   map[string]string // code hash -> stratum
	Expires time.Time
	Audit   []byte // JSON
}

// savePanelDraw records a draw once: its audit record under its id, and the letters
// per stratum added to the trajectory's invited. KEYS[1] draws HASH, KEYS[2]
// invited HASH; ARGV[1] draw id, ARGV[2] audit, then stratum, count pairs. Returns
// 1, or 0 when the draw was recorded before.
var savePanelDraw = newScript("savePanelDraw", `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
for i = 3, #ARGV, 2 do redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1]) end
return 1`)

// SavePanel stores a draw: every code first (in pipelined batches; a code written
// twice is written the same), then, once, the draw with its counts. It reports
// false when the draw was saved before (its codes are stored again all the same).
func (s *Store) SavePanel(ctx context.Context, d PanelDraw) (bool, error) {
	if d.Traject == "" || d.ID == "" {
		return false, fmt.Errorf("save panel draw: trajectory and draw id are required")
	}
	keep := time.Until(d.Expires) + PanelCodeKeep
	if keep <= 0 {
		return false, fmt.Errorf("save panel draw %s: the codes expire in the past (%s)", d.ID, d.Expires.Format(time.DateOnly))
	}
	perStratum := map[string]int64{}
	hashes := make([]string, 0, len(d.Codes))
	for h, st := range d.Codes {
		hashes = append(hashes, h)
		perStratum[st]++
	}
	sort.Strings(hashes)
	const batch = 500
	for start := 0; start < len(hashes); start += batch {
		pipe := s.rdb.Pipeline()
		for _, h := range hashes[start:min(start+batch, len(hashes))] {
			k := panelCodeKey(h)
			pipe.HSet(ctx, k, "t", d.Traject, "s", d.Codes[h], "exp", d.Expires.Unix())
			pipe.Expire(ctx, k, keep)
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return false, fmt.Errorf("save panel codes of draw %s: %w", d.ID, err)
		}
	}
	strata := make([]string, 0, len(perStratum))
	for st := range perStratum {
		strata = append(strata, st)
	}
	sort.Strings(strata)
	args := []any{d.ID, string(d.Audit)}
	for _, st := range strata {
		args = append(args, st, perStratum[st])
	}
	n, err := s.durable.run(ctx, savePanelDraw, s.rdb, []string{panelDrawsKey(d.Traject), panelInvitedKey(d.Traject)}, args...).Int()
	if err != nil {
		return false, fmt.Errorf("save panel draw %s: %w", d.ID, err)
	}
	return n == 1, nil
}

// redeemPanelCode hands a code to a participant, once. KEYS[1] the code's HASH;
// ARGV[1] participant, ARGV[2] now (unix seconds). Returns {status, t, s, exp, pid}:
// status 1 redeemed now or before by the same participant, 0 unknown, -1 used by
// someone else, -2 expired.
var redeemPanelCode = newScript("redeemPanelCode", `
local m = redis.call('HMGET', KEYS[1], 't', 's', 'exp', 'pid')
if not m[1] then return {0} end
local pid = m[4] or ''
if pid ~= '' and pid ~= ARGV[1] then return {-1, m[1], m[2], m[3], pid} end
if pid == '' and tonumber(m[3]) < tonumber(ARGV[2]) then return {-2, m[1], m[2], m[3], ''} end
if pid == '' then redis.call('HSET', KEYS[1], 'pid', ARGV[1]) end
return {1, m[1], m[2], m[3], ARGV[1]}`)

// PanelCodeOf looks a code up (by its hash) without using it: ErrCodeUnknown when
// there is no such code.
func (s *Store) PanelCodeOf(ctx context.Context, hash string) (PanelCode, error) {
	m, err := s.rdb.HGetAll(ctx, panelCodeKey(hash)).Result()
	if err != nil {
		return PanelCode{}, fmt.Errorf("look up invitation code: %w", err)
	}
	if m["t"] == "" {
		return PanelCode{}, ErrCodeUnknown
	}
	exp, _ := strconv.ParseInt(m["exp"], 10, 64)
	return PanelCode{Traject: m["t"], Stratum: m["s"], Expires: time.Unix(exp, 0), Participant: m["pid"]}, nil
}

// RedeemPanelCode hands a code to participant pid: a code is used once, by one
// participant (the same participant again gets it again), and not after it
// expired. The errors are ErrCodeUnknown, ErrCodeUsed and ErrCodeExpired (the code
// is returned with the last two).
func (s *Store) RedeemPanelCode(ctx context.Context, hash, pid string, now time.Time) (PanelCode, error) {
	v, err := s.durable.run(ctx, redeemPanelCode, s.rdb, []string{panelCodeKey(hash)}, pid, now.Unix()).Slice()
	if err != nil {
		return PanelCode{}, fmt.Errorf("redeem invitation code: %w", err)
	}
	status, _ := v[0].(int64)
	if status == 0 {
		return PanelCode{}, ErrCodeUnknown
	}
	str := func(i int) string { s, _ := v[i].(string); return s }
	exp, _ := strconv.ParseInt(str(3), 10, 64)
	c := PanelCode{Traject: str(1), Stratum: str(2), Expires: time.Unix(exp, 0), Participant: str(4)}
	switch status {
	case -1:
		return c, ErrCodeUsed
	case -2:
		return c, ErrCodeExpired
	}
	return c, nil
}

// PanelInvited is the letters sent per stratum for a trajectory's panel, over every
// draw.
func (s *Store) PanelInvited(ctx context.Context, traject string) (map[string]int64, error) {
	m, err := s.rdb.HGetAll(ctx, panelInvitedKey(traject)).Result()
	if err != nil {
		return nil, fmt.Errorf("load panel of %s: %w", traject, err)
	}
	out := make(map[string]int64, len(m))
	for st, v := range m {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("panel of %s, stratum %s: %w", traject, st, err)
		}
		out[st] = n
	}
	return out, nil
}

// PanelAudits are the audit records of a trajectory's draws, by draw id.
func (s *Store) PanelAudits(ctx context.Context, traject string) (map[string]string, error) {
	m, err := s.rdb.HGetAll(ctx, panelDrawsKey(traject)).Result()
	if err != nil {
		return nil, fmt.Errorf("load draws of %s: %w", traject, err)
	}
	return m, nil
}

// unlinkPanelCode: KEYS[1] a code's HASH; ARGV[1] the participant. The code stays
// used, by nobody ("-").
var unlinkPanelCode = newScript("unlinkPanelCode", `
if redis.call('HGET', KEYS[1], 'pid') == ARGV[1] then redis.call('HSET', KEYS[1], 'pid', '-') end
return 1`)

// unlinkPanelCode takes participant pid off the code with hash (none when ""): the
// code stays used, so that nobody else joins with the letter, but no longer says
// who used it. A withdrawal and an erasure call it.
func (s *Store) unlinkPanelCode(ctx context.Context, hash, pid string) error {
	if hash == "" {
		return nil
	}
	if err := s.durable.run(ctx, unlinkPanelCode, s.rdb, []string{panelCodeKey(hash)}, pid).Err(); err != nil {
		return fmt.Errorf("unlink invitation code: %w", err)
	}
	return nil
}
