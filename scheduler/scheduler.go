// Package scheduler is the trigger of the round lifecycle: on robfig/cron v3 with an
// explicit location, every minute and whenever a CLI action is published, the replica
// that holds the scheduler lease asks the rounds service to do what is due
// (rounds.Service.Advance) and sends the stuurgroep digest when its time came. The
// service looks at the state in Redis, so a transition missed while the service was
// down happens on start-up, once, and a pass interrupted by a crash is simply run
// again.
//
// The lease (internal/lease) lasts LeaseTTL and is renewed every third of it; another
// replica takes over at most LeaseTTL plus a third after the leader died, and starts
// with a pass. Every pass carries the lease's fencing token (storage.WithFence), so a
// leader that was frozen past its lease cannot move a round after its successor did.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/participatiebot/participatiebot/internal/lease"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/redis/go-redis/v9"
	"github.com/robfig/cron/v3"
)

// Rounds is the round lifecycle the scheduler triggers; rounds.Service implements it.
type Rounds interface {
	Advance(ctx context.Context, now time.Time) error
	SendDigest(ctx context.Context, period, title string, from, to, now time.Time) error
}

// Store holds the scheduler lease and the wake-up events; *storage.Store implements it.
type Store interface {
	lease.Store
	Subscribe(ctx context.Context) *redis.PubSub
}

// Config configures the scheduler.
type Config struct {
	// Location is the time zone of the digest's schedule and of its cron (default
	// Europe/Amsterdam); the rounds service has its own for the surveys' schedules.
	Location *time.Location
	// Now is the clock (default time.Now); tests inject one and call Reconcile.
	Now func() time.Time
	// Replica names this process for the scheduler lease (default a random id).
	Replica string
	// DigestCron is when the stuurgroep digest goes out, a 5-field cron spec in
	// local time (default DefaultDigestCron, monthly); "off" sends none.
	DigestCron string
	// DigestTitle heads the digest (default rounds.DefaultDigestTitle).
	DigestTitle string
	// DigestSince is when the service first ran on this store
	// (storage.Store.FirstStart): no digest goes out for a period that ended
	// before it, when nobody used the service yet. Zero: no such bound.
	DigestSince time.Time
}

// Scheduler triggers round transitions and the digest.
type Scheduler struct {
	cfg    Config
	store  Store
	rounds Rounds
	log    *slog.Logger
	// leaseTTL is the lease's lifetime; tests shorten it to watch a takeover.
	leaseTTL time.Duration
	leading  atomic.Bool
}

// New returns a scheduler. A nil log discards; a nil Location is Europe/Amsterdam
// (UTC, with a warning, when the time zone database is missing: the binary embeds it).
func New(cfg Config, store Store, rounds Rounds, log *slog.Logger) *Scheduler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		loc, err := time.LoadLocation(defaultLocation)
		if err != nil {
			log.Warn("scheduler time zone unavailable, using UTC", "location", defaultLocation, "err", err)
			loc = time.UTC
		}
		cfg.Location = loc
	}
	if cfg.DigestCron == "" {
		cfg.DigestCron = DefaultDigestCron
	}
	if cfg.DigestTitle == "" {
		cfg.DigestTitle = defaultDigestTitle
	}
	if cfg.Replica == "" {
		cfg.Replica = fmt.Sprintf("replica-%d", time.Now().UnixNano())
	}
	return &Scheduler{cfg: cfg, store: store, rounds: rounds, log: log, leaseTTL: LeaseTTL}
}

// defaultLocation is the time zone of schedules unless Config says otherwise.
const defaultLocation = "Europe/Amsterdam"

// LeaseTTL is how long the scheduler lease lasts without renewal: a failover takes at
// most 12 s (the lifetime, then a third of it until the next try).
const LeaseTTL = 9 * time.Second

// leaseName names the scheduler's lease.
const leaseName = "scheduler"

// Leading reports whether this replica holds the scheduler lease now.
func (s *Scheduler) Leading() bool { return s.leading.Load() }

// Run leads whenever this replica holds the scheduler lease, until ctx ends.
func (s *Scheduler) Run(ctx context.Context) error {
	return lease.Hold(ctx, s.store, leaseName, s.cfg.Replica, s.leaseTTL, s.log, s.lead)
}

// lead passes once at the start of a holding (catch-up), then every minute on cron and
// whenever a CLI action is published, until ctx ends (the lease was lost or Run
// stops). Every pass carries the holding's fencing token.
func (s *Scheduler) lead(ctx context.Context, token int64) error {
	s.leading.Store(true)
	defer s.leading.Store(false)
	s.log.Info("scheduler leads", "replica", s.cfg.Replica, "token", token)
	ctx = storage.WithFence(ctx, token)
	wake := make(chan struct{}, 1)
	poke := func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	c := cron.New(cron.WithLocation(s.cfg.Location),
		cron.WithChain(cron.Recover(cronLogger{s.log})))
	if _, err := c.AddFunc("* * * * *", poke); err != nil {
		return fmt.Errorf("schedule passes: %w", err)
	}
	c.Start()
	defer c.Stop()
	sub := s.store.Subscribe(ctx)
	defer sub.Close()
	events := sub.Channel()
	poke()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-events:
		case <-wake:
		}
		if err := s.safeReconcile(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("scheduler pass", "err", err)
		}
	}
}

// safeReconcile runs a pass and turns a panic (in a Messenger, say) into an error: the
// pass runs on Run's goroutine, where cron.Recover does not reach, and every step is
// idempotent, so the next pass simply finishes the work.
func (s *Scheduler) safeReconcile(ctx context.Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("scheduler pass panicked: %v\n%s", p, debug.Stack())
		}
	}()
	return s.Reconcile(ctx)
}

// Reconcile does everything that is due now: the rounds service's transitions and
// broadcasts (rounds.Service.Advance), then the digest when one is due. A failing
// round does not hold up the digest; the errors are joined.
func (s *Scheduler) Reconcile(ctx context.Context) error {
	now := s.cfg.Now()
	err := s.rounds.Advance(ctx, now)
	return errors.Join(err, s.digest(ctx, now))
}

type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug(msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error(msg, append(kv, "err", err)...)
}
