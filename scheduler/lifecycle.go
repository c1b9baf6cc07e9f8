package scheduler

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// step moves one round along as far as is due. Each transition is a compare-and-set in
// Redis, and each broadcast is marked done only after every message is queued (under a
// per-recipient dedupe key), so a step cut short by a crash is completed by the next.
func (s *Scheduler) step(ctx context.Context, r *storage.Round, now time.Time) error {
	sv, ok := s.catalog.Survey(r.Survey)
	if err := s.retain(ctx, r, sv, now); err != nil {
		return err
	}
	if !ok {
		return nil // survey file removed: leave the round alone
	}
	log := s.log.With("round", r.ID)
	if r.State == storage.Scheduled && !now.Before(r.OpensAt) {
		moved, err := s.store.Transition(ctx, r.ID, storage.Scheduled, storage.Opened, now)
		if err != nil {
			return err
		}
		if moved {
			log.Info("round opened")
		}
		r.State = storage.Opened
	}
	if r.State == storage.Opened {
		// No invitations to a round that closed while the service was down: the
		// resident could not answer any more.
		if !r.InvitesDone && now.Before(r.ClosesAt) {
			if err := s.invite(ctx, r, now); err != nil {
				return err
			}
		}
		if !now.Before(r.ClosesAt) {
			moved, err := s.store.Transition(ctx, r.ID, storage.Opened, storage.Closed, now)
			if err != nil {
				return err
			}
			if moved {
				log.Info("round closed")
			}
			r.State = storage.Closed
		} else if err := s.remind(ctx, r, sv, now); err != nil {
			return err
		}
	}
	if r.State == storage.Closed {
		if err := s.publish(ctx, r, sv, now); err != nil {
			return err
		}
		r.State = storage.Published
	}
	if r.State == storage.Published && r.Decision != "" {
		return s.decide(ctx, r, now)
	}
	return nil
}

// retain deletes a round's raw answers, open texts and sessions when its bewaartermijn
// is over; the tallies, and so every result, stay. A survey file that was removed keeps
// the default bewaartermijn.
func (s *Scheduler) retain(ctx context.Context, r *storage.Round, sv *surveys.Survey, now time.Time) error {
	end, ok := rounds.RetentionEnd(r, sv)
	if !ok || !r.PurgedAt.IsZero() || now.Before(end) {
		return nil
	}
	var open []string
	if sv != nil {
		for _, q := range sv.Questions {
			if q.Type == surveys.Open {
				open = append(open, q.ID)
			}
		}
	}
	if err := s.store.PurgeRound(ctx, r.ID, open, now); err != nil {
		return err
	}
	r.PurgedAt = now
	s.log.Info("bewaartermijn over: raw answers deleted, aggregates kept", "round", r.ID, "months", sv.RetentionMonths())
	return nil
}

// decide sends the decision (terugkoppeling) to every participant of the round, then
// marks it decided; cut short by a crash, the next pass sends to whoever is left.
func (s *Scheduler) decide(ctx context.Context, r *storage.Round, now time.Time) error {
	n, err := s.toMembers(ctx, r, func(pid string) (bool, error) { return s.notify.SendDecision(ctx, r, pid) })
	if err != nil {
		return fmt.Errorf("send decision: %w", err)
	}
	if _, err := s.store.Transition(ctx, r.ID, storage.Published, storage.Decided, now); err != nil {
		return err
	}
	s.log.Info("decision sent", "round", r.ID, "participants", n)
	return nil
}

func (s *Scheduler) invite(ctx context.Context, r *storage.Round, now time.Time) error {
	if err := s.notify.Announce(ctx, r); err != nil {
		return fmt.Errorf("announce: %w", err)
	}
	n, err := s.toActive(ctx, func(pid string) (bool, error) { return s.notify.Invite(ctx, r, pid) })
	if n > 0 {
		if cerr := s.store.AddInvited(ctx, r.ID, n); cerr != nil && err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("invite: %w", err)
	}
	s.log.Info("invitations queued", "round", r.ID, "count", n)
	return s.store.MarkInvitesDone(ctx, r.ID, now)
}

// remind queues the latest reminder that is due and not yet sent; earlier reminders
// missed while the service was down are not sent any more.
func (s *Scheduler) remind(ctx context.Context, r *storage.Round, sv *surveys.Survey, now time.Time) error {
	due := -1
	for i, off := range sv.Schedule.Reminders { // largest offset first
		if !now.Before(r.ClosesAt.Add(-off)) {
			due = i
		}
	}
	if due < 0 || r.Reminders[due] {
		return nil
	}
	send := func(pid string) (bool, error) { return s.notify.Remind(ctx, r, due, pid) }
	var n int64
	var err error
	if s.cfg.Population != nil {
		n, err = s.toActiveUnderRepresentedFirst(ctx, r, send)
	} else {
		n, err = s.toActive(ctx, send)
	}
	if err != nil {
		return fmt.Errorf("remind: %w", err)
	}
	for i := 0; i <= due; i++ {
		if _, err := s.store.MarkReminder(ctx, r.ID, i, now); err != nil {
			return err
		}
	}
	s.log.Info("reminders queued", "round", r.ID, "reminder", due, "count", n)
	return nil
}

// publish computes the results once and queues them for every participant of the
// round and for the stuurgroep.
func (s *Scheduler) publish(ctx context.Context, r *storage.Round, sv *surveys.Survey, now time.Time) error {
	res, err := rounds.Results(ctx, s.store, sv, r, rounds.Analysis{Threshold: s.cfg.Threshold, Population: s.cfg.Population, OpenLimit: rounds.ViewOpenLimit})
	if err != nil {
		return err
	}
	n, err := s.toMembers(ctx, r, func(pid string) (bool, error) { return s.notify.SendResults(ctx, r, res, pid) })
	if err != nil {
		return fmt.Errorf("send results: %w", err)
	}
	if err := s.notify.SendStuurgroep(ctx, r, res); err != nil {
		return fmt.Errorf("send stuurgroep summary: %w", err)
	}
	if _, err := s.store.Transition(ctx, r.ID, storage.Closed, storage.Published, now); err != nil {
		return err
	}
	s.log.Info("results published", "round", r.ID, "participants", n)
	return nil
}

// toActive calls send for every active participant and counts the messages queued now.
func (s *Scheduler) toActive(ctx context.Context, send func(pid string) (bool, error)) (int64, error) {
	var n int64
	err := s.store.ActiveParticipants(ctx, counting(send, &n))
	return n, err
}

// toActiveUnderRepresentedFirst calls send for every active participant, kern by kern
// from the lowest response rate so far to the highest (results.UnderRepresented),
// then those whose kern is unknown. Messages leave the outbox in the order they
// are queued, so the groups that answered least are reminded first.
func (s *Scheduler) toActiveUnderRepresentedFirst(ctx context.Context, r *storage.Round, send func(pid string) (bool, error)) (int64, error) {
	tallies, err := s.store.Tallies(ctx, r.ID)
	if err != nil {
		return 0, err
	}
	// Suppression plays no part here: the order is never shown to anyone.
	rows, _ := results.Afspiegeling(results.GroupCounts(tallies, surveys.FieldRespondents+":k:"), s.cfg.Population.Kernen, 0)
	var pids []string
	if err := s.store.ActiveParticipants(ctx, func(pid string) error { pids = append(pids, pid); return nil }); err != nil {
		return 0, err
	}
	kern, err := s.store.Kernen(ctx, pids)
	if err != nil {
		return 0, err
	}
	rank := map[string]int{}
	for i, g := range results.UnderRepresented(rows) {
		rank[g] = i
	}
	last := len(rank)
	at := func(pid string) int {
		if i, ok := rank[kern[pid]]; ok {
			return i
		}
		return last
	}
	sort.SliceStable(pids, func(i, j int) bool { return at(pids[i]) < at(pids[j]) })
	var n int64
	each := counting(send, &n)
	for _, pid := range pids {
		if err := each(pid); err != nil {
			return n, err
		}
	}
	return n, nil
}

// toMembers calls send for every participant of the round and counts those queued now.
func (s *Scheduler) toMembers(ctx context.Context, r *storage.Round, send func(pid string) (bool, error)) (int64, error) {
	var n int64
	err := s.store.Members(ctx, r.ID, counting(send, &n))
	return n, err
}

func counting(send func(pid string) (bool, error), n *int64) func(pid string) error {
	return func(pid string) error {
		sent, err := send(pid)
		if sent {
			*n++
		}
		return err
	}
}
