package results

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/participatiebot/participatiebot/themes"
)

// textOptions says how much of the results a text rendering shows.
type textOptions struct {
	clip      int  // runes kept of a question text, label or open answer; 0 keeps all
	openShown int  // open answers listed per question; -1 lists all
	ranked    int  // wie-van-de-drie options listed; 0 lists all
	compact   bool // leave out rating marks nobody gave
	groups    bool // respondents per kern and leeftijdsgroep
}

// fullText is the report: everything, nothing clipped.
var fullText = textOptions{openShown: -1, groups: true}

// WriteText writes the full results as Dutch plain text: the round, the response,
// every question with its counts, bars, means and rankings, all open answers, and
// the respondents per kern and leeftijdsgroep. It suits a terminal or a file; for
// a chat message use TextSummary.
//
// A round with fewer respondents than the threshold gets only its title and
// TooFewMessage, unless the results are Internal (for organisers, headed by
// InternalMessage); Live results only their banded progress.
func WriteText(w io.Writer, r *Results) error {
	if _, err := io.WriteString(w, strings.Join(textBlocks(r, fullText), "\n")+"\n"); err != nil {
		return fmt.Errorf("write text results: %w", err)
	}
	return nil
}

// TextSummary is the results in one chat message, well under Telegram's 4096
// characters: long texts are clipped, and open answers are only counted, or with
// open set, the first few are quoted followed by "en nog N antwoorden".
func TextSummary(r *Results, open bool) string {
	o := textOptions{clip: 200, openShown: 0, ranked: 10, compact: true}
	if open {
		o.openShown = 3
	}
	return fitMessage(textBlocks(r, o), nil, shortenedReport)
}

// textBlocks are the parts of a text rendering, one per question, each to be
// shown whole or not at all; joined by newlines they are the text.
func textBlocks(r *Results, o textOptions) []string {
	switch {
	case r.Live:
		return []string{block(headerLines(r, o.clip)), "", LiveMessage(int(r.Band))}
	case r.TooFew && !r.Internal:
		head := []string{clip(resultsTitle(r), o.clip)}
		if rl := roundLine(r.Round); rl != "" {
			head = append(head, rl)
		}
		return []string{block(head), "", TooFewMessage(r.Threshold)}
	}
	blocks := []string{block(headerLines(r, o.clip))}
	if r.Internal {
		msg := r.Message
		if msg == "" {
			msg = InternalTooFew(r.Threshold)
		}
		blocks = append([]string{msg, ""}, blocks...)
	}
	for i, q := range r.Questions {
		blocks = append(blocks, "\n"+block(questionLines(i+1, q, o)))
	}
	if o.groups {
		blocks = append(blocks,
			"\n"+block(cellLines("Deelnemers per kern", r.ByKern, r.Threshold)),
			"\n"+block(append(cellLines("Deelnemers per leeftijdsgroep", r.ByLeeftijd, r.Threshold), suppressionNote(r)...)))
		if r.ByTaal != nil {
			blocks = append(blocks, "\n"+block(cellLines("Deelnemers per taal", LangCells(r.ByTaal), r.Threshold)))
		}
	}
	if r.Panel != nil && !o.compact {
		blocks = append(blocks, "\n"+block(PanelLines(r.Panel, r.Threshold)))
	}
	return blocks
}

func block(lines []string) string { return strings.Join(lines, "\n") }

// headerLines are the title, the round and the response.
func headerLines(r *Results, clipN int) []string {
	lines := []string{clip(resultsTitle(r), clipN)}
	if rl := roundLine(r.Round); rl != "" {
		lines = append(lines, rl)
	}
	lines = append(lines, responseLine(r))
	return append(lines, RepresentationLines(r)...)
}

// RepresentationLines are the R-indicator with the response rates per group
// behind it, the R-score and how the results were weighted, when there is a
// population table, as every report says them.
func RepresentationLines(r *Results) []string {
	var lines []string
	for _, l := range []string{RIndicatorLine(r), RScoreLine(r), WeightingLine(r)} {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// RIndicatorLine is the round's R-indicator in words, with its margin and
// the response rates per group (RIndicatorExplained); "" without a population
// table.
func RIndicatorLine(r *Results) string {
	e, ok := RIndicatorExplained(r)
	if !ok {
		return ""
	}
	return strings.Join(append([]string{e.Line}, e.Notes...), " ")
}

// RScoreLine is the round's R-score in words, with its judgement and the
// groups taken together (RScoreExplained); "" without a population table.
func RScoreLine(r *Results) string {
	e, ok := RScoreExplained(r)
	if !ok {
		return ""
	}
	return strings.Join(append([]string{e.Line}, e.Notes...), " ")
}

// WeightingLine says how the results were weighted, or why not
// (WeightingExplained); "" when they were not weighed at all (no population
// table).
func WeightingLine(r *Results) string {
	e, ok := WeightingExplained(r)
	if !ok {
		return ""
	}
	return strings.Join(append([]string{e.Line}, e.Notes...), " ")
}

func dutchDimensions(dims []string) []string {
	out := make([]string, len(dims))
	for i, d := range dims {
		out[i] = map[string]string{surveys.DimKern: "kern", surveys.DimLeeftijd: "leeftijdsgroep"}[d]
		if out[i] == "" {
			out[i] = d
		}
	}
	return out
}

func resultsTitle(r *Results) string { return resultsTitleIn(lang.Dutch(), r) }

// resultsTitleIn is the results' title, or when they have none "Uitslag" in the
// language of pr.
func resultsTitleIn(pr *lang.Printer, r *Results) string {
	switch {
	case r.Title != "":
		return r.Title
	case r.Survey != nil && r.Survey.Title != "":
		return r.Survey.Title
	}
	return pr.T("result.title_default")
}

// roundLine is "Ronde 2027-03: 1 maart 2027 t/m 14 maart 2027".
func roundLine(ri RoundInfo) string {
	s := "Ronde"
	if ri.ID != "" {
		s += " " + ri.ID
	}
	switch {
	case !ri.Opened.IsZero() && !ri.Closed.IsZero():
		s += ": " + dutch.Date(ri.Opened) + " t/m " + dutch.Date(lastDay(ri.Closed))
	case !ri.Opened.IsZero():
		s += ": geopend op " + dutch.Date(ri.Opened)
	case ri.ID == "":
		return ""
	}
	return s
}

// responseLine is "Respons: 42 deelnemers, 38 volledig (van 120 uitgenodigd: 32%)";
// for Live results "Tussenstand: 10–19 deelnemers, 0–9 volledig (van 120 uitgenodigd)".
func responseLine(r *Results) string {
	if r.Live {
		s := "Tussenstand: " + bandText(r.Respondents, r.Band) + " deelnemers, " + bandText(r.Completed, r.Band) + " volledig"
		if r.Invited > 0 {
			s += " (van " + dutch.Int(r.Invited) + " uitgenodigd)"
		}
		return s
	}
	s := "Respons: " + dutch.Plural(r.Respondents, "deelnemer", "deelnemers") +
		", " + dutch.Int(r.Completed) + " volledig"
	if r.Invited > 0 {
		s += " (van " + dutch.Int(r.Invited) + " uitgenodigd: " + dutch.Percent(100*r.ResponseRate) + ")"
	}
	return s
}

func questionLines(num int, q QuestionResult, o textOptions) []string {
	head := strconv.Itoa(num) + ". " + clip(q.Text, o.clip)
	if q.Type == string(surveys.Multiple) {
		head += " (meer antwoorden mogelijk)"
	}
	lines := []string{head}
	switch surveys.QuestionType(q.Type) {
	case surveys.WieVanDeDrie:
		lines = append(lines, rankLines(q.Ranking, o.ranked, o.clip)...)
	case surveys.Open:
		lines = append(lines, openThemeLines(q)...)
		lines = append(lines, openLines(q.Open, max(q.N, int64(len(q.Open))), o)...)
	default:
		lines = append(lines, optionLines(shownOptions(q, o), o.clip)...)
	}
	lines = append(lines, scoreLines(q)...)
	return append(lines, "  "+countLine(q))
}

// shownOptions are the options a rendering lists.
func shownOptions(q QuestionResult, o textOptions) []OptionResult {
	if !o.compact || q.Type != string(surveys.Rating) {
		return q.Options
	}
	var out []OptionResult
	for _, op := range q.Options {
		if op.Count > 0 {
			out = append(out, op)
		}
	}
	return out
}

// optionLines are "  Mee eens             45% (19)  █████░░░░░", aligned.
func optionLines(opts []OptionResult, clipN int) []string {
	labelW, countW := 0, 0
	for _, op := range opts {
		labelW = max(labelW, utf8.RuneCountInString(clip(op.Label, clipN)))
		countW = max(countW, len(strconv.FormatInt(op.Count, 10))+2)
	}
	labelW = min(labelW, 32) + 1
	lines := make([]string, 0, len(opts))
	for _, op := range opts {
		line := fmt.Sprintf("  %s%4s %s  %s",
			padRight(clip(op.Label, clipN), labelW), dutch.Percent(op.Percent),
			padRight("("+dutch.Int(op.Count)+")", countW), bar(op.Percent))
		if op.Weighted != nil {
			line += "  " + withMargin("gewogen "+dutch.Percent(*op.Weighted), op.WeightedLow, op.WeightedHigh)
		}
		lines = append(lines, line)
	}
	return lines
}

// scoreLines are the likert agreement ("Helemaal mee eens of mee eens: 62%", in
// the question's own labels) and mean, and the rating mean.
func scoreLines(q QuestionResult) []string {
	switch surveys.QuestionType(q.Type) {
	case surveys.Likert:
		agree := "  " + AgreeLabel(q) + ": " + dutch.Percent(q.Agree)
		mean := "  Gemiddelde score: " + dutch.Decimal(q.Mean, 1) + " (schaal 1-5)"
		if q.WeightedAgree != nil {
			agree += " (gewogen " + dutch.Percent(*q.WeightedAgree)
			if m := WeightedMargin(q.WeightedAgreeLow, q.WeightedAgreeHigh); m != "" {
				agree += ", " + m
			}
			agree += ")"
		}
		if q.WeightedMean != nil {
			mean += " (gewogen " + dutch.Decimal(*q.WeightedMean, 1) + ")"
		}
		return []string{agree, mean}
	case surveys.Rating:
		mean := "  Gemiddeld cijfer: " + dutch.Decimal(q.Mean, 1)
		if q.WeightedMean != nil {
			mean += " (gewogen " + dutch.Decimal(*q.WeightedMean, 1) + ")"
		}
		return []string{mean}
	}
	return nil
}

// countLine is "38 antwoorden, 4 overgeslagen" ("36 keuzes" for wie van de drie).
func countLine(q QuestionResult) string {
	s := dutch.Plural(q.N, "antwoord", "antwoorden")
	if q.Type == string(surveys.WieVanDeDrie) {
		s = dutch.Plural(q.N, "keuze", "keuzes")
	}
	if q.Skipped > 0 {
		s += ", " + dutch.Int(q.Skipped) + " overgeslagen"
	}
	return s
}

// rankLines are the verdict on the first place when it is shared, one line per
// option (RankRow.Line: "  1. Groen — kans gekozen uit drie 72%, onzekerheid (90%): 57–83%;
// gekozen in 22 van 30 keren getoond") and what the figure and its band mean
// (Help); limit > 0 lists only the first limit options.
func rankLines(rank []RankResult, limit, clipN int) []string {
	v := Ranked(rank)
	var lines []string
	if v.Verdict != "" {
		lines = append(lines, "  "+v.Verdict)
	}
	for i, r := range v.Rows {
		if limit > 0 && i == limit {
			lines = append(lines, "  … en nog "+dutch.Plural(int64(len(v.Rows)-limit), "optie", "opties"))
			break
		}
		lines = append(lines, "  "+r.Line(clip(r.Label, clipN), true))
	}
	if len(v.Shown()) > 0 {
		for _, h := range Help(v.Rows) {
			lines = append(lines, "  "+h)
		}
	}
	return lines
}

// openLines quote the open answers: all of them, or the first o.openShown
// followed by "… en nog N antwoorden".
func openLines(answers []string, total int64, o textOptions) []string {
	var lines []string
	for i, a := range answers {
		if o.openShown >= 0 && i == o.openShown {
			if i > 0 {
				lines = append(lines, "  … en nog "+dutch.Plural(total-int64(i), "antwoord", "antwoorden"))
			}
			break
		}
		if o.clip > 0 {
			lines = append(lines, "  - "+clip(a, o.clip))
			continue
		}
		lines = append(lines, "  - "+strings.ReplaceAll(strings.TrimSpace(a), "\n", "\n    "))
	}
	return lines
}

// openThemeLines are "  Thema's:" with one ThemeLine per theme and the rest as overig.
func openThemeLines(q QuestionResult) []string {
	if len(q.Themes) == 0 {
		return nil
	}
	lines := []string{"  Thema's:"}
	if q.OpenRead > 0 {
		lines[0] = "  Thema's (uit " + dutch.Int(q.OpenRead) + " van de " + dutch.Plural(q.N, "antwoord", "antwoorden") + "):"
	}
	for _, t := range q.Themes {
		lines = append(lines, "    "+clip(themes.ThemeLine(t), 120))
	}
	if q.Other > 0 {
		lines = append(lines, "    overig: "+dutch.Plural(int64(q.Other), "antwoord", "antwoorden"))
	}
	lines = append(lines, openLangLines(q)...)
	return append(lines, "  Antwoorden:")
}

// openLangLines are the open answers per language, when not all were Dutch:
// "  In het Arabisch (12 antwoorden): المقاعد (5), …", a small group as "<10".
func openLangLines(q QuestionResult) []string {
	var lines []string
	for _, la := range q.Languages {
		name := lang.Code(la.Lang).DutchName()
		if la.Suppressed {
			lines = append(lines, "  In het "+name+": minder antwoorden dan we apart tonen")
			continue
		}
		line := "  In het " + name + " (" + dutch.Plural(int64(la.N), "antwoord", "antwoorden") + ")"
		var terms []string
		for _, t := range la.Themes {
			terms = append(terms, t.Term+" ("+strconv.Itoa(t.Count)+")")
		}
		if len(terms) > 0 {
			line += ": " + strings.Join(terms, ", ")
		}
		lines = append(lines, clip(line, 300))
	}
	return lines
}

// cellLines are a breakdown, "  Dalfsen: 20", with suppressed cells as "<10",
// and those hidden only to protect a small cell as "≥10".
func cellLines(title string, cells []Cell, threshold int) []string {
	lines := []string{title + ":"}
	if len(cells) == 0 {
		return append(lines, "  geen gegevens (of niet apart te tonen, zodat niemand herkenbaar is)")
	}
	for _, c := range cells {
		lines = append(lines, "  "+c.Group+": "+cellCount(c, threshold))
	}
	return lines
}

func cellCount(c Cell, threshold int) string {
	switch {
	case c.Complementary:
		return "≥" + strconv.Itoa(threshold)
	case c.Suppressed:
		return "<" + strconv.Itoa(threshold)
	}
	return dutch.Int(c.Count)
}

// LangCells are cells per language with the languages' Dutch names as groups
// ("Arabisch"), as organisers read them.
func LangCells(cells []Cell) []Cell {
	out := make([]Cell, len(cells))
	for i, c := range cells {
		c.Group = lang.Code(c.Group).DutchName()
		out[i] = c
	}
	return out
}

// suppressionNote explains the hidden cells, when there are any.
func suppressionNote(r *Results) []string {
	for _, c := range append(append(append([]Cell(nil), r.ByKern...), r.ByLeeftijd...), r.ByTaal...) {
		if c.Suppressed {
			return []string{"(kleine groepen tonen we niet precies, zodat niemand herkenbaar is)"}
		}
	}
	return nil
}
