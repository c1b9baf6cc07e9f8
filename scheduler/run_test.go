package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/rounds/roundstest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestLead checks the lock itself: free → taken, held → refused, renewed by its holder,
// and free again once the lease runs out.
func TestLead(t *testing.T) {
	srv := redistest.Start(t)
	store := storage.New(srv.Client(t))
	ctx := context.Background()
	const ttl = 200 * time.Millisecond
	steps := []struct {
		name    string
		replica string
		want    bool
	}{
		{"free lock is taken", "a", true},
		{"held lock is refused", "b", false},
		{"holder renews", "a", true},
		{"still refused", "b", false},
	}
	for _, s := range steps {
		got, err := store.Lead(ctx, s.replica, ttl)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got != s.want {
			t.Errorf("%s: got %v, want %v", s.name, got, s.want)
		}
	}
	testwait.For(t, 5*time.Second, "b to take over an expired lease", func() bool {
		ok, err := store.Lead(ctx, "b", ttl)
		return err == nil && ok
	})
	if ok, err := store.Lead(ctx, "a", ttl); err != nil || ok {
		t.Errorf("a after the takeover: got %v %v, want false <nil>", ok, err)
	}
}

// TestLeaderPass runs two replicas on one Redis: only the lock holder's pass does any
// work, and when its lease runs out (it stopped renewing) the other takes over.
func TestLeaderPass(t *testing.T) {
	loc := amsterdam(t)
	srv := redistest.Start(t)
	store := storage.New(srv.Client(t))
	ctx := context.Background()
	slot := time.Date(2026, 12, 1, 9, 0, 0, 0, loc)
	clk := roundstest.NewClock(slot)
	catalog := surveys.NewCatalog([]*surveys.Survey{survey("peiling", "0 9 * * *", 2*time.Hour)})
	for _, pid := range []string{"p1", "p2"} {
		if err := store.SaveConsent(ctx, &storage.Participant{ID: pid, Channel: "telegram", ChatID: pid,
			ConsentVersion: "v1", ConsentAt: slot}); err != nil {
			t.Fatal(err)
		}
	}
	replica := func(name string) (*Scheduler, *roundstest.Messenger) {
		n := roundstest.New()
		s := New(Config{Location: loc, Now: clk.Now, Replica: name}, store, rounds.New(rounds.Config{Location: loc}, store, catalog, n, nil), nil)
		s.leaseTTL = time.Second
		return s, n
	}
	a, na := replica("a")
	b, nb := replica("b")
	pass := func(s *Scheduler) {
		t.Helper()
		if err := s.pass(ctx); err != nil {
			t.Fatalf("pass of %s: %v", s.cfg.Replica, err)
		}
	}
	state := func(rid string) storage.State {
		t.Helper()
		r, err := store.Round(ctx, rid)
		if err != nil {
			return ""
		}
		return r.State
	}
	const day1, day2 = "peiling-20261201-0900", "peiling-20261202-0900"

	if a.Leading() {
		t.Error("a before its first pass: got leading, want not")
	}
	pass(a)
	pass(b)
	if !a.Leading() || b.Leading() {
		t.Errorf("leading after the first passes: got a %v, b %v; want a only", a.Leading(), b.Leading())
	}
	if got := len(na.Counts(roundstest.Invites)); got != 2 {
		t.Errorf("invitations by the leader: got %d, want 2", got)
	}
	if got := nb.Counts(roundstest.Invites); len(got) != 0 {
		t.Errorf("invitations by the other replica: got %v, want none", got)
	}

	clk.Set(slot.Add(2 * time.Hour))
	pass(b)
	if got := state(day1); got != storage.Opened {
		t.Fatalf("after a pass of the other replica at the close: got %v, want %v", got, storage.Opened)
	}
	// a stops renewing (it crashed): b's passes take over once the lease runs out.
	testwait.For(t, 5*time.Second, "b to take over and publish", func() bool {
		pass(b)
		return state(day1) == storage.Published
	})
	if got, want := nb.Counts(roundstest.Stuurgroep)[day1], 1; got != want {
		t.Errorf("stuurgroep by the new leader: got %d, want %d", got, want)
	}

	clk.Set(slot.AddDate(0, 0, 1))
	pass(a)
	if a.Leading() || !b.Leading() {
		t.Errorf("leading after the takeover: got a %v, b %v; want b only", a.Leading(), b.Leading())
	}
	if got := state(day2); got != "" {
		t.Errorf("round of day 2 after a pass of the old leader: got %q, want none", got)
	}
	pass(b)
	if got := state(day2); got != storage.Opened {
		t.Errorf("round of day 2 after a pass of the new leader: got %v, want %v", got, storage.Opened)
	}
	if got := na.Counts(roundstest.Stuurgroep); len(got) != 0 {
		t.Errorf("stuurgroep by the old leader: got %v, want none", got)
	}
}

// startRun runs e.sched.Run until the test stops it; stop cancels and returns Run's error.
func startRun(t *testing.T, e *env) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.sched.Run(ctx) }()
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(5 * time.Second):
			return fmt.Errorf("run did not return after cancel")
		}
	}
	t.Cleanup(func() { _ = stop() })
	// Run has subscribed and its first pass has read the clock.
	testwait.For(t, 5*time.Second, "run to subscribe and pass", func() bool {
		n, err := e.store.Client().PubSubNumSub(context.Background(), storage.EventsChannel).Result()
		return err == nil && n[storage.EventsChannel] >= 1 && e.clock.Reads() >= 1
	})
	return stop
}

// TestRunWakesOnEvent: a CLI event on the pub/sub channel makes Run pass at once,
// without waiting for the minute tick; cancelling ctx ends Run with nil.
func TestRunWakesOnEvent(t *testing.T) {
	loc := amsterdam(t)
	slot := time.Date(2026, 12, 1, 9, 0, 0, 0, loc)
	e := newEnv(t, nil, slot.Add(-time.Minute), []*surveys.Survey{survey("peiling", "0 9 * * *", 2*time.Hour)}, "p1", "p2")
	stop := startRun(t, e)
	if got := e.roundIDs(t); len(got) != 0 {
		t.Fatalf("rounds before the slot: got %v, want none", got)
	}
	const rid = "peiling-20261201-0900"
	e.clock.Set(slot)
	if err := e.store.Notify(e.ctx, "rounds"); err != nil {
		t.Fatal(err)
	}
	testwait.For(t, 5*time.Second, "the round to open", func() bool {
		r, err := e.store.Round(e.ctx, rid)
		return err == nil && r.State == storage.Opened && r.InvitesDone
	})
	if got := e.notify.Counts(roundstest.Invites); got[rid+"/p1"] != 1 || got[rid+"/p2"] != 1 {
		t.Errorf("invitations: got %v, want one each for p1 and p2", got)
	}
	if err := stop(); err != nil {
		t.Errorf("run: got %v, want <nil>", err)
	}
}

// TestRunSurvivesPanic: a panicking Notifier is logged as an error and the next pass
// (here woken by an event) finishes the work; Run keeps going.
func TestRunSurvivesPanic(t *testing.T) {
	loc := amsterdam(t)
	slot := time.Date(2026, 12, 1, 9, 0, 0, 0, loc)
	e := newEnv(t, nil, slot, []*surveys.Survey{survey("peiling", "0 9 * * *", 2*time.Hour)}, "p1")
	e.notify.Set(func(f *roundstest.Messenger) { f.PanicInvite = true })
	stop := startRun(t, e)
	testwait.For(t, 5*time.Second, "the panic to be logged", func() bool {
		for _, rec := range e.logs.Records(t, "scheduler pass") {
			if rec["level"] == slog.LevelError.String() &&
				strings.Contains(fmt.Sprint(rec["err"]), "panicked: notifier exploded") {
				return true
			}
		}
		return false
	})
	e.notify.Set(func(f *roundstest.Messenger) { f.PanicInvite = false })
	if err := e.store.Notify(e.ctx, "retry"); err != nil {
		t.Fatal(err)
	}
	const rid = "peiling-20261201-0900"
	testwait.For(t, 5*time.Second, "the invitations after the panic", func() bool {
		r, err := e.store.Round(e.ctx, rid)
		return err == nil && r.InvitesDone
	})
	if got := e.notify.Counts(roundstest.Invites)[rid+"/p1"]; got != 1 {
		t.Errorf("invitations: got %d, want 1", got)
	}
	if err := stop(); err != nil {
		t.Errorf("run: got %v, want <nil>", err)
	}
}
