package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultAuditRetention is how long organiser actions (and the security log) are
// kept when the caller names no retention: two years. Logs of who did what with
// personal data have to outlive a complaint or a data-breach investigation that
// starts long after the fact; a municipality sets its own term (AUDIT_RETENTION).
const DefaultAuditRetention = 2 * 365 * 24 * time.Hour

// AuditEntry is one organiser action, such as opening a round from the dashboard.
type AuditEntry struct {
	// ID orders entries written in the same millisecond; Audit assigns it.
	ID     int64     `json:"id,omitempty"`
	Time   time.Time `json:"time"`
	Who    string    `json:"who"`
	Action string    `json:"action"`
}

// addAudit: KEYS[1] audit log ZSET, KEYS[2] sequence STRING. ARGV[1] time (unix ms,
// the score), ARGV[2] cut-off (unix ms: entries scored below it are removed), ARGV[3]
// the entry as JSON without its id. Returns the new id. The member is the id,
// zero-padded so that entries of one millisecond sort in write order, a ':' and the
// JSON with the id filled in.
var addAudit = newScript("addAudit", `
local n = redis.call('INCR', KEYS[2])
local id = string.format('%012d', n)
redis.call('ZADD', KEYS[1], ARGV[1], id .. ':{"id":' .. n .. ',' .. string.sub(ARGV[3], 2))
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
return n`)

// Audit records an organiser action and keeps it for DefaultAuditRetention.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	return s.AuditFor(ctx, e, DefaultAuditRetention)
}

// AuditFor records an organiser action in the audit log, a ZSET (auditLogKey) scored
// by time, and in the same step removes the entries older than keep before e.Time.
// Nothing else trims the log: it has no count cap, so no amount of traffic evicts an
// entry before its time. Only authenticated actions belong here; failed logins go to
// the security log (RecordFailedLogin), which is bounded per window.
func (s *Store) AuditFor(ctx context.Context, e AuditEntry, keep time.Duration) error {
	if keep <= 0 {
		keep = DefaultAuditRetention
	}
	e.ID = 0
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit %q: %w", e.Action, err)
	}
	keys := []string{auditLogKey(), auditSeqKey()}
	at := e.Time.UnixMilli()
	if err := s.durable.run(ctx, addAudit, s.rdb, keys, at, e.Time.Add(-keep).UnixMilli(), b).Err(); err != nil {
		return fmt.Errorf("audit %q: %w", e.Action, err)
	}
	return nil
}

// AuditQuery selects a page of the audit log, newest first.
type AuditQuery struct {
	// N is the page size.
	N int
	// Before is a cursor (AuditCursor of the last entry of the previous page): only
	// entries older than that one are returned. Zero: start at the newest.
	Before AuditCursor
	// Since leaves out entries older than this: the retention cut-off, for a log
	// that has not been written (and so not trimmed) for a while. Zero: no bound.
	Since time.Time
}

// AuditCursor is a position in the audit log: an entry's time in unix milliseconds
// and its id.
type AuditCursor struct {
	Millis int64
	ID     int64
}

// IsZero reports whether c is the zero cursor (the newest entry).
func (c AuditCursor) IsZero() bool { return c == AuditCursor{} }

// String is the cursor as it appears in a URL: "millis-id".
func (c AuditCursor) String() string {
	return strconv.FormatInt(c.Millis, 10) + "-" + strconv.FormatInt(c.ID, 10)
}

// CursorOf is the cursor just past e.
func CursorOf(e AuditEntry) AuditCursor { return AuditCursor{Millis: e.Time.UnixMilli(), ID: e.ID} }

// ParseAuditCursor reads a cursor written by AuditCursor.String; only that exact
// form is accepted.
func ParseAuditCursor(s string) (AuditCursor, error) {
	ms, id, ok := strings.Cut(s, "-")
	c := AuditCursor{}
	var err1, err2 error
	c.Millis, err1 = strconv.ParseInt(ms, 10, 64)
	c.ID, err2 = strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil || c.Millis < 0 || c.ID <= 0 || c.String() != s {
		return AuditCursor{}, fmt.Errorf("audit cursor %q: want millis-id", s)
	}
	return c, nil
}

// AuditLog returns the newest n audit entries, newest first.
func (s *Store) AuditLog(ctx context.Context, n int) ([]AuditEntry, error) {
	return s.AuditPage(ctx, AuditQuery{N: n})
}

// AuditPage returns the page of the audit log that q selects, newest first.
func (s *Store) AuditPage(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	if q.N <= 0 {
		return nil, nil
	}
	lo := "-inf"
	if !q.Since.IsZero() {
		lo = strconv.FormatInt(q.Since.UnixMilli(), 10)
	}
	// With REV, ZRANGE takes the highest score first (go-redis passes Start and Stop as given).
	var ties, older *redis.StringSliceCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		if q.Before.IsZero() {
			older = p.ZRangeArgs(ctx, redis.ZRangeArgs{Key: auditLogKey(), ByScore: true, Rev: true,
				Start: "+inf", Stop: lo, Count: int64(q.N)})
			return nil
		}
		// Entries of the cursor's own millisecond that were written before it come
		// first (few: one millisecond's worth), then everything strictly older.
		ms := strconv.FormatInt(q.Before.Millis, 10)
		ties = p.ZRangeArgs(ctx, redis.ZRangeArgs{Key: auditLogKey(), ByScore: true, Rev: true, Start: ms, Stop: ms})
		older = p.ZRangeArgs(ctx, redis.ZRangeArgs{Key: auditLogKey(), ByScore: true, Rev: true,
			Start: "(" + ms, Stop: lo, Count: int64(q.N)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load audit log: %w", err)
	}
	var vals []string
	if ties != nil && (q.Since.IsZero() || q.Before.Millis >= q.Since.UnixMilli()) {
		vals = ties.Val()
	}
	out := make([]AuditEntry, 0, q.N)
	for _, v := range append(vals, older.Val()...) {
		e, err := decodeAudit(v)
		if err != nil {
			return nil, err
		}
		if ties != nil && e.Time.UnixMilli() == q.Before.Millis && e.ID >= q.Before.ID {
			continue
		}
		if len(out) == q.N {
			break
		}
		out = append(out, e)
	}
	return out, nil
}

// decodeAudit reads a member of the audit log: "<padded id>:<json>".
func decodeAudit(member string) (AuditEntry, error) {
	_, body, ok := strings.Cut(member, ":")
	var e AuditEntry
	if !ok {
		return e, fmt.Errorf("audit entry %q: no id", member)
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		return e, fmt.Errorf("audit entry %q: %w", member, err)
	}
	return e, nil
}

// legacyAuditBatch is how many entries MigrateAuditList moves per round trip.
const legacyAuditBatch = 100

// MigrateAuditList moves the entries of the audit LIST that earlier versions kept
// (auditKey, capped at 10,000) into the audit log, oldest first, and reports how
// many it moved. Failed logins in it ("inloggen mislukt") are dropped: they were the
// flood that evicted organiser actions, and they were never counted per window.
// Entries are popped before they are added, so replicas migrating at once never
// copy one twice; a crash between the two loses at most one batch.
func (s *Store) MigrateAuditList(ctx context.Context, keep time.Duration) (int, error) {
	moved := 0
	for {
		vals, err := s.rdb.RPopCount(ctx, auditKey(), legacyAuditBatch).Result()
		if errors.Is(err, redis.Nil) || (err == nil && len(vals) == 0) {
			return moved, nil
		}
		if err != nil {
			return moved, fmt.Errorf("migrate audit list: %w", err)
		}
		for _, v := range vals {
			var e AuditEntry
			if err := json.Unmarshal([]byte(v), &e); err != nil {
				return moved, fmt.Errorf("migrate audit entry %q: %w", v, err)
			}
			if e.Action == "inloggen mislukt" {
				continue
			}
			if err := s.AuditFor(ctx, e, keep); err != nil {
				return moved, fmt.Errorf("migrate audit list: %w", err)
			}
			moved++
		}
	}
}
