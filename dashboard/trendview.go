package dashboard

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/participatiebot/participatiebot/trend"
)

// trendData is the trend page: the series with figures, then the indicators and
// the benchmarks, every number already written the Dutch way.
type trendData struct {
	ID string
	// Rounds says how many rounds the trend covers.
	Rounds string
	Series []seriesView
	// Empty are the series without any figure yet, as "text — measure".
	Empty                   []string
	Indicators              []indicatorView
	Benchmarks              []benchmarkView
	TestText, BenchmarkText string
}

// seriesView is one figure of one question across the rounds.
type seriesView struct {
	Anchor, Text, Measure string
	// Summary is the newest move in words ("Vorige keer 30%, nu 70% (gestegen)").
	Summary string
	// Band names the interval: the 95%-marge, or a wie-van-de-drie chance's 90%-band.
	Band  string
	Rows  []figureRow
	Left  []trend.Left
	Spark sparkline
	// Without are the rounds that gave this series no figure and were not left
	// out for their wording: still open, too few respondents, or nobody answered.
	Without []string
}

// figureRow is a series' figure in one round.
type figureRow struct {
	Round, Date, DateISO, Value, Low, High, N string
	Weighted                                  bool
	// First is set for the first figure; Verdict and Difference are the change
	// since the figure before.
	First               bool
	Verdict, Difference string
	Meaningful          bool
}

// indicatorView is an indicator's status.
type indicatorView struct {
	Text, Measure, Verdict, Class, Symbol string
	// Last is the last figure, Low and High its margin, in Round; Change the
	// verdict since the round before ("" without one).
	Last, Low, High, Round, Change string
	Goal, Owner, Rule              string
	Year                           int
}

// benchmarkView is the last figure beside a reference.
type benchmarkView struct {
	Text, Measure, Own, Low, High, Reference, Source, Verdict, Difference string
	Year                                                                  int
	Meaningful                                                            bool
}

func newTrendData(sv *surveys.Survey, t *trend.Trend, loc *time.Location) trendData {
	d := trendData{ID: sv.ID, Rounds: dutch.Plural(int64(len(t.Rounds)), "ronde", "rondes"),
		TestText: trend.TestText, BenchmarkText: trend.BenchmarkText}
	for i, s := range t.Series {
		if len(s.Figures) == 0 && len(s.Left) == 0 {
			d.Empty = append(d.Empty, "‘"+s.Text+"’ — "+s.Measure)
			continue
		}
		d.Series = append(d.Series, newSeriesView(sv, t, s, i, loc))
	}
	for _, st := range t.Indicators {
		d.Indicators = append(d.Indicators, newIndicatorView(st))
	}
	for _, b := range t.Benchmarks {
		d.Benchmarks = append(d.Benchmarks, newBenchmarkView(b))
	}
	return d
}

func newSeriesView(sv *surveys.Survey, t *trend.Trend, s trend.Series, i int, loc *time.Location) seriesView {
	v := seriesView{Anchor: "reeks-" + strconv.Itoa(i+1), Text: s.Text, Measure: s.Measure, Summary: s.String(),
		Band: "95%-marge", Left: s.Left, Spark: newSparkline(s)}
	if q := slices.IndexFunc(sv.Questions, func(q surveys.Question) bool { return q.ID == s.QuestionID }); q >= 0 &&
		sv.Questions[q].Type == surveys.WieVanDeDrie {
		v.Band = "90%-band"
	}
	for k, f := range s.Figures {
		row := figureRow{Round: f.Round, Date: dutchDate(f.At.In(loc)), DateISO: f.At.Format("2006-01-02"),
			Value: trend.Value(f.Value, s.Percent), Low: trend.Value(f.Low, s.Percent), High: trend.Value(f.High, s.Percent),
			N: strings.TrimSuffix(dutch.Decimal(f.N, 1), ",0"), Weighted: f.Weighted, First: k == 0}
		if k > 0 {
			c := s.Changes[k-1]
			row.Verdict, row.Difference, row.Meaningful = c.Verdict, trend.Signed(c.Difference, s.Percent), c.Meaningful
		}
		v.Rows = append(v.Rows, row)
	}
	for _, rid := range t.Rounds {
		figure := slices.ContainsFunc(s.Figures, func(f trend.Figure) bool { return f.Round == rid })
		left := slices.ContainsFunc(s.Left, func(l trend.Left) bool { return l.Round == rid })
		if !figure && !left {
			v.Without = append(v.Without, rid)
		}
	}
	return v
}

func newIndicatorView(st trend.Status) indicatorView {
	v := indicatorView{Text: st.Text, Measure: st.Measure, Verdict: st.Verdict, Class: verdictClass(st.Verdict),
		Symbol: verdictSymbols[st.Verdict], Goal: st.Goal, Owner: st.Owner, Rule: st.Rule, Year: st.Year, Round: st.Round}
	if v.Text == "" {
		v.Text = st.QuestionID
	}
	if f := st.Last; f != nil {
		// the goal carries the unit: "≥ 50%" for a share, "≥ 7" for a mark
		percent := strings.HasSuffix(st.Goal, "%")
		v.Last, v.Low, v.High = trend.Value(f.Value, percent), trend.Value(f.Low, percent), trend.Value(f.High, percent)
	}
	if st.Change != nil {
		v.Change = st.Change.Verdict
	}
	return v
}

func newBenchmarkView(b trend.Benchmark) benchmarkView {
	v := benchmarkView{Text: b.Text, Measure: b.Measure, Reference: trend.Value(b.Reference, b.Percent), Source: b.Source,
		Year: b.Year, Meaningful: b.Meaningful, Verdict: "nog geen eigen cijfer"}
	if v.Text == "" {
		v.Text = b.QuestionID
	}
	if f := b.Own; f != nil {
		v.Own, v.Low, v.High = trend.Value(f.Value, b.Percent), trend.Value(f.Low, b.Percent), trend.Value(f.High, b.Percent)
		v.Difference = trend.Signed(b.Difference, b.Percent)
		switch {
		case !b.Meaningful:
			v.Verdict = "binnen de marge gelijk"
		case b.Difference > 0:
			v.Verdict = "duidelijk hoger"
		default:
			v.Verdict = "duidelijk lager"
		}
	}
	return v
}

// verdictClass is the CSS class of an indicator's verdict: "op-koers".
func verdictClass(verdict string) string {
	return "oordeel-" + strings.ReplaceAll(verdict, " ", "-")
}

// verdictSymbols go before the verdict's text, so that its colour is not the
// only cue that tells one verdict from another (WCAG 1.4.1).
var verdictSymbols = map[string]string{"op koers": "✓", "aandacht": "!", "niet op koers": "✗", "nog geen cijfer": "–"}
