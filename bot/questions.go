package bot

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/surveys"
)

// longLabel is the longest option label put on a button; longer options are listed in
// the message with numbers, and the buttons carry the numbers.
const longLabel = 40

// header is "Vraag 3 van 8" (with the triad for wie van de drie).
func header(pr *lang.Printer, s *surveys.Survey, pos, sub int) string {
	if q := s.Questions[pos]; q.Type == surveys.WieVanDeDrie {
		return pr.T("round.header_triad", "Nummer", pr.Int(pos+1), "Aantal", pr.Int(len(s.Questions)),
			"Keuze", pr.Int(sub+1), "Keuzes", pr.Int(q.Triads))
	}
	return pr.T("round.header", "Nummer", pr.Int(pos+1), "Aantal", pr.Int(len(s.Questions)))
}

// digits writes a number of characters as Dutch has always shown it, without a
// point between thousands ("1000 tekens"); every other language's printer writes
// whole numbers so anyway (lang.Printer.Int).
func digits(n int) string { return strconv.Itoa(n) }

// questionText is the message for one step, without buttons: paragraphs (header,
// question, how to answer, the options numbered, the answer so far), each a whole
// text of the catalogue or the survey.
func questionText(pr *lang.Printer, s *surveys.Survey, pos, sub int, current string, listed []surveys.Option) string {
	q := s.Questions[pos]
	var b strings.Builder
	b.WriteString(header(pr, s, pos, sub) + "\n\n" + q.Text)
	switch q.Type {
	case surveys.Open:
		b.WriteString("\n\n" + pr.N("round.open_hint", q.MaxLength, "Max", digits(q.MaxLength)))
	case surveys.Multiple:
		b.WriteString("\n\n" + pr.T("round.multiple_hint"))
	}
	if needsNumbers(listed) {
		b.WriteString("\n")
		for i, o := range listed {
			b.WriteString("\n" + pr.Int(i+1) + ". " + o.Label)
		}
	}
	if current != "" {
		b.WriteString("\n\n" + pr.T("round.current", "Antwoord", current))
	}
	return b.String()
}

func needsNumbers(opts []surveys.Option) bool {
	return slices.ContainsFunc(opts, func(o surveys.Option) bool { return utf8.RuneCountInString(o.Label) > longLabel })
}

// buttonLabel is the option's label, or its number when the labels are listed in the text.
func buttonLabel(pr *lang.Printer, opts []surveys.Option, i int) string {
	if needsNumbers(opts) {
		return pr.Int(i + 1)
	}
	return opts[i].Label
}

// shortLabel is the option's kort label for narrow buttons, "" when it has none or
// the buttons are numbers.
func shortLabel(opts []surveys.Option, i int) string {
	if needsNumbers(opts) || opts[i].Short == "" {
		return ""
	}
	return opts[i].Short
}

// optionRows lays out one button per option: rating 1..10 in two rows of five, short
// numbered buttons five to a row, everything else one to a row.
func optionRows(pr *lang.Printer, q surveys.Question, code string, qi int) [][]Choice {
	var rows [][]Choice
	perRow := 1
	if q.Type == surveys.Rating || needsNumbers(q.Options) {
		perRow = 5
	}
	var row []Choice
	for i := range q.Options {
		row = append(row, Choice{Label: buttonLabel(pr, q.Options, i), Data: encode("a", code, qi, i), Short: shortLabel(q.Options, i)})
		if len(row) == perRow {
			rows, row = append(rows, row), nil
		}
	}
	if row != nil {
		rows = append(rows, row)
	}
	return rows
}

// toggleRows are the buttons of a multiple-choice question with the ticked ones marked.
func toggleRows(pr *lang.Printer, q surveys.Question, code string, qi int, selected []string) [][]Choice {
	var rows [][]Choice
	for i, o := range q.Options {
		tick, set := TickOff, 1
		if slices.Contains(selected, o.ID) {
			tick, set = TickOn, 0
		}
		mark := TickGlyph[tick]
		short := shortLabel(q.Options, i)
		if short != "" {
			short = mark + short
		}
		rows = append(rows, []Choice{{Label: mark + buttonLabel(pr, q.Options, i), Data: encode("t", code, qi, i, set), Short: short, Tick: tick}})
	}
	return append(rows, []Choice{{Label: pr.T("round.done_button"), Data: encode("d", code, qi)}})
}

// navRow holds "Vorige" (not on the first step) and "Overslaan" (optional questions).
func navRow(pr *lang.Printer, q surveys.Question, code string, qi, sub int) []Choice {
	var row []Choice
	if qi > 0 || sub > 0 {
		row = append(row, Choice{Label: pr.T("round.back_button"), Data: encode("b", code, qi, sub), Aside: true})
	}
	if q.Optional {
		row = append(row, Choice{Label: pr.T("round.skip_button"), Data: encode("s", code, qi), Aside: true})
	}
	return row
}

func optionByID(q surveys.Question, id string) (surveys.Option, bool) {
	for _, o := range q.Options {
		if o.ID == id {
			return o, true
		}
	}
	return surveys.Option{}, false
}

// describeIn renders a stored answer for the resident ("Mee eens", "Ja, Nee"), with
// the words around it in pr's language; the labels come from q, which is the survey
// in the resident's language.
func describeIn(pr *lang.Printer, q surveys.Question, raw string) string {
	if raw == "" {
		return ""
	}
	a, err := surveys.DecodeAnswer(raw)
	if err != nil {
		return ""
	}
	switch {
	case a.Skipped:
		return pr.T("round.skipped")
	case q.Type == surveys.Open:
		return pr.T("round.quoted", "Tekst", a.Text)
	case q.Type == surveys.WieVanDeDrie:
		o, _ := optionByID(q, a.Winner)
		return o.Label
	}
	labels := make([]string, 0, len(a.Options))
	for _, id := range a.Options {
		o, _ := optionByID(q, id)
		labels = append(labels, o.Label)
	}
	if len(labels) == 0 {
		return pr.T("round.nothing_ticked")
	}
	return strings.Join(labels, pr.T("list_sep"))
}

// answeredQuestions counts the questions with an answer (or a skip) stored.
func answeredQuestions(s *surveys.Survey, answers map[string]string) int {
	n := 0
	for _, q := range s.Questions {
		if _, ok := answers[q.ID]; ok {
			n++
		} else if _, ok := answers[q.ID+"#0"]; ok {
			n++
		}
	}
	return n
}
