package rounds

import (
	"context"
	"fmt"
	"time"

	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// Organisers act by hand through these, from the CLI or from the chat. They change
// the state in Redis and wake running services; the scheduler of a running serve then
// sends the invitations or the results, exactly as for a scheduled transition.

// OpenNow opens a round of the survey at once, for the current minute's slot.
func OpenNow(ctx context.Context, st *storage.Store, sv *surveys.Survey, now time.Time, loc *time.Location) (*storage.Round, error) {
	slot := Wall(now, loc).Truncate(time.Minute)
	r := &storage.Round{ID: RoundID(sv.ID, slot), Survey: sv.ID, Slot: slot.Format("2006-01-02T15:04"),
		OpensAt: now, ClosesAt: now.Add(sv.Schedule.Duration)}
	created, err := st.CreateRound(ctx, r)
	if err != nil {
		return nil, err
	}
	if !created {
		return nil, fmt.Errorf("ronde %s bestaat al", r.ID)
	}
	if _, err := st.Transition(ctx, r.ID, storage.Scheduled, storage.Opened, now); err != nil {
		return nil, err
	}
	r.State = storage.Opened
	return r, st.Notify(ctx, "open "+r.ID)
}

// CloseNow closes an open round at once; the results follow from a running serve.
func CloseNow(ctx context.Context, st *storage.Store, rid string, now time.Time) error {
	r, err := st.Round(ctx, rid)
	if err != nil {
		return err
	}
	if r.State != storage.Opened {
		return fmt.Errorf("ronde %s is niet open (status %s)", rid, r.State)
	}
	if err := st.SetClosesAt(ctx, rid, now); err != nil {
		return err
	}
	if _, err := st.Transition(ctx, rid, storage.Opened, storage.Closed, now); err != nil {
		return err
	}
	return st.Notify(ctx, "close "+rid)
}
