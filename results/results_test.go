package results

import (
	"github.com/participatiebot/participatiebot/lang"
	"math"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/participatiebot/participatiebot/stats"
	"github.com/participatiebot/participatiebot/surveys"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestComputeQuestions(t *testing.T) {
	r := resResults()
	tests := []struct {
		name     string
		qid      string
		n, skip  int64
		counts   []int64
		percents []float64
		mean     float64
		agree    float64
	}{
		{name: "likert", qid: "luistert", n: 20, skip: 2, counts: []int64{2, 3, 5, 6, 4},
			percents: []float64{10, 15, 25, 30, 20}, mean: 3.35, agree: 50},
		{name: "rating", qid: "cijfer", n: 10, counts: []int64{0, 0, 0, 0, 0, 0, 6, 4, 0, 0},
			percents: []float64{0, 0, 0, 0, 0, 0, 60, 40, 0, 0}, mean: 7.4},
		{name: "single", qid: "vervoer", n: 18, counts: []int64{9, 6, 3},
			percents: []float64{50, 100.0 / 3, 50.0 / 3}},
		{name: "multiple, percent of respondents", qid: "thema", n: 12, counts: []int64{10, 4},
			percents: []float64{250.0 / 3, 100.0 / 3}},
		{name: "open", qid: "goed", n: 3, skip: 1},
		{name: "wie van de drie counts picks", qid: "waarden", n: 36},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := findQuestion(t, r, tt.qid)
			if q.N != tt.n || q.Skipped != tt.skip {
				t.Errorf("n, skipped: got %v, %v, want %v, %v", q.N, q.Skipped, tt.n, tt.skip)
			}
			if len(q.Options) != len(tt.counts) {
				t.Fatalf("options: got %v, want %v", len(q.Options), len(tt.counts))
			}
			for i, o := range q.Options {
				if o.Count != tt.counts[i] || !near(o.Percent, tt.percents[i]) {
					t.Errorf("option %s: got %v (%v%%), want %v (%v%%)", o.ID, o.Count, o.Percent, tt.counts[i], tt.percents[i])
				}
			}
			if !near(q.Mean, tt.mean) || !near(q.Agree, tt.agree) {
				t.Errorf("mean, agree: got %v, %v, want %v, %v", q.Mean, q.Agree, tt.mean, tt.agree)
			}
		})
	}
}

func findQuestion(t *testing.T, r *Results, id string) QuestionResult {
	t.Helper()
	for _, q := range r.Questions {
		if q.ID == id {
			return q
		}
	}
	t.Fatalf("question %q: got none, want one", id)
	return QuestionResult{}
}

func TestComputeRanking(t *testing.T) {
	got := findQuestion(t, resResults(), "waarden").Ranking
	want := []RankResult{
		{ID: "a", Label: "Groen", Wins: 22, Shown: 30, WinRate: 22.0 / 30, Rank: 1},
		{ID: "b", Label: "Veilig", Wins: 9, Shown: 26, WinRate: 9.0 / 26, Rank: 2},
		{ID: "c", Label: "Samen", Wins: 5, Shown: 22, WinRate: 5.0 / 22, Rank: 3},
		// never picked in 30 showings: its maximum-likelihood worth is -∞, so no figure
		{ID: "d", Label: "Betaalbaar", Wins: 0, Shown: 30, WinRate: 0, TooFew: true, Reason: ReasonNeverWon},
		{ID: "e", Label: "Sportief", NotShown: true},
	}
	// The figure from the tallies equals the one fitted to the picks they came
	// from (the top-1 model on the triads, alpha 0.1, then ChosenFromThree);
	// the values are pinned as well.
	ids := []string{"a", "b", "c", "d"}
	var picks []stats.Pick
	for _, p := range waardenPicks {
		for range p.times {
			picks = append(picks, stats.Pick{Winner: slices.Index(ids, p.winner),
				Losers: []int{slices.Index(ids, p.losers[0]), slices.Index(ids, p.losers[1])}})
		}
	}
	theta, err := stats.PlackettLuceTop1(len(ids), picks, rankAlpha)
	if err != nil {
		t.Fatal(err)
	}
	fromPicks := stats.ChosenFromThree(theta)
	wantScore := []float64{0.717535, 0.376278, 0.235876}
	for i := range got {
		if i < len(wantScore) && (math.Abs(got[i].Score-wantScore[i]) > 1e-6 || math.Abs(got[i].Score-fromPicks[i]) > 1e-9) {
			t.Errorf("%s score: got %v, want %v (fitted to the picks: %v)", got[i].ID, got[i].Score, wantScore[i], fromPicks[i])
		}
		if i < len(wantScore) && !(got[i].ScoreLow < got[i].Score && got[i].Score < got[i].ScoreHigh) {
			t.Errorf("%s band: got %v..%v around %v", got[i].ID, got[i].ScoreLow, got[i].ScoreHigh, got[i].Score)
		}
		if i < len(wantScore) && math.Abs(got[i].Worth-theta[i]) > 1e-9 {
			t.Errorf("%s worth: got %v, want %v (fitted to the picks)", got[i].ID, got[i].Worth, theta[i])
		}
		got[i].Score, got[i].ScoreLow, got[i].ScoreHigh, got[i].Worth = 0, 0, 0, 0
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestComputeOneTallyMoves(t *testing.T) {
	tests := []struct {
		name   string
		change map[string]int64
		qid    string
		n      int64
		mean   float64
		agree  float64
		order  []string
	}{
		{name: "unchanged", qid: "luistert", n: 20, mean: 3.35, agree: 50},
		{name: "one more helemaal mee eens", change: map[string]int64{"q:luistert:o:5": 1, "q:luistert:n": 1},
			qid: "luistert", n: 21, mean: 72.0 / 21, agree: 100 * 11.0 / 21},
		{name: "one neutraal becomes mee eens", change: map[string]int64{"q:luistert:o:3": -1, "q:luistert:o:4": 1},
			qid: "luistert", n: 20, mean: 3.4, agree: 55},
		{name: "one more 10", change: map[string]int64{"q:cijfer:o:10": 1, "q:cijfer:n": 1},
			qid: "cijfer", n: 11, mean: 84.0 / 11},
		{name: "samen beats groen and veilig five times and passes veilig", change: picked("c", "a", "b", 5),
			qid: "waarden", n: 41, order: []string{"1 Groen", "2 Samen", "3 Veilig", "0 Betaalbaar", "0 Sportief"}},
		{name: "veilig loses once more", change: picked("a", "b", "d", 1),
			qid: "waarden", n: 37, order: []string{"1 Groen", "2 Veilig", "3 Samen", "0 Betaalbaar", "0 Sportief"}},
		// one showing is too little for a figure or a place, however it went
		{name: "sportief shown once and picked: no place", change: picked("e", "b", "d", 1),
			qid: "waarden", n: 37, order: []string{"1 Groen", "2 Veilig", "3 Samen", "0 Sportief", "0 Betaalbaar"}},
		// once Betaalbaar is picked, its worth is finite and it gets a figure and a place
		{name: "betaalbaar picked once", change: picked("d", "b", "c", 1),
			qid: "waarden", n: 37, order: []string{"1 Groen", "2 Veilig", "3 Samen", "4 Betaalbaar", "0 Sportief"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tallies := resTallies()
			for k, d := range tt.change {
				tallies[k] += d
			}
			q := findQuestion(t, Compute(resSurvey(), resRound, tallies, nil, 10), tt.qid)
			if q.N != tt.n || !near(q.Mean, tt.mean) || !near(q.Agree, tt.agree) {
				t.Errorf("n, mean, agree: got %v, %v, %v, want %v, %v, %v", q.N, q.Mean, q.Agree, tt.n, tt.mean, tt.agree)
			}
			if tt.order == nil {
				return
			}
			var order []string
			for _, rr := range q.Ranking {
				order = append(order, strconv.Itoa(rr.Rank)+" "+rr.Label)
			}
			if !reflect.DeepEqual(order, tt.order) {
				t.Errorf("ranking: got %v, want %v", order, tt.order)
			}
		})
	}
}

// picked is the tally change of times picks of winner over l1 and l2 in the
// fixture's wie van de drie, as surveys.TallyFields records them.
func picked(winner, l1, l2 string, times int64) map[string]int64 {
	change := map[string]int64{}
	for _, f := range surveys.TallyFields(surveys.Question{ID: "waarden", Type: surveys.WieVanDeDrie},
		surveys.Answer{Winner: winner, Losers: []string{l1, l2}}, surveys.Profile{}) {
		change[f] += times
	}
	return change
}

func TestComputeResponse(t *testing.T) {
	tests := []struct {
		name    string
		tallies map[string]int64
		invited int64 // RoundInfo.Invited
		want    [3]int64
		rate    float64
	}{
		{name: "completed of invited", tallies: map[string]int64{"respondents": 42, "completed": 38, "invited": 120},
			want: [3]int64{42, 38, 120}, rate: 38.0 / 120},
		{name: "invited from the round", tallies: map[string]int64{"respondents": 42, "completed": 38}, invited: 100,
			want: [3]int64{42, 38, 100}, rate: 0.38},
		{name: "tally wins over round", tallies: map[string]int64{"respondents": 10, "completed": 5, "invited": 50}, invited: 100,
			want: [3]int64{10, 5, 50}, rate: 0.1},
		{name: "no completed counter: respondents", tallies: map[string]int64{"respondents": 30, "invited": 60},
			want: [3]int64{30, 0, 60}, rate: 0.5},
		{name: "nobody invited", tallies: map[string]int64{"respondents": 30, "completed": 20},
			want: [3]int64{30, 20, 0}, rate: 0},
		{name: "empty", tallies: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Compute(resSurvey(), RoundInfo{ID: "x", Invited: tt.invited}, tt.tallies, nil, 10)
			got := [3]int64{r.Respondents, r.Completed, r.Invited}
			if got != tt.want || !near(r.ResponseRate, tt.rate) {
				t.Errorf("got %v rate %v, want %v rate %v", got, r.ResponseRate, tt.want, tt.rate)
			}
		})
	}
}

func TestComputeBreakdowns(t *testing.T) {
	r := resResults()
	wantKern := []Cell{
		{Group: "Dalfsen", Count: 20},
		{Group: "Hoonhorst", Suppressed: true},
		{Group: "Nieuwleusen", Count: 12},
		{Group: UnknownGroup, Suppressed: true}, // 42 - 36 = 6
	}
	wantLeeftijd := []Cell{
		{Group: "18-34", Suppressed: true},
		{Group: "35-64", Count: 25},
		{Group: "65+", Suppressed: true, Complementary: true}, // else 18-34 = 42-25-12
	}
	if !reflect.DeepEqual(r.ByKern, wantKern) {
		t.Errorf("by kern: got %+v, want %+v", r.ByKern, wantKern)
	}
	if !reflect.DeepEqual(r.ByLeeftijd, wantLeeftijd) {
		t.Errorf("by leeftijd: got %+v, want %+v", r.ByLeeftijd, wantLeeftijd)
	}
}

func TestSuppressCells(t *testing.T) {
	c := func(g string, n int64) Cell { return Cell{Group: g, Count: n} }
	hid := func(g string) Cell { return Cell{Group: g, Suppressed: true} }
	comp := func(g string) Cell { return Cell{Group: g, Suppressed: true, Complementary: true} }
	tests := []struct {
		name      string
		threshold int
		in, want  []Cell
	}{
		{name: "nothing small", threshold: 10, in: []Cell{c("a", 10), c("b", 30)}, want: []Cell{c("a", 10), c("b", 30)}},
		{name: "one small hides the next smallest", threshold: 10,
			in: []Cell{c("a", 50), c("b", 3), c("c", 12), c("d", 40)}, want: []Cell{c("a", 50), hid("b"), comp("c"), c("d", 40)}},
		{name: "next smallest tie goes by group", threshold: 10,
			in: []Cell{c("z", 12), c("b", 3), c("c", 12)}, want: []Cell{c("z", 12), hid("b"), comp("c")}},
		{name: "two small that add up to the threshold", threshold: 10,
			in: []Cell{c("a", 5), c("b", 5), c("c", 30)}, want: []Cell{hid("a"), hid("b"), c("c", 30)}},
		{name: "two small that add up to less", threshold: 10,
			in: []Cell{c("a", 1), c("b", 1), c("c", 30), c("d", 20)}, want: []Cell{hid("a"), hid("b"), c("c", 30), comp("d")}},
		{name: "all small", threshold: 10, in: []Cell{c("a", 1), c("b", 2)}, want: []Cell{hid("a"), hid("b")}},
		{name: "single cell", threshold: 10, in: []Cell{c("a", 4)}, want: []Cell{hid("a")}},
		{name: "threshold 0 hides nothing", threshold: 0, in: []Cell{c("a", 1), c("b", 30)}, want: []Cell{c("a", 1), c("b", 30)}},
		{name: "empty", threshold: 10, in: []Cell{}, want: []Cell{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := append([]Cell{}, tt.in...)
			suppressCells(got, tt.threshold)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestComputeEdgeCases(t *testing.T) {
	t.Run("likert without options gets the standard scale", func(t *testing.T) {
		s := &surveys.Survey{Questions: []surveys.Question{{ID: "q", Type: surveys.Likert}}}
		q := Compute(s, RoundInfo{}, map[string]int64{"q:q:n": 2, "q:q:o:4": 1, "q:q:o:5": 1}, nil, 10).Questions[0]
		if len(q.Options) != 5 || q.Options[3].Label != "Mee eens" || q.Mean != 4.5 || q.Agree != 100 {
			t.Errorf("got %+v, want the 5 standard options, mean 4.5, agree 100", q)
		}
	})
	t.Run("an option no longer in the survey is kept", func(t *testing.T) {
		s := &surveys.Survey{Questions: []surveys.Question{{ID: "q", Type: surveys.Single, Options: []surveys.Option{{ID: "a", Label: "A"}}}}}
		q := Compute(s, RoundInfo{}, map[string]int64{"q:q:n": 3, "q:q:o:a": 1, "q:q:o:weg": 2, "q:q:o:weg:k:Dalfsen": 2}, nil, 10).Questions[0]
		want := []OptionResult{{ID: "a", Label: "A", Count: 1, Percent: 100.0 / 3}, {ID: "weg", Label: "weg", Count: 2, Percent: 200.0 / 3}}
		for i := range q.Options {
			q.Options[i].Low, q.Options[i].High = 0, 0 // intervals: TestComputeStatistics
		}
		if !reflect.DeepEqual(q.Options, want) {
			t.Errorf("got %+v, want %+v", q.Options, want)
		}
	})
	t.Run("a weet-niet option does not count in the mean", func(t *testing.T) {
		opts := append(append([]surveys.Option{}, resLikert...), surveys.Option{ID: "wn", Label: "Weet niet"})
		s := &surveys.Survey{Questions: []surveys.Question{{ID: "q", Type: surveys.Likert, Options: opts}}}
		q := Compute(s, RoundInfo{}, map[string]int64{"q:q:n": 4, "q:q:o:2": 2, "q:q:o:wn": 2}, nil, 10).Questions[0]
		if q.Mean != 2 || q.Agree != 0 {
			t.Errorf("mean, agree: got %v, %v, want 2, 0", q.Mean, q.Agree)
		}
	})
	t.Run("nil survey and nil tallies", func(t *testing.T) {
		r := Compute(nil, RoundInfo{}, nil, nil, 10)
		if r.Questions == nil || r.ByKern == nil || len(r.ByKern) != 0 || r.ResponseRate != 0 {
			t.Errorf("got %+v, want empty non-nil results", r)
		}
		_ = TextSummary(r, true) + StuurgroepSummary(r) + PersonalSummary(lang.Dutch(), r, nil, surveys.Profile{})
	})
	t.Run("open answers are copied", func(t *testing.T) {
		open := map[string][]string{"goed": {"een"}}
		r := Compute(resSurvey(), resRound, resTallies(), open, 10)
		findQuestion(t, r, "goed").Open[0] = "anders"
		if open["goed"][0] != "een" {
			t.Errorf("got %v, want een", open["goed"][0])
		}
	})
}
