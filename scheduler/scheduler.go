// Package scheduler is the trigger of the round lifecycle: on robfig/cron v3 with an
// explicit location, every minute and whenever a CLI action is published, the replica
// that holds the leader lock asks the rounds service to do what is due
// (rounds.Service.Advance) and sends the stuurgroep digest when its time came. The
// service looks at the state in Redis, so a transition missed while the service was
// down happens on start-up, once, and a pass interrupted by a crash is simply run
// again.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/robfig/cron/v3"
)

// Rounds is the round lifecycle the scheduler triggers; rounds.Service implements it.
type Rounds interface {
	Advance(ctx context.Context, now time.Time) error
	SendDigest(ctx context.Context, period, title string, from, to, now time.Time) error
}

// Store holds the leader lock and the wake-up events; *storage.Store implements it.
type Store interface {
	Lead(ctx context.Context, replica string, ttl time.Duration) (bool, error)
	Subscribe(ctx context.Context) *redis.PubSub
}

// Config configures the scheduler.
type Config struct {
	// Location is the time zone of the digest's schedule and of its cron (default
	// Europe/Amsterdam); the rounds service has its own for the surveys' schedules.
	Location *time.Location
	// Now is the clock (default time.Now); tests inject one and call Reconcile.
	Now func() time.Time
	// Replica names this process for the leader lock (default a random id).
	Replica string
	// DigestCron is when the stuurgroep digest goes out, a 5-field cron spec in
	// local time (default DefaultDigestCron, monthly); "off" sends none.
	DigestCron string
	// DigestTitle heads the digest (default rounds.DefaultDigestTitle).
	DigestTitle string
}

// Scheduler triggers round transitions and the digest.
type Scheduler struct {
	cfg    Config
	store  Store
	rounds Rounds
	log    *slog.Logger
	// leaseTTL is the leader lock's lifetime; tests shorten it to watch a takeover.
	leaseTTL time.Duration
	// leading is what the last pass found: this replica holds the leader lock.
	leading atomic.Bool
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
	return &Scheduler{cfg: cfg, store: store, rounds: rounds, log: log, leaseTTL: leaseTTL}
}

// defaultLocation is the time zone of schedules unless Config says otherwise.
const defaultLocation = "Europe/Amsterdam"

// leaseTTL is how long the leader lock lasts without renewal; passes run every minute.
const leaseTTL = 90 * time.Second

// Run passes once at start (catch-up), then every minute on cron and whenever a CLI
// action is published, while this replica holds the leader lock.
func (s *Scheduler) Run(ctx context.Context) error {
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
		if err := s.safePass(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("scheduler pass", "err", err)
		}
	}
}

// safePass runs a pass and turns a panic (in a Messenger, say) into an error: the pass
// runs on Run's goroutine, where cron.Recover does not reach, and every step is
// idempotent, so the next pass simply finishes the work.
func (s *Scheduler) safePass(ctx context.Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("scheduler pass panicked: %v\n%s", p, debug.Stack())
		}
	}()
	return s.pass(ctx)
}

// pass runs Reconcile if this replica holds (or takes) the leader lock.
func (s *Scheduler) pass(ctx context.Context) error {
	lead, err := s.store.Lead(ctx, s.cfg.Replica, s.leaseTTL)
	s.leading.Store(lead) // false on an error: a replica that cannot renew the lock does not act
	if err != nil || !lead {
		return err
	}
	return s.Reconcile(ctx)
}

// Leading reports whether this replica held the leader lock at its last pass (false
// before the first), for /metrics: passes run every minute and the lock lasts 90 s,
// so it is at most a minute behind.
func (s *Scheduler) Leading() bool { return s.leading.Load() }

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
