package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// AuditMax is how many audit entries are kept; older ones are trimmed.
const AuditMax = 10000

// AuditEntry is one organiser action, such as opening a round from the dashboard.
type AuditEntry struct {
	Time   time.Time `json:"time"`
	Who    string    `json:"who"`
	Action string    `json:"action"`
}

// Audit records an organiser action. The audit log is a LIST (auditKey) of JSON
// entries, newest first, trimmed to AuditMax in the same transaction.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit %q: %w", e.Action, err)
	}
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.LPush(ctx, auditKey(), b)
		p.LTrim(ctx, auditKey(), 0, AuditMax-1)
		return nil
	})
	if err != nil {
		return fmt.Errorf("audit %q: %w", e.Action, err)
	}
	return nil
}

// AuditLog returns the newest n audit entries, newest first.
func (s *Store) AuditLog(ctx context.Context, n int) ([]AuditEntry, error) {
	if n <= 0 {
		return nil, nil
	}
	vals, err := s.rdb.LRange(ctx, auditKey(), 0, int64(n)-1).Result()
	if err != nil {
		return nil, fmt.Errorf("load audit log: %w", err)
	}
	out := make([]AuditEntry, 0, len(vals))
	for _, v := range vals {
		var e AuditEntry
		if err := json.Unmarshal([]byte(v), &e); err != nil {
			return nil, fmt.Errorf("audit entry %q: %w", v, err)
		}
		out = append(out, e)
	}
	return out, nil
}
