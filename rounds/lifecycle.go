package rounds

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// errNoMessenger is returned by Advance on a service made without a Messenger.
var errNoMessenger = errors.New("rounds: a service without a messenger cannot send")

// Advance does everything that is due at now: create and open the rounds whose slot
// came, queue invitations and reminders, close rounds past their deadline, end their
// sessions, publish results, send decisions, and purge the raw data of rounds whose
// bewaartermijn is over. It looks at the state in Redis, so a transition missed while
// the service was down happens now, once; every broadcast is deduplicated per
// recipient, so an Advance cut short by a crash is completed by the next. A survey
// or round that fails does not hold up the others; the errors are joined.
func (s *Service) Advance(ctx context.Context, now time.Time) error {
	if s.msg == nil {
		return errNoMessenger
	}
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
	return errors.Join(errs...)
}

// ensureRound creates the round of the survey's latest slot if it is due and not over.
func (s *Service) ensureRound(ctx context.Context, sv *surveys.Survey, now time.Time) error {
	slot, ok, err := LatestSlot(sv, Wall(now, s.cfg.Location))
	if err != nil || !ok {
		return err
	}
	opens := Instant(slot, s.cfg.Location)
	closes := opens.Add(sv.Schedule.Duration)
	if !closes.After(now) {
		return nil // the whole round fell in a time the service was down
	}
	r := &storage.Round{ID: RoundID(sv.ID, slot), Survey: sv.ID, Slot: slot.Format("2006-01-02T15:04"),
		OpensAt: opens, ClosesAt: closes, Wording: surveys.Wording(sv)}
	created, err := s.store.CreateRound(ctx, r)
	if err != nil {
		return err
	}
	if created {
		s.log.Info("round scheduled", "round", r.ID, "opens_at", opens, "closes_at", closes)
	}
	return nil
}

// step moves one round along as far as is due. Each transition is a compare-and-set in
// Redis, and each broadcast is marked done only after every message is queued (under a
// per-recipient dedupe key), so a step cut short by a crash is completed by the next.
func (s *Service) step(ctx context.Context, r *storage.Round, now time.Time) error {
	// a scheduler that lost its lease to a successor that already touched the round stops here
	if err := s.store.CheckFence(ctx, r.ID); err != nil {
		return err
	}
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
	if r.State != storage.Scheduled && r.State != storage.Opened && r.SessionsEnded.IsZero() && r.PurgedAt.IsZero() {
		if err := s.endSessions(ctx, r, now); err != nil {
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
// is over, and takes it out of the live rounds; the tallies, and so every result,
// stay, and the round can still be loaded by id. A survey file that was removed keeps
// the default bewaartermijn.
func (s *Service) retain(ctx context.Context, r *storage.Round, sv *surveys.Survey, now time.Time) error {
	if !r.PurgedAt.IsZero() {
		// purged, but still listed: a crash came between the purge and the retiring
		return s.store.RetireRound(ctx, r.ID)
	}
	end, ok := RetentionEnd(r, sv)
	if !ok || now.Before(end) {
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
	return s.store.RetireRound(ctx, r.ID)
}

// RetentionEnd is when a round's raw data goes: its bewaartermijn after the decision was
// sent, or after it closed when no decision was sent; false while it is still open.
func RetentionEnd(r *storage.Round, sv *surveys.Survey) (time.Time, bool) {
	base := r.ClosedAt
	if !r.DecidedAt.IsZero() {
		base = r.DecidedAt
	}
	if base.IsZero() {
		return time.Time{}, false
	}
	return base.AddDate(0, sv.RetentionMonths(), 0), true
}
