package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/participatiebot/participatiebot/rounds"
	"github.com/robfig/cron/v3"
)

// defaultDigestTitle heads the digest unless Config says otherwise.
const defaultDigestTitle = rounds.DefaultDigestTitle

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

// digest has the rounds service queue the stuurgroep digest when one is due: the
// rounds of the period, and every round whose promised terugkoppeling date passed
// without a decision; the service sends each period's digest once.
func (s *Scheduler) digest(ctx context.Context, now time.Time) error {
	if s.cfg.DigestCron == "off" {
		return nil
	}
	from, to, ok, err := digestDue(s.cfg.DigestCron, now, s.cfg.Location)
	if err != nil || !ok {
		return err
	}
	period := to.Format("2006-01-02T15:04")
	// The period runs from midnight to midnight: "1 november t/m 30 november".
	if end := midnight(to); end.Before(s.cfg.DigestSince) {
		return nil // the period ended before the service first ran: nothing to report
	}
	return s.rounds.SendDigest(ctx, period, s.cfg.DigestTitle, midnight(from), midnight(to), now)
}

// midnight is the start of t's day, in t's location.
func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}
