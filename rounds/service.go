package rounds

import (
	"context"
	"log/slog"
	"time"

	"github.com/participatiebot/participatiebot/digest"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// lifecycleStore keeps the rounds themselves: their state, transitions and marks.
type lifecycleStore interface {
	CreateRound(ctx context.Context, r *storage.Round) (bool, error)
	Round(ctx context.Context, rid string) (*storage.Round, error)
	Rounds(ctx context.Context) ([]*storage.Round, error)
	ArchivedRounds(ctx context.Context) ([]*storage.Round, error)
	Transition(ctx context.Context, rid string, from, to storage.State, at time.Time) (bool, error)
	CheckFence(ctx context.Context, rid string) error
	SetClosesAt(ctx context.Context, rid string, at time.Time) error
	MarkInvitesDone(ctx context.Context, rid string, at time.Time) error
	MarkReminder(ctx context.Context, rid string, i int, at time.Time) (bool, error)
	SetDecision(ctx context.Context, rid, text string, at time.Time) error
	Notify(ctx context.Context, what string) error
}

// recipientStore finds who a broadcast goes to, a batch at a time.
type recipientStore interface {
	ScanActive(ctx context.Context, n int, fn func(pids []string) error) error
	ScanMembers(ctx context.Context, rid string, n int, fn func(pids []string) error) error
	Kernen(ctx context.Context, pids []string) (map[string]string, error)
	SetInvited(ctx context.Context, rid string, n int64) error
}

// retentionStore ends what a round keeps: its sessions at the close, its raw data at
// the end of its bewaartermijn.
type retentionStore interface {
	EndSessions(ctx context.Context, rid string, pids []string) error
	MarkSessionsEnded(ctx context.Context, rid string, at time.Time) error
	PurgeRound(ctx context.Context, rid string, openQuestions []string, at time.Time) error
	RetireRound(ctx context.Context, rid string) error
}

// digestStore marks the stuurgroep digests sent.
type digestStore interface {
	DigestSent(ctx context.Context, period string) (bool, error)
	MarkDigest(ctx context.Context, period string, at time.Time) error
}

// Store is what the service keeps in Redis; *storage.Store implements it.
type Store interface {
	lifecycleStore
	Counts
	recipientStore
	retentionStore
	digestStore
	panelStore
}

// Catalog gives the loaded surveys; *surveys.Catalog implements it.
type Catalog interface {
	All() []*surveys.Survey
	Survey(id string) (*surveys.Survey, bool)
	// TrajectoryOf is the trajectory of a survey's rounds and the index of its phase.
	TrajectoryOf(surveyID string) (t *surveys.Trajectory, phase int, ok bool)
}

// Messenger writes what the broadcasts say and queues it; the bot engine implements
// it. The service decides when and to whom; each call takes a batch of recipients
// (pseudonyms), queues every message under a per-recipient dedupe key in a few
// round trips (bot.BatchPoster), and says for how many recipients it did (Sent). A
// batch that fails part-way may be given again.
type Messenger interface {
	Invite(ctx context.Context, r *storage.Round, pids []string) (Sent, error)
	Remind(ctx context.Context, r *storage.Round, i int, pids []string) (Sent, error)
	SendResults(ctx context.Context, r *storage.Round, res *results.Results, pids []string) (Sent, error)
	SendDecision(ctx context.Context, r *storage.Round, pids []string) (Sent, error)
	// Announce, SendStuurgroep and SendDigest go to the configured group chats.
	Announce(ctx context.Context, r *storage.Round) error
	SendStuurgroep(ctx context.Context, r *storage.Round, res *results.Results) error
	SendDigest(ctx context.Context, period string, rep *digest.Report) error
}

// Sent is what a broadcast batch did: Queued recipients got their message queued
// now; Before recipients had it queued before (its dedupe key was used: a broadcast
// resumed after a crash). Recipients who are gone, or for whom the message is not
// due (an invitation to someone who started, a reminder to someone who finished),
// are in neither.
type Sent struct{ Queued, Before int }

// Config configures the service.
type Config struct {
	// Location is the time zone of schedules and of the texts (default
	// Europe/Amsterdam; UTC, with a warning, when the time zone database is missing).
	Location *time.Location
	// Threshold is the smallest breakdown cell shown in results (default 10).
	Threshold int
	// Population is the population table for the afspiegeling and weighting of
	// results; nil for neither.
	Population *surveys.Population
	// Batch is how many recipients a broadcast takes per batch (default
	// DefaultBatch).
	Batch int
}

// DefaultBatch is the number of recipients per broadcast batch: a thousand messages
// make one pipelined enqueue of a few hundred kilobytes.
const DefaultBatch = 1000

// defaultLocation is the time zone of schedules unless Config says otherwise.
const defaultLocation = "Europe/Amsterdam"

// Service is the round lifecycle: it schedules, opens and closes rounds, sends their
// invitations, reminders, results and decision, lists them with their counts, and
// computes their results and exports. The scheduler calls Advance on time; the bot,
// the dashboard and the CLI act and read through the other methods. It holds no
// state of its own: every replica may have one.
type Service struct {
	cfg     Config
	store   Store
	catalog Catalog
	msg     Messenger
	log     *slog.Logger
}

// New returns a service. msg may be nil for a service that only acts and reads (the
// CLI, the dashboard): the running serve's scheduler sends what its actions start.
// A nil log discards.
func New(cfg Config, store Store, catalog Catalog, msg Messenger, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Location == nil {
		loc, err := time.LoadLocation(defaultLocation)
		if err != nil {
			log.Warn("rounds time zone unavailable, using UTC", "location", defaultLocation, "err", err)
			loc = time.UTC
		}
		cfg.Location = loc
	}
	if cfg.Threshold <= 0 {
		cfg.Threshold = 10
	}
	if cfg.Batch <= 0 {
		cfg.Batch = DefaultBatch
	}
	if catalog == nil {
		catalog = surveys.NewCatalog(nil)
	}
	return &Service{cfg: cfg, store: store, catalog: catalog, msg: msg, log: log}
}

// Location is the time zone the service schedules in.
func (s *Service) Location() *time.Location { return s.cfg.Location }

// Round loads a round by id, also one that was purged; storage.ErrNotFound if unknown.
func (s *Service) Round(ctx context.Context, rid string) (*storage.Round, error) {
	return s.store.Round(ctx, rid)
}
