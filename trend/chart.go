package trend

import (
	"fmt"
	"strings"

	"github.com/participatiebot/participatiebot/charts"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

// ChartOf is the series as the line chart draws it (charts.Trend), named after
// the survey, the question and the option, with the target of the survey's
// indicator and the value of its reference for the same figure: the same
// question and the same option or options (as Series.Option joins them).
func ChartOf(sv *surveys.Survey, s Series) charts.TrendSeries {
	c := charts.TrendSeries{
		ID:      strings.Join([]string{sv.ID, s.QuestionID, s.Option}, " "),
		Title:   s.Text,
		Measure: s.Measure,
		Percent: s.Percent,
	}
	if strings.HasPrefix(s.Measure, "kans gekozen") {
		c.Band = results.RankBandName
	}
	for _, f := range s.Figures {
		c.Points = append(c.Points, charts.TrendPoint{At: f.At, Round: f.Round, Value: f.Value, Low: f.Low, High: f.High, Weighted: f.Weighted})
	}
	for _, ch := range s.Changes {
		c.Changes = append(c.Changes, ch.Meaningful)
	}
	for _, ind := range sv.Indicators {
		if ind.Question == s.QuestionID && strings.Join(ind.Options, "+") == s.Option {
			target := ind.Target
			c.Target, c.TargetLabel = &target, "doel "+ind.Goal(s.Percent)
			if ind.Year > 0 {
				c.TargetLabel += fmt.Sprintf(" in %d", ind.Year)
			}
			if ind.Owner != "" {
				c.TargetLabel += " (" + ind.Owner + ")"
			}
			break
		}
	}
	for _, ref := range sv.References {
		if ref.Question == s.QuestionID && strings.Join(ref.Options, "+") == s.Option {
			v := ref.Value
			c.Reference, c.ReferenceLabel = &v, "vergelijking "+Value(v, s.Percent)+" ("+ref.Source
			if ref.Year > 0 {
				c.ReferenceLabel += fmt.Sprintf(", %d", ref.Year)
			}
			c.ReferenceLabel += ")"
			break
		}
	}
	return c
}
