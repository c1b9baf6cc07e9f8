package trend

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

func burgerpeiling() *surveys.Survey {
	var likert, rating []surveys.Option
	for i, l := range []string{"Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens"} {
		likert = append(likert, surveys.Option{ID: strconv.Itoa(i + 1), Label: l})
	}
	for i := 1; i <= 10; i++ {
		rating = append(rating, surveys.Option{ID: strconv.Itoa(i), Label: strconv.Itoa(i)})
	}
	return &surveys.Survey{ID: "burgerpeiling", Title: "Burgerpeiling", Questions: []surveys.Question{
		{ID: "luistert", Type: surveys.Likert, Text: "De gemeente luistert voldoende naar de mening van de inwoners.", Options: likert},
		{ID: "doet", Type: surveys.Likert, Text: "De gemeente doet wat ze zegt.", Options: likert},
		{ID: "cijfer", Type: surveys.Rating, Text: "Welk rapportcijfer geeft u de gemeente?", Options: rating},
	}}
}

// round is a round of n respondents: agree[q] of them agree with likert q (the
// rest disagree), and the marks as given, in equal parts.
func round(t *testing.T, sv *surveys.Survey, id string, at time.Time, n int, agree map[string]int, marks []int) Round {
	t.Helper()
	tallies := map[string]int64{surveys.FieldRespondents: int64(n)}
	for _, q := range sv.Questions {
		for i := range n {
			var a surveys.Answer
			switch q.Type {
			case surveys.Likert:
				a.Options = []string{"2"}
				if i < agree[q.ID] {
					a.Options = []string{"4"}
				}
			case surveys.Rating:
				a.Options = []string{strconv.Itoa(marks[i%len(marks)])}
			}
			for _, f := range surveys.TallyFields(q, a, surveys.Profile{}) {
				tallies[f]++
			}
		}
	}
	r := &storage.Round{ID: id, Survey: sv.ID, OpenedAt: at, State: storage.Published, Wording: surveys.Wording(sv)}
	return Round{Round: r, Results: results.Compute(sv, results.RoundInfo{ID: id}, tallies, nil, 10)}
}

// TestChanges: on rounds with known true values, a change of 10 points at n = 800
// is a change, one of 2 points at n = 300 is not; a mean that moved a whole mark
// at n = 400 is a change.
func TestChanges(t *testing.T) {
	sv := burgerpeiling()
	jan := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	rs := []Round{
		round(t, sv, "r2", jan.AddDate(0, 6, 0), 800, map[string]int{"luistert": 400, "doet": 141}, []int{7, 8}),
		round(t, sv, "r1", jan, 800, map[string]int{"luistert": 320, "doet": 135}, []int{6, 7}),
	}
	tr := Build(sv, rs)
	if strings.Join(tr.Rounds, ",") != "r1,r2" {
		t.Fatalf("rounds: got %v, want oldest first", tr.Rounds)
	}
	luistert, doet, cijfer := tr.Series[0], tr.Series[1], tr.Series[2]
	if len(luistert.Figures) != 2 || luistert.Figures[0].Value != 40 || luistert.Figures[1].Value != 50 {
		t.Fatalf("luistert: got %+v", luistert.Figures)
	}
	if c := luistert.Changes[0]; !c.Meaningful || c.Verdict != "gestegen" || c.Difference != 10 {
		t.Errorf("10 points at n = 800: got %+v, want gestegen", c)
	}
	if got, want := luistert.String(), "Vorige keer 40%, nu 50% (gestegen)"; got != want {
		t.Errorf("line: got %q, want %q", got, want)
	}
	if c := doet.Changes[0]; c.Meaningful || c.Verdict != "gelijk gebleven" {
		t.Errorf("doet (16,9%% → 17,6%% at n = 800): got %+v, want gelijk gebleven", c)
	}
	if c := cijfer.Changes[0]; !c.Meaningful || c.Verdict != "gestegen" || c.Difference != 1 {
		t.Errorf("cijfer 6,5 → 7,5: got %+v, want gestegen", c)
	}
	f := cijfer.Figures[0]
	if f.Low >= f.Value || f.High <= f.Value {
		t.Errorf("cijfer interval: %+v", f)
	}

	// 2 points at n = 300: not a change
	small := Build(sv, []Round{
		round(t, sv, "a", jan, 300, map[string]int{"luistert": 135}, []int{7}),
		round(t, sv, "b", jan.AddDate(1, 0, 0), 300, map[string]int{"luistert": 141}, []int{7}),
	})
	if c := small.Series[0].Changes[0]; c.Meaningful || c.Verdict != "gelijk gebleven" || c.Difference != 2 {
		t.Errorf("2 points at n = 300: got %+v, want gelijk gebleven", c)
	}
	if got := small.Series[2].Changes[0]; got.Meaningful {
		t.Errorf("the same marks twice: got %+v, want no change", got)
	}
}

// TestWordingChanged: a round that asked a question of the same id in other words
// is left out of that question's trend, with the reason; its other questions stay.
func TestWordingChanged(t *testing.T) {
	sv := burgerpeiling()
	at := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	old := round(t, sv, "oud", at, 400, map[string]int{"luistert": 200, "doet": 100}, []int{7})
	old.Round.Wording["luistert"] = "andere-tekst0000"
	delete(old.Round.Wording, "doet")
	legacy := round(t, sv, "voor-de-handtekening", at.AddDate(-1, 0, 0), 400, map[string]int{"luistert": 180, "doet": 100}, []int{7})
	legacy.Round.Wording = nil // made before rounds kept their wording: joined
	tr := Build(sv, []Round{old, legacy, round(t, sv, "nieuw", at.AddDate(0, 6, 0), 400, map[string]int{"luistert": 220, "doet": 100}, []int{7})})
	l := tr.Series[0]
	if len(l.Figures) != 2 || l.Figures[0].Round != "voor-de-handtekening" || l.Figures[1].Round != "nieuw" {
		t.Fatalf("luistert: got %+v, want the rounds without 'oud'", l.Figures)
	}
	if len(l.Left) != 1 || l.Left[0].Round != "oud" || !strings.Contains(l.Left[0].Reason, "anders gesteld") {
		t.Errorf("luistert left out: got %+v", l.Left)
	}
	if d := tr.Series[1]; len(d.Left) != 1 || !strings.Contains(d.Left[0].Reason, "stelde de vraag niet") {
		t.Errorf("doet left out: got %+v", d.Left)
	}
	if c := tr.Series[2]; len(c.Figures) != 3 || len(c.Left) != 0 {
		t.Errorf("cijfer: got %d figures and %+v left out, want all 3", len(c.Figures), c.Left)
	}
}

// TestTooFew: a round with too few respondents gives no figure.
func TestTooFew(t *testing.T) {
	sv := burgerpeiling()
	at := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	tr := Build(sv, []Round{round(t, sv, "klein", at, 6, map[string]int{"luistert": 3}, []int{7}), round(t, sv, "groot", at.AddDate(0, 6, 0), 100, map[string]int{"luistert": 50}, []int{7})})
	if l := tr.Series[0]; len(l.Figures) != 1 || l.Figures[0].Round != "groot" || len(l.Changes) != 0 {
		t.Errorf("luistert: got %+v", l.Figures)
	}
}

// TestIndicators: each status follows its rule from the last figure, its interval
// and the last change; a benchmark differs only outside our interval.
func TestIndicators(t *testing.T) {
	sv := burgerpeiling()
	sv.Questions = append(sv.Questions, surveys.Question{ID: "vertrouwen", Type: surveys.Single, Text: "Hoeveel vertrouwen heeft u in de gemeente?",
		Options: []surveys.Option{{ID: "zeer-veel", Label: "Zeer veel"}, {ID: "veel", Label: "Veel"}, {ID: "weinig", Label: "Weinig"}}})
	at := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	mk := func(luistert1, luistert2, n2 int) []Round {
		a := round(t, sv, "r1", at, 800, map[string]int{"luistert": luistert1, "doet": 400}, []int{7})
		b := round(t, sv, "r2", at.AddDate(0, 6, 0), n2, map[string]int{"luistert": luistert2, "doet": n2 / 2}, []int{7})
		return []Round{a, b}
	}
	cases := []struct {
		name       string
		l1, l2, n2 int
		want       string
	}{
		{"well above", 480, 480, 800, "op koers"},        // 60%, 56,6–63,3%
		{"around the target", 480, 52, 100, "aandacht"},  // 52%, 42–62%
		{"well below", 240, 240, 800, "niet op koers"},   // 30%
		{"above but falling", 560, 480, 800, "aandacht"}, // 70% → 60%: gedaald
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := *sv
			s.Indicators = []surveys.Indicator{{Question: "luistert", AtLeast: true, Target: 50, Year: 2027, Owner: "wethouder"}}
			tr := Build(&s, mk(c.l1, c.l2, c.n2))
			st := tr.Indicators[0]
			if st.Verdict != c.want || st.Goal != "≥ 50%" || st.Round != "r2" || st.Rule == "" {
				t.Errorf("got %+v (last %+v), want %s", st, st.Last, c.want)
			}
		})
	}

	// (zeer) veel vertrouwen: two options taken together, with a benchmark
	s := *sv
	s.Indicators = []surveys.Indicator{{Question: "vertrouwen", Options: []string{"zeer-veel", "veel"}, AtLeast: true, Target: 50, Owner: "burgemeester"}}
	s.References = []surveys.Reference{{Question: "vertrouwen", Options: []string{"zeer-veel", "veel"}, Value: 51, Source: "eerdere peiling", Year: 2019},
		{Question: "vertrouwen", Options: []string{"zeer-veel", "veel"}, Value: 58, Source: "landelijk", Year: 2025}}
	var rounds []Round
	for k, p := range [][3]int{{100, 300, 400}, {150, 330, 320}} { // 50% then 60% (zeer) veel, of 800
		r := round(t, &s, "v"+strconv.Itoa(k), at.AddDate(0, 6*k, 0), 800, map[string]int{"luistert": 400}, []int{7})
		// the single-choice answers, as TallyFields counts them
		q := s.Questions[len(s.Questions)-1]
		tallies := map[string]int64{}
		for i, oid := range []string{"zeer-veel", "veel", "weinig"} {
			for range p[i] {
				for _, f := range surveys.TallyFields(q, surveys.Answer{Options: []string{oid}}, surveys.Profile{}) {
					tallies[f]++
				}
			}
		}
		tallies[surveys.FieldRespondents] = 800
		res := results.Compute(&surveys.Survey{ID: s.ID, Questions: []surveys.Question{q}}, results.RoundInfo{ID: r.Round.ID}, tallies, nil, 10)
		r.Results.Questions[len(r.Results.Questions)-1] = res.Questions[0] // in place of the unanswered one
		rounds = append(rounds, r)
	}
	tr := Build(&s, rounds)
	st := tr.Indicators[0]
	if st.Measure != "koos ‘Zeer veel’ of ‘Veel’" || st.Last == nil || st.Last.Value != 60 || st.Verdict != "op koers" || st.Change.Verdict != "gestegen" {
		t.Errorf("vertrouwen: got %+v (last %+v, change %+v)", st, st.Last, st.Change)
	}
	if b := tr.Benchmarks[0]; b.Own == nil || b.Difference != 9 || !b.Meaningful {
		t.Errorf("benchmark 51: got %+v", b)
	}
	if b := tr.Benchmarks[1]; b.Meaningful || b.Difference != 2 {
		t.Errorf("benchmark 58 (inside 56,6–63,3%%): got %+v", b)
	}
}

// TestTextWithIndicators: the text says each indicator's status and each
// benchmark's verdict in a sentence, with the rules.
func TestTextWithIndicators(t *testing.T) {
	sv := burgerpeiling()
	sv.Indicators = []surveys.Indicator{{Question: "luistert", AtLeast: true, Target: 50, Year: 2027, Owner: "wethouder participatie"}}
	sv.References = []surveys.Reference{{Question: "luistert", Value: 45, Source: "landelijk gemiddelde", Year: 2025}}
	at := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	tr := Build(sv, []Round{round(t, sv, "r1", at, 800, map[string]int{"luistert": 480}, []int{7})})
	var b strings.Builder
	if err := tr.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"‘De gemeente luistert voldoende naar de mening van de inwoners.’, (zeer) mee eens: 60% (56,6%–63,3%) in ronde r1, doel ≥ 50% in 2027 (wethouder participatie): op koers",
		"vergelijkingscijfer 45% (landelijk gemiddelde, 2025): duidelijk hoger (+15 procentpunten)", BenchmarkText, TestText} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text: no %q in\n%s", want, b.String())
		}
	}
}

// TestSinceMainFigure: with indicators, the residents' line follows the first
// indicator's figure; without, the first question's.
func TestSinceMainFigure(t *testing.T) {
	sv := burgerpeiling()
	at := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	rs := []Round{round(t, sv, "r1", at, 800, map[string]int{"luistert": 320, "doet": 400}, []int{7}),
		round(t, sv, "r2", at.AddDate(0, 6, 0), 800, map[string]int{"luistert": 400, "doet": 400}, []int{7})}
	if got := Build(sv, rs).Since("r2"); !strings.HasPrefix(got, "‘De gemeente luistert") {
		t.Errorf("without indicators: got %q, want the first question's", got)
	}
	sv.Indicators = []surveys.Indicator{{Question: "doet", AtLeast: true, Target: 50, Owner: "college"}}
	if got := Build(sv, rs).Since("r2"); got != "‘De gemeente doet wat ze zegt.’, (zeer) mee eens: vorige keer 50%, nu 50% (gelijk gebleven)" {
		t.Errorf("with an indicator: got %q", got)
	}
	if got := Build(sv, rs).Since("r1"); got != "" {
		t.Errorf("the first round: got %q, want none", got)
	}
}
