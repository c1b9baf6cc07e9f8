package rounds_test

import (
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/rounds/roundstest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestDSTNights steps the clock minute by minute through both DST nights, calling
// Reconcile each minute: every wall-clock slot makes exactly one round, which opens
// once (at the instant wanted), invites each participant once and publishes once.
func TestDSTNights(t *testing.T) {
	loc := amsterdam(t)
	srv := redistest.Start(t)
	spring := func(h, m int) time.Time { return time.Date(2026, 3, 29, h, m, 0, 0, loc) }
	fall := func(h, m int) time.Time { return time.Date(2026, 10, 25, h, m, 0, 0, loc) }
	utc := func(mo time.Month, d, h, m int) time.Time { return time.Date(2026, mo, d, h, m, 0, 0, time.UTC) }
	tests := []struct {
		name     string
		spec     string
		dur      time.Duration
		from, to time.Time
		rounds   int                  // rounds created in the walk
		opened   map[string]time.Time // opening instants of some of them
	}{
		{name: "spring forward 02:30 opens after the jump", spec: "30 2 * * *", dur: 2 * time.Hour,
			from: time.Date(2026, 3, 28, 23, 0, 0, 0, loc), to: spring(6, 0), rounds: 1,
			opened: map[string]time.Time{"dst-20260329-0230": utc(3, 29, 1, 30)}}, // 03:30 CEST
		{name: "spring forward short round is not skipped", spec: "30 2 * * *", dur: 20 * time.Minute,
			from: time.Date(2026, 3, 28, 23, 0, 0, 0, loc), to: spring(6, 0), rounds: 1,
			opened: map[string]time.Time{"dst-20260329-0230": utc(3, 29, 1, 30)}},
		{name: "spring forward 01:30 is untouched", spec: "30 1 * * *", dur: 2 * time.Hour,
			from: time.Date(2026, 3, 28, 23, 0, 0, 0, loc), to: spring(6, 0), rounds: 1,
			opened: map[string]time.Time{"dst-20260329-0130": utc(3, 29, 0, 30)}}, // 01:30 CET
		{name: "fall back 02:30 opens once, at the first 02:30", spec: "30 2 * * *", dur: 2 * time.Hour,
			from: time.Date(2026, 10, 24, 23, 0, 0, 0, loc), to: fall(6, 0), rounds: 1,
			opened: map[string]time.Time{"dst-20261025-0230": utc(10, 25, 0, 30)}}, // 02:30 CEST
		{name: "fall back 02:00 opens once", spec: "0 2 * * *", dur: 30 * time.Minute,
			from: time.Date(2026, 10, 24, 23, 0, 0, 0, loc), to: fall(6, 0), rounds: 1,
			opened: map[string]time.Time{"dst-20261025-0200": utc(10, 25, 0, 0)}}, // 02:00 CEST
		{name: "fall back half-hourly: 15 wall slots in 8 real hours", spec: "*/30 * * * *", dur: 20 * time.Minute,
			from: time.Date(2026, 10, 24, 23, 0, 0, 0, loc), to: fall(6, 0), rounds: 15,
			opened: map[string]time.Time{
				"dst-20261025-0200": utc(10, 25, 0, 0), "dst-20261025-0230": utc(10, 25, 0, 30),
				"dst-20261025-0300": utc(10, 25, 2, 0), "dst-20261025-0600": utc(10, 25, 5, 0)}},
	}
	pids := []string{"p1", "p2"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, srv, tt.from, []*surveys.Survey{survey("dst", tt.spec, tt.dur)}, pids...)
			for now := tt.from; !now.After(tt.to); now = now.Add(time.Minute) {
				e.reconcileAt(t, now)
			}
			ids := e.roundIDs(t)
			if len(ids) != tt.rounds {
				t.Fatalf("rounds: got %d %v, want %d", len(ids), ids, tt.rounds)
			}
			for rid, want := range tt.opened {
				if got := e.round(t, rid).OpenedAt; !got.Equal(want) {
					t.Errorf("%s opened at: got %v, want %v", rid, got.In(loc), want.In(loc))
				}
			}
			inv, sg := e.notify.Counts(roundstest.Invites), e.notify.Counts(roundstest.Stuurgroep)
			for _, rid := range ids {
				r := e.round(t, rid)
				if got := e.logs.count(t, "round opened", rid); got != 1 {
					t.Errorf("%s opened: got %d times, want 1", rid, got)
				}
				for _, pid := range pids {
					if got := inv[rid+"/"+pid]; got != 1 {
						t.Errorf("invitations of %s to %s: got %d, want 1", rid, pid, got)
					}
				}
				wantState, wantSG := storage.Opened, 0
				if !r.ClosesAt.After(tt.to) {
					wantState, wantSG = storage.Published, 1
				}
				if r.State != wantState {
					t.Errorf("%s state: got %v, want %v", rid, r.State, wantState)
				}
				if got := sg[rid]; got != wantSG {
					t.Errorf("%s stuurgroep summaries: got %d, want %d", rid, got, wantSG)
				}
			}
			if got := len(inv); got != tt.rounds*len(pids) {
				t.Errorf("invitations: got %d, want %d", got, tt.rounds*len(pids))
			}
		})
	}
}
