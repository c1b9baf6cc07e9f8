// Package scheduler drives the round lifecycle (scheduled → open → closed → results
// published) on robfig/cron v3 with an explicit location. Every pass looks at the
// state in Redis and does what is due, so a transition missed while the service was
// down happens on start-up, once; every broadcast is deduplicated per recipient, so a
// pass interrupted by a crash is simply run again.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/participatiebot/participatiebot/digest"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/robfig/cron/v3"
)

// Notifier writes the messages the scheduler asks for; the bot engine implements it.
type Notifier interface {
	Invite(ctx context.Context, r *storage.Round, pid string) (bool, error)
	Remind(ctx context.Context, r *storage.Round, i int, pid string) (bool, error)
	SendResults(ctx context.Context, r *storage.Round, res *results.Results, pid string) (bool, error)
	SendStuurgroep(ctx context.Context, r *storage.Round, res *results.Results) error
	Announce(ctx context.Context, r *storage.Round) error
	SendDecision(ctx context.Context, r *storage.Round, pid string) (bool, error)
	SendDigest(ctx context.Context, period string, rep *digest.Report) error
}

// Config configures the scheduler.
type Config struct {
	// Location is the time zone of schedules (default Europe/Amsterdam).
	Location *time.Location
	// Now is the clock (default time.Now); tests inject one and call Reconcile.
	Now func() time.Time
	// Threshold is the smallest breakdown cell shown in results (default 10).
	Threshold int
	// Population is the population table for the afspiegeling and weighting of
	// results; nil for neither.
	Population *surveys.Population
	// Replica names this process for the leader lock (default a random id).
	Replica string
	// DigestCron is when the stuurgroep digest goes out, a 5-field cron spec in
	// local time (default DefaultDigestCron, monthly); "off" sends none.
	DigestCron string
	// DigestTitle heads the digest (default DefaultDigestTitle).
	DigestTitle string
}

// Scheduler runs round transitions.
type Scheduler struct {
	cfg     Config
	store   *storage.Store
	catalog *surveys.Catalog
	notify  Notifier
	log     *slog.Logger
	// leaseTTL is the leader lock's lifetime; tests shorten it to watch a takeover.
	leaseTTL time.Duration
}

// New returns a scheduler. A nil log discards; a nil Location is Europe/Amsterdam
// (UTC, with a warning, when the time zone database is missing: the binary embeds it).
func New(cfg Config, store *storage.Store, catalog *surveys.Catalog, notify Notifier, log *slog.Logger) *Scheduler {
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
	if cfg.Threshold <= 0 {
		cfg.Threshold = 10
	}
	if cfg.DigestCron == "" {
		cfg.DigestCron = DefaultDigestCron
	}
	if cfg.DigestTitle == "" {
		cfg.DigestTitle = DefaultDigestTitle
	}
	if cfg.Replica == "" {
		cfg.Replica = fmt.Sprintf("replica-%d", time.Now().UnixNano())
	}
	return &Scheduler{cfg: cfg, store: store, catalog: catalog, notify: notify, log: log, leaseTTL: leaseTTL}
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

// safePass runs a pass and turns a panic (in a Notifier, say) into an error: the pass
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
	if err != nil || !lead {
		return err
	}
	return s.Reconcile(ctx)
}

// Reconcile does everything that is due now: create and open rounds whose slot came,
// queue invitations and reminders, close rounds past their deadline and publish results.
// A survey or round that fails does not hold up the others; the errors are joined.
func (s *Scheduler) Reconcile(ctx context.Context) error {
	now := s.cfg.Now()
	var errs []error
	for _, sv := range s.catalog.All() {
		if err := s.ensureRound(ctx, sv, now); err != nil {
			errs = append(errs, err)
		}
	}
	all, err := s.store.Rounds(ctx)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	for _, r := range all {
		if err := s.step(ctx, r, now); err != nil {
			errs = append(errs, fmt.Errorf("round %s: %w", r.ID, err))
		}
	}
	if err := s.digest(ctx, all, now); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// ensureRound creates the round of the survey's latest slot if it is due and not over.
func (s *Scheduler) ensureRound(ctx context.Context, sv *surveys.Survey, now time.Time) error {
	slot, ok, err := rounds.LatestSlot(sv, rounds.Wall(now, s.cfg.Location))
	if err != nil || !ok {
		return err
	}
	opens := rounds.Instant(slot, s.cfg.Location)
	closes := opens.Add(sv.Schedule.Duration)
	if !closes.After(now) {
		return nil // the whole round fell in a time the service was down
	}
	r := &storage.Round{ID: rounds.RoundID(sv.ID, slot), Survey: sv.ID, Slot: slot.Format("2006-01-02T15:04"),
		OpensAt: opens, ClosesAt: closes}
	created, err := s.store.CreateRound(ctx, r)
	if err != nil {
		return err
	}
	if created {
		s.log.Info("round scheduled", "round", r.ID, "opens_at", opens, "closes_at", closes)
	}
	return nil
}

type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug(msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error(msg, append(kv, "err", err)...)
}
