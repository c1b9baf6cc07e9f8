package telegram_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/telegram"
	"github.com/participatiebot/participatiebot/bot/telegram/telegramtest"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testwait"
	"github.com/participatiebot/participatiebot/storage"
)

// cutStore is a replica's view of the store, which the test can cut off from Redis
// while it holds the poll lease: it can neither renew nor release it.
type cutStore struct {
	*storage.Store
	cut atomic.Bool
}

func (c *cutStore) Lease(ctx context.Context, name, owner string, ttl time.Duration) (int64, error) {
	if c.cut.Load() {
		return 0, errors.New("cut off")
	}
	return c.Store.Lease(ctx, name, owner, ttl)
}

func (c *cutStore) ReleaseLease(ctx context.Context, name, owner string) error {
	if c.cut.Load() {
		return errors.New("cut off")
	}
	return c.Store.ReleaseLease(ctx, name, owner)
}

// seenBy records which replica handled which update.
type seenBy struct {
	mu   sync.Mutex
	seen map[string][]string // update id → replicas, in order
}

func (s *seenBy) handler(replica string) bot.Handler {
	return handlerFunc(func(_ context.Context, ev bot.Event) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.seen[ev.UpdateID] = append(s.seen[ev.UpdateID], replica)
		return nil
	})
}

func (s *seenBy) of(id int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seen[strconv.Itoa(id)]...)
}

// TestPollLease: two replicas poll one bot under the lease. Only the holder polls, so
// Telegram never answers 409; when the holder is cut off from Redis it stops polling
// before the other takes over, and the resident's next update is handled there.
// An update the cut-off holder handled but had not confirmed comes again to the new
// holder, which the engine recognises by its update_id (bot.Redelivery); none other
// is seen twice.
func TestPollLease(t *testing.T) {
	const uid = 506
	const ttl = 1500 * time.Millisecond
	srv := telegramtest.NewServer(t, testToken)
	rs := redistest.Start(t)
	seen := &seenBy{seen: map[string][]string{}}
	stores := map[string]*cutStore{}
	for _, name := range []string{"r1", "r2"} {
		st := &cutStore{Store: storage.New(rs.Client(t))}
		stores[name] = st
		ch, err := telegram.New(telegram.Config{Token: testToken, APIEndpoint: srv.Endpoint(), PollTimeout: time.Second,
			Lease: st, Replica: name, LeaseTTL: ttl}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		run(t, ch, seen.handler(name))
	}
	holder := func() string {
		owner, _, err := storage.New(rs.Client(t)).LeaseHolder(context.Background(), telegram.PollLease)
		if err != nil {
			t.Fatal(err)
		}
		return owner
	}
	first := srv.SendText(uid, "/start")
	var h1 string
	testwait.Until(t, 5*time.Second, "the first update handled", func() (bool, string) {
		h1 = holder()
		got := seen.of(first)
		return len(got) == 1, fmt.Sprintf("holder %q, handled by %v", h1, got)
	})
	if got := seen.of(first); got[0] != h1 {
		t.Errorf("update %d handled by %v, want the holder %s", first, got, h1)
	}

	stores[h1].cut.Store(true)
	cutAt := time.Now()
	var h2 string
	testwait.Until(t, 3*ttl, "another holder", func() (bool, string) {
		h2 = holder()
		return h2 != "" && h2 != h1, fmt.Sprintf("holder %q", h2)
	})
	next := srv.SendText(uid, "Meer groen in de wijk")
	testwait.Until(t, 5*time.Second, "the next update handled by the new holder", func() (bool, string) {
		got := seen.of(next)
		return len(got) == 1 && got[0] == h2, fmt.Sprintf("handled by %v", got)
	})
	t.Logf("takeover %s after the cut", time.Since(cutAt).Round(time.Millisecond))

	// the first update may come again to the new holder (not yet confirmed by the
	// old one's next poll); no update is seen twice by one replica
	if got := seen.of(first); len(got) > 2 || len(got) == 2 && got[1] != h2 {
		t.Errorf("update %d handled by %v, want %s and at most once more by %s", first, got, h1, h2)
	}
	if got := seen.of(next); len(got) != 1 {
		t.Errorf("update %d handled by %v, want once", next, got)
	}
	for _, c := range srv.Calls("getUpdates") {
		if c.Status == http.StatusConflict {
			t.Errorf("getUpdates answered 409: %s", c.Description)
		}
	}
	if v := srv.Violations(); len(v) != 0 {
		t.Errorf("violations: %v", v)
	}
}

// TestPollLeaseHandover: at a clean stop the holder gives the lease up and the other
// replica polls at once, from where Telegram's offset stands.
func TestPollLeaseHandover(t *testing.T) {
	const uid = 507
	srv := telegramtest.NewServer(t, testToken)
	rs := redistest.Start(t)
	seen := &seenBy{seen: map[string][]string{}}
	newReplica := func(name string) *telegram.Channel {
		ch, err := telegram.New(telegram.Config{Token: testToken, APIEndpoint: srv.Endpoint(), PollTimeout: time.Second,
			Lease: storage.New(rs.Client(t)), Replica: name, LeaseTTL: 3 * time.Second}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		return ch
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- newReplica("r1").Run(ctx, seen.handler("r1")) }()
	first := srv.SendText(uid, "/start")
	testwait.For(t, 5*time.Second, "r1 handles the first update", func() bool { return len(seen.of(first)) == 1 })
	run(t, newReplica("r2"), seen.handler("r2"))
	stop()
	if err := <-done; err != nil {
		t.Fatalf("r1: Run: %v", err)
	}
	next := srv.SendText(uid, "hallo")
	testwait.Until(t, 10*time.Second, "r2 handles the next update", func() (bool, string) {
		got := seen.of(next)
		return len(got) == 1 && got[0] == "r2", fmt.Sprintf("handled by %v", got)
	})
	for _, c := range srv.Calls("getUpdates") {
		if c.Status == http.StatusConflict {
			t.Errorf("getUpdates answered 409: %s", c.Description)
		}
	}
}
