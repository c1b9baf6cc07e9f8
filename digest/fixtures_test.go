package digest

import (
	"strconv"
	"time"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/participatiebot/participatiebot/themes"
)

// The fixtures are results built by hand, worded as the example surveys in
// examples/, with figures that can be checked by hand.

// cet is the municipality's winter time, fixed so the tests need no tzdata.
var cet = time.FixedZone("CET", 3600)

// Hostile labels, as a survey file could hold them.
const (
	hostileScript = "<script>alert(1)</script>"
	hostileLink   = "[klik](http://x)"
)

// openAnswers are answers to the open question; none may appear in a digest.
var openAnswers = []string{
	"Meer bankjes langs het fietspad bij de Vecht, graag",
	"Het fietspad naar Lemelerveld is gevaarlijk in het donker",
	"Graag een veilig fietspad voor de kinderen van de basisschool",
	"Zet meer bankjes neer bij het gemeentehuis",
	"Niets, alles prima zo",
}

// period is November 2026.
var (
	periodFrom = time.Date(2026, 11, 1, 0, 0, 0, 0, cet)
	periodTo   = time.Date(2026, 12, 1, 0, 0, 0, 0, cet)
)

// options are scale options "1".."k" with the given counts and their
// percentages of n, the sum of the counts.
func options(labels []string, counts []int64) ([]results.OptionResult, int64) {
	var n int64
	for _, c := range counts {
		n += c
	}
	out := make([]results.OptionResult, len(labels))
	for i, l := range labels {
		out[i] = results.OptionResult{ID: strconv.Itoa(i + 1), Label: l, Count: counts[i], Percent: 100 * float64(counts[i]) / float64(n)}
	}
	return out, n
}

// vertrouwen is the likert statement on trust in the gemeente: 25 of 40 (62,5%)
// agree.
func vertrouwen() results.QuestionResult {
	opts, n := options([]string{"Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens"},
		[]int64{2, 5, 8, 15, 10})
	return results.QuestionResult{
		ID: "vertrouwen", Type: string(surveys.Likert), N: n, Skipped: 2, Options: opts,
		Text: "Ik heb vertrouwen in de gemeente.",
		Mean: 3.65, Median: 4, Agree: 62.5, AgreeLow: 47.03, AgreeHigh: 75.77,
	}
}

// vervoer is a single-choice question with hostile labels, weighted, with
// the weighted share's margin.
func vervoer() results.QuestionResult {
	opts, n := options([]string{"Fiets", hostileScript, hostileLink}, []int64{25, 10, 5})
	w, lo, hi := 58.14, 41.23, 73.3
	opts[0].Weighted, opts[0].WeightedLow, opts[0].WeightedHigh = &w, &lo, &hi
	return results.QuestionResult{ID: "vervoer", Type: string(surveys.Single), N: n, Options: opts,
		Text: "Hoe gaat u meestal naar het centrum?"}
}

// prioriteit is a wie-van-de-drie ranking.
func prioriteit() results.QuestionResult {
	return results.QuestionResult{
		ID: "prioriteit", Type: string(surveys.WieVanDeDrie), N: 36,
		Text: "Wat moet de gemeente als eerste aanpakken?",
		Ranking: []results.RankResult{
			{ID: "groen", Label: "Meer groen in de kernen", Wins: 22, Shown: 30, WinRate: 22.0 / 30, Score: 0.853, ScoreLow: 0.75, ScoreHigh: 0.93, Rank: 1},
			{ID: "veilig", Label: "Veilige fietsroutes", Wins: 10, Shown: 30, WinRate: 10.0 / 30, Score: 0.6, ScoreLow: 0.45, ScoreHigh: 0.72, Rank: 2},
			{ID: "samen", Label: "Samen activiteiten", Wins: 3, Shown: 30, WinRate: 0.1, Score: 0.4, ScoreLow: 0.3, ScoreHigh: 0.5, Rank: 3},
			{ID: "wonen", Label: "Betaalbaar wonen", Wins: 1, Shown: 18, WinRate: 1.0 / 18, Score: 0.15, ScoreLow: 0.05, ScoreHigh: 0.3, Rank: 4},
		},
	}
}

// idee is an open question with its themes.
func idee() results.QuestionResult {
	return results.QuestionResult{
		ID: "idee", Type: string(surveys.Open), N: int64(len(openAnswers)),
		Text: "Wat zou u verbeteren in uw kern?",
		Open: openAnswers,
		Themes: []themes.Theme{
			{Term: "fietspad", Forms: []string{"fietspad"}, Count: 3, Answers: []int{0, 1, 2}},
			{Term: "bankjes", Forms: []string{"bankjes"}, Count: 2, Answers: []int{0, 3}},
		},
		Other: 1,
	}
}

// proces is the procesevaluatie with the given count per mark (index 0 is mark 1).
func proces(counts map[int]int64) results.QuestionResult {
	labels := make([]string, 10)
	c := make([]int64, 10)
	for i := range labels {
		labels[i] = strconv.Itoa(i + 1)
		c[i] = counts[i+1]
	}
	opts, n := options(labels, c)
	var sum int64
	for mark, k := range counts {
		sum += int64(mark) * k
	}
	return results.QuestionResult{
		ID: surveys.ProcesevaluatieID, Type: string(surveys.Rating), N: n, Options: opts,
		Text: "Hoe tevreden bent u over hoe deze ronde verliep? Geef een cijfer van 1 tot 10.",
		Mean: float64(sum) / float64(n),
	}
}

func survey(id, title, wie string, terugkoppeling time.Time) *surveys.Survey {
	return &surveys.Survey{ID: id, Title: title, Language: "nl",
		Card: surveys.Card{WieBeslist: wie, Terugkoppeling: terugkoppeling, Doel: "Weten wat inwoners vinden."}}
}

// burgerpeiling is the first round: 1.200 of 1.920 invited completed (62,5%),
// R-indicator 0,94 and R-score 0,62 with two small kernen taken together,
// procesevaluatie 8× a 7 and 2× a 9 (mean 7,4).
func burgerpeiling() Round {
	pe := proces(map[int]int64{7: 8, 9: 2})
	pe.Median = 7
	r := Round{
		State: StateClosed,
		Results: &results.Results{
			Survey:   survey("burgerpeiling", "Burgerpeiling Dalfsen", "gemeenteraad", time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)),
			SurveyID: "burgerpeiling", Title: "Burgerpeiling Dalfsen",
			Round: results.RoundInfo{ID: "2026-11",
				Opened: time.Date(2026, 11, 2, 9, 0, 0, 0, cet), Closed: time.Date(2026, 11, 16, 0, 0, 0, 0, cet)},
			Respondents: 1234, Completed: 1200, Invited: 1920, ResponseRate: 0.625,
			Threshold: 10,
			Questions: []results.QuestionResult{vertrouwen(), vervoer(), prioriteit(), idee(), pe},
			Afspiegeling: &results.AfspiegelingResult{
				Kern: []results.Representation{
					{Group: "Dalfsen", Respondents: 700, Population: 10000, Rate: 0.07, Share: 0.57, PopShare: 0.35},
					{Group: "Nieuwleusen", Respondents: 500, Population: 10000, Rate: 0.05, Share: 0.41, PopShare: 0.35},
					{Group: "Lemelerveld", Population: 6000, PopShare: 0.21, Suppressed: true},
					{Group: "Hoonhorst", Population: 2500, PopShare: 0.09, Suppressed: true},
				},
				RScore: 0.62, Merged: []string{"Hoonhorst", "Lemelerveld"},
				RIndicators: []results.RIndicator{{Dimension: surveys.DimKern, R: 0.94, Low: 0.93, High: 0.95, Mean: 0.043,
					Merged: []string{"Hoonhorst", "Lemelerveld"}}},
			},
			Weighting: &results.Weighting{Method: "raking", Dimensions: []string{surveys.DimKern, surveys.DimLeeftijd},
				Respondents: 1200, Excluded: 34, EffectiveN: 987.4, Converged: true},
		},
	}
	a := r.Results.Afspiegeling
	a.RIndicator = &a.RIndicators[0]
	return r
}

// goedGoan is the second round: published, the R-score not to be computed,
// procesevaluatie 5× an 8 (mean 8).
func goedGoan() Round {
	pe := proces(map[int]int64{8: 5})
	pe.Median = 8
	return Round{
		State: StatePublished,
		Results: &results.Results{
			Survey:   survey("goed-goan", "Goed goan in Hoonhorst", "college", time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)),
			SurveyID: "goed-goan", Title: "Goed goan in Hoonhorst",
			Round: results.RoundInfo{ID: "2026-11",
				Opened: time.Date(2026, 11, 10, 9, 0, 0, 0, cet), Closed: time.Date(2026, 11, 24, 0, 0, 0, 0, cet)},
			Respondents: 40, Completed: 38,
			Threshold: 10,
			Questions: []results.QuestionResult{vertrouwen(), pe},
			Afspiegeling: &results.AfspiegelingResult{
				Kern: []results.Representation{
					{Group: "Hoonhorst", Respondents: 40, Population: 2500, Rate: 0.016, Share: 1, PopShare: 1},
				},
				RScore: results.RScoreUnavailable,
			},
		},
	}
}

// omgevingsvisie is a round of August whose terugkoppeling, promised for
// 1 oktober 2026, is 61 days late on 1 december.
func omgevingsvisie() Round {
	return Round{
		State: StatePublished,
		Results: &results.Results{
			Survey:   survey("omgevingsvisie", "Omgevingsvisie | fase 2", "gemeenteraad", time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)),
			SurveyID: "omgevingsvisie", Title: "Omgevingsvisie | fase 2",
			Round: results.RoundInfo{ID: "2026-08", Closed: time.Date(2026, 8, 31, 0, 0, 0, 0, cet)},
		},
	}
}

// input is the digest of November 2026.
func input() Input {
	return Input{
		Title: "Gemeente Dalfsen — participatie",
		From:  periodFrom, To: periodTo, Location: cet,
		Rounds:  []Round{burgerpeiling(), goedGoan()},
		Overdue: []Round{omgevingsvisie()},
	}
}
