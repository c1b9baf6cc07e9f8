package rounds_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/rounds/roundstest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

var errEndSessions = errors.New("end sessions failed")

// endFailing is the store with EndSessions failing at its failAt-th call (from 1),
// as a crash in the middle of ending a round's sessions would leave them; it counts
// the calls.
type endFailing struct {
	rounds.Store
	failAt, calls int
}

func (s *endFailing) EndSessions(ctx context.Context, rid string, pids []string) error {
	s.calls++
	if s.calls == s.failAt {
		return errEndSessions
	}
	return s.Store.EndSessions(ctx, rid, pids)
}

// TestSessionsEndWithTheRound: when a round closes its sessions are deleted, a batch
// at a time, those of members who stopped being active too; a round still open keeps
// its sessions. Cut short after some batches, the next pass deletes the rest, then
// marks the round so that later passes leave it alone.
func TestSessionsEndWithTheRound(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	loc := roundstest.Amsterdam(t)
	start := time.Date(2026, time.November, 2, 9, 0, 0, 0, loc)
	short := roundstest.Survey("kort", "0 9 2 11 *", 2*time.Hour)
	long := roundstest.Survey("lang", "0 9 2 11 *", 48*time.Hour)
	const shortRound, longRound = "kort-20261102-0900", "lang-20261102-0900"
	st := storage.New(srv.Client(t))
	store := &endFailing{Store: st, failAt: 3}
	svc := rounds.New(rounds.Config{Location: loc, Batch: 100}, store, surveys.NewCatalog([]*surveys.Survey{short, long}),
		roundstest.New(), nil)
	var pids []string
	for i := range 600 {
		pids = append(pids, fmt.Sprintf("p%04d", i))
	}
	roundstest.Consent(t, st, start, pids...)
	if err := svc.Advance(ctx, start); err != nil {
		t.Fatal(err)
	}
	for i, pid := range pids {
		for _, rid := range []string{shortRound, longRound} {
			if err := st.SaveSession(ctx, rid, pid, &storage.Session{Pos: 1}, 60*24*time.Hour); err != nil {
				t.Fatal(err)
			}
		}
		if i%2 == 0 {
			roundstest.Answer(t, st, shortRound, pid, surveys.Profile{})
		}
	}
	// a member who blocked the bot since: no longer active, still a member
	if err := st.Deactivate(ctx, pids[0]); err != nil {
		t.Fatal(err)
	}
	sessions := func(rid string) int {
		t.Helper()
		keys, err := st.Client().Keys(ctx, "pb:{r:"+rid+"}:s:*").Result()
		if err != nil {
			t.Fatal(err)
		}
		return len(keys)
	}

	closes := start.Add(2 * time.Hour)
	if err := svc.Advance(ctx, closes); !errors.Is(err, errEndSessions) {
		t.Fatalf("pass with the third batch failing: got %v, want %v", err, errEndSessions)
	}
	left := sessions(shortRound)
	if left == 0 || left == len(pids) {
		t.Errorf("sessions after a pass cut short: got %d, want some of %d deleted", left, len(pids))
	}
	if r, err := st.Round(ctx, shortRound); err != nil || !r.SessionsEnded.IsZero() || r.State != storage.Closed {
		t.Errorf("round after a pass cut short: got %+v, %v; want closed, sessions not marked ended", r, err)
	}
	if err := svc.Advance(ctx, closes.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if n := sessions(shortRound); n != 0 {
		t.Errorf("sessions of the closed round: got %d, want 0", n)
	}
	if n := sessions(longRound); n != len(pids) {
		t.Errorf("sessions of the open round: got %d, want %d", n, len(pids))
	}
	r, err := st.Round(ctx, shortRound)
	if err != nil || !r.SessionsEnded.Equal(closes.Add(time.Minute)) || r.State != storage.Published {
		t.Errorf("round: got %+v, %v; want published with its sessions ended at %v", r, err, closes.Add(time.Minute))
	}
	calls := store.calls
	if err := svc.Advance(ctx, closes.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if store.calls != calls {
		t.Errorf("sessions ended again: %d more calls, want none", store.calls-calls)
	}
	// the answers stay for the results and the bewaartermijn
	if a, err := st.Answers(ctx, shortRound, pids[0]); err != nil || len(a) == 0 {
		t.Errorf("answers of %s after the close: got %v, %v; want kept", pids[0], a, err)
	}
}

// countingStore counts the rounds whose counts are read (Tallies).
type countingStore struct {
	rounds.Store
	tallies int
}

func (s *countingStore) Tallies(ctx context.Context, rid string) (map[string]int64, error) {
	s.tallies++
	return s.Store.Tallies(ctx, rid)
}

// TestListLiveRounds: rounds whose bewaartermijn ended are purged and leave the list;
// List reads as many rounds with 50 purged rounds behind it as with none. A purged
// round can still be loaded by id, with its counts, and is in the Archive.
func TestListLiveRounds(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	loc := roundstest.Amsterdam(t)
	start := time.Date(2026, time.November, 2, 9, 0, 0, 0, loc)
	sv := roundstest.Survey("peiling", "0 9 1 1 *", time.Hour)
	sv.Bewaartermijn = 1
	for _, purged := range []int{0, 50} {
		t.Run(fmt.Sprintf("%d purged", purged), func(t *testing.T) {
			srv.Flush(t)
			store := &countingStore{Store: storage.New(srv.Client(t))}
			svc := rounds.New(rounds.Config{Location: loc}, store, surveys.NewCatalog([]*surveys.Survey{sv}), roundstest.New(), nil)
			at := start
			var old []string
			for range purged {
				r, err := svc.Open(ctx, sv, at)
				if err != nil {
					t.Fatal(err)
				}
				if err := svc.Close(ctx, r.ID, at); err != nil {
					t.Fatal(err)
				}
				old = append(old, r.ID)
				at = at.Add(time.Minute)
			}
			// published, then purged a month later
			for _, now := range []time.Time{at, at.AddDate(0, 1, 1)} {
				if err := svc.Advance(ctx, now); err != nil {
					t.Fatal(err)
				}
			}
			later := at.AddDate(0, 1, 2)
			var want []string
			for i := range 5 {
				r, err := svc.Open(ctx, sv, later.Add(time.Duration(i)*time.Minute))
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, r.ID)
			}
			store.tallies = 0
			list, err := svc.List(ctx, later)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range list {
				got = append(got, s.ID)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("list: got %v, want %v", got, want)
			}
			if store.tallies != 5 {
				t.Errorf("rounds read: got %d, want 5, however many were purged", store.tallies)
			}
			archive, err := svc.Archive(ctx, later)
			if err != nil {
				t.Fatal(err)
			}
			if len(archive) != purged+5 {
				t.Errorf("archive: got %d rounds, want %d", len(archive), purged+5)
			}
			for _, rid := range old {
				r, err := svc.Round(ctx, rid)
				if err != nil || r.PurgedAt.IsZero() {
					t.Fatalf("purged round %s: got %+v, %v", rid, r, err)
				}
				if _, err := svc.Summarize(ctx, r, later); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
