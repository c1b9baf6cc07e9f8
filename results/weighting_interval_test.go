package results

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/stats"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestWeightedIntervals checks each weighted percentage's interval against
// Wilson at the question's own effective n, worked out by hand, from the
// respondents and from the tallies alone.
//
// The sample of TestWeigh (weights Dalfsen 2/3, Nieuwleusen 2), with five
// Dalfsen respondents skipping the likert statement:
//
//	ingang:     Dalfsen 30, Nieuwleusen 10 answered: Σwa = 20 + 20 = 40,
//	            Σw²a = 30·4/9 + 10·4 = 53,33, n_eff = 40²/53,33 = 30
//	vertrouwen: Dalfsen 25, Nieuwleusen 10:          Σwa = 50/3 + 20 = 110/3,
//	            Σw²a = 25·4/9 + 10·4 = 460/9, n_eff = (12100/9)/(460/9) = 26,30
//
// The unknown kern's answer counts in neither (weight 0).
// The intervals are at z95, the 97,5% normal quantile every interval uses.
func TestWeightedIntervals(t *testing.T) {
	s := weighSurvey()
	pop := &surveys.Population{Kernen: map[string]int{"Dalfsen": 1000, "Nieuwleusen": 1000}}
	rs := append(respondentsFor("Dalfsen", "25-44", 30, 20, 15), respondentsFor("Nieuwleusen", "65+", 10, 2, 10)...)
	for i := 15; i < 20; i++ { // five who disagreed skip the statement
		delete(rs[i].Answers, "vertrouwen")
	}
	rs = append(rs, Respondent{Profile: surveys.Profile{}, Answers: map[string]surveys.Answer{"ingang": {Options: []string{"voor"}}}})
	tallies := tallyRespondents(s, rs)
	for _, tt := range []struct {
		name  string
		weigh func(*Results)
	}{
		{"respondents", func(r *Results) { r.Weigh(rs, pop) }},
		{"tallies", func(r *Results) { r.WeighTallies(tallies, pop) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := Compute(s, RoundInfo{}, tallies, nil, 0)
			tt.weigh(res)
			for qi, want := range []float64{30, 12100.0 / 460} {
				q := res.Questions[qi]
				if q.EffectiveN == nil || math.Abs(*q.EffectiveN-want) > 1e-9 {
					t.Fatalf("%s effective n: got %v, want %v", q.ID, q.EffectiveN, want)
				}
			}
			q := res.Questions[0]
			for _, o := range q.Options {
				lo, hi := stats.WilsonEffective(*o.Weighted/100, 30, z95)
				if o.WeightedLow == nil || math.Abs(*o.WeightedLow-100*lo) > 1e-9 || math.Abs(*o.WeightedHigh-100*hi) > 1e-9 {
					t.Errorf("%s interval: got %v–%v, want %v–%v", o.ID, o.WeightedLow, o.WeightedHigh, 100*lo, 100*hi)
				}
				// The weights vary, so the weighted interval is wider than the
				// unweighted one of the same share at the raw 41 answers.
				ulo, uhi := stats.WilsonEffective(*o.Weighted/100, float64(q.N), z95)
				if !(*o.WeightedHigh-*o.WeightedLow > 100*(uhi-ulo)) {
					t.Errorf("%s interval %v–%v not wider than unweighted %v–%v", o.ID, *o.WeightedLow, *o.WeightedHigh, 100*ulo, 100*uhi)
				}
			}
			// Agreement (no "Weet ik niet" here): its base is the 35 answers.
			l := res.Questions[1]
			lo, hi := stats.WilsonEffective(*l.WeightedAgree/100, 12100.0/460, z95)
			if l.WeightedAgreeLow == nil || math.Abs(*l.WeightedAgreeLow-100*lo) > 1e-9 || math.Abs(*l.WeightedAgreeHigh-100*hi) > 1e-9 {
				t.Errorf("agree interval: got %v–%v, want %v–%v", l.WeightedAgreeLow, l.WeightedAgreeHigh, 100*lo, 100*hi)
			}
			// The export has them beside the weighted percentage.
			var b strings.Builder
			if err := WriteCSVIntl(&b, res); err != nil {
				t.Fatal(err)
			}
			o := q.Options[0]
			wantRow := fmt.Sprintf(",%.2f,%.2f,%.2f,", *o.Weighted, *o.WeightedLow, *o.WeightedHigh)
			if !strings.Contains(b.String(), wantRow) {
				t.Errorf("export: no %q in\n%s", wantRow, b.String())
			}
			// The explanation gives each question's effective n and says
			// what the margin is.
			e, _ := WeightingExplained(res)
			text := strings.Join(e.Notes, "\n")
			for _, want := range []string{
				"Per vraag telt alleen wie de vraag beantwoordde. Zo nauwkeurig als een peiling zonder weging met: vraag 1: 30 deelnemers; vraag 2: 26 deelnemers.",
				"95%-marge, rekening houdend met de weging (Kish)",
			} {
				if !strings.Contains(text, want) {
					t.Errorf("explanation: no %q in\n%s", want, text)
				}
			}
		})
	}
}

// TestWeightedIntervalsWithLikertWeetNiet: the agreement interval's base
// leaves out "Weet ik niet", as the agreement share itself does.
func TestWeightedIntervalsWithLikertWeetNiet(t *testing.T) {
	s := weighSurvey()
	s.Questions[1].Options = append(s.Questions[1].Options, surveys.Option{ID: surveys.WeetNietID, Label: "Weet ik niet"})
	pop := &surveys.Population{Kernen: map[string]int{"Dalfsen": 1000, "Nieuwleusen": 1000}}
	rs := append(respondentsFor("Dalfsen", "25-44", 30, 20, 15), respondentsFor("Nieuwleusen", "65+", 10, 2, 10)...)
	for i := 0; i < 4; i++ { // four in Nieuwleusen do not know
		rs[30+i].Answers["vertrouwen"] = surveys.Answer{Options: []string{surveys.WeetNietID}}
	}
	res := Compute(s, RoundInfo{}, tallyRespondents(s, rs), nil, 0)
	res.Weigh(rs, pop)
	l := res.Questions[1]
	// Base: Dalfsen 30 (w 2/3), Nieuwleusen 6 (w 2): (20 + 12)² / (30·4/9 + 6·4) = 1024/37,33.
	want := 1024 / (120.0/9 + 24)
	lo, _ := stats.WilsonEffective(*l.WeightedAgree/100, want, z95)
	if l.WeightedAgreeLow == nil || math.Abs(*l.WeightedAgreeLow-100*lo) > 1e-9 {
		t.Errorf("agree low: got %v, want %v (n_eff %v)", l.WeightedAgreeLow, 100*lo, want)
	}
	if math.Abs(*l.EffectiveN-30) > 1e-9 {
		t.Errorf("question effective n: got %v, want 30 (everyone who answered)", *l.EffectiveN)
	}
}
