package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/lease/leasetest"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/rounds/roundstest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/redis/go-redis/v9"
)

// cutStore is a replica's store whose lease calls can be cut off from Redis, as for
// a replica that crashed or lost its network while it led.
type cutStore struct {
	*leasetest.CutOff
	sub *storage.Store
}

func (c *cutStore) Subscribe(ctx context.Context) *redis.PubSub { return c.sub.Subscribe(ctx) }

// TestLeaderFailover runs two replicas on one Redis: only the lease holder's passes do
// any work, and when it is cut off the other takes over within the lease's lifetime
// and a third, starting with a pass, and does what is due exactly once.
func TestLeaderFailover(t *testing.T) {
	loc := amsterdam(t)
	srv := redistest.Start(t)
	store := storage.New(srv.Client(t))
	ctx := context.Background()
	slot := time.Date(2026, 12, 1, 9, 0, 0, 0, loc)
	clk := roundstest.NewClock(slot)
	catalog := surveys.NewCatalog([]*surveys.Survey{survey("peiling", "0 9 * * *", 2*time.Hour)})
	roundstest.Consent(t, store, slot, "p1", "p2")
	const ttl = 1500 * time.Millisecond
	type replica struct {
		s     *Scheduler
		n     *roundstest.Messenger
		store *cutStore
	}
	start := func(name string) *replica {
		n := roundstest.New()
		st := &cutStore{CutOff: &leasetest.CutOff{Store: store}, sub: store}
		s := New(Config{Location: loc, Now: clk.Now, Replica: name}, st, rounds.New(rounds.Config{Location: loc}, store, catalog, n, nil), nil)
		s.leaseTTL = ttl
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- s.Run(rctx) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("run of %s: %v", name, err)
			}
		})
		return &replica{s, n, st}
	}
	state := func(rid string) storage.State {
		r, err := store.Round(ctx, rid)
		if err != nil {
			return ""
		}
		return r.State
	}
	const day1, day2 = "peiling-20261201-0900", "peiling-20261202-0900"
	a, b := start("a"), start("b")
	var leader, other *replica
	testwait.Until(t, 5*time.Second, "one leader to open the round and invite", func() (bool, string) {
		leader, other = a, b
		if b.s.Leading() {
			leader, other = b, a
		}
		return state(day1) == storage.Opened && len(leader.n.Counts(roundstest.Invites)) == 2,
			fmt.Sprintf("state %q, a leads %v, b leads %v", state(day1), a.s.Leading(), b.s.Leading())
	})
	if other.s.Leading() {
		t.Fatalf("both replicas lead")
	}
	if got := other.n.Counts(roundstest.Invites); len(got) != 0 {
		t.Errorf("invitations by the other replica: got %v, want none", got)
	}

	// the leader is cut off; the round's close comes meanwhile
	leader.store.Cut.Store(true)
	cutAt := time.Now()
	// the cut-off leader may still act while its lease lasts (its fencing token is
	// good until then): the close comes once it knows it lost the lease, so that
	// the test says who does it
	testwait.For(t, 2*ttl+time.Second, "the cut-off leader to step down", func() bool { return !leader.s.Leading() })
	clk.Set(slot.Add(2 * time.Hour))
	testwait.Until(t, 10*time.Second, "the other replica to take over and publish", func() (bool, string) {
		return state(day1) == storage.Published, fmt.Sprintf("state %q, other leads %v", state(day1), other.s.Leading())
	})
	if d := time.Since(cutAt); d > ttl+ttl/3+time.Second {
		t.Errorf("failover took %s, want at most the lease (%s) and a third", d, ttl)
	}
	if leader.s.Leading() {
		t.Errorf("the cut-off leader still leads")
	}
	if got, want := other.n.Counts(roundstest.Stuurgroep)[day1], 1; got != want {
		t.Errorf("stuurgroep by the new leader: got %d, want %d", got, want)
	}

	// the old leader comes back: it waits its turn; the next day is the new leader's
	leader.store.Cut.Store(false)
	clk.Set(slot.AddDate(0, 0, 1))
	if err := store.Notify(ctx, "rounds"); err != nil {
		t.Fatal(err)
	}
	testwait.For(t, 5*time.Second, "the new leader to open day 2", func() bool { return state(day2) == storage.Opened })
	if got := leader.n.Counts(roundstest.Stuurgroep); len(got) != 0 {
		t.Errorf("stuurgroep by the old leader: got %v, want none", got)
	}
	if got := leader.n.Counts(roundstest.Invites)[day2+"/p1"]; got != 0 {
		t.Errorf("invitations of day 2 by the old leader: got %d, want none", got)
	}
}

// TestFencing: a leader that was frozen past its lease wakes up with its old token and
// runs a pass after its successor moved the round: the pass is refused (ErrFenced)
// and changes nothing; writes without a token (the CLI) are not fenced.
func TestFencing(t *testing.T) {
	loc := amsterdam(t)
	slot := time.Date(2026, 12, 1, 9, 0, 0, 0, loc)
	e := newEnv(t, nil, slot, []*surveys.Survey{survey("peiling", "0 9 * * *", 2*time.Hour)}, "p1")
	const rid = "peiling-20261201-0900"
	old, err := e.store.Lease(e.ctx, leaseName, "a", time.Second)
	if err != nil || old == 0 {
		t.Fatalf("lease for a: %d %v", old, err)
	}
	if err := e.sched.Reconcile(storage.WithFence(e.ctx, old)); err != nil {
		t.Fatal(err)
	}
	if err := e.store.ReleaseLease(e.ctx, leaseName, "a"); err != nil { // as if it ran out
		t.Fatal(err)
	}
	newer, err := e.store.Lease(e.ctx, leaseName, "b", time.Second)
	if err != nil || newer <= old {
		t.Fatalf("lease for b: %d %v, want a token above %d", newer, err, old)
	}
	e.clock.Set(slot.Add(2 * time.Hour))
	if ok, err := e.store.Transition(storage.WithFence(e.ctx, newer), rid, storage.Opened, storage.Closed, e.clock.Now()); err != nil || !ok {
		t.Fatalf("close by the new leader: %v %v", ok, err)
	}
	err = e.sched.Reconcile(storage.WithFence(e.ctx, old))
	if !errors.Is(err, storage.ErrFenced) {
		t.Errorf("pass of the old leader: got %v, want ErrFenced", err)
	}
	if r, _ := e.store.Round(e.ctx, rid); r.State != storage.Closed {
		t.Errorf("state after the old leader's pass: got %q, want %q", r.State, storage.Closed)
	}
	if got := e.notify.Counts(roundstest.Stuurgroep)[rid]; got != 0 {
		t.Errorf("results sent by the old leader: got %d, want none", got)
	}
	// the new leader's pass, and a write without a token, go through
	if err := e.sched.Reconcile(storage.WithFence(e.ctx, newer)); err != nil {
		t.Fatal(err)
	}
	if r, _ := e.store.Round(e.ctx, rid); r.State != storage.Published {
		t.Errorf("state after the new leader's pass: got %q, want %q", r.State, storage.Published)
	}
	if _, err := e.store.MarkReminder(e.ctx, rid, 9, e.clock.Now()); err != nil {
		t.Errorf("a write without a token: %v", err)
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
