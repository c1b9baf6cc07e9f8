package public

import (
	"math"
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

// questionView is one question's results. Every figure is a table with the
// numbers as text; the bars beside them are drawn for the eye only
// (aria-hidden), so a screen reader reads each number once.
type questionView struct {
	Number          int
	ID, Text        string
	TypeLabel, Base string
	// Summary is the headline in words: the agreement with its interval for a
	// statement, the mean mark for a rating.
	Summary string
	Bars    []barView
	Rank    results.RankView
	// Kind picks the figure: "bars", "rank" or "open".
	Kind string
	// Multiple notes that the percentages add up to more than 100.
	Multiple    bool
	HasWeighted bool
}

// barView is one option with its count, percentage and interval.
type barView struct {
	Label, Count, Percent string
	// Interval is the 95% interval in words ("tussen 48% en 75%"), Weighted the
	// weighted percentage with its margin ("" when not weighted).
	Interval, Weighted string
	// Width is the bar's length, 0..100.
	Width string
}

var typeLabels = map[surveys.QuestionType]string{
	surveys.Single:       "één keuze",
	surveys.Multiple:     "meerdere keuzes",
	surveys.Likert:       "stelling",
	surveys.Rating:       "rapportcijfer 1 tot 10",
	surveys.Open:         "open vraag",
	surveys.WieVanDeDrie: "wie van de drie",
}

func questionViews(res *results.Results) []questionView {
	out := make([]questionView, 0, len(res.Questions))
	for i, q := range res.Questions {
		t := surveys.QuestionType(q.Type)
		v := questionView{Number: i + 1, ID: q.ID, Text: q.Text, TypeLabel: typeLabels[t], Kind: "bars",
			Base: dutch.Plural(q.N, "antwoord", "antwoorden")}
		if v.TypeLabel == "" {
			v.TypeLabel = q.Type
		}
		if q.Skipped > 0 {
			v.Base += ", " + dutch.Int(q.Skipped) + " overgeslagen"
		}
		switch t {
		case surveys.Open:
			v.Kind = "open"
		case surveys.WieVanDeDrie:
			v.Kind, v.Rank = "rank", results.Ranked(q.Ranking)
			v.Base = dutch.Plural(q.N, "keuze", "keuzes") + " gemaakt"
		case surveys.Likert:
			v.Summary = percent(q.Agree) + " (helemaal) mee eens, " + results.IntervalText(q.AgreeLow, q.AgreeHigh)
			if q.WeightedAgree != nil {
				v.Summary += "; gewogen " + percent(*q.WeightedAgree)
				if m := results.WeightedMargin(q.WeightedAgreeLow, q.WeightedAgreeHigh); m != "" {
					v.Summary += " (" + m + ")"
				}
			}
			v.Summary += ". Gemiddeld " + dutch.Decimal(q.Mean, 1) + " op een schaal van 1 (helemaal mee oneens) tot 5 (helemaal mee eens)."
		case surveys.Rating:
			v.Summary = "Gemiddeld rapportcijfer " + dutch.Decimal(q.Mean, 1)
			if q.WeightedMean != nil {
				v.Summary += " (gewogen " + dutch.Decimal(*q.WeightedMean, 1) + ")"
			}
			v.Summary += "; de helft gaf " + dutch.Median(q.Median) + " of lager, de helft " + dutch.Median(q.Median) + " of hoger."
		case surveys.Multiple:
			v.Multiple = true
		}
		if v.Kind == "bars" {
			for _, o := range q.Options {
				b := barView{Label: o.Label, Count: dutch.Int(o.Count), Percent: percent(o.Percent),
					Interval: strings.TrimPrefix(results.IntervalText(o.Low, o.High), "95% zeker: "), Width: width(o.Percent)}
				if o.Weighted != nil {
					b.Weighted = percent(*o.Weighted)
					if m := results.WeightedMargin(o.WeightedLow, o.WeightedHigh); m != "" {
						b.Weighted += " (" + m + ")"
					}
					v.HasWeighted = true
				}
				v.Bars = append(v.Bars, b)
			}
		}
		out = append(out, v)
	}
	return out
}

// width is a bar length in a 0..100 viewBox, with a decimal point.
func width(p float64) string {
	if math.IsNaN(p) || p < 0 {
		p = 0
	}
	return strconv.FormatFloat(min(p, 100), 'f', 2, 64)
}
