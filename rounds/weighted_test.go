package rounds_test

import (
	"math"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestResultsWeighted records answers as the engine does, with each participant's
// kern, and checks that Results reads them back from Redis for the afspiegeling
// and the weighting: Dalfsen 30 respondents of whom 20 say "ja", Nieuwleusen 10 of
// whom 2, equal populations of 1000. Response rates .03 and .01: R-score 1/3.
// Weighted "ja" .5·20/30 + .5·2/10 = 43,33% against 55% unweighted (see
// surveys.TestWeigh for the hand computation).
func TestResultsWeighted(t *testing.T) {
	start := time.Date(2026, time.November, 2, 9, 0, 0, 0, amsterdam(t))
	sv := survey("peiling", "0 9 * * 1", 24*time.Hour)
	e := newEnv(t, nil, start, []*surveys.Survey{sv})
	r, err := e.svc.Open(e.ctx, sv, start)
	if err != nil {
		t.Fatal(err)
	}
	record := func(pid, kern, pick string) {
		t.Helper()
		q, prof := question(), surveys.Profile{Kern: kern}
		a := surveys.Answer{Options: []string{pick}}
		if _, err := e.store.RecordAnswer(e.ctx, storage.AnswerWrite{Round: r.ID, Participant: pid, Field: q.ID,
			Value: surveys.EncodeAnswer(q, a), Kern: prof.Kern, Leeftijd: prof.Leeftijd}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 30 {
		pick := "nee"
		if i < 20 {
			pick = "ja"
		}
		record("d"+string(rune('a'+i)), "Dalfsen", pick)
	}
	for i := range 10 {
		record("n"+string(rune('a'+i)), "Nieuwleusen", "ja") // all ja first …
	}
	for i := 2; i < 10; i++ {
		record("n"+string(rune('a'+i)), "Nieuwleusen", "nee") // … then 8 change their mind
	}
	pop := &surveys.Population{Source: "test", Kernen: map[string]int{"Dalfsen": 1000, "Nieuwleusen": 1000}}
	res, err := rounds.Results(e.ctx, e.store, sv, e.round(t, r.ID), rounds.Analysis{Threshold: 10, Population: pop})
	if err != nil {
		t.Fatal(err)
	}
	if res.Afspiegeling == nil || math.Abs(res.Afspiegeling.RScore-1.0/3) > 1e-12 {
		t.Errorf("R-score: got %+v, want 1/3", res.Afspiegeling)
	}
	w := res.Weighting
	if w == nil || w.Unavailable != "" || w.Respondents != 40 || math.Abs(w.EffectiveN-30) > 1e-9 {
		t.Fatalf("weighting: got %+v, want 40 respondents, effective n 30", w)
	}
	// The weighted "ja" (43,33%) is withheld: with the kernen's 30 and 10 (so
	// the weights) and everyone's 22 "ja" it gives Nieuwleusen's 2 back
	// (surveys.TestRenderWeighted).
	ja := res.Questions[0].Options[0]
	if ja.Percent != 55 || ja.Weighted != nil {
		t.Errorf("ja: got %v%% weighted %v, want 55%% and the weighted figure withheld", ja.Percent, ja.Weighted)
	}

	// Without a population table: the same counts, no afspiegeling, no weighting.
	plain, err := rounds.Results(e.ctx, e.store, sv, e.round(t, r.ID), rounds.Analysis{Threshold: 10})
	if err != nil {
		t.Fatal(err)
	}
	if plain.Afspiegeling != nil || plain.Weighting != nil || plain.Questions[0].Options[0].Weighted != nil || plain.Questions[0].Options[0].Percent != 55 {
		t.Errorf("unweighted: got %+v %+v", plain.Afspiegeling, plain.Weighting)
	}
}
