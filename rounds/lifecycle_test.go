package rounds_test

import (
	"errors"
	"maps"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/rounds/roundstest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestCatchUp starts the service with the clock some time after a slot, as after a
// restart: a round still open is created, opened and invited once; one that closed
// during the downtime is not created at all.
func TestCatchUp(t *testing.T) {
	loc := amsterdam(t)
	srv := redistest.Start(t)
	tests := []struct {
		name  string
		spec  string
		dur   time.Duration
		start time.Time
		want  []string // rounds after the first pass, all open
	}{
		{"round still open", "30 2 * * *", 6 * time.Hour, time.Date(2026, 12, 1, 5, 30, 0, 0, loc),
			[]string{"peiling-20261201-0230"}},
		{"round closed in the downtime", "30 2 * * *", 2 * time.Hour, time.Date(2026, 12, 1, 5, 30, 0, 0, loc),
			[]string{}},
		{"last minute of a round", "30 2 * * *", 3 * time.Hour, time.Date(2026, 12, 1, 5, 29, 0, 0, loc),
			[]string{"peiling-20261201-0230"}},
		{"closes exactly now", "30 2 * * *", 3 * time.Hour, time.Date(2026, 12, 1, 5, 30, 0, 0, loc),
			[]string{}},
		// 01:30 CET + 2h closes at 04:30 CEST: on the wall clock the round lasts three hours.
		{"still open after the spring jump", "30 1 * * *", 2 * time.Hour, time.Date(2026, 3, 29, 4, 0, 0, 0, loc),
			[]string{"peiling-20260329-0130"}},
		{"only the latest slot", "0 * * * *", 50 * time.Minute, time.Date(2026, 12, 1, 5, 30, 0, 0, loc),
			[]string{"peiling-20261201-0500"}},
	}
	pids := []string{"p1", "p2", "p3"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, srv, tt.start, []*surveys.Survey{survey("peiling", tt.spec, tt.dur)}, pids...)
			e.reconcileAt(t, tt.start)
			ids := e.roundIDs(t)
			if !equal(ids, tt.want) {
				t.Fatalf("rounds: got %v, want %v", ids, tt.want)
			}
			want := map[string]int{}
			for _, rid := range ids {
				if got := e.round(t, rid).State; got != storage.Opened {
					t.Errorf("%s: got %v, want %v", rid, got, storage.Opened)
				}
				for _, pid := range pids {
					want[rid+"/"+pid] = 1
				}
			}
			if got := e.notify.Counts(roundstest.Invites); !maps.Equal(got, want) {
				t.Errorf("invitations: got %v, want %v", got, want)
			}
			e.reconcileAt(t, tt.start.Add(time.Second))
			if got := e.notify.Counts(roundstest.Invites); !maps.Equal(got, want) {
				t.Errorf("invitations after a second pass: got %v, want %v", got, want)
			}
			if got := e.roundIDs(t); !equal(got, tt.want) {
				t.Errorf("rounds after a second pass: got %v, want %v", got, tt.want)
			}
			wantAnn := map[string]int{}
			for _, rid := range ids {
				wantAnn[rid] = 1
			}
			if got := e.notify.Counts(roundstest.Announced); !maps.Equal(got, wantAnn) {
				t.Errorf("announcements: got %v, want %v", got, wantAnn)
			}
		})
	}
}

// TestNoInvitationsAfterClose: a round that opened but whose invitations failed, and
// then the service was down past the close, is closed and published without inviting
// anyone to a round they can no longer answer.
func TestNoInvitationsAfterClose(t *testing.T) {
	loc := amsterdam(t)
	slot := time.Date(2026, 12, 1, 9, 0, 0, 0, loc)
	e := newEnv(t, nil, slot, []*surveys.Survey{survey("peiling", "0 9 * * *", 2*time.Hour)}, "p1", "p2")
	e.notify.Set(func(f *roundstest.Messenger) { f.Fail["Invite"] = true })
	e.clock.Set(slot)
	if err := e.advance(); !errors.Is(err, roundstest.ErrDown) {
		t.Fatalf("reconcile with invitations failing: got %v, want %v", err, roundstest.ErrDown)
	}
	const rid = "peiling-20261201-0900"
	if r := e.round(t, rid); r.State != storage.Opened || r.InvitesDone {
		t.Fatalf("after failed invitations: got %v done=%v, want %v done=false", r.State, r.InvitesDone, storage.Opened)
	}
	e.notify.Set(func(f *roundstest.Messenger) { f.Fail["Invite"] = false })
	e.reconcileAt(t, slot.Add(3*time.Hour))
	if got := e.notify.Counts(roundstest.Invites); len(got) != 0 {
		t.Errorf("invitations after the close: got %v, want none", got)
	}
	if got := e.round(t, rid).State; got != storage.Published {
		t.Errorf("state: got %v, want %v", got, storage.Published)
	}
}

// TestFixedOpens: Schedule.Opens is a wall-clock time (placed in UTC); 09:00 means
// 09:00 in Amsterdam, whatever the season.
func TestFixedOpens(t *testing.T) {
	srv := redistest.Start(t)
	utc := func(mo time.Month, d, h, m int) time.Time { return time.Date(2026, mo, d, h, m, 0, 0, time.UTC) }
	tests := []struct {
		name       string
		opens      time.Time // wall clock
		rid        string
		before, at time.Time // the minute before the opening, and the opening
	}{
		{"winter (CET)", utc(12, 1, 9, 0), "eenmalig-20261201-0900", utc(12, 1, 7, 59), utc(12, 1, 8, 0)},
		{"summer (CEST)", utc(7, 1, 9, 0), "eenmalig-20260701-0900", utc(7, 1, 6, 59), utc(7, 1, 7, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sv := survey("eenmalig", "", 2*time.Hour)
			sv.Schedule.Opens = tt.opens
			e := newEnv(t, srv, tt.before, []*surveys.Survey{sv}, "p1")
			e.reconcileAt(t, tt.before)
			if got := e.roundIDs(t); len(got) != 0 {
				t.Fatalf("rounds a minute before 09:00 local: got %v, want none", got)
			}
			e.reconcileAt(t, tt.at)
			r := e.round(t, tt.rid)
			if r.State != storage.Opened || !r.OpenedAt.Equal(tt.at) {
				t.Errorf("at 09:00 local: got %v at %v, want %v at %v", r.State, r.OpenedAt.UTC(), storage.Opened, tt.at)
			}
			if got := e.notify.Counts(roundstest.Invites)[tt.rid+"/p1"]; got != 1 {
				t.Errorf("invitations: got %d, want 1", got)
			}
			e.reconcileAt(t, tt.at.Add(2*time.Hour))
			if got := e.round(t, tt.rid).State; got != storage.Published {
				t.Errorf("two hours later: got %v, want %v", got, storage.Published)
			}
		})
	}
}

// TestReminders walks a week-long round with reminders 48h and 4h before the close.
// The scheduler asks the Notifier for every active participant, also one who already
// finished: skipping those is the engine's job (bot.Engine.Remind checks Completed).
func TestReminders(t *testing.T) {
	loc := amsterdam(t)
	srv := redistest.Start(t)
	slot := time.Date(2026, 12, 1, 9, 0, 0, 0, loc)
	closes := slot.AddDate(0, 0, 7)
	const rid = "peiling-20261201-0900"
	pids := []string{"p1", "p2", "klaar"}
	newRound := func(t *testing.T) *env {
		e := newEnv(t, srv, slot, []*surveys.Survey{survey("peiling", "0 9 1 * *", 7*24*time.Hour, 48*time.Hour, 4*time.Hour)}, pids...)
		e.reconcileAt(t, slot)
		e.answer(t, rid, "klaar")
		if _, err := e.store.Complete(e.ctx, rid, "klaar"); err != nil {
			t.Fatal(err)
		}
		return e
	}
	sent := func(idx ...int) map[string]int {
		out := map[string]int{}
		for _, i := range idx {
			for _, pid := range pids {
				out[rid+"/"+strconv.Itoa(i)+"/"+pid] = 1
			}
		}
		return out
	}

	t.Run("each reminder once at its offset", func(t *testing.T) {
		e := newRound(t)
		steps := []struct {
			name string
			at   time.Time
			want map[string]int
		}{
			{"just opened", slot.Add(time.Minute), sent()},
			{"a minute before close-48h", closes.Add(-48*time.Hour - time.Minute), sent()},
			{"close-48h", closes.Add(-48 * time.Hour), sent(0)},
			{"an hour later", closes.Add(-47 * time.Hour), sent(0)},
			{"a minute before close-4h", closes.Add(-4*time.Hour - time.Minute), sent(0)},
			{"close-4h", closes.Add(-4 * time.Hour), sent(0, 1)},
			{"just before the close", closes.Add(-time.Minute), sent(0, 1)},
			{"closed", closes, sent(0, 1)},
		}
		for _, s := range steps {
			e.reconcileAt(t, s.at)
			if got := e.notify.Counts(roundstest.Reminds); !maps.Equal(got, s.want) {
				t.Errorf("%s: got %v, want %v", s.name, got, s.want)
			}
		}
	})

	t.Run("down across both offsets: only the latest", func(t *testing.T) {
		e := newRound(t)
		e.reconcileAt(t, closes.Add(-3*time.Hour))
		e.reconcileAt(t, closes.Add(-2*time.Hour))
		if got, want := e.notify.Counts(roundstest.Reminds), sent(1); !maps.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		if got := e.round(t, rid).Reminders; !got[0] || !got[1] {
			t.Errorf("reminders marked: got %v, want 0 and 1", got)
		}
	})

	t.Run("failed reminder is retried", func(t *testing.T) {
		e := newRound(t)
		e.notify.Set(func(f *roundstest.Messenger) { f.Fail["Remind"] = true })
		e.clock.Set(closes.Add(-48 * time.Hour))
		if err := e.advance(); !errors.Is(err, roundstest.ErrDown) {
			t.Fatalf("got %v, want %v", err, roundstest.ErrDown)
		}
		e.notify.Set(func(f *roundstest.Messenger) { f.Fail["Remind"] = false })
		e.reconcileAt(t, closes.Add(-47*time.Hour))
		if got, want := e.notify.Counts(roundstest.Reminds), sent(0); !maps.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
}

// TestClosePublish: at ClosesAt the round closes, every member (who answered) gets
// their results once and the stuurgroep once; a publish cut short by a failure is
// finished by the next pass, which asks again for everyone.
func TestClosePublish(t *testing.T) {
	loc := amsterdam(t)
	srv := redistest.Start(t)
	slot := time.Date(2026, 12, 1, 9, 0, 0, 0, loc)
	closes := slot.Add(2 * time.Hour)
	const rid = "peiling-20261201-0900"
	members := []string{"p1", "p2", "p3"}
	open := func(t *testing.T) *env {
		e := newEnv(t, srv, slot, []*surveys.Survey{survey("peiling", "0 9 * * *", 2*time.Hour)},
			append(members, "stil")...)
		e.reconcileAt(t, slot)
		for _, pid := range members {
			e.answer(t, rid, pid)
		}
		return e
	}
	once := map[string]int{rid + "/p1": 1, rid + "/p2": 1, rid + "/p3": 1}

	t.Run("publish once", func(t *testing.T) {
		e := open(t)
		e.reconcileAt(t, closes.Add(-time.Second))
		if got := e.round(t, rid).State; got != storage.Opened {
			t.Fatalf("a second before the close: got %v, want %v", got, storage.Opened)
		}
		for _, at := range []time.Time{closes, closes.Add(time.Minute), closes.Add(24 * time.Hour)} {
			e.reconcileAt(t, at)
			r := e.round(t, rid)
			if r.State != storage.Published || !r.ClosedAt.Equal(closes) || !r.PublishedAt.Equal(closes) {
				t.Errorf("at %v: got %v closed %v published %v, want %v at %v", at, r.State, r.ClosedAt, r.PublishedAt,
					storage.Published, closes)
			}
			if got := e.notify.Counts(roundstest.Results); !maps.Equal(got, once) {
				t.Errorf("at %v results: got %v, want %v", at, got, once)
			}
			if got := e.notify.Counts(roundstest.Stuurgroep)[rid]; got != 1 {
				t.Errorf("at %v stuurgroep: got %d, want 1", at, got)
			}
		}
	})

	t.Run("decision once, after the results", func(t *testing.T) {
		e := open(t)
		e.reconcileAt(t, closes)
		if err := e.store.SetDecision(e.ctx, rid, "De raad besloot …", closes); err != nil {
			t.Fatal(err)
		}
		for _, at := range []time.Time{closes.Add(time.Minute), closes.Add(2 * time.Minute)} {
			e.reconcileAt(t, at)
			if got := e.notify.Counts(roundstest.Decisions); !maps.Equal(got, once) {
				t.Errorf("decisions: got %v, want %v", got, once)
			}
		}
		if got := e.round(t, rid).State; got != storage.Decided {
			t.Errorf("state: got %v, want %v", got, storage.Decided)
		}
		if err := e.store.SetDecision(e.ctx, rid, "nog een", closes); !errors.Is(err, storage.ErrDecided) {
			t.Errorf("second decision: got %v, want ErrDecided", err)
		}
	})

	t.Run("crash mid-publish resumes", func(t *testing.T) {
		e := open(t)
		e.notify.Set(func(f *roundstest.Messenger) { f.FailResultsAt = 3 })
		e.clock.Set(closes)
		if err := e.advance(); !errors.Is(err, roundstest.ErrDown) {
			t.Fatalf("reconcile: got %v, want %v", err, roundstest.ErrDown)
		}
		if got := e.round(t, rid).State; got != storage.Closed {
			t.Errorf("after the failure: got %v, want %v", got, storage.Closed)
		}
		first := e.notify.Counts(roundstest.Results)
		if len(first) != 2 || e.notify.Counts(roundstest.Stuurgroep)[rid] != 0 {
			t.Fatalf("before the failure: got results %v and stuurgroep %v, want 2 members and none",
				first, e.notify.Counts(roundstest.Stuurgroep))
		}
		e.reconcileAt(t, closes.Add(time.Minute))
		if got := e.round(t, rid).State; got != storage.Published {
			t.Errorf("after the resume: got %v, want %v", got, storage.Published)
		}
		got := e.notify.Counts(roundstest.Results)
		for k := range once {
			want := 1 + first[k] // called again, also those who had theirs
			if got[k] != want {
				t.Errorf("results for %s: got %d, want %d", k, got[k], want)
			}
		}
		if len(got) != len(once) {
			t.Errorf("results: got %v, want only %v", got, once)
		}
		if got := e.notify.Counts(roundstest.Stuurgroep)[rid]; got != 1 {
			t.Errorf("stuurgroep: got %d, want 1", got)
		}
	})
}

// TestFailureIsolated: a survey with a broken schedule or a round whose publishing
// fails does not hold up the other rounds in the same pass.
func TestFailureIsolated(t *testing.T) {
	loc := amsterdam(t)
	day1 := time.Date(2026, 12, 1, 9, 0, 0, 0, loc)
	a := survey("a", "0 9 1 * *", 2*time.Hour)
	b := survey("b", "0 11 1 * *", 2*time.Hour)
	broken := survey("broken", "elke dag", 2*time.Hour)
	e := newEnv(t, nil, day1, []*surveys.Survey{broken, a, b}, "p1")
	e.notify.Set(func(f *roundstest.Messenger) { f.Fail["SendStuurgroep"] = true })
	e.clock.Set(day1)
	err := e.advance()
	if err == nil || !strings.Contains(err.Error(), `schedule "elke dag"`) {
		t.Fatalf("first pass: got %v, want the broken schedule", err)
	}
	// a closes at 11:00 and cannot publish; b opens at 11:00 in the same pass.
	e.clock.Set(day1.Add(2 * time.Hour))
	err = e.advance()
	if !errors.Is(err, roundstest.ErrDown) || !strings.Contains(err.Error(), "round a-20261201-0900") {
		t.Fatalf("second pass: got %v, want the failed publish of a", err)
	}
	if got := e.round(t, "a-20261201-0900").State; got != storage.Closed {
		t.Errorf("a: got %v, want %v", got, storage.Closed)
	}
	if got := e.round(t, "b-20261201-1100").State; got != storage.Opened {
		t.Errorf("b: got %v, want %v", got, storage.Opened)
	}
	if got := e.notify.Counts(roundstest.Invites)["b-20261201-1100/p1"]; got != 1 {
		t.Errorf("invitations of b: got %d, want 1", got)
	}
}

func equal(a, b []string) bool {
	return strings.Join(a, ",") == strings.Join(b, ",")
}
