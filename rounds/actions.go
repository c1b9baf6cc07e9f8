package rounds

import (
	"context"
	"fmt"
	"time"

	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// Organisers act by hand through these, from the CLI, the dashboard or the chat. They
// change the state in Redis and wake running services; the scheduler of a running
// serve then sends the invitations or the results (Advance), exactly as for a
// scheduled transition. now is the caller's clock.

// Open opens a round of the survey at once, for the current minute's slot.
func (s *Service) Open(ctx context.Context, sv *surveys.Survey, now time.Time) (*storage.Round, error) {
	slot := Wall(now, s.cfg.Location).Truncate(time.Minute)
	r := &storage.Round{ID: RoundID(sv.ID, slot), Survey: sv.ID, Slot: slot.Format("2006-01-02T15:04"),
		OpensAt: now, ClosesAt: now.Add(sv.Schedule.Duration), Wording: surveys.Wording(sv)}
	created, err := s.store.CreateRound(ctx, r)
	if err != nil {
		return nil, err
	}
	if !created {
		return nil, fmt.Errorf("ronde %s bestaat al", r.ID)
	}
	if _, err := s.store.Transition(ctx, r.ID, storage.Scheduled, storage.Opened, now); err != nil {
		return nil, err
	}
	r.State = storage.Opened
	return r, s.store.Notify(ctx, "open "+r.ID)
}

// Close closes an open round at once; the results follow from a running serve.
func (s *Service) Close(ctx context.Context, rid string, now time.Time) error {
	r, err := s.store.Round(ctx, rid)
	if err != nil {
		return err
	}
	if r.State != storage.Opened {
		return fmt.Errorf("ronde %s is niet open (status %s)", rid, r.State)
	}
	if err := s.store.SetClosesAt(ctx, rid, now); err != nil {
		return err
	}
	if _, err := s.store.Transition(ctx, rid, storage.Opened, storage.Closed, now); err != nil {
		return err
	}
	return s.store.Notify(ctx, "close "+rid)
}
