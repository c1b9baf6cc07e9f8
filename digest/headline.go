package digest

import (
	"strings"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

// headline is what a closed question came to, in a line or a few, ending
// with its number of answers.
func headline(q results.QuestionResult) []string {
	if q.N <= 0 {
		return []string{"Nog geen antwoorden."}
	}
	var lines []string
	switch surveys.QuestionType(q.Type) {
	case surveys.Likert:
		lines = []string{likertLine(q)}
	case surveys.Rating:
		lines = []string{ratingLine(q)}
	case surveys.WieVanDeDrie:
		lines = topThree(q.Ranking)
	default:
		lines = []string{topOptions(q)}
	}
	return append(lines, countLine(q))
}

// likertLine is "62,5% helemaal mee eens of mee eens (95% zeker: tussen 48,1% en
// 75,2%; gewogen 60%, 95%-marge: 51%–68%)", in the labels of the survey's own
// buttons.
func likertLine(q results.QuestionResult) string {
	s := dutchPercent(q.Agree) + " " + results.AgreeText(q) + " (" + results.IntervalText(q.AgreeLow, q.AgreeHigh)
	if q.WeightedAgree != nil {
		s += "; gewogen " + dutchPercent(*q.WeightedAgree) + margin(q.WeightedAgreeLow, q.WeightedAgreeHigh)
	}
	return s + ")"
}

// ratingLine is "Gemiddeld cijfer 7,4 (gewogen 7,2), mediaan 7".
func ratingLine(q results.QuestionResult) string {
	s := "Gemiddeld cijfer " + dutch.Decimal(q.Mean, 1)
	if q.WeightedMean != nil {
		s += " (gewogen " + dutch.Decimal(*q.WeightedMean, 1) + ")"
	}
	return s + ", mediaan " + dutchNumber(q.Median)
}

// topOptions is "Meest gekozen: Fiets (62,5%; gewogen 58,1%, 95%-marge:
// 53%–63%)", naming every option that shares the top with its own figures.
func topOptions(q results.QuestionResult) string {
	var top []results.OptionResult
	for _, o := range q.Options {
		switch {
		case len(top) == 0 || o.Count > top[0].Count:
			top = []results.OptionResult{o}
		case o.Count == top[0].Count:
			top = append(top, o)
		}
	}
	if len(top) == 0 || top[0].Count <= 0 {
		return "Nog geen keuzes."
	}
	parts := make([]string, len(top))
	for i, o := range top {
		parts[i] = oneLine(o.Label, 120) + " (" + dutchPercent(o.Percent)
		if o.Weighted != nil {
			parts[i] += "; gewogen " + dutchPercent(*o.Weighted) + margin(o.WeightedLow, o.WeightedHigh)
		}
		parts[i] += ")"
	}
	s := "Meest gekozen: " + strings.Join(parts, ", ")
	if q.Type == string(surveys.Multiple) {
		s += " (meer antwoorden mogelijk)"
	}
	return s
}

// topThree is the verdict on the first place when it is shared and the three
// best options of a wie-van-de-drie pool, in the words of every report
// (results.RankRow.Line): "1. Groen — kans gekozen uit drie 72%, onzekerheid (90%): 57–83%".
func topThree(rank []results.RankResult) []string {
	v := results.Ranked(rank)
	var lines []string
	if v.Verdict != "" {
		lines = append(lines, v.Verdict)
	}
	for i, r := range v.Rows {
		if i == 3 || r.NotShown {
			break
		}
		lines = append(lines, r.Line(oneLine(r.Label, 120), false))
	}
	if len(v.Shown()) == 0 {
		return []string{"Nog geen keuzes."}
	}
	return lines
}

// countLine is "38 antwoorden, 4 overgeslagen" ("36 keuzes" for wie van de drie).
func countLine(q results.QuestionResult) string {
	s := dutch.Plural(q.N, "antwoord", "antwoorden")
	if q.Type == string(surveys.WieVanDeDrie) {
		s = dutch.Plural(q.N, "keuze", "keuzes")
	}
	if q.Skipped > 0 {
		s += ", " + dutch.Int(q.Skipped) + " overgeslagen"
	}
	return s
}

// margin is ", 95%-marge: 53%–63%" after a weighted percentage, in the words
// of every report (results.WeightedMargin); "" without an interval.
func margin(low, high *float64) string {
	if m := results.WeightedMargin(low, high); m != "" {
		return ", " + m
	}
	return ""
}
