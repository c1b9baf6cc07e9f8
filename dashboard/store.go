package dashboard

import (
	"context"
	"github.com/participatiebot/participatiebot/verslag"
	"time"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/participatiebot/participatiebot/trend"
)

// Store is what the dashboard keeps itself: the audit and security logs, the login
// limits and the logged-out sessions; *storage.Store implements it.
type Store interface {
	AuditFor(ctx context.Context, e storage.AuditEntry, keep time.Duration) error
	AuditPage(ctx context.Context, q storage.AuditQuery) ([]storage.AuditEntry, error)
	MigrateAuditList(ctx context.Context, keep time.Duration) (int, error)
	RecordFailedLogin(ctx context.Context, f storage.FailedLogin, keep time.Duration) error
	FailedLogins(ctx context.Context, days []string) ([]storage.SecurityDay, error)
	LoginTry(ctx context.Context, scope, subject string, start time.Time, window time.Duration) (int64, error)
	RevokeSession(ctx context.Context, sig string, ttl time.Duration) error
	SessionRevoked(ctx context.Context, sig string) (bool, error)
	// Deliveries are the statuses of a round's WhatsApp messages.
	Deliveries(ctx context.Context, round string) (storage.DeliveryCounts, error)
}

// Rounds is the round lifecycle the dashboard shows and acts on; rounds.Service
// implements it.
type Rounds interface {
	Round(ctx context.Context, rid string) (*storage.Round, error)
	List(ctx context.Context, now time.Time) ([]rounds.Summary, error)
	Summarize(ctx context.Context, r *storage.Round, now time.Time) (rounds.Summary, error)
	View(ctx context.Context, sv *surveys.Survey, r *storage.Round) (*results.Results, error)
	Results(ctx context.Context, sv *surveys.Survey, r *storage.Round) (*results.Results, error)
	RawAnswers(ctx context.Context, r *storage.Round, key []byte) ([]results.RawRespondent, error)
	Open(ctx context.Context, sv *surveys.Survey, now time.Time) (*storage.Round, error)
	Close(ctx context.Context, rid string, now time.Time) error
	Decide(ctx context.Context, rid, text string, now time.Time) error
	Verslag(ctx context.Context, t *surveys.Trajectory, now time.Time) (*verslag.Report, error)
	// Trend is the trend of a survey over every round held of it.
	Trend(ctx context.Context, sv *surveys.Survey) (*trend.Trend, error)
	TrendUntil(ctx context.Context, sv *surveys.Survey, until *storage.Round) (*trend.Trend, error)
}
