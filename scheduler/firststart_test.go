package scheduler

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestNoDigestBeforeFirstStart: a service first started on 3 December sends no
// digest for November, which ended before anyone used it (within the catch-up
// week, the scheduler would otherwise); the digest of December goes out on 1
// January as usual.
func TestNoDigestBeforeFirstStart(t *testing.T) {
	loc := amsterdam(t)
	start := time.Date(2026, time.December, 3, 14, 0, 0, 0, loc)
	e := newEnv(t, nil, start, nil)
	first, err := e.store.FirstStart(e.ctx, start)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(e.logs, nil))
	svc := rounds.New(rounds.Config{Location: loc}, e.store, surveys.NewCatalog(nil), e.notify, log)
	e.sched = New(Config{Location: loc, Now: e.clock.Now, Replica: "test", DigestSince: first}, e.store, svc, log)

	e.reconcileAt(t, start)
	e.reconcileAt(t, start.Add(24*time.Hour))
	if n := len(e.notify.Digests); n != 0 {
		t.Fatalf("before the first start: got %d digests (%s), want none", n, e.notify.Digests[0].Period)
	}
	if strings.Contains(e.logs.String(), "digest queued") {
		t.Errorf("the log says a digest was queued")
	}
	e.reconcileAt(t, time.Date(2027, time.January, 1, 9, 0, 0, 0, loc))
	if n := len(e.notify.Digests); n != 1 || e.notify.Digests[0].Period != "2027-01-01T09:00" {
		t.Fatalf("digest of December: got %d digests, want the one of 1 January", n)
	}
}
