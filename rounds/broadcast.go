package rounds

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// A broadcast scans its recipients in batches of Config.Batch (SSCAN) and hands each
// batch to the Messenger, which queues the batch's messages in a few round trips
// under per-recipient dedupe keys. Nothing marks a broadcast done before its last
// batch is queued: cut short at any batch (a crash, a failed enqueue), the next pass
// runs it again from the start, and the dedupe keys drop whatever was queued before,
// so every recipient gets it exactly once.

// batches is how a broadcast finds its recipients: fn is called per batch.
type batches func(fn func(pids []string) error) error

// broadcast hands every batch to send and adds up what they did.
func broadcast(scan batches, send func(pids []string) (Sent, error)) (Sent, error) {
	var total Sent
	err := scan(func(pids []string) error {
		sent, err := send(pids)
		total.Queued += sent.Queued
		total.Before += sent.Before
		return err
	})
	return total, err
}

func (s *Service) active(ctx context.Context) batches {
	return func(fn func([]string) error) error { return s.store.ScanActive(ctx, s.cfg.Batch, fn) }
}

func (s *Service) members(ctx context.Context, rid string) batches {
	return func(fn func([]string) error) error { return s.store.ScanMembers(ctx, rid, s.cfg.Batch, fn) }
}

// invite announces the round and invites every active participant, then sets the
// "invited" counter to the participants invited and marks the invitations done.
// The count is of the complete pass: a pass resumed after a crash counts those
// invited before it too (their dedupe keys say so), and no one twice.
func (s *Service) invite(ctx context.Context, r *storage.Round, now time.Time) error {
	if err := s.msg.Announce(ctx, r); err != nil {
		return fmt.Errorf("announce: %w", err)
	}
	send := func(pids []string) (Sent, error) { return s.msg.Invite(ctx, r, pids) }
	first, err := s.previousPhase(ctx, r)
	if err != nil {
		return fmt.Errorf("invite: %w", err)
	}
	if first != nil {
		// those who took part in the phase before go first; the pass over everyone
		// below finds them invited (Sent.Before), so the count has no one twice
		if _, err := broadcast(first, send); err != nil {
			return fmt.Errorf("invite the previous phase: %w", err)
		}
	}
	n, err := broadcast(s.active(ctx), send)
	if err != nil {
		return fmt.Errorf("invite: %w", err)
	}
	if err := s.store.SetInvited(ctx, r.ID, int64(n.Queued+n.Before)); err != nil {
		return err
	}
	s.log.Info("invitations queued", "round", r.ID, "count", n.Queued, "before", n.Before)
	return s.store.MarkInvitesDone(ctx, r.ID, now)
}

// previousPhase hands out the members of the rounds of the phase before r's, when r's
// survey is in a later phase of a trajectory; nil batches when it is not. Members
// who stopped since are left out by the messenger, as in every broadcast.
func (s *Service) previousPhase(ctx context.Context, r *storage.Round) (batches, error) {
	t, i, ok := s.catalog.TrajectoryOf(r.Survey)
	if !ok {
		return nil, nil
	}
	prev := t.Previous(i)
	if len(prev) == 0 {
		return nil, nil
	}
	all, err := s.store.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, pr := range all {
		if slices.Contains(prev, pr.Survey) && pr.ID != r.ID {
			ids = append(ids, pr.ID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return func(fn func([]string) error) error {
		for _, id := range ids {
			if err := s.members(ctx, id)(fn); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// remind queues the latest reminder that is due and not yet sent; earlier reminders
// missed while the service was down are not sent any more.
func (s *Service) remind(ctx context.Context, r *storage.Round, sv *surveys.Survey, now time.Time) error {
	due := -1
	for i, off := range sv.Schedule.Reminders { // largest offset first
		if !now.Before(r.ClosesAt.Add(-off)) {
			due = i
		}
	}
	if due < 0 || r.Reminders[due] {
		return nil
	}
	scan := s.active(ctx)
	if s.cfg.Population != nil {
		var err error
		if scan, err = s.underRepresentedFirst(ctx, r); err != nil {
			return fmt.Errorf("remind: %w", err)
		}
	}
	n, err := broadcast(scan, func(pids []string) (Sent, error) { return s.msg.Remind(ctx, r, due, pids) })
	if err != nil {
		return fmt.Errorf("remind: %w", err)
	}
	for i := 0; i <= due; i++ {
		if _, err := s.store.MarkReminder(ctx, r.ID, i, now); err != nil {
			return err
		}
	}
	s.log.Info("reminders queued", "round", r.ID, "reminder", due, "count", n.Queued, "before", n.Before)
	return nil
}

// underRepresentedFirst orders the active participants kern by kern from the lowest
// response rate so far to the highest (results.UnderRepresented), then those whose
// kern is unknown, and hands them out in batches. Messages leave the outbox in the
// order they are queued, so the groups that answered least are reminded first. The
// order needs every pseudonym at once: they are read in batches and held (some 50
// bytes each) for the one broadcast.
func (s *Service) underRepresentedFirst(ctx context.Context, r *storage.Round) (batches, error) {
	tallies, err := s.store.Tallies(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	// Suppression plays no part here: the order is never shown to anyone.
	rows, _ := results.Afspiegeling(results.GroupCounts(tallies, surveys.FieldRespondents+":k:"), s.cfg.Population.Kernen, 0)
	rank := map[string]int{}
	for i, g := range results.UnderRepresented(rows) {
		rank[g] = i
	}
	type ranked struct {
		pid  string
		rank int
	}
	var all []ranked
	err = s.store.ScanActive(ctx, s.cfg.Batch, func(pids []string) error {
		kern, err := s.store.Kernen(ctx, pids)
		if err != nil {
			return err
		}
		for _, pid := range pids {
			at, ok := rank[kern[pid]]
			if !ok {
				at = len(rank)
			}
			all = append(all, ranked{pid, at})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].rank < all[j].rank })
	return func(fn func([]string) error) error {
		batch := make([]string, 0, s.cfg.Batch)
		for start := 0; start < len(all); start += s.cfg.Batch {
			batch = batch[:0]
			for _, p := range all[start:min(start+s.cfg.Batch, len(all))] {
				batch = append(batch, p.pid)
			}
			if err := fn(batch); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// publish computes the results once and queues them for every participant of the
// round and for the stuurgroep, then marks the round published.
func (s *Service) publish(ctx context.Context, r *storage.Round, sv *surveys.Survey, now time.Time) error {
	res, err := s.Results(ctx, sv, r)
	if err != nil {
		return err
	}
	if sv.Schedule.Cron != "" || len(sv.Indicators) > 0 {
		// a recurring survey: how the main figure moved since the last round, and
		// where its indicators stand now
		// a round's results go out also when the earlier rounds cannot be read:
		// then without these lines, and the log says why
		if t, err := s.TrendUntil(ctx, sv, r); err != nil {
			s.log.Warn("results without the trend", "round", r.ID, "err", err)
		} else {
			res.Since, res.SinceMove = t.Since(r.ID), t.Move(r.ID)
			for _, st := range t.Indicators {
				res.Indicators = append(res.Indicators, st.Line())
			}
		}
	}
	n, err := broadcast(s.members(ctx, r.ID), func(pids []string) (Sent, error) { return s.msg.SendResults(ctx, r, res, pids) })
	if err != nil {
		return fmt.Errorf("send results: %w", err)
	}
	if err := s.msg.SendStuurgroep(ctx, r, res); err != nil {
		return fmt.Errorf("send stuurgroep summary: %w", err)
	}
	moved, err := s.store.Transition(ctx, r.ID, storage.Closed, storage.Published, now)
	if err != nil {
		return err
	}
	if moved { // once, also when a pass cut short is run again
		s.log.Info("results published", "round", r.ID, "participants", n.Queued, "before", n.Before)
	}
	return nil
}

// decide sends the decision (terugkoppeling) to every participant of the round, then
// marks it decided; cut short by a crash, the next pass sends to whoever is left.
func (s *Service) decide(ctx context.Context, r *storage.Round, now time.Time) error {
	n, err := broadcast(s.members(ctx, r.ID), func(pids []string) (Sent, error) { return s.msg.SendDecision(ctx, r, pids) })
	if err != nil {
		return fmt.Errorf("send decision: %w", err)
	}
	if _, err := s.store.Transition(ctx, r.ID, storage.Published, storage.Decided, now); err != nil {
		return err
	}
	s.log.Info("decision sent", "round", r.ID, "participants", n.Queued, "before", n.Before)
	return nil
}

// endSessions deletes the sessions of a closed round, a batch at a time, then marks
// them ended: a closed round takes no more answers, so nobody's place in it is kept
// (the answers stay until the bewaartermijn ends). A session belongs to someone who
// pressed "Doe mee": an active participant, or a member who stopped being active
// since; a session of anyone else (a blocked bot, say) expires on its own,
// storage.SessionGrace after the planned close. Cut short, it is run again.
func (s *Service) endSessions(ctx context.Context, r *storage.Round, now time.Time) error {
	end := func(pids []string) error { return s.store.EndSessions(ctx, r.ID, pids) }
	if err := s.active(ctx)(end); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	if err := s.members(ctx, r.ID)(end); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	r.SessionsEnded = now
	return s.store.MarkSessionsEnded(ctx, r.ID, now)
}
