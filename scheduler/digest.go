package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/participatiebot/participatiebot/digest"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/robfig/cron/v3"
)

// DefaultDigestTitle heads the digest unless Config says otherwise.
const DefaultDigestTitle = "Participatie — overzicht voor de stuurgroep"

// DefaultDigestCron sends the stuurgroep digest on the first of every month at 9:00.
const DefaultDigestCron = "0 9 1 * *"

// digestCatchUp is how late a digest may still go out after its time, when the
// service was down then; an older one is skipped rather than sent out of the blue.
const digestCatchUp = 7 * 24 * time.Hour

// digestDue returns the latest digest time at or before now and the one before it
// (the period the digest covers), when the latest is at most digestCatchUp ago.
func digestDue(spec string, now time.Time, loc *time.Location) (from, to time.Time, ok bool, err error) {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return time.Time{}, time.Time{}, false, fmt.Errorf("digest schedule %q: %w", spec, err)
	}
	now = now.In(loc)
	var prev, last time.Time
	t := now.Add(-2 * digestCatchUp).Add(-45 * 24 * time.Hour) // a month and more back
	for i := 0; i < 100000; i++ {
		next := sched.Next(t)
		if next.IsZero() || next.After(now) {
			break
		}
		prev, last, t = last, next, next
	}
	if last.IsZero() || now.Sub(last) > digestCatchUp {
		return time.Time{}, time.Time{}, false, nil
	}
	if prev.IsZero() {
		prev = last.AddDate(0, -1, 0)
	}
	return prev, last, true, nil
}

// digest queues the stuurgroep digest when one is due and was not sent: the rounds
// of the period, and every round whose promised terugkoppeling date passed
// without a decision. Marked after queueing; the notifier's dedupe keys make a
// repeat after a crash harmless.
func (s *Scheduler) digest(ctx context.Context, all []*storage.Round, now time.Time) error {
	if s.cfg.DigestCron == "off" {
		return nil
	}
	from, to, ok, err := digestDue(s.cfg.DigestCron, now, s.cfg.Location)
	if err != nil || !ok {
		return err
	}
	period := to.Format("2006-01-02T15:04")
	// The period runs from midnight to midnight: "1 november t/m 30 november".
	from, to = midnight(from), midnight(to)
	if sent, err := s.store.DigestSent(ctx, period); err != nil || sent {
		return err
	}
	rep, in, err := BuildDigest(ctx, s.store, s.catalog, all, from, to,
		DigestOptions{Title: s.cfg.DigestTitle, Location: s.cfg.Location, Analysis: rounds.Analysis{Threshold: s.cfg.Threshold, Population: s.cfg.Population, OpenLimit: rounds.ViewOpenLimit}})
	if err != nil {
		return fmt.Errorf("digest %s: %w", period, err)
	}
	if err := s.notify.SendDigest(ctx, period, rep); err != nil {
		return fmt.Errorf("send digest %s: %w", period, err)
	}
	s.log.Info("digest queued", "period", period, "rounds", len(in.Rounds), "overdue", len(in.Overdue))
	return s.store.MarkDigest(ctx, period, now)
}

// DigestOptions are the settings of a digest.
type DigestOptions struct {
	Title    string
	Location *time.Location
	Analysis rounds.Analysis
}

// BuildDigest builds the stuurgroep digest of [from, to) from the rounds: those
// closed in the period or open in it, and, whenever they ran, those whose promised
// terugkoppeling date is before to without a decision. The scheduler sends it; the
// CLI writes it to files.
func BuildDigest(ctx context.Context, store *storage.Store, catalog *surveys.Catalog, all []*storage.Round,
	from, to time.Time, opt DigestOptions) (*digest.Report, digest.Input, error) {
	in := digest.Input{Title: opt.Title, From: from, To: to, Location: opt.Location}
	for _, r := range all {
		sv, ok := catalog.Survey(r.Survey)
		if !ok {
			continue
		}
		inPeriod := r.State == storage.Opened && r.OpensAt.Before(to) ||
			!r.ClosedAt.IsZero() && !r.ClosedAt.Before(from) && r.ClosedAt.Before(to)
		overdue := r.DecidedAt.IsZero() && !r.ClosedAt.IsZero() && !sv.Card.Terugkoppeling.IsZero() &&
			sv.Card.Terugkoppeling.Before(to)
		if !inPeriod && !overdue {
			continue
		}
		res, err := rounds.Results(ctx, store, sv, r, opt.Analysis)
		if err != nil {
			return nil, in, fmt.Errorf("round %s: %w", r.ID, err)
		}
		if r.State == storage.Opened || r.State == storage.Scheduled {
			// A digest can be made again after the next response (the digest
			// command): an open round shows only its banded tussenstand.
			res = results.Live(res)
		}
		res.Survey = sv
		dr := digest.Round{Results: res, State: digestState(r.State), DecidedAt: r.DecidedAt}
		if inPeriod {
			in.Rounds = append(in.Rounds, dr)
		}
		if overdue {
			in.Overdue = append(in.Overdue, dr)
		}
	}
	rep, err := digest.Build(in)
	return rep, in, err
}

// digestState is a round's state as the digest names it.
func digestState(st storage.State) string {
	switch st {
	case storage.Opened:
		return digest.StateOpen
	case storage.Closed:
		return digest.StateClosed
	case storage.Published:
		return digest.StatePublished
	case storage.Decided:
		return digest.StateDecided
	}
	return string(st)
}

// midnight is the start of t's day, in t's location.
func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}
