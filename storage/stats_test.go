package storage_test

import (
	"context"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
)

// TestOutboxStats: depth counts every queued message of a queue, Oldest is the
// earliest due time of a message nobody holds (a claimed one is a lease ahead), and
// Dead counts the dead letters; another channel's outbox is not counted.
func TestOutboxStats(t *testing.T) {
	st, _, _ := obStores(t)
	ctx := context.Background()
	now := time.UnixMilli(1_800_000_000_000)

	got, err := st.OutboxStats(ctx, "telegram")
	if err != nil {
		t.Fatal(err)
	}
	if got != (storage.OutboxStats{}) {
		t.Fatalf("empty outbox: got %+v, want zero", got)
	}

	entries := []storage.OutboxEntry{
		{Payload: []byte("r1"), Due: now.Add(-3 * time.Second)},
		{Payload: []byte("r2"), Due: now.Add(-time.Second)},
		{Payload: []byte("r3"), Due: now.Add(time.Hour)},
		{Payload: []byte("b1"), Due: now.Add(-time.Minute), Bulk: true},
		{Payload: []byte("b2"), Due: now.Add(-time.Minute), Bulk: true},
	}
	if _, err := st.EnqueueBatch(ctx, "telegram", entries); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Enqueue(ctx, "discord", []byte("elsewhere"), now, "", 0); err != nil {
		t.Fatal(err)
	}
	// one reply claimed (r1, the earliest) and one bulk message buried
	items, err := st.ClaimEach(ctx, "telegram", now, time.Minute, 1, 1, 2)
	if err != nil || len(items) != 2 {
		t.Fatalf("claim: got %d items, %v; want 2", len(items), err)
	}
	if err := st.Bury(ctx, "telegram", items[1].ID, now, "test", storage.DeadKeep{}); err != nil {
		t.Fatal(err)
	}

	got, err = st.OutboxStats(ctx, "telegram")
	if err != nil {
		t.Fatal(err)
	}
	want := storage.OutboxStats{
		Replies: storage.QueueStats{Depth: 3, Oldest: now.Add(-time.Second)}, // r1 is held a lease ahead
		Bulk:    storage.QueueStats{Depth: 1, Oldest: now.Add(-time.Minute)},
		Dead:    1,
	}
	if !got.Replies.Oldest.Equal(want.Replies.Oldest) || !got.Bulk.Oldest.Equal(want.Bulk.Oldest) ||
		got.Replies.Depth != want.Replies.Depth || got.Bulk.Depth != want.Bulk.Depth || got.Dead != want.Dead {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if d := got.Replies.Overdue(now); d != time.Second {
		t.Errorf("replies overdue: got %s, want 1s", d)
	}
	if d := (storage.QueueStats{Depth: 1, Oldest: now.Add(time.Hour)}).Overdue(now); d != 0 {
		t.Errorf("a queue due later: got overdue %s, want 0", d)
	}
	if d := (storage.QueueStats{}).Overdue(now); d != 0 {
		t.Errorf("an empty queue: got overdue %s, want 0", d)
	}
}

// TestRoundStates counts the live rounds by state, also before the live index was
// built, and leaves retired rounds out.
func TestRoundStates(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	st := storage.New(rdb)
	ctx := context.Background()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	steps := []storage.State{storage.Opened, storage.Closed, storage.Published, storage.Decided}
	// round i takes min(i, 4) steps: r-0 scheduled, r-1 open, r-2 closed, r-3
	// published, r-4 to r-6 decided
	for i := range 7 {
		rid := fmt.Sprintf("r-%d", i)
		if _, err := st.CreateRound(ctx, &storage.Round{ID: rid, Survey: "s", OpensAt: start, ClosesAt: start.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		from := storage.Scheduled
		for _, to := range steps[:min(i, 4)] {
			if _, err := st.Transition(ctx, rid, from, to, start); err != nil {
				t.Fatal(err)
			}
			from = to
		}
	}
	// the first count builds the live index (a store from before it: every round
	// not purged), as Rounds does
	want := map[storage.State]int{storage.Scheduled: 1, storage.Opened: 1, storage.Closed: 1, storage.Published: 1, storage.Decided: 3}
	got, err := st.RoundStates(ctx)
	if err != nil || !maps.Equal(got, want) {
		t.Errorf("got %v %v, want %v", got, err, want)
	}
	if err := st.RetireRound(ctx, "r-6"); err != nil {
		t.Fatal(err)
	}
	want[storage.Decided]--
	if got, err = st.RoundStates(ctx); err != nil || !maps.Equal(got, want) {
		t.Errorf("r-6 retired: got %v %v, want %v", got, err, want)
	}
}
