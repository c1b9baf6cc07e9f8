package scheduler

import (
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/surveys"
)

// TestDigest: on the first of the month at 9:00 the stuurgroep digest covers the
// rounds of the month before and lists the round whose promised terugkoppeling
// passed without a decision; it goes out once, also over several passes.
func TestDigest(t *testing.T) {
	loc := amsterdam(t)
	start := time.Date(2026, time.November, 2, 9, 0, 0, 0, loc)
	sv := survey("peiling", "0 9 2 11 *", 24*time.Hour)
	sv.Card = surveys.Card{Doel: "weten wat u vindt", WieBeslist: "gemeenteraad", Trede: surveys.Raadplegen,
		WatGebeurtErMee: "de raad gebruikt het", Terugkoppeling: time.Date(2026, time.November, 15, 0, 0, 0, 0, loc)}
	e := newEnv(t, nil, start, []*surveys.Survey{sv}, "p1", "p2")
	e.reconcileAt(t, start)
	rid := e.roundIDs(t)[0]
	e.answer(t, rid, "p1")
	e.reconcileAt(t, start.Add(25*time.Hour)) // closed and published
	// The digest of 1 November (a day before the start, within the catch-up week)
	// went out at the first pass, without this round.
	if n := len(e.notify.Digests); n != 1 || e.notify.Digests[0].Period != "2026-11-01T09:00" ||
		!strings.Contains(e.notify.Digests[0].Report.Chat, "Geen rondes in deze periode.") {
		t.Fatalf("digest of 1 November: got %d digests", n)
	}
	e.notify.Digests = nil
	first := time.Date(2026, time.December, 1, 9, 0, 0, 0, loc)
	e.reconcileAt(t, first)
	e.reconcileAt(t, first.Add(time.Minute))
	e.reconcileAt(t, first.Add(48*time.Hour))
	if n := len(e.notify.Digests); n != 1 {
		t.Fatalf("digests: got %d, want exactly 1", n)
	}
	d := e.notify.Digests[0]
	if d.Period != "2026-12-01T09:00" {
		t.Errorf("period: got %s", d.Period)
	}
	for _, want := range []string{"Rondes in deze periode: 1", "Terugkoppeling te laat: 1 ronde"} {
		if !strings.Contains(d.Report.Chat, want) {
			t.Errorf("digest chat: no %q in\n%s", want, d.Report.Chat)
		}
	}
	if !strings.Contains(string(d.Report.HTML), "Burgerpeiling peiling") || len(d.Report.Markdown) == 0 {
		t.Errorf("digest report: the round is missing")
	}
}

func TestDigestDue(t *testing.T) {
	loc := amsterdam(t)
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, loc) }
	tests := []struct {
		name     string
		now      time.Time
		from, to time.Time
		ok       bool
	}{
		{"just before", at(time.December, 1, 8), time.Time{}, time.Time{}, false},
		{"at the time", at(time.December, 1, 9), at(time.November, 1, 9), at(time.December, 1, 9), true},
		{"a week late still", at(time.December, 8, 8), at(time.November, 1, 9), at(time.December, 1, 9), true},
		{"too late", at(time.December, 8, 10), time.Time{}, time.Time{}, false},
		{"across the DST change", at(time.November, 1, 9), at(time.October, 1, 9), at(time.November, 1, 9), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to, ok, err := digestDue(DefaultDigestCron, tt.now, loc)
			if err != nil || ok != tt.ok || !from.Equal(tt.from) || !to.Equal(tt.to) {
				t.Errorf("got %v %v %v %v, want %v %v %v", from, to, ok, err, tt.from, tt.to, tt.ok)
			}
		})
	}
	if _, _, _, err := digestDue("elke maand", at(time.December, 1, 9), loc); err == nil {
		t.Errorf("bad spec: got no error")
	}
}
