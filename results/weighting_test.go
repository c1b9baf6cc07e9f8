package results

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/surveys"
)

// weighSurvey is one question of the Goed Goan plan: where the new entrance goes.
func weighSurvey() *surveys.Survey {
	return &surveys.Survey{ID: "ingang", Questions: []surveys.Question{
		{ID: "ingang", Type: surveys.Single, Text: "Waar moet de nieuwe ingang komen?", Options: []surveys.Option{{ID: "voor", Label: "Aan de voorkant"}, {ID: "achter", Label: "Aan de achterkant"}}},
		{ID: "vertrouwen", Type: surveys.Likert, Text: "Ik heb vertrouwen in de gemeente", Options: append([]surveys.Option(nil), resLikert...)},
	}}
}

// respondentsFor makes n respondents of one kern and leeftijd, yes of whom chose
// "voor" and the others "achter"; agree of them answer likert 4, the rest 2.
func respondentsFor(kern, leeftijd string, n, yes, agree int) []Respondent {
	out := make([]Respondent, n)
	for i := range out {
		pick, lik := "achter", "2"
		if i < yes {
			pick = "voor"
		}
		if i < agree {
			lik = "4"
		}
		out[i] = Respondent{Profile: surveys.Profile{Kern: kern, Leeftijd: leeftijd},
			Answers: map[string]surveys.Answer{"ingang": {Options: []string{pick}}, "vertrouwen": {Options: []string{lik}}}}
	}
	return out
}

func tallyRespondents(s *surveys.Survey, rs []Respondent) map[string]int64 {
	t := map[string]int64{}
	for _, r := range rs {
		for _, f := range surveys.RespondentFields(r.Profile) {
			t[f]++
		}
		for _, q := range s.Questions {
			if a, ok := r.Answers[q.ID]; ok {
				for _, f := range surveys.TallyFields(q, a, r.Profile) {
					t[f]++
				}
			}
		}
	}
	return t
}

// TestWeigh checks weighted results against figures worked out by hand.
//
// Post-stratification on kern (one margin): Dalfsen 30 respondents of whom 20
// chose "voor", Nieuwleusen 10 of whom 2. Population 50/50: weights Dalfsen
// .5/(30/40) = 2/3, Nieuwleusen .5/(10/40) = 2. Weighted "voor" = .5·20/30 +
// .5·2/10 = 43,33% (unweighted 22/40 = 55%); Kish n = 40² / (30·4/9 + 10·4) = 30.
func TestWeigh(t *testing.T) {
	s := weighSurvey()
	pop := &surveys.Population{Kernen: map[string]int{"Dalfsen": 1000, "Nieuwleusen": 1000}}
	rs := append(respondentsFor("Dalfsen", "25-44", 30, 20, 15), respondentsFor("Nieuwleusen", "65+", 10, 2, 10)...)
	rs = append(rs, Respondent{Profile: surveys.Profile{}, Answers: map[string]surveys.Answer{"ingang": {Options: []string{"voor"}}}}) // kern unknown
	// Threshold 0: the hand figures of raking itself. With 10 these weighted
	// figures give Nieuwleusen's 8 "achter" answers back and are withheld
	// (TestWeighWithheld).
	res := Compute(s, RoundInfo{}, tallyRespondents(s, rs), nil, 0)
	res.Weigh(rs, pop)
	w := res.Weighting
	if w.Unavailable != "" || w.Respondents != 40 || w.Excluded != 1 || !w.Converged {
		t.Fatalf("weighting: got %+v, want 40 weighted, 1 excluded, converged", w)
	}
	if math.Abs(w.EffectiveN-30) > 1e-9 {
		t.Errorf("effective n: got %v, want 30", w.EffectiveN)
	}
	q := res.Questions[0]
	if got := *q.Options[0].Weighted; math.Abs(got-130.0/3) > 1e-9 {
		t.Errorf("weighted voor: got %v, want 43.333", got)
	}
	if got := *q.Options[1].Weighted; math.Abs(got-170.0/3) > 1e-9 {
		t.Errorf("weighted achter: got %v, want 56.667", got)
	}
	if math.Abs(q.Options[0].Percent-100*23.0/41) > 1e-9 {
		t.Errorf("unweighted voor: got %v, want the 23 of 41 unchanged", q.Options[0].Percent)
	}
	// Likert: agree Dalfsen 15/30, Nieuwleusen 10/10: weighted .5·.5 + .5·1 = 75%;
	// mean .5·(15·4+15·2)/30 + .5·4 = 1.5 + 2 = 3.5.
	l := res.Questions[1]
	if l.WeightedAgree == nil || math.Abs(*l.WeightedAgree-75) > 1e-9 || math.Abs(*l.WeightedMean-3.5) > 1e-9 {
		t.Errorf("likert: got agree %v mean %v, want 75 and 3.5", l.WeightedAgree, l.WeightedMean)
	}
}

// TestWeighTwoMargins rakes on kern and leeftijd: the 2×2 sample of TestRake
// (weights 4/3, 1, 1, .75) with everyone in A/jong choosing "voor": weighted
// "voor" is the weighted share of A/jong.
func TestWeighTwoMargins(t *testing.T) {
	s := weighSurvey()
	pop := &surveys.Population{Kernen: map[string]int{"A": 60, "B": 40}, Leeftijd: map[string]int{"16-24": 50, "65+": 50}}
	var rs []Respondent
	for _, c := range sample2x2 {
		age := map[string]string{"jong": "16-24", "oud": "65+"}[c.leeftijd]
		yes := 0
		if c.kern == "A" && c.leeftijd == "jong" {
			yes = c.n
		}
		rs = append(rs, respondentsFor(c.kern, age, c.n, yes, 0)...)
	}
	res := Compute(s, RoundInfo{}, tallyRespondents(s, rs), nil, 10)
	res.Weigh(rs, pop)
	if res.Weighting.Unavailable != "" || strings.Join(res.Weighting.Dimensions, ",") != "kern,leeftijd" {
		t.Fatalf("weighting: got %+v", res.Weighting)
	}
	var ajong int
	for _, c := range sample2x2 {
		if c.kern == "A" && c.leeftijd == "jong" {
			ajong = c.n
		}
	}
	want := 100 * float64(ajong) * 4 / 3 / float64(len(rs))
	if got := *res.Questions[0].Options[0].Weighted; math.Abs(got-want) > 1e-6 {
		t.Errorf("weighted voor: got %v, want %v", got, want)
	}
	if math.Abs(res.Weighting.EffectiveN-94.4882) > 1e-3 {
		t.Errorf("effective n: got %v, want 94.4882", res.Weighting.EffectiveN)
	}
}

// TestWeighSmallGroups: a kern under the threshold gets no weight of its own but
// is weighted together with the smallest other kern; a kern without respondents
// is left out and said so; too few respondents give no weighting at all.
func TestWeighSmallGroups(t *testing.T) {
	s := weighSurvey()
	pop := &surveys.Population{Kernen: map[string]int{"Dalfsen": 11144, "Nieuwleusen": 9566, "Lemelerveld": 4798, "Ankum": 808}}
	rs := append(respondentsFor("Dalfsen", "", 40, 20, 0), respondentsFor("Nieuwleusen", "", 20, 10, 0)...)
	rs = append(rs, respondentsFor("Lemelerveld", "", 3, 3, 0)...)
	res := Compute(s, RoundInfo{}, tallyRespondents(s, rs), nil, 10)
	res.Weigh(rs, pop)
	w := res.Weighting
	if got := fmt.Sprint(w.Merged); got != "[kern Lemelerveld kern Nieuwleusen]" {
		t.Errorf("merged: got %v, want Lemelerveld with Nieuwleusen", got)
	}
	if got := fmt.Sprint(w.Missing); got != "[kern Ankum]" {
		t.Errorf("missing: got %v, want Ankum", got)
	}
	// Dalfsen share 11144/25508 of the three; its half chose voor; the merged
	// group (Nieuwleusen+Lemelerveld) 13/23 chose voor.
	d := 11144.0 / 25508
	want := 100 * (d*0.5 + (1-d)*13.0/23)
	if got := *res.Questions[0].Options[0].Weighted; math.Abs(got-want) > 1e-6 {
		t.Errorf("weighted voor: got %v, want %v", got, want)
	}

	few := Compute(s, RoundInfo{}, nil, nil, 10)
	few.Weigh(respondentsFor("Dalfsen", "", 5, 5, 0), pop)
	if few.Weighting.Unavailable == "" || few.Questions[0].Options[0].Weighted != nil {
		t.Errorf("5 respondents: got %+v, want no weighting", few.Weighting)
	}
	none := Compute(s, RoundInfo{}, nil, nil, 10)
	none.Weigh(rs, nil)
	if none.Weighting.Unavailable != "geen bevolkingstabel" {
		t.Errorf("no population: got %+v", none.Weighting)
	}
}

func TestDecodeRespondent(t *testing.T) {
	tests := []struct {
		name    string
		tallies []string
		want    surveys.Profile
	}{
		{"respondent counters", []string{"respondents", "respondents:k:Hoonhorst", "respondents:a:65+"}, surveys.Profile{Kern: "Hoonhorst", Leeftijd: "65+"}},
		{"from a question's counters (older rounds)", []string{"q:ingang:n", "q:ingang:n:k:Ankum", "q:ingang:o:voor:k:Ankum", "q:ingang:n:a:16-24"}, surveys.Profile{Kern: "Ankum", Leeftijd: "16-24"}},
		{"an option counter alone is not a profile", []string{"q:ingang:o:voor:k:Ankum"}, surveys.Profile{}},
		{"nothing known", []string{"respondents", "q:ingang:skip"}, surveys.Profile{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := DecodeRespondent(map[string]string{"ingang": `{"options":["voor"]}`}, tt.tallies)
			if err != nil || r.Profile != tt.want || r.Answers["ingang"].Options[0] != "voor" {
				t.Errorf("got %+v, %v; want profile %+v", r, err, tt.want)
			}
		})
	}
	if _, err := DecodeRespondent(map[string]string{"ingang": "{kapot"}, nil); err == nil {
		t.Errorf("broken answer: got no error")
	}
	compact, err := DecodeRespondent(map[string]string{"ingang": "ovoor", "w#0": "wa,b,c"}, []string{"respondents", "respondents:k:Lemelerveld", "respondents:j:Lemelerveld:"})
	if err != nil || compact.Profile != (surveys.Profile{Kern: "Lemelerveld"}) || compact.Answers["ingang"].Options[0] != "voor" || compact.Answers["w#0"].Winner != "a" {
		t.Errorf("compact answers: got %+v, %v", compact, err)
	}
}

func TestRScoreMerged(t *testing.T) {
	// the R-score of the results' afspiegeling by kern, from tallies alone
	rScore := func(by map[string]int64, pop map[string]int) (float64, []string) {
		tallies := map[string]int64{}
		for g, n := range by {
			tallies[surveys.FieldRespondents+":k:"+g] = n
			tallies[surveys.FieldRespondents] += n
		}
		a := ComputeWith(nil, RoundInfo{ID: "r"}, tallies, nil, 10, &surveys.Population{Kernen: pop}).Afspiegeling
		return a.RScore, a.Merged
	}
	// A 50/1000 = .05; B (12) and C (5) suppressed, taken together: 17/1100.
	r, merged := rScore(map[string]int64{"A": 50, "B": 12, "C": 5}, map[string]int{"A": 1000, "B": 1000, "C": 100})
	if want := (17.0 / 1100) / .05; math.Abs(r-want) > 1e-12 || fmt.Sprint(merged) != "[B C]" {
		t.Errorf("got %v %v, want %v [B C]", r, merged, want)
	}
	// Nothing suppressed: the plain R-score.
	if r, merged := rScore(map[string]int64{"A": 20, "B": 10}, map[string]int{"A": 100, "B": 100}); r != .5 || len(merged) != 0 {
		t.Errorf("got %v %v, want .5 and nothing merged", r, merged)
	}
	// Everything suppressed: nothing to compare with.
	if r, _ := rScore(map[string]int64{"A": 3, "B": 4}, map[string]int{"A": 100, "B": 100}); r != RScoreUnavailable {
		t.Errorf("got %v, want unavailable", r)
	}
}

// TestRenderWeighted: the text results and the stuurgroep summary say the
// R-indicator with the response rates per kern, the R-score, and the weighted
// figures with their margins beside the unweighted ones.
func TestRenderWeighted(t *testing.T) {
	s := weighSurvey()
	pop := &surveys.Population{Kernen: map[string]int{"Dalfsen": 1000, "Nieuwleusen": 1000}}
	rs := append(respondentsFor("Dalfsen", "25-44", 30, 20, 15), respondentsFor("Nieuwleusen", "65+", 10, 2, 10)...)
	res := ComputeWith(s, RoundInfo{ID: "r1"}, tallyRespondents(s, rs), nil, 10, pop)
	res.Weigh(rs, pop)
	var b strings.Builder
	if err := WriteText(&b, res); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{
		"R-score 0,33: scheve afspiegeling",
		"Gewogen naar kern van de bevolking. De weging maakt de cijfers ongeveer zo nauwkeurig als een peiling met 30 deelnemers zonder weging (gewogen: 40 deelnemers).",
		"Helemaal mee eens of mee eens: 63% (gewogen 75%, 95%-marge: 57,3%–87%)",
		"Mee eens             63% (25)  ██████░░░░  gewogen 75% (95%-marge: 57,3%–87%)",
		"R-indicator 0,98 (95%-marge 0,97–0,99): goede afspiegeling Respons per kern: Dalfsen 3%, Nieuwleusen 1%.",
		"Per vraag telt alleen wie de vraag beantwoordde. Zo nauwkeurig als een peiling zonder weging met: vraag 2: 30 deelnemers.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text results: no %q in\n%s", want, text)
		}
	}
	// The weighted "voor" (43%) is withheld: with the shown kernen (30 and 10,
	// so the weights) and everyone's 22 "voor", .5·x/30 + .5·(22−x)/10 = 43%
	// gives Dalfsen's x = 20 and so Nieuwleusen's 2. The likert statement's
	// cells are all shown, so its weighted figure reveals nothing and stays.
	if strings.Contains(text, "gewogen 43%") {
		t.Errorf("text results: the weighted voor is shown, want it withheld:\n%s", text)
	}
	sg := StuurgroepSummary(res)
	for _, want := range []string{"R-indicator 0,98", "Respons per kern: Dalfsen 3%", "R-score 0,33", "meest gekozen: Aan de voorkant (55%)"} {
		if !strings.Contains(sg, want) {
			t.Errorf("stuurgroep summary: no %q in\n%s", want, sg)
		}
	}
}

// TestWeighWithheld: weighting figures that would give a hidden cell back are
// withheld, by the same audit as every breakdown.
func TestWeighWithheld(t *testing.T) {
	s := weighSurvey()
	pop := &surveys.Population{Kernen: map[string]int{"Dalfsen": 1000, "Nieuwleusen": 1000}}
	rs := append(respondentsFor("Dalfsen", "25-44", 30, 20, 15), respondentsFor("Nieuwleusen", "65+", 10, 2, 10)...)
	rs = append(rs, Respondent{Profile: surveys.Profile{}, Answers: map[string]surveys.Answer{"ingang": {Options: []string{"voor"}}}}) // kern unknown
	res := ComputeWith(s, RoundInfo{}, tallyRespondents(s, rs), nil, 10, pop)
	res.Weigh(rs, pop)
	w := res.Weighting
	// 1 excluded would be the hidden "onbekend" cell of the kernen.
	if !w.CountsWithheld {
		t.Errorf("weighting counts shown (%d weighted, %d excluded), want them withheld", w.Respondents, w.Excluded)
	}
	var b strings.Builder
	if err := WriteJSON(&b, res); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), `"excluded": 1`) || strings.Contains(b.String(), `"respondents": 40`) {
		t.Errorf("json holds the withheld weighting counts:\n%s", b.String())
	}
	if line := WeightingLine(res); strings.Contains(line, "40 deelnemers") || strings.Contains(line, "1 zonder") {
		t.Errorf("weighting line %q holds the withheld counts", line)
	}
	if l := res.decision.Leaks(); len(l) > 0 {
		t.Errorf("leaks: %+v", l)
	}
}
