package results

import (
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/surveys"
)

// StuurgroepSummary is the round in one message for the stuurgroep: the response,
// the respondents per kern and leeftijdsgroep (groups under the threshold shown as
// "<10"), a headline per question and the number of open answers, and for wie
// van de drie what its figure means (Help). It fits in one
// chat message.
//
// A round with fewer respondents than the threshold gets no numbers at all,
// only StuurgroepTooFew.
func StuurgroepSummary(r *Results) string {
	lines := []string{"Stuurgroep — uitslag " + clip(resultsTitle(r), 200)}
	if rl := roundLine(r.Round); rl != "" {
		lines = append(lines, rl)
	}
	if r.TooFew {
		return fitMessage(append(lines, "", StuurgroepTooFew(r.Threshold)), nil, shortenedReport)
	}
	lines = append(lines, responseLine(r))
	lines = append(lines, RepresentationLines(r)...)
	lines = append(lines, "")
	lines = append(lines, cellLines("Deelnemers per kern", clipCells(r.ByKern), r.Threshold)...)
	lines = append(lines, cellLines("Deelnemers per leeftijdsgroep", clipCells(r.ByLeeftijd), r.Threshold)...)
	if r.ByTaal != nil {
		lines = append(lines, cellLines("Deelnemers per taal", LangCells(r.ByTaal), r.Threshold)...)
	}
	lines = append(lines, suppressionNote(r)...)
	if r.Panel != nil {
		lines = append(lines, "")
		lines = append(lines, PanelSummaryLines(r.Panel)...)
	}
	if len(r.Indicators) > 0 {
		lines = append(lines, "", "Indicatoren:")
		for _, l := range r.Indicators {
			lines = append(lines, "• "+clip(l, 300))
		}
	}
	lines = append(lines, "", "Uitkomsten:")
	var tail []string
	for i, q := range r.Questions {
		lines = append(lines, strconv.Itoa(i+1)+". "+clip(q.Text, 120)+"\n   "+headline(q))
		if shown := Ranked(q.Ranking).Shown(); q.Type == string(surveys.WieVanDeDrie) && len(shown) > 0 {
			if h := Help(shown[:min(3, len(shown))]); len(h) > len(tail) { // topThree lists these
				tail = h
			}
		}
	}
	return fitMessage(lines, tail, shortenedReport)
}

// StuurgroepTooFew says, to the stuurgroep, why a round with fewer respondents
// than the threshold shows no numbers.
func StuurgroepTooFew(threshold int) string {
	return "Te weinig deelnemers om de uitslag te tonen. Aan deze ronde deden minder dan " + strconv.Itoa(threshold) +
		" mensen mee. Zo'n kleine groep tonen we nooit, ook niet aan de stuurgroep en ook niet als totaal of percentage, " +
		"zodat niemand uit de uitslag te herkennen is. Organisatoren zien de aantallen op het dashboard, met de " +
		"waarschuwing dat ze niet gedeeld mogen worden. De terugkoppeling aan de deelnemers volgt zoals beloofd."
}

func clipCells(cells []Cell) []Cell {
	out := make([]Cell, len(cells))
	for i, c := range cells {
		c.Group = clip(c.Group, 60)
		out[i] = c
	}
	return out
}

// headline is the one-line outcome of a question, with its number of answers.
func headline(q QuestionResult) string {
	n := "; " + countLine(q)
	switch surveys.QuestionType(q.Type) {
	case surveys.Likert:
		return dutch.Percent(q.Agree) + " " + AgreeText(q) + ", gemiddelde " + dutch.Decimal(q.Mean, 1) + n
	case surveys.Rating:
		return "gemiddeld cijfer " + dutch.Decimal(q.Mean, 1) + n
	case surveys.WieVanDeDrie:
		return topThree(q.Ranking) + "\n   " + countLine(q)
	case surveys.Open:
		s := dutch.Plural(q.N, "open antwoord", "open antwoorden")
		if q.Category != "" {
			s += " (" + clip(q.Category, 60) + ")"
		}
		if q.Skipped > 0 {
			s += ", " + dutch.Int(q.Skipped) + " overgeslagen"
		}
		if len(q.Themes) > 0 {
			var top []string
			for i, t := range q.Themes {
				if i == 3 {
					break
				}
				top = append(top, "“"+clip(t.Term, 40)+"” ("+dutch.Int(int64(t.Count))+")")
			}
			s += "; thema's: " + strings.Join(top, ", ")
		}
		return s
	}
	return topOptions(q.Options) + n
}

// topOptions is "meest gekozen: Fiets (45%)", naming all options that share the top.
func topOptions(opts []OptionResult) string {
	var top []string
	var best OptionResult
	for _, o := range opts {
		switch {
		case o.Count > best.Count:
			top, best = []string{clip(o.Label, 60)}, o
		case o.Count == best.Count && o.Count > 0:
			top = append(top, clip(o.Label, 60))
		}
	}
	if len(top) == 0 {
		return "nog geen keuzes"
	}
	s := "meest gekozen: " + strings.Join(top, ", ") + " (" + dutch.Percent(best.Percent)
	if best.Weighted != nil {
		s += "; gewogen " + dutch.Percent(*best.Weighted)
		if m := WeightedMargin(best.WeightedLow, best.WeightedHigh); m != "" {
			s += ", " + m
		}
	}
	return s + ")"
}

// topThree is the verdict on the first place when it is shared and the three
// best options, a line each in the words of every screen (RankRow.Line):
// "1. Groen — kans gekozen uit drie 72%, onzekerheid (90%): 57–83%".
func topThree(rank []RankResult) string {
	v := Ranked(rank)
	var lines []string
	if v.Verdict != "" {
		lines = append(lines, v.Verdict)
	}
	for i, r := range v.Rows {
		if i == 3 || r.NotShown {
			break
		}
		lines = append(lines, r.Line(clip(r.Label, 60), false))
	}
	if len(v.Shown()) == 0 {
		return "nog geen keuzes"
	}
	return strings.Join(lines, "\n   ")
}
