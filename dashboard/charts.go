package dashboard

import (
	"strconv"

	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/participatiebot/participatiebot/themes"
)

// questionView is one question's results, ready for the charts. Every chart is
// drawn next to (never instead of) the numbers as text.
type questionView struct {
	Number             int
	ID, Text, Category string
	Type               surveys.QuestionType
	TypeLabel          string
	N, Skipped         int64
	Mean, Agree        string
	MultipleNote       bool
	Bars               []barView
	Likert             []segment
	Rank               results.RankView // wie van de drie as every report shows it (results.Ranked)
	Open               []string
	// Languages are the open answers per language, when not all were Dutch.
	Languages           []langAnswersView
	RatingScale, Choice bool
	// Interval is the 95% interval of Agree in words (results.IntervalText);
	// Median the middle mark of a rating.
	Interval, Median string
	// Weighted are the figures weighted to the population ("" when not
	// weighted), the agreement with its margin.
	WeightedAgree, WeightedMean string
	HasWeighted                 bool
	// Themes group the open answers; Other counts those in no theme.
	Themes []themes.Theme
	Other  int
	// OpenRead is set when only that many of the N open answers were read (a
	// large round): the themes and the answers shown are theirs.
	OpenRead int64
}

// barView is one bar: an option with its count and percentage of N.
type barView struct {
	Label   string
	Count   int64
	Percent float64
	// Interval is the 95% Wilson interval ("48,1%–75,2%"), Weighted the
	// weighted percentage ("") and WeightedMargin its interval, the
	// weighting taken into account ("95%-marge: 41%–57%", see
	// results.WeightedMargin).
	Interval, Weighted, WeightedMargin string
}

// segment is one part of a stacked 100% Likert bar; X is where it starts (0..100).
type segment struct {
	Label      string
	Count      int64
	Percent, X float64
	// Class picks its colour (l1..l5 from the colour-blind safe PuOr scheme, lx for
	// an option outside the scale).
	Class string
}

var typeLabels = map[surveys.QuestionType]string{
	surveys.Single:       "één keuze",
	surveys.Multiple:     "meerdere keuzes",
	surveys.Likert:       "stelling (vijfpuntsschaal)",
	surveys.Rating:       "rapportcijfer 1–10",
	surveys.Open:         "open vraag",
	surveys.WieVanDeDrie: "wie van de drie",
}

func questionViews(res *results.Results) []questionView {
	out := make([]questionView, 0, len(res.Questions))
	for i, q := range res.Questions {
		t := surveys.QuestionType(q.Type)
		v := questionView{Number: i + 1, ID: q.ID, Text: q.Text, Category: q.Category, Type: t,
			TypeLabel: typeLabels[t], N: q.N, Skipped: q.Skipped, Rank: results.Ranked(q.Ranking), Open: q.Open,
			Themes: q.Themes, Other: q.Other, OpenRead: q.OpenRead, Languages: langAnswers(q.Languages)}
		if q.WeightedAgree != nil {
			v.WeightedAgree = dutchPercent(*q.WeightedAgree)
			if m := results.WeightedMargin(q.WeightedAgreeLow, q.WeightedAgreeHigh); m != "" {
				v.WeightedAgree += " (" + m + ")"
			}
		}
		if q.WeightedMean != nil {
			v.WeightedMean = dutchDecimal(*q.WeightedMean, 1)
		}
		if v.TypeLabel == "" {
			v.TypeLabel = q.Type
		}
		switch t {
		case surveys.Likert:
			v.Likert = likertSegments(q.Options)
			v.Agree = dutchPercent(q.Agree)
			v.Interval = results.IntervalText(q.AgreeLow, q.AgreeHigh)
			v.Mean = dutchDecimal(q.Mean, 1)
		case surveys.Single, surveys.Multiple, surveys.Rating:
			v.Choice = true
			v.MultipleNote = t == surveys.Multiple
			v.RatingScale = t == surveys.Rating
			for _, o := range q.Options {
				b := barView{Label: o.Label, Count: o.Count, Percent: o.Percent,
					Interval: dutchPercent(o.Low) + "–" + dutchPercent(o.High)}
				if o.Weighted != nil {
					b.Weighted = dutchPercent(*o.Weighted)
					b.WeightedMargin = results.WeightedMargin(o.WeightedLow, o.WeightedHigh)
					v.HasWeighted = true
				}
				v.Bars = append(v.Bars, b)
			}
			if t == surveys.Rating {
				v.Mean = dutchDecimal(q.Mean, 1)
				v.Median = dutchDecimal(q.Median, 1)
			}
		}
		out = append(out, v)
	}
	return out
}

// likertSegments lays the options of a Likert question end to end.
func likertSegments(opts []results.OptionResult) []segment {
	out := make([]segment, 0, len(opts))
	x := 0.0
	for i, o := range opts {
		class := "lx"
		if i < 5 {
			class = "l" + strconv.Itoa(i+1)
		}
		out = append(out, segment{Label: o.Label, Count: o.Count, Percent: o.Percent, X: x, Class: class})
		x += o.Percent
	}
	return out
}

// afspiegeling is who answered against the population.
type afspiegeling struct {
	Threshold int
	// HasPopulation is false without a population file: only respondents are shown.
	HasPopulation bool
	Source        string
	Kernen        []groupRow
	Total         groupRow
	Leeftijd      []groupRow
	// Taal are the respondents per language they read the round in; none when
	// everyone read Dutch.
	Taal []groupRow
	// Suppressed is set when some cell is hidden, to explain "<10" and "≥10".
	Suppressed bool
	// RIndicator, RScore and Weighting are the headline figures in words
	// (results' explanations, as every report says them; the R-indicator's
	// with the response rates per group); nil when there are none.
	RIndicator, RScore, Weighting *results.Explanation
	// HasAgePopulation is set when the population table has leeftijdsgroepen.
	HasAgePopulation bool
}

// groupRow is one group of a breakdown. Count is "<10" or "≥10" for a suppressed
// cell, and then no number derived from it (share, response rate) is shown either.
type groupRow struct {
	Group, Count, Share   string
	Inhabitants, PopShare string
	ResponseRate          string
	SharePct, PopPct      float64
	// Suppressed hides the cell; HasPop is set when the population is known.
	Suppressed, HasPop bool
}

var leeftijdLabels = func() map[string]string {
	m := map[string]string{results.UnknownGroup: "onbekend (niet opgegeven)"}
	for _, g := range surveys.Leeftijdsgroepen {
		m[g.ID] = g.Label
	}
	return m
}()

func (s *server) afspiegeling(res *results.Results) afspiegeling {
	a := afspiegeling{Threshold: res.Threshold, HasPopulation: s.cfg.Population != nil,
		HasAgePopulation: s.cfg.Population != nil && len(s.cfg.Population.Leeftijd) > 0}
	if e, ok := results.RIndicatorExplained(res); ok {
		a.RIndicator = &e
	}
	if e, ok := results.RScoreExplained(res); ok {
		a.RScore = &e
	}
	if e, ok := results.WeightingExplained(res); ok {
		a.Weighting = &e
	}
	pop := s.cfg.Population
	cells := map[string]results.Cell{}
	for _, c := range res.ByKern {
		cells[c.Group] = c
	}
	var order []string
	if pop != nil {
		a.Source = pop.Source
		order = pop.Names()
	}
	for _, c := range res.ByKern {
		if _, inPop := popCount(pop, c.Group); !inPop {
			order = append(order, c.Group)
		}
	}
	hiddenPop := map[string]results.Cell{} // kernen the decision hides without listing them in ByKern
	if res.Afspiegeling != nil {
		for _, row := range res.Afspiegeling.Kern {
			if row.Suppressed {
				hiddenPop[row.Group] = results.Cell{Group: row.Group, Suppressed: true, Complementary: row.Complementary}
			}
		}
	}
	for _, g := range order {
		c, ok := cells[g]
		if !ok {
			c, ok = hiddenPop[g]
		}
		if !ok {
			c = results.Cell{Group: g} // a kern of the population nobody from answered
		}
		row := s.groupRow(c, res)
		if g == results.UnknownGroup {
			row.Group = "onbekend (niet opgegeven)"
		}
		if n, ok := popCount(pop, g); ok {
			row.HasPop = true
			row.Inhabitants = dutchInt(int64(n))
			row.PopPct = share(int64(n), int64(pop.Total))
			row.PopShare = dutchPercent(row.PopPct)
			row.ResponseRate = "–"
			if !c.Suppressed && n > 0 {
				row.ResponseRate = dutchDecimal(share(c.Count, int64(n)), 2) + "%"
			}
		}
		a.Kernen = append(a.Kernen, row)
		a.Suppressed = a.Suppressed || c.Suppressed
	}
	a.Total = groupRow{Group: "Totaal", Count: dutchInt(res.Respondents), Share: dutchPercent(100), SharePct: 100}
	if pop != nil {
		a.Total.HasPop = true
		a.Total.Inhabitants = dutchInt(int64(pop.Total))
		a.Total.PopShare, a.Total.PopPct = dutchPercent(100), 100
		a.Total.ResponseRate = dutchDecimal(share(res.Respondents, int64(pop.Total)), 2) + "%"
	}
	for _, c := range res.ByLeeftijd {
		row := s.groupRow(c, res)
		if l, ok := leeftijdLabels[c.Group]; ok {
			row.Group = l
		}
		a.Leeftijd = append(a.Leeftijd, row)
		a.Suppressed = a.Suppressed || c.Suppressed
	}
	for _, c := range results.LangCells(res.ByTaal) {
		a.Taal = append(a.Taal, s.groupRow(c, res))
		a.Suppressed = a.Suppressed || c.Suppressed
	}
	return a
}

// groupRow shows a cell as surveys marked it: a suppressed cell as "<threshold",
// a complementary one as "≥threshold", never its number.
func (s *server) groupRow(c results.Cell, res *results.Results) groupRow {
	row := groupRow{Group: c.Group, Suppressed: c.Suppressed}
	t := strconv.Itoa(res.Threshold)
	switch {
	case c.Complementary:
		row.Count, row.Share = "≥"+t, "–"
	case c.Suppressed:
		row.Count, row.Share = "<"+t, "–"
	default:
		row.Count = dutchInt(c.Count)
		row.SharePct = share(c.Count, res.Respondents)
		row.Share = dutchPercent(row.SharePct)
	}
	return row
}

func popCount(p *surveys.Population, kern string) (int, bool) {
	if p == nil {
		return 0, false
	}
	n, ok := p.Kernen[kern]
	return n, ok
}

// share is part as a percentage of whole, 0 when whole is 0.
func share(part, whole int64) float64 {
	if whole <= 0 {
		return 0
	}
	return 100 * float64(part) / float64(whole)
}

// langAnswersView is the open answers of one language as the round page shows
// them: the language's Dutch name, how many, its themes.
type langAnswersView struct {
	Name       string
	N          int
	Suppressed bool
	Themes     []themes.Theme
}

func langAnswers(ls []results.LangAnswers) []langAnswersView {
	var out []langAnswersView
	for _, l := range ls {
		out = append(out, langAnswersView{Name: lang.Code(l.Lang).DutchName(), N: l.N, Suppressed: l.Suppressed, Themes: l.Themes})
	}
	return out
}
