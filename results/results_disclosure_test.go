package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/participatiebot/participatiebot/lang"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/surveys"
)

// randomRound is a round of n respondents over the Dalfsen kernen (and some
// without a kern) answering single, multiple and likert questions.
func randomRound(rng *rand.Rand, n, questions int) (*surveys.Survey, map[string]int64) {
	s := &surveys.Survey{ID: "r"}
	types := []surveys.QuestionType{surveys.Single, surveys.Multiple, surveys.Likert}
	for q := range questions {
		typ := types[q%len(types)]
		var opts []surveys.Option
		for o := range 2 + rng.IntN(5) {
			opts = append(opts, surveys.Option{ID: fmt.Sprintf("o%d", o), Label: fmt.Sprintf("Optie %d", o)})
		}
		if typ == surveys.Likert {
			opts = append([]surveys.Option(nil), resLikert...)
		}
		s.Questions = append(s.Questions, surveys.Question{ID: fmt.Sprintf("q%d", q), Type: typ, Options: opts})
	}
	kernen := []string{"Dalfsen", "Nieuwleusen", "Lemelerveld", "Hoonhorst", "Oudleusen", "Ankum", ""}
	weights := []int{40, 30, 15, 5, 4, 2, 4}
	pick := func() string {
		x := rng.IntN(100)
		for i, w := range weights {
			if x < w {
				return kernen[i]
			}
			x -= w
		}
		return ""
	}
	ages := []string{"16-24", "25-44", "45-64", "65+", ""}
	tallies := map[string]int64{}
	for range n {
		p := surveys.Profile{Kern: pick(), Leeftijd: ages[rng.IntN(len(ages))]}
		for _, f := range surveys.RespondentFields(p) {
			tallies[f]++
		}
		for _, q := range s.Questions {
			if rng.IntN(10) == 0 {
				for _, f := range surveys.TallyFields(q, surveys.Answer{Skipped: true}, p) {
					tallies[f]++
				}
				continue
			}
			a := surveys.Answer{Options: []string{q.Options[rng.IntN(len(q.Options))].ID}}
			if q.Type == surveys.Multiple && rng.IntN(2) == 0 {
				if o := q.Options[rng.IntN(len(q.Options))].ID; o != a.Options[0] {
					a.Options = append(a.Options, o)
				}
			}
			for _, f := range surveys.TallyFields(q, a, p) {
				tallies[f]++
			}
		}
	}
	return s, tallies
}

// TestDecisionOfRandomRounds: for rounds of every size, no shown cell holds 1
// to 9, and the decision's own attack finds nothing; it takes milliseconds,
// the same at 100 and at 100,000 respondents (the cells, not the answers, are
// the work).
func TestDecisionOfRandomRounds(t *testing.T) {
	pop, err := surveys.LoadPopulation("../examples/bevolking/dalfsen-kernen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(9, 2027))
	var slowest time.Duration
	for _, n := range []int{12, 25, 40, 60, 100, 200, 500, 100000} {
		for seed := range 5 {
			if n > 1000 && seed > 0 {
				break // one large round shows the cost does not grow with the answers
			}
			s, tallies := randomRound(rng, n, 6+seed)
			start := time.Now()
			r := ComputeWith(s, RoundInfo{ID: "r"}, tallies, nil, 10, pop)
			slowest = max(slowest, time.Since(start))
			name := fmt.Sprintf("%d respondents, seed %d", n, seed)
			if l := r.decision.Leaks(); len(l) > 0 {
				t.Errorf("%s: leaks %+v", name, l)
			}
			if u := r.decision.Unresolved(); len(u) > 0 {
				t.Errorf("%s: unresolved %+v", name, u)
			}
			for _, c := range append(append([]Cell(nil), r.ByKern...), r.ByLeeftijd...) {
				if !c.Suppressed && c.Count > 0 && c.Count < 10 {
					t.Errorf("%s: group %s shown with %d", name, c.Group, c.Count)
				}
			}
			for _, q := range r.Questions {
				for _, k := range q.ByKern {
					if k.Suppressed {
						continue
					}
					if k.N < 10 {
						t.Errorf("%s: %s in %s shown with n %d", name, q.ID, k.Kern, k.N)
					}
					for o, p := range k.Percent {
						if c := p * float64(k.N) / 100; c > 0.5 && c < 9.5 {
							t.Errorf("%s: %s %s in %s: %.1f%% of %d is %.0f people", name, q.ID, o, k.Kern, p, k.N, c)
						}
					}
				}
			}
		}
	}
	t.Logf("slowest decision: %v", slowest)
	if slowest > 2*time.Second {
		t.Errorf("a decision took %v; it should take milliseconds", slowest)
	}
}

func TestTooFewResults(t *testing.T) {
	tallies := resTallies()
	for k := range tallies {
		if strings.HasPrefix(k, "respondents") {
			delete(tallies, k)
		}
	}
	tallies["respondents"], tallies["respondents:k:Dalfsen"] = 8, 8
	r := Compute(resSurvey(), resRound, tallies, resOpen, 10)
	if !r.TooFew {
		t.Fatal("8 respondents, threshold 10: want TooFew")
	}
	var text, js, csvOut bytes.Buffer
	if err := WriteText(&text, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteCSV(&csvOut, r); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": text.String(), "json": js.String(), "csv": csvOut.String(),
		"summary": TextSummary(r, true), "stuurgroep": StuurgroepSummary(r), "personal": PersonalSummary(lang.Dutch(), r, nil, surveys.Profile{Kern: "Dalfsen"})} {
		for _, secret := range []string{"%", "De bibliotheek", `"count"`, "Fiets: ", "8 deelnemers", "42"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s holds %q:\n%s", name, secret, out)
			}
		}
	}
	if !strings.Contains(text.String(), "Te weinig deelnemers om de uitslag te tonen") {
		t.Errorf("text: got\n%s", text.String())
	}
	var back map[string]any
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || back["too_few"] != true {
		t.Errorf("json: got %v (%v), want too_few", back, err)
	}
	// For organisers only: the numbers under a warning.
	r.Internal = true
	text.Reset()
	if err := WriteText(&text, r); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text.String(), "INTERN — niet delen") || !strings.Contains(text.String(), "Respons: 8 deelnemers") {
		t.Errorf("internal text: got\n%s", text.String())
	}
	r.Internal = false
	if _, err := ForPublication(r, nil); !errors.Is(err, ErrTooFewToPublish) {
		t.Errorf("publication of 8: got %v, want ErrTooFewToPublish", err)
	}
	// Zero respondents is no small group: nothing to hide.
	if Compute(resSurvey(), resRound, nil, nil, 10).TooFew {
		t.Errorf("no respondents: TooFew set")
	}
}

func TestLiveResults(t *testing.T) {
	r := Live(resResults())
	if !r.Live || r.Respondents != 40 || r.Completed != 30 || r.Invited != 120 || len(r.ByKern) != 0 || r.Afspiegeling != nil {
		t.Errorf("live: got %+v", r)
	}
	for _, q := range r.Questions {
		if q.N != 0 || q.Options != nil || q.ByKern != nil || q.Open != nil || q.Ranking != nil || q.Mean != 0 {
			t.Errorf("live question %s has figures: %+v", q.ID, q)
		}
	}
	var text bytes.Buffer
	if err := WriteText(&text, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "Tussenstand: 40–49 deelnemers, 30–39 volledig (van 120 uitgenodigd)") {
		t.Errorf("live text: got\n%s", text.String())
	}
	if _, err := ForPublication(r, nil); err == nil {
		t.Errorf("publication from live results: want an error")
	}
}

// TestForPublicationLayouts: a kern keeps its name only when nothing of it can
// be counted under the threshold; the one 65+ resident of Nieuwleusen is never
// named.
func TestForPublicationLayouts(t *testing.T) {
	s := rawSurvey()
	var rs []RawRespondent
	add := func(n int, kern, age, pick string) {
		for range n {
			rs = append(rs, RawRespondent{ID: fmt.Sprintf("x%03d", len(rs)), Kern: kern, Leeftijd: age, Answers: map[string]surveys.Answer{
				"ingang": {Options: []string{pick}}, "waarden#0": {Winner: "a", Losers: []string{"b", "c"}}}})
		}
	}
	tests := []struct {
		name  string
		build func()
		want  map[string]int
	}{
		{"every cell large: both named", func() {
			add(12, "Dalfsen", "25-44", "voor")
			add(12, "Dalfsen", "45-64", "voor")
			add(12, "Nieuwleusen", "25-44", "achter")
			add(12, "Nieuwleusen", "45-64", "achter")
		}, map[string]int{"Dalfsen/25-44": 12, "Dalfsen/45-64": 12, "Nieuwleusen/25-44": 12, "Nieuwleusen/45-64": 12}},
		{"one 65+ in Nieuwleusen: no combination names them", func() {
			add(20, "Dalfsen", "25-44", "voor")
			add(12, "Nieuwleusen", "25-44", "voor")
			add(1, "Nieuwleusen", "65+", "achter")
			add(11, "Dalfsen", "65+", "voor")
		}, nil},
		{"a kern of 13 with a cell of 1 is not named", func() {
			add(25, "Dalfsen", "25-44", "voor")
			add(12, "Nieuwleusen", "25-44", "voor")
			add(1, "Nieuwleusen", "25-44", "achter")
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs = nil
			tt.build()
			out, err := ForPublication(rawResults(s, rs, 10), rs)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, r := range out {
				got[r.Kern+"/"+r.Leeftijd]++
			}
			for combo, n := range got {
				if n < 10 {
					t.Errorf("combination %s has %d rows", combo, n)
				}
				if strings.HasPrefix(combo, "Nieuwleusen/65+") {
					t.Errorf("the one 65+ resident of Nieuwleusen is named")
				}
			}
			if tt.want != nil && fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			// Per named group and answer: 0 or at least 10.
			per := map[string]int{}
			for _, r := range out {
				for _, o := range r.Answers["ingang"].Options {
					if r.Kern != Suppressed {
						per["k:"+r.Kern+":"+o]++
					}
					if r.Leeftijd != Suppressed {
						per["a:"+r.Leeftijd+":"+o]++
					}
				}
			}
			for cell, n := range per {
				if n < 10 {
					t.Errorf("the file counts %d for %s", n, cell)
				}
			}
		})
	}
	// Answers erased after close (fewer raw rows than the results count): no
	// group is named, the difference would name the erased.
	rs = nil
	add(12, "Dalfsen", "25-44", "voor")
	add(12, "Nieuwleusen", "25-44", "voor")
	res := rawResults(s, rs, 10)
	out, err := ForPublication(res, rs[1:])
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range out {
		if r.Kern != Suppressed || r.Leeftijd != Suppressed {
			t.Fatalf("after an erasure a group is named: %+v", r)
		}
	}
}
