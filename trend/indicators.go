package trend

import (
	"slices"
	"strings"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/stats"
	"github.com/participatiebot/participatiebot/surveys"
)

// Status is an indicator's standing: its last figure against its target.
type Status struct {
	QuestionID string `json:"question_id"`
	Text       string `json:"text"`
	Measure    string `json:"measure"`
	Goal       string `json:"goal"`
	Year       int    `json:"year,omitempty"`
	Owner      string `json:"owner"`
	// Verdict is "op koers", "aandacht", "niet op koers" or "nog geen cijfer".
	Verdict string `json:"verdict"`
	// Rule says how the verdict follows from the figure, in one sentence.
	Rule   string  `json:"rule"`
	Last   *Figure `json:"last,omitempty"`
	Change *Change `json:"change,omitempty"`
	// Round is the round of the last figure.
	Round string `json:"round,omitempty"`
}

// Benchmark is the municipality's last figure beside a reference value.
type Benchmark struct {
	QuestionID string  `json:"question_id"`
	Text       string  `json:"text"`
	Measure    string  `json:"measure"`
	Reference  float64 `json:"reference"`
	Source     string  `json:"source"`
	Year       int     `json:"year,omitempty"`
	Own        *Figure `json:"own,omitempty"`
	// Difference is own − reference; Meaningful whether the reference lies outside
	// the own figure's 95% interval (the reference is taken as exact).
	Difference float64 `json:"difference"`
	Meaningful bool    `json:"meaningful"`
	Percent    bool    `json:"percent"`
}

// BenchmarkText says in one sentence when a difference with a reference counts.
const BenchmarkText = "Een verschil met een vergelijkingscijfer is duidelijk als dat cijfer buiten de 95%-marge van ons eigen cijfer ligt; " +
	"anders is het binnen de marge gelijk."

// indicators sets t.Indicators and t.Benchmarks from the survey's.
func (t *Trend) indicators(sv *surveys.Survey, rs []Round) {
	for _, ind := range sv.Indicators {
		s := t.seriesOf(sv, rs, ind.Question, ind.Options)
		st := Status{QuestionID: ind.Question, Owner: ind.Owner, Year: ind.Year, Rule: ind.Rule(), Verdict: "nog geen cijfer"}
		if s == nil {
			t.Indicators = append(t.Indicators, st)
			continue
		}
		st.Text, st.Measure, st.Goal = s.Text, s.Measure, ind.Goal(s.Percent)
		if f, c, ok := s.Last(); ok {
			st.Last, st.Change, st.Round = &f, c, f.Round
			st.Verdict = verdict(ind, f, c)
		}
		t.Indicators = append(t.Indicators, st)
	}
	for _, ref := range sv.References {
		s := t.seriesOf(sv, rs, ref.Question, ref.Options)
		b := Benchmark{QuestionID: ref.Question, Reference: ref.Value, Source: ref.Source, Year: ref.Year}
		if s != nil {
			b.Text, b.Measure, b.Percent = s.Text, s.Measure, s.Percent
			if f, _, ok := s.Last(); ok {
				b.Own = &f
				b.Difference = f.Value - ref.Value
				b.Meaningful = ref.Value < f.Low || ref.Value > f.High
			}
		}
		t.Benchmarks = append(t.Benchmarks, b)
	}
}

// verdict applies an indicator's rule (surveys.Indicator.Rule) to its last figure.
func verdict(ind surveys.Indicator, f Figure, c *Change) string {
	wrongWay := c != nil && c.Meaningful && (c.Difference < 0) == ind.AtLeast
	switch {
	case ind.AtLeast && f.Low >= ind.Target, !ind.AtLeast && f.High <= ind.Target:
		if wrongWay {
			return "aandacht"
		}
		return "op koers"
	case ind.AtLeast && f.High < ind.Target, !ind.AtLeast && f.Low > ind.Target:
		return "niet op koers"
	}
	return "aandacht"
}

// seriesOf is the series of a question's headline figure (with the options taken
// together for a choice question), made when the trend has none for it yet.
func (t *Trend) seriesOf(sv *surveys.Survey, rs []Round, qid string, options []string) *Series {
	key := strings.Join(options, "+")
	for i := range t.Series {
		if s := &t.Series[i]; s.QuestionID == qid && s.Option == key {
			return s
		}
	}
	i := slices.IndexFunc(sv.Questions, func(q surveys.Question) bool { return q.ID == qid })
	if i < 0 || len(options) < 2 {
		return nil
	}
	q := sv.Questions[i]
	var labels []string
	for _, o := range q.Options {
		if slices.Contains(options, o.ID) {
			labels = append(labels, "‘"+o.Label+"’")
		}
	}
	measure := "koos " + strings.Join(labels[:len(labels)-1], ", ") + " of " + labels[len(labels)-1]
	t.Series = append(t.Series, build(q, key, measure, true, rs, surveys.Signature(q), optionSet(options)))
	return &t.Series[len(t.Series)-1]
}

// optionSet is the share of those who chose one of the options (a single-choice
// question: each chose one), weighted where the round was.
func optionSet(oids []string) figureOf {
	return func(q results.QuestionResult) (Figure, bool) {
		if q.N <= 0 {
			return Figure{}, false
		}
		var count int64
		var weighted float64
		allWeighted := q.EffectiveN != nil
		for _, o := range q.Options {
			if !slices.Contains(oids, o.ID) {
				continue
			}
			count += o.Count
			if o.Weighted == nil {
				allWeighted = false
			} else {
				weighted += *o.Weighted
			}
		}
		lo, hi := stats.Wilson(count, q.N, z95)
		f := Figure{Value: 100 * float64(count) / float64(q.N), Low: 100 * lo, High: 100 * hi, N: float64(q.N), share: true}
		if allWeighted {
			lo, hi := stats.WilsonEffective(weighted/100, *q.EffectiveN, z95)
			f = Figure{Value: weighted, Low: 100 * lo, High: 100 * hi, N: *q.EffectiveN, Weighted: true, share: true}
		}
		return f, true
	}
}
