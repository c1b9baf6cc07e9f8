// Package trend follows the questions of a recurring survey across its rounds:
// per question the figure of every round (the share (zeer) mee eens, the mean
// mark, each option's share, a wie-van-de-drie option's chance) with its interval,
// weighted where the round was weighted, and whether it changed between two rounds
// by a stated test, so that "gestegen" or "gedaald" is said only of a change larger
// than chance explains, and "gelijk gebleven" otherwise.
//
// A question joins the rounds where it was asked the same: each round keeps the
// signature of its questions (surveys.Signature); a round that asked a question of
// the same id in other words or with other options is left out of that question's
// trend, with the reason. Every figure is a round's published figure, so the
// round's disclosure decision applies: a round with too few respondents gives no
// figure.
package trend

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// Round is one round of the survey with its results as published.
type Round struct {
	Round   *storage.Round
	Results *results.Results
}

// Trend is the trend of every question of a survey.
type Trend struct {
	Survey string   `json:"survey"`
	Title  string   `json:"title"`
	Rounds []string `json:"rounds"`
	Series []Series `json:"series"`
	// Indicators are the survey's indicators with their status, Benchmarks its
	// references beside the last figure.
	Indicators []Status    `json:"indicators,omitempty"`
	Benchmarks []Benchmark `json:"benchmarks,omitempty"`
}

// Series is one figure of one question across the rounds.
type Series struct {
	QuestionID string `json:"question_id"`
	// Option is the option of a per-option figure (single choice, wie van de drie).
	Option  string `json:"option,omitempty"`
	Text    string `json:"text"`
	Measure string `json:"measure"`
	// Percent is true for shares (0..100), false for means and chances' scale.
	Percent bool     `json:"percent"`
	Figures []Figure `json:"figures"`
	// Changes are between each figure and the one before it.
	Changes []Change `json:"changes"`
	// Left are the rounds left out of this series, with why (in Dutch).
	Left []Left `json:"left_out,omitempty"`
	// kind is the figure as results.Move names it (results.MoveAgree, …), label
	// the option's label of a per-option figure.
	kind, label string
}

// Figure is a question's figure in one round.
type Figure struct {
	Round string    `json:"round"`
	At    time.Time `json:"at"`
	// Value with its interval (95%, or the 90% band of a wie-van-de-drie chance),
	// over N answers (Kish's effective n where Weighted).
	Value    float64 `json:"value"`
	Low      float64 `json:"low"`
	High     float64 `json:"high"`
	N        float64 `json:"n"`
	Weighted bool    `json:"weighted"`
	// se is the figure's standard error, for the change test of a figure that is
	// no proportion of N (a mean, a chance from a fitted model); 0 for a share.
	se float64
	// share marks a proportion (0..100) of N, tested as one.
	share bool
}

// Change is the difference between two rounds' figures.
type Change struct {
	FromRound  string  `json:"from"`
	ToRound    string  `json:"to"`
	Difference float64 `json:"difference"`
	// Z is the test statistic, Meaningful whether |Z| exceeds 1.96 (5%, two-sided).
	Z          float64 `json:"z"`
	Meaningful bool    `json:"meaningful"`
	// Verdict is "gestegen", "gedaald" or "gelijk gebleven".
	Verdict string `json:"verdict"`
}

// Left is a round left out of a series.
type Left struct {
	Round  string `json:"round"`
	Reason string `json:"reason"`
}

// TestText says in one sentence how a change is tested.
const TestText = "Een verschil heet gestegen of gedaald als het groter is dan het toeval bij zoveel deelnemers verklaart " +
	"(een toets op 5%: voor percentages die van twee proporties, voor gemiddelden die van twee gemiddelden, " +
	"bij gewogen cijfers met het effectieve aantal deelnemers); anders is het gelijk gebleven."

const z95 = 1.959963984540054

// Build makes the trend of survey sv (as loaded now) over its rounds, oldest first.
// Rounds without results (still open) and rounds with too few respondents give no
// figures.
func Build(sv *surveys.Survey, rounds []Round) *Trend {
	rs := slices.Clone(rounds)
	slices.SortStableFunc(rs, func(a, b Round) int { return at(a.Round).Compare(at(b.Round)) })
	t := &Trend{Survey: sv.ID, Title: sv.Title, Series: []Series{}}
	for _, r := range rs {
		t.Rounds = append(t.Rounds, r.Round.ID)
	}
	for _, q := range sv.Questions {
		sig := surveys.Signature(q)
		switch q.Type {
		case surveys.Likert:
			t.Series = append(t.Series, kind(build(q, "", "(zeer) mee eens", true, rs, sig, likert), results.MoveAgree, ""))
		case surveys.Rating:
			t.Series = append(t.Series, kind(build(q, "", "gemiddeld cijfer", false, rs, sig, rating), results.MoveMean, ""))
		case surveys.Single, surveys.Multiple:
			for _, o := range q.Options {
				t.Series = append(t.Series, kind(build(q, o.ID, "koos ‘"+o.Label+"’", true, rs, sig, option(o.ID)), results.MoveOption, o.Label))
			}
		case surveys.WieVanDeDrie:
			for _, o := range q.Options {
				t.Series = append(t.Series, kind(build(q, o.ID, "kans gekozen: ‘"+o.Label+"’", true, rs, sig, chance(o.ID)), results.MoveChance, o.Label))
			}
		}
	}
	t.indicators(sv, rs)
	return t
}

func kind(s Series, kind, label string) Series {
	s.kind, s.label = kind, label
	return s
}

func at(r *storage.Round) time.Time {
	if !r.OpenedAt.IsZero() {
		return r.OpenedAt
	}
	return r.OpensAt
}

// figureOf reads one question's figure from a round's results; false when it has none.
type figureOf func(q results.QuestionResult) (Figure, bool)

func build(q surveys.Question, option, measure string, percent bool, rs []Round, sig string, of figureOf) Series {
	s := Series{QuestionID: q.ID, Option: option, Text: q.Text, Measure: measure, Percent: percent, Figures: []Figure{}, Changes: []Change{}}
	for _, r := range rs {
		if w := r.Round.Wording; w != nil && w[q.ID] != sig {
			reason := "de vraag was in deze ronde anders gesteld (andere tekst of andere antwoorden): een trend over verschillende vragen is geen trend"
			if w[q.ID] == "" {
				reason = "deze ronde stelde de vraag niet"
			}
			s.Left = append(s.Left, Left{Round: r.Round.ID, Reason: reason})
			continue
		}
		if r.Results == nil || r.Results.TooFew || r.Results.Live {
			continue
		}
		i := slices.IndexFunc(r.Results.Questions, func(x results.QuestionResult) bool { return x.ID == q.ID })
		if i < 0 {
			continue
		}
		f, ok := of(r.Results.Questions[i])
		if !ok {
			continue
		}
		f.Round, f.At = r.Round.ID, at(r.Round)
		if n := len(s.Figures); n > 0 {
			s.Changes = append(s.Changes, change(s.Figures[n-1], f))
		}
		s.Figures = append(s.Figures, f)
	}
	return s
}

// change tests the difference of two figures: for shares the two-proportion z-test
// with the pooled share, for means the difference of two independent means.
func change(a, b Figure) Change {
	c := Change{FromRound: a.Round, ToRound: b.Round, Difference: b.Value - a.Value}
	var se float64
	if a.share && b.share && a.N > 0 && b.N > 0 { // shares: the test of two proportions
		p1, p2 := a.Value/100, b.Value/100
		pooled := (p1*a.N + p2*b.N) / (a.N + b.N)
		se = 100 * math.Sqrt(pooled*(1-pooled)*(1/a.N+1/b.N))
	} else {
		se = math.Hypot(a.se, b.se)
	}
	switch {
	case se > 0:
		c.Z = c.Difference / se
		c.Meaningful = math.Abs(c.Z) > z95
	default:
		c.Meaningful = math.Abs(c.Difference) > 1e-9
	}
	switch {
	case !c.Meaningful:
		c.Verdict = "gelijk gebleven"
	case c.Difference > 0:
		c.Verdict = "gestegen"
	default:
		c.Verdict = "gedaald"
	}
	return c
}

func likert(q results.QuestionResult) (Figure, bool) {
	n := float64(q.N)
	for _, o := range q.Options {
		if o.ID == surveys.WeetNietID {
			n -= float64(o.Count)
		}
	}
	if n <= 0 {
		return Figure{}, false
	}
	f := Figure{Value: q.Agree, Low: q.AgreeLow, High: q.AgreeHigh, N: n, share: true}
	if q.WeightedAgree != nil && q.WeightedAgreeLow != nil && q.WeightedAgreeHigh != nil && q.EffectiveN != nil {
		f = Figure{Value: *q.WeightedAgree, Low: *q.WeightedAgreeLow, High: *q.WeightedAgreeHigh, N: *q.EffectiveN, Weighted: true, share: true}
	}
	return f, true
}

func rating(q results.QuestionResult) (Figure, bool) {
	var n, sum, sq float64
	for _, o := range q.Options {
		v, err := strconv.ParseFloat(o.ID, 64)
		if err != nil {
			continue // "weet ik niet"
		}
		c := float64(o.Count)
		n += c
		sum += c * v
		sq += c * v * v
	}
	if n < 2 {
		return Figure{}, false
	}
	mean := sum / n
	variance := max(sq/n-mean*mean, 0) * n / (n - 1)
	f := Figure{Value: mean, N: n}
	if q.WeightedMean != nil && q.EffectiveN != nil && *q.EffectiveN > 0 {
		f.Value, f.N, f.Weighted = *q.WeightedMean, *q.EffectiveN, true
	}
	f.se = math.Sqrt(variance / f.N)
	f.Low, f.High = f.Value-z95*f.se, f.Value+z95*f.se
	return f, true
}

func option(oid string) figureOf {
	return func(q results.QuestionResult) (Figure, bool) {
		if q.N <= 0 {
			return Figure{}, false
		}
		for _, o := range q.Options {
			if o.ID != oid {
				continue
			}
			f := Figure{Value: o.Percent, Low: o.Low, High: o.High, N: float64(q.N), share: true}
			if o.Weighted != nil && o.WeightedLow != nil && o.WeightedHigh != nil && q.EffectiveN != nil {
				f = Figure{Value: *o.Weighted, Low: *o.WeightedLow, High: *o.WeightedHigh, N: *q.EffectiveN, Weighted: true, share: true}
			}
			return f, true
		}
		return Figure{}, false
	}
}

// chance is a wie-van-de-drie option's chance to be picked (results' Score) with
// its 90% band; its standard error is read back from the band on the scale shown.
func chance(oid string) figureOf {
	return func(q results.QuestionResult) (Figure, bool) {
		for _, r := range q.Ranking {
			if r.ID != oid || r.TooFew || r.NotShown {
				continue
			}
			const z90 = 1.6448536269514722
			f := Figure{Value: 100 * r.Score, Low: 100 * r.ScoreLow, High: 100 * r.ScoreHigh, N: float64(r.Shown)}
			f.se = (f.High - f.Low) / (2 * z90)
			return f, true
		}
		return Figure{}, false
	}
}

// Last is the series' newest figure and the change to it; false without figures.
func (s Series) Last() (Figure, *Change, bool) {
	if len(s.Figures) == 0 {
		return Figure{}, nil, false
	}
	f := s.Figures[len(s.Figures)-1]
	if len(s.Changes) == 0 {
		return f, nil, true
	}
	return f, &s.Changes[len(s.Changes)-1], true
}

// String is the series' newest move in one line: "Vorige keer 42%, nu 47%
// (gestegen)".
func (s Series) String() string {
	f, c, ok := s.Last()
	if !ok {
		return ""
	}
	if c == nil {
		return "Nu " + Value(f.Value, s.Percent) + " (de eerste meting)"
	}
	prev := s.Figures[len(s.Figures)-2]
	return fmt.Sprintf("Vorige keer %s, nu %s (%s)", Value(prev.Value, s.Percent), Value(f.Value, s.Percent), c.Verdict)
}

// Since is how the main figure of round rid moved since the round before it, in one
// line for residents ("‘De gemeente luistert …’, (zeer) mee eens: vorige keer 42%,
// nu 47% (gestegen)"): the first indicator's figure, or else the first question, in
// survey order, with a figure in both; "" when there is none (a first round, or too
// few respondents).
func (t *Trend) Since(rid string) string {
	s, prev, f, c, ok := t.since(rid)
	if !ok {
		return ""
	}
	return fmt.Sprintf("‘%s’, %s: vorige keer %s, nu %s (%s)", clipText(s.Text, 90), s.Measure,
		Value(prev.Value, s.Percent), Value(f.Value, s.Percent), c.Verdict)
}

// Move is the move of Since as figures, for residents to read it in their own
// language (results.Move.Text; in Dutch "Sinds de vorige ronde: " and Since);
// nil when Since is "".
func (t *Trend) Move(rid string) *results.Move {
	s, prev, f, c, ok := t.since(rid)
	if !ok {
		return nil
	}
	change := results.MoveSame
	switch {
	case !c.Meaningful:
	case c.Difference > 0:
		change = results.MoveUp
	default:
		change = results.MoveDown
	}
	return &results.Move{QuestionID: s.QuestionID, Question: clipText(s.Text, 90), OptionID: s.Option, Label: s.label,
		Measure: s.kind, Before: prev.Value, Now: f.Value, Percent: s.Percent, Change: change}
}

// since finds the series of Since, with the figures before and in round rid and
// the change between them.
func (t *Trend) since(rid string) (Series, Figure, Figure, Change, bool) {
	// the main figure is the first indicator's, else the first question's
	series := t.Series
	if len(t.Indicators) > 0 {
		first := t.Indicators[0]
		if i := slices.IndexFunc(t.Series, func(s Series) bool { return s.QuestionID == first.QuestionID && s.Measure == first.Measure }); i >= 0 {
			series = append([]Series{t.Series[i]}, t.Series...)
		}
	}
	for _, s := range series {
		for i, f := range s.Figures {
			if f.Round != rid || i == 0 {
				continue
			}
			return s, s.Figures[i-1], f, s.Changes[i-1], true
		}
	}
	return Series{}, Figure{}, Figure{}, Change{}, false
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Reworded lists the questions of sv (by id, in survey order) that round r asked
// in other words or with other options: their trend would start again. None for a
// round that kept no wording.
func Reworded(sv *surveys.Survey, r *storage.Round) []string {
	var out []string
	for _, q := range sv.Questions {
		if sig, ok := r.Wording[q.ID]; ok && sig != surveys.Signature(q) {
			out = append(out, q.ID)
		}
	}
	return out
}
