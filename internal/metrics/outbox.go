package metrics

import (
	"context"
	"time"

	"github.com/participatiebot/participatiebot/bot/outbox"
)

// CountLeases wraps the outbox's store so that the senders' lease renewals are
// counted by channel and result: the heartbeat's Extend is the one call that renews
// leases, so counting it here needs nothing inside the outbox.
func (m *Metrics) CountLeases(s outbox.Store) outbox.Store { return leaseCounter{Store: s, m: m} }

type leaseCounter struct {
	outbox.Store
	m *Metrics
}

// Extend renews the leases and counts the renewal; a beat with nothing held renews
// nothing and is not counted.
func (l leaseCounter) Extend(ctx context.Context, channel string, ids []string, until time.Time) ([]string, error) {
	lost, err := l.Store.Extend(ctx, channel, ids, until)
	if len(ids) > 0 {
		result := renewalOK
		if err != nil {
			result = renewalFailed
		}
		l.m.renewals.WithLabelValues(l.m.channel(channel), result).Inc()
	}
	return lost, err
}

// CountGone wraps the outbox's OnGone so that every recipient found gone is counted.
// The count has no channel label: OnGone is told a pseudonym only.
func (m *Metrics) CountGone(onGone func(ctx context.Context, pid string) error) func(ctx context.Context, pid string) error {
	return func(ctx context.Context, pid string) error {
		m.gone.Inc()
		return onGone(ctx, pid)
	}
}
