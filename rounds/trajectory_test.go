package rounds_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/rounds/roundstest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestInvitePreviousPhaseFirst: the invitations of a round in phase 2 of a
// trajectory go first to those who took part in phase 1, then to everyone else;
// a round outside every trajectory invites in the usual order.
func TestInvitePreviousPhaseFirst(t *testing.T) {
	start := time.Date(2026, time.November, 2, 9, 0, 0, 0, amsterdam(t)) // a Monday
	beeld := survey("beeld", "0 9 * * 1", 24*time.Hour)
	keuze := survey("keuze", "0 9 * * 3", 24*time.Hour)
	pids := []string{"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"}
	e := newEnv(t, nil, start, []*surveys.Survey{beeld, keuze}, pids...)
	tr, err := surveys.ParseTrajectory("t.traject.yaml", []byte(`id: traject
title: Traject
gemeente: Dalfsen
besluit: Een besluit.
wie_beslist: gemeenteraad
belofte: Een belofte.
fasen:
  - {id: een, naam: beeldvorming, van: 2026-11-01, tot: 2026-11-03, trede: raadplegen, verwachting: "…", rondes: [beeld]}
  - {id: twee, naam: keuzes, van: 2026-11-04, tot: 2026-11-30, trede: adviseren, verwachting: "…", rondes: [keuze]}
`))
	if err != nil {
		t.Fatal(err)
	}
	e.catalog.SetTrajectories([]*surveys.Trajectory{tr})
	e.reconcileAt(t, start)
	ids := e.roundIDs(t)
	if len(ids) != 1 || !strings.HasPrefix(ids[0], "beeld") {
		t.Fatalf("rounds: got %v, want the beeld round", ids)
	}
	// the last two to be scanned, so that the order shows
	took := []string{"a7", "a5"}
	for _, pid := range took {
		e.answer(t, ids[0], pid)
	}
	e.reconcileAt(t, start.Add(48*time.Hour)) // Wednesday: the keuze round opens
	var keuzeID string
	for _, id := range e.roundIDs(t) {
		if strings.HasPrefix(id, "keuze") {
			keuzeID = id
		}
	}
	if keuzeID == "" {
		t.Fatalf("rounds: got %v, want a keuze round", e.roundIDs(t))
	}
	var order []string
	e.notify.Read(func(m *roundstest.Messenger) {
		for _, k := range m.InviteOrder {
			if rid, pid, _ := strings.Cut(k, "/"); rid == keuzeID && !slices.Contains(order, pid) {
				order = append(order, pid)
			}
		}
	})
	if len(order) != len(pids) {
		t.Fatalf("keuze invitations: got %v, want all %d participants", order, len(pids))
	}
	first := slices.Clone(order[:2])
	slices.Sort(first)
	if !slices.Equal(first, []string{"a5", "a7"}) {
		t.Errorf("keuze invitations: got %v first, want a5 and a7 (who took part in phase 1) first", order)
	}
	tallies, err := e.store.Tallies(e.ctx, keuzeID)
	if err != nil {
		t.Fatal(err)
	}
	if got := tallies["invited"]; got != int64(len(pids)) {
		t.Errorf("invited: got %d, want %d (no one counted twice)", got, len(pids))
	}
}

// TestResultsComparePanel: the results of a round in a trajectory with a drawn
// panel compare the panel with the self-selected residents, from the tallies and
// the letters stored per stratum.
func TestResultsComparePanel(t *testing.T) {
	start := time.Date(2026, time.November, 2, 9, 0, 0, 0, amsterdam(t))
	sv := survey("keuze", "0 9 * * 1", 48*time.Hour)
	e := newEnv(t, nil, start, []*surveys.Survey{sv})
	tr, err := surveys.ParseTrajectory("t.traject.yaml", []byte(`id: traject
title: Traject
gemeente: Dalfsen
besluit: Een besluit.
wie_beslist: gemeenteraad
belofte: Een belofte.
fasen:
  - {id: een, naam: keuzes, van: 2026-11-01, tot: 2026-11-30, trede: raadplegen, verwachting: "…", rondes: [keuze]}
`))
	if err != nil {
		t.Fatal(err)
	}
	e.catalog.SetTrajectories([]*surveys.Trajectory{tr})
	if _, err := e.store.SavePanel(e.ctx, storage.PanelDraw{Traject: "traject", ID: "d", Expires: time.Now().Add(time.Hour), Audit: []byte("{}"),
		Codes: map[string]string{"a": "Dalfsen|25-44", "b": "Dalfsen|25-44", "c": "Hoonhorst|65+"}}); err != nil {
		t.Fatal(err)
	}
	e.reconcileAt(t, start)
	rid := e.roundIDs(t)[0]
	q := roundstest.Question()
	for i := range 40 {
		panel := i < 25
		kern, age := "Dalfsen", "25-44"
		if i%2 == 1 {
			kern, age = "Hoonhorst", "65+"
		}
		if _, err := e.store.RecordAnswer(e.ctx, storage.AnswerWrite{Round: rid, Participant: fmt.Sprintf("p%d", i), Field: q.ID,
			Value: surveys.EncodeAnswer(q, surveys.Answer{Options: []string{"ja"}}), Kern: kern, Leeftijd: age, Panel: panel}); err != nil {
			t.Fatal(err)
		}
	}
	r := e.round(t, rid)
	res, err := e.svc.Results(e.ctx, sv, r)
	if err != nil {
		t.Fatal(err)
	}
	if res.Panel == nil || res.Panel.Traject != "traject" || res.Panel.Invited != 3 || res.Panel.Respondents != 25 || res.Panel.SelfSelected != 15 {
		t.Fatalf("panel: got %+v, want 3 letters, 25 of the panel and 15 self-selected", res.Panel)
	}
	// a round outside every trajectory has none
	e.catalog.SetTrajectories(nil)
	if res, err := e.svc.Results(e.ctx, sv, r); err != nil || res.Panel != nil {
		t.Fatalf("outside a trajectory: got %+v %v, want no panel", res.Panel, err)
	}
}

// TestResultsSince: the results of a recurring survey's round say how its main
// figure moved since the round before; the first round's say nothing of it.
func TestResultsSince(t *testing.T) {
	start := time.Date(2026, time.November, 2, 9, 0, 0, 0, amsterdam(t)) // a Monday
	sv := survey("peiling", "0 9 * * 1", 24*time.Hour)
	pids := make([]string, 20)
	for i := range pids {
		pids[i] = fmt.Sprintf("p%d", i)
	}
	e := newEnv(t, nil, start, []*surveys.Survey{sv}, pids...)
	q := roundstest.Question()
	answerAll := func(rid string, yes int) {
		for i, pid := range pids {
			v := "nee"
			if i < yes {
				v = "ja"
			}
			if _, err := e.store.RecordAnswer(e.ctx, storage.AnswerWrite{Round: rid, Participant: pid, Field: q.ID,
				Value: surveys.EncodeAnswer(q, surveys.Answer{Options: []string{v}})}); err != nil {
				t.Fatal(err)
			}
		}
	}
	e.reconcileAt(t, start)
	first := e.roundIDs(t)[0]
	answerAll(first, 4)
	e.reconcileAt(t, start.Add(25*time.Hour)) // closed and published
	e.reconcileAt(t, start.Add(7*24*time.Hour))
	var second string
	for _, id := range e.roundIDs(t) {
		if id != first {
			second = id
		}
	}
	answerAll(second, 16)
	e.reconcileAt(t, start.Add(8*24*time.Hour+time.Hour))
	var got map[string]*results.Results
	e.notify.Read(func(m *roundstest.Messenger) { got = maps.Clone(m.Sent) })
	if got[first] == nil || got[first].Since != "" {
		t.Errorf("first round: got %+v, want results without a since", got[first])
	}
	if r := got[second]; r == nil || r.Since != "‘Luistert de gemeente voldoende?’, koos ‘Ja’: vorige keer 20%, nu 80% (gestegen)" {
		t.Errorf("second round: got since %q", r.Since)
	}
}

// TestDigestIndicators: the digest has the indicators whose figure changed in its
// period, with their status.
func TestDigestIndicators(t *testing.T) {
	start := time.Date(2026, time.November, 2, 9, 0, 0, 0, amsterdam(t))
	sv := survey("peiling", "0 9 * * 1", 24*time.Hour)
	sv.Indicators = []surveys.Indicator{{Question: "q1", Options: []string{"ja"}, AtLeast: true, Target: 50, Year: 2027, Owner: "wethouder"}}
	pids := make([]string, 20)
	for i := range pids {
		pids[i] = fmt.Sprintf("p%d", i)
	}
	e := newEnv(t, nil, start, []*surveys.Survey{sv}, pids...)
	e.reconcileAt(t, start)
	rid := e.roundIDs(t)[0]
	q := roundstest.Question()
	for i, pid := range pids {
		v := "nee"
		if i < 4 {
			v = "ja"
		}
		if _, err := e.store.RecordAnswer(e.ctx, storage.AnswerWrite{Round: rid, Participant: pid, Field: q.ID,
			Value: surveys.EncodeAnswer(q, surveys.Answer{Options: []string{v}})}); err != nil {
			t.Fatal(err)
		}
	}
	e.reconcileAt(t, start.Add(25*time.Hour))
	_, in, err := e.svc.Digest(e.ctx, "Digest", start.AddDate(0, 0, -1), start.AddDate(0, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Indicators) != 1 || !strings.Contains(in.Indicators[0], "Burgerpeiling peiling: ‘Luistert de gemeente voldoende?’, koos ‘Ja’: 20%") ||
		!strings.Contains(in.Indicators[0], "doel ≥ 50% in 2027 (wethouder): niet op koers") {
		t.Errorf("indicators: got %q", in.Indicators)
	}
}

// TestTrendUntil: the trend as it stood at a round leaves out the rounds after it.
func TestTrendUntil(t *testing.T) {
	start := time.Date(2026, time.November, 2, 9, 0, 0, 0, amsterdam(t))
	sv := survey("peiling", "0 9 * * 1", 24*time.Hour)
	e := newEnv(t, nil, start, []*surveys.Survey{sv}, "p1")
	e.reconcileAt(t, start)
	e.reconcileAt(t, start.Add(7*24*time.Hour))
	ids := e.roundIDs(t)
	if len(ids) != 2 {
		t.Fatalf("rounds: got %v, want two", ids)
	}
	first := e.round(t, ids[0])
	until, err := e.svc.TrendUntil(e.ctx, sv, first)
	if err != nil || len(until.Rounds) != 1 || until.Rounds[0] != first.ID {
		t.Fatalf("until the first: got %v %v, want only %s", until.Rounds, err, first.ID)
	}
	all, err := e.svc.Trend(e.ctx, sv)
	if err != nil || len(all.Rounds) != 2 {
		t.Fatalf("all: got %v %v, want both", all.Rounds, err)
	}
}
