package rounds_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestRetention: at the end of the bewaartermijn (after the decision, or after the close
// when no decision came) the raw answers, open texts and sessions go; the tallies stay.
func TestRetention(t *testing.T) {
	loc := amsterdam(t)
	srv := redistest.Start(t)
	slot := time.Date(2026, 12, 1, 9, 0, 0, 0, loc)
	closes := slot.Add(2 * time.Hour)
	const rid = "peiling-20261201-0900"
	tests := []struct {
		name    string
		months  int // 0: the default
		decided bool
		from    time.Time // what the bewaartermijn counts from
	}{
		{"default, after the decision", 0, true, closes.Add(48 * time.Hour)},
		{"three months, no decision", 3, false, closes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sv := survey("peiling", "0 9 1 12 *", 2*time.Hour)
			sv.Bewaartermijn = tt.months
			sv.Questions = append(sv.Questions, surveys.Question{ID: "beter", Type: surveys.Open, Text: "Wat kan beter?", MaxLength: 200})
			e := newEnv(t, srv, slot, []*surveys.Survey{sv}, "p1", "p2")
			e.reconcileAt(t, slot)
			for _, pid := range []string{"p1", "p2"} {
				e.answer(t, rid, pid)
				q := surveys.Question{ID: "beter", Type: surveys.Open}
				if _, err := e.store.RecordAnswer(e.ctx, storage.AnswerWrite{Round: rid, Participant: pid, Field: "beter",
					Value: surveys.EncodeAnswer(q, surveys.Answer{Text: "Bushalte bij de Kerkstraat"})}); err != nil {
					t.Fatal(err)
				}
			}
			e.reconcileAt(t, closes)
			if tt.decided {
				if err := e.svc.Decide(e.ctx, rid, "De raad besloot de bushalte te verplaatsen.", tt.from); err != nil {
					t.Fatal(err)
				}
				e.reconcileAt(t, tt.from)
			}
			tallies := e.tallies(t, rid)
			end := tt.from.AddDate(0, sv.RetentionMonths(), 0)
			e.reconcileAt(t, end.Add(-time.Minute))
			if r := e.round(t, rid); !r.PurgedAt.IsZero() || e.rawKeys(t, rid) == 0 {
				t.Fatalf("a minute before the end of the bewaartermijn: purged at %v with %d raw keys, want kept", r.PurgedAt, e.rawKeys(t, rid))
			}
			e.reconcileAt(t, end)
			if r := e.round(t, rid); !r.PurgedAt.Equal(end) {
				t.Errorf("purged at: got %v, want %v", r.PurgedAt, end)
			}
			if n := e.rawKeys(t, rid); n != 0 {
				t.Errorf("raw keys after the bewaartermijn: got %d, want 0", n)
			}
			if got := e.tallies(t, rid); fmt.Sprint(got) != fmt.Sprint(tallies) {
				t.Errorf("tallies: got %v, want them kept %v", got, tallies)
			}
			e.reconcileAt(t, end.AddDate(0, 1, 0)) // nothing more to do, no error
		})
	}
}

func (e *env) tallies(t *testing.T, rid string) map[string]int64 {
	t.Helper()
	m, err := e.store.Tallies(e.ctx, rid)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// rawKeys counts the keys of a round that hold raw data: answers (per participant,
// or in buckets with their dictionary), sessions, open texts and the sets of
// participants.
func (e *env) rawKeys(t *testing.T, rid string) int {
	t.Helper()
	n := 0
	for _, pattern := range []string{":a:*", ":s:*", ":open:*", ":p", ":done", ":b:*", ":x"} {
		keys, err := e.store.Client().Keys(e.ctx, "pb:{r:"+rid+"}"+pattern).Result()
		if err != nil {
			t.Fatal(err)
		}
		n += len(keys)
	}
	return n
}
