package results

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/surveys"
)

// weetNietSurvey is a likert statement with weet_ik_niet: true, as organisers write it.
func weetNietSurvey(t *testing.T) *surveys.Survey {
	t.Helper()
	s, err := surveys.Parse("test.yaml", []byte(`id: weetniet
title: Toezicht
participatiekaart: {doel: Waarom, wie_beslist: college, trede: raadplegen, wat_gebeurt_er_mee: Het college besluit, terugkoppeling: 2027-05-01}
schedule: {opens: "2027-03-01 09:00", duration: 14d}
procesevaluatie: false
questions:
  - id: toezicht
    type: likert
    text: "De gemeente let genoeg op of iedereen zich aan de regels houdt."
    weet_ik_niet: true
`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestAgreeWithoutWeetNiet: the share "(helemaal) mee eens", its interval, the mean
// and the median are of those with an opinion; "Weet ik niet" is counted and shown
// as an option line of its own. 20 answered: 2, 2, 2, 3, 3 on the five points and 8
// "Weet ik niet": 6 of the 12 with an opinion agree (50%, not 6 of 20 = 30%), the
// mean is 39/12 = 3,25 and the median 3,5.
func TestAgreeWithoutWeetNiet(t *testing.T) {
	s := weetNietSurvey(t)
	tallies := map[string]int64{"respondents": 20, "completed": 20, "q:toezicht:n": 20,
		"q:toezicht:o:1": 2, "q:toezicht:o:2": 2, "q:toezicht:o:3": 2, "q:toezicht:o:4": 3, "q:toezicht:o:5": 3,
		"q:toezicht:o:" + surveys.WeetNietID: 8}
	res := Compute(s, RoundInfo{ID: "weetniet-1"}, tallies, nil, 10)
	q := res.Questions[0]
	lo, hi := wilsonPercent(6, 12)
	tests := []struct {
		name      string
		got, want float64
	}{
		{"agree", q.Agree, 50},
		{"agree low", q.AgreeLow, lo},
		{"agree high", q.AgreeHigh, hi},
		{"mean", q.Mean, 3.25},
		{"median", q.Median, 3.5},
		{"weet ik niet percent of all", q.Options[5].Percent, 40},
	}
	for _, tt := range tests {
		if math.Abs(tt.got-tt.want) > 1e-9 {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if q.N != 20 || len(q.Options) != 6 || q.Options[5].ID != surveys.WeetNietID || q.Options[5].Count != 8 {
		t.Fatalf("got n %d and options %+v, want 20 answers and Weet ik niet (8) last", q.N, q.Options)
	}
	var b strings.Builder
	if err := WriteText(&b, res); err != nil {
		t.Fatal(err)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^\s+Weet ik niet\s+40% \(8\)`),
		regexp.MustCompile(`(?m)^\s+Helemaal mee eens of mee eens: 50%`),
	} {
		if !want.MatchString(b.String()) {
			t.Errorf("text: got\n%s\nwant a line matching %s", b.String(), want)
		}
	}
}

// TestWeighAgreeWithoutWeetNiet: the weighted agreement share leaves "Weet ik niet"
// out of its base too. Dalfsen 30 respondents (weight 2/3): 15 agree, 10 disagree,
// 5 Weet ik niet; Nieuwleusen 10 (weight 2): all agree. Weighted agree 15·2/3 + 10·2
// = 30 of the weighted 25·2/3 + 10·2 = 110/3 with an opinion: 81,82% (with Weet ik
// niet in the base 30 of 40, 75%). The mean, over the same base: (2/3·80 + 2·40) /
// (110/3) = 40/11.
func TestWeighAgreeWithoutWeetNiet(t *testing.T) {
	s := weetNietSurvey(t)
	answer := func(kern, opt string, n int) []Respondent {
		out := make([]Respondent, n)
		for i := range out {
			out[i] = Respondent{Profile: surveys.Profile{Kern: kern, Leeftijd: "45-64"},
				Answers: map[string]surveys.Answer{"toezicht": {Options: []string{opt}}}}
		}
		return out
	}
	dalfsen := slices.Concat(answer("Dalfsen", "4", 15), answer("Dalfsen", "2", 10), answer("Dalfsen", surveys.WeetNietID, 5))
	tests := []struct {
		name      string
		rs        []Respondent
		threshold int
		want      float64
	}{
		// threshold 0: the hand figures of raking itself
		{"hand figures", slices.Concat(dalfsen, answer("Nieuwleusen", "4", 10)), 0, 900.0 / 11},
		// threshold 10, no cell under it (Dalfsen 20 agree, 10 disagree, 10 Weet ik
		// niet, weight 7/8; Nieuwleusen 10 agree, 10 disagree, 10 Weet ik niet, weight
		// 7/6): the weighted figures pass the disclosure audit. Agree 20·7/8 + 10·7/6
		// of 30·7/8 + 20·7/6 with an opinion: 10/17 (with Weet ik niet 29,17 of 35).
		{"audited", slices.Concat(answer("Dalfsen", "4", 20), answer("Dalfsen", "2", 10), answer("Dalfsen", surveys.WeetNietID, 10),
			answer("Nieuwleusen", "4", 10), answer("Nieuwleusen", "1", 10), answer("Nieuwleusen", surveys.WeetNietID, 10)), 10, 1000.0 / 17},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pop := &surveys.Population{Kernen: map[string]int{"Dalfsen": 1000, "Nieuwleusen": 1000}}
			res := Compute(s, RoundInfo{}, tallyRespondents(s, tt.rs), nil, tt.threshold)
			res.Weigh(tt.rs, pop)
			q := res.Questions[0]
			if q.WeightedAgree == nil {
				t.Fatalf("weighted agree: got none (weighting %+v), want %v", res.Weighting, tt.want)
			}
			if got := *q.WeightedAgree; math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("weighted agree: got %v, want %v", got, tt.want)
			}
			if tt.threshold > 0 {
				return
			}
			if q.WeightedMean == nil || math.Abs(*q.WeightedMean-40.0/11) > 1e-9 {
				t.Errorf("weighted mean: got %v, want 3.636", q.WeightedMean)
			}
			if math.Abs(q.Agree-100*25.0/35) > 1e-9 {
				t.Errorf("unweighted agree: got %v, want 25 of the 35 with an opinion", q.Agree)
			}
		})
	}
}
