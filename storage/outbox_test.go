package storage_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/redis/go-redis/v9"
)

// obStores are two Stores (two senders, as two processes) on one private Redis.
func obStores(t *testing.T) (a, b *storage.Store, rdb *redis.Client) {
	t.Helper()
	rdb = redistest.Start(t).Client(t)
	return storage.New(rdb), storage.New(rdb), rdb
}

func obIDs(items []storage.OutboxItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, string(it.Payload))
	}
	return out
}

// A batch queues every entry once per dedupe key, also across the pipelines and script
// calls it is cut into, and keeps the order of the slice.
func TestEnqueueBatch(t *testing.T) {
	st, _, _ := obStores(t)
	ctx := context.Background()
	now := time.Unix(1_800_000_000, 0)
	const n = 2345 // three pipelines, the last one short
	var entries []storage.OutboxEntry
	for i := range n {
		key := fmt.Sprintf("inv:r1:%d", i%2000) // the last 345 repeat earlier keys
		entries = append(entries, storage.OutboxEntry{Payload: []byte(fmt.Sprint(i)), Due: now, Dedupe: key, Bulk: true})
	}
	queued, err := st.EnqueueBatch(ctx, "telegram", entries)
	if err != nil {
		t.Fatal(err)
	}
	if len(queued) != n {
		t.Fatalf("got %d results, want %d", len(queued), n)
	}
	for i, q := range queued {
		if want := i < 2000; q != want {
			t.Fatalf("entry %d: got queued %v, want %v", i, q, want)
		}
	}
	again, err := st.EnqueueBatch(ctx, "telegram", entries[:3])
	if err != nil || slices.Contains(again, true) {
		t.Errorf("posted again: got %v %v, want all refused", again, err)
	}
	items, err := st.Claim(ctx, "telegram", now, time.Minute, 5000)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2000 || string(items[0].Payload) != "0" || string(items[1999].Payload) != "1999" || !items[0].Bulk {
		t.Errorf("claim: got %d items (first %q, bulk %v), want 2000 bulk items in order", len(items), items[0].Payload, items[0].Bulk)
	}
}

// A dedupe key lives as long as the caller says, by default DedupeTTL (a week, not months).
func TestEnqueueDedupeLifetime(t *testing.T) {
	tests := []struct {
		name string
		keep time.Duration
		want time.Duration
	}{
		{name: "default", want: storage.DedupeTTL},
		{name: "a reply", keep: 48 * time.Hour, want: 48 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _, rdb := obStores(t)
			ctx := context.Background()
			if _, err := st.Enqueue(ctx, "telegram", []byte("x"), time.Now(), "k:"+tt.name, tt.keep); err != nil {
				t.Fatal(err)
			}
			keys := rdb.Keys(ctx, "pb:{ob:telegram}:d:*").Val()
			if len(keys) != 1 {
				t.Fatalf("got dedupe keys %q, want one", keys)
			}
			ttl := rdb.TTL(ctx, keys[0]).Val()
			if ttl > tt.want || ttl < tt.want-time.Minute {
				t.Errorf("got ttl %s, want %s", ttl, tt.want)
			}
			if storage.DedupeTTL > 8*24*time.Hour {
				t.Errorf("got default %s, want at most a week and a day", storage.DedupeTTL)
			}
		})
	}
}

// Claim takes due replies before due bulk, within each queue's bound.
func TestClaimRepliesFirst(t *testing.T) {
	st, _, _ := obStores(t)
	ctx := context.Background()
	now := time.Unix(1_800_000_000, 0)
	var entries []storage.OutboxEntry
	for i := range 4 {
		entries = append(entries, storage.OutboxEntry{Payload: []byte(fmt.Sprint("b", i)), Due: now.Add(-time.Minute), Bulk: true})
	}
	for i := range 3 {
		entries = append(entries, storage.OutboxEntry{Payload: []byte(fmt.Sprint("r", i)), Due: now})
	}
	entries = append(entries, storage.OutboxEntry{Payload: []byte("later"), Due: now.Add(time.Hour)})
	if _, err := st.EnqueueBatch(ctx, "telegram", entries); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name                 string
		replies, bulk, total int
		want                 []string
	}{
		{name: "total bound", replies: 10, bulk: 10, total: 4, want: []string{"r0", "r1", "r2", "b0"}},
		{name: "bulk bound", replies: 10, bulk: 1, total: 10, want: []string{"b1"}},
		{name: "no room for bulk", replies: 10, bulk: 0, total: 10, want: nil},
	}
	for _, tt := range tests {
		items, err := st.ClaimEach(ctx, "telegram", now, time.Minute, tt.replies, tt.bulk, tt.total)
		if err != nil {
			t.Fatal(err)
		}
		if got := obIDs(items); !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// Ack, Retry, Bury and Extend succeed only for the Store that holds the lease; the
// others change nothing: no dead letter for a message someone else holds, no attempt
// counted for it.
func TestOutboxLeaseOwner(t *testing.T) {
	a, b, rdb := obStores(t)
	ctx := context.Background()
	now := time.Unix(1_800_000_000, 0)
	for _, p := range []string{"m1", "m2"} {
		if _, err := a.Enqueue(ctx, "telegram", []byte(p), now, "", 0); err != nil {
			t.Fatal(err)
		}
	}
	held, err := a.Claim(ctx, "telegram", now, 10*time.Second, 10)
	if err != nil || len(held) != 2 {
		t.Fatalf("claim: got %d, %v; want 2", len(held), err)
	}
	m1, m2 := held[0].ID, held[1].ID
	snapshot := func() map[string]string { return rdb.HGetAll(ctx, "pb:{ob:telegram}:m").Val() }
	before := snapshot()

	// b holds nothing: every settle fails with ErrLeaseLost and leaves all as it was
	if err := b.Ack(ctx, "telegram", m1); !errors.Is(err, storage.ErrLeaseLost) {
		t.Errorf("ack by another: got %v, want ErrLeaseLost", err)
	}
	if err := b.Retry(ctx, "telegram", m1, now, true); !errors.Is(err, storage.ErrLeaseLost) {
		t.Errorf("retry by another: got %v, want ErrLeaseLost", err)
	}
	if err := b.Bury(ctx, "telegram", m1, now, "test", storage.DeadKeep{}); !errors.Is(err, storage.ErrLeaseLost) {
		t.Errorf("bury by another: got %v, want ErrLeaseLost", err)
	}
	if lost, err := b.Extend(ctx, "telegram", []string{m1}, now.Add(time.Hour)); err != nil || !slices.Equal(lost, []string{m1}) {
		t.Errorf("extend by another: got lost %q, %v; want [%s]", lost, err, m1)
	}
	if got := snapshot(); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Errorf("messages after the others' settles: got %v, want %v", got, before)
	}
	if dead, _ := a.DeadLetters(ctx, "telegram", 10); len(dead) != 0 {
		t.Errorf("got %d dead letters, want none", len(dead))
	}

	// the heartbeat keeps m1 held past its first lease; m2's lease runs out and b takes it
	if lost, err := a.Extend(ctx, "telegram", []string{m1}, now.Add(time.Minute)); err != nil || len(lost) != 0 {
		t.Fatalf("extend: got lost %q, %v; want none", lost, err)
	}
	taken, err := b.Claim(ctx, "telegram", now.Add(30*time.Second), 10*time.Second, 10)
	if err != nil || len(taken) != 1 || taken[0].ID != m2 {
		t.Fatalf("claim after m2's lease: got %+v, %v; want m2 only", taken, err)
	}
	// a's late settles of m2 fail; b's succeed
	if err := a.Bury(ctx, "telegram", m2, now, "late", storage.DeadKeep{}); !errors.Is(err, storage.ErrLeaseLost) {
		t.Errorf("late bury: got %v, want ErrLeaseLost", err)
	}
	if lost, err := a.AckMany(ctx, "telegram", []string{m1, m2}, false); err != nil || !slices.Equal(lost, []string{m2}) {
		t.Errorf("ack m1 and m2: got lost %q, %v; want [%s]", lost, err, m2)
	}
	if err := b.Ack(ctx, "telegram", m2); err != nil {
		t.Errorf("ack by the holder: %v", err)
	}
	if n, _ := a.OutboxLen(ctx, "telegram"); n != 0 {
		t.Errorf("got %d queued, want 0", n)
	}
	if got := snapshot(); len(got) != 0 {
		t.Errorf("got message fields %v left, want none (no orphan attempt counter)", got)
	}
}

// A retried message is no longer leased: it is due again at its new time, for anyone.
func TestOutboxRetryReleases(t *testing.T) {
	a, b, _ := obStores(t)
	ctx := context.Background()
	now := time.Unix(1_800_000_000, 0)
	if _, err := a.EnqueueBatch(ctx, "telegram", []storage.OutboxEntry{{Payload: []byte("x"), Due: now, Bulk: true}}); err != nil {
		t.Fatal(err)
	}
	items, _ := a.Claim(ctx, "telegram", now, time.Hour, 1)
	if err := a.Retry(ctx, "telegram", items[0].ID, now.Add(2*time.Second), true); err != nil {
		t.Fatal(err)
	}
	if err := a.Ack(ctx, "telegram", items[0].ID); !errors.Is(err, storage.ErrLeaseLost) {
		t.Errorf("ack after retry: got %v, want ErrLeaseLost", err)
	}
	got, err := b.Claim(ctx, "telegram", now.Add(2*time.Second), time.Minute, 1)
	if err != nil || len(got) != 1 || got[0].Attempts != 1 || !got[0].Bulk {
		t.Errorf("claim when due again: got %+v, %v; want it with 1 attempt, bulk", got, err)
	}
}

// Dead letters keep their reason and attempts, are trimmed by number and age, and go
// back to their own queue with RequeueDead.
func TestOutboxDeadLetters(t *testing.T) {
	st, _, rdb := obStores(t)
	ctx := context.Background()
	now := time.Unix(1_800_000_000, 0)
	keep := storage.DeadKeep{Age: time.Hour, Max: 3}
	bury := func(payload string, bulk bool, at time.Time) string {
		t.Helper()
		if _, err := st.EnqueueBatch(ctx, "telegram", []storage.OutboxEntry{{Payload: []byte(payload), Due: at, Bulk: bulk}}); err != nil {
			t.Fatal(err)
		}
		items, err := st.Claim(ctx, "telegram", at, time.Minute, 1)
		if err != nil || len(items) != 1 {
			t.Fatalf("claim: got %d, %v", len(items), err)
		}
		if err := st.Bury(ctx, "telegram", items[0].ID, at, "opgegeven: "+payload, keep); err != nil {
			t.Fatal(err)
		}
		return items[0].ID
	}
	old := bury("oud", false, now.Add(-2*time.Hour))
	var ids []string
	for i := range 4 {
		ids = append(ids, bury(fmt.Sprint("d", i), i == 3, now.Add(time.Duration(i)*time.Second)))
	}
	dead, err := st.DeadLetters(ctx, "telegram", 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range dead {
		got = append(got, fmt.Sprintf("%s %s %d %v %q", d.ID, d.Payload, d.Attempts, d.Bulk, d.Reason))
	}
	want := []string{
		ids[3] + ` d3 1 true "opgegeven: d3"`,
		ids[2] + ` d2 1 false "opgegeven: d2"`,
		ids[1] + ` d1 1 false "opgegeven: d1"`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("got dead letters\n%q\nwant (the old one and the oldest beyond 3 trimmed)\n%q", got, want)
	}
	if left := redistest.Find(t, rdb, old, ids[0]); len(left) != 0 {
		t.Errorf("trimmed letters left keys %q", left)
	}
	if f := rdb.HKeys(ctx, "pb:{ob:telegram}:dead:m").Val(); len(f) != 12 {
		t.Errorf("got %d dead letter fields, want 12 (four for each of three)", len(f))
	}
	if ch, _ := st.DeadChannels(ctx); !slices.Equal(ch, []string{"telegram"}) {
		t.Errorf("got channels %q, want [telegram]", ch)
	}

	if n, err := st.RequeueDead(ctx, "telegram", now, ids[3], "000000009999"); err != nil || n != 1 {
		t.Errorf("requeue: got %d, %v; want 1", n, err)
	}
	if n, err := st.RequeueAllDead(ctx, "telegram", now); err != nil || n != 2 {
		t.Errorf("requeue all: got %d, %v; want 2", n, err)
	}
	items, err := st.ClaimEach(ctx, "telegram", now, time.Minute, 10, 10, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := obIDs(items); !slices.Equal(got, []string{"d1", "d2", "d3"}) || items[0].Attempts != 0 || items[0].Bulk || !items[2].Bulk {
		t.Errorf("claimed after requeue: got %q %+v, want d1 d2 (replies) then d3 (bulk), no attempts", got, items)
	}
	if dead, _ := st.DeadLetters(ctx, "telegram", 10); len(dead) != 0 {
		t.Errorf("got %d dead letters after requeue, want none", len(dead))
	}
}

// TrimDead applies the bounds without a new burial.
func TestOutboxTrimDead(t *testing.T) {
	st, _, _ := obStores(t)
	ctx := context.Background()
	now := time.Unix(1_800_000_000, 0)
	for i := range 5 {
		at := now.Add(time.Duration(i) * time.Hour)
		st.Enqueue(ctx, "telegram", []byte("x"), at, "", 0)
		items, _ := st.Claim(ctx, "telegram", at, time.Minute, 1)
		if err := st.Bury(ctx, "telegram", items[0].ID, at, "r", storage.DeadKeep{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.TrimDead(ctx, "telegram", now.Add(4*time.Hour), storage.DeadKeep{Age: 90 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	dead, _ := st.DeadLetters(ctx, "telegram", 10)
	if len(dead) != 2 {
		t.Errorf("got %d dead letters, want the 2 of the last 90 minutes", len(dead))
	}
}
