package bot

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/surveys"
)

// longLabel is the longest option label put on a button; longer options are listed in
// the message with numbers, and the buttons carry the numbers.
const longLabel = 40

// header is "Vraag 3 van 8" (with the triad for wie van de drie).
func header(s *surveys.Survey, pos, sub int) string {
	h := fmt.Sprintf("Vraag %d van %d", pos+1, len(s.Questions))
	if q := s.Questions[pos]; q.Type == surveys.WieVanDeDrie {
		h += fmt.Sprintf(" · keuze %d van %d", sub+1, q.Triads)
	}
	return h
}

// questionText is the message for one step, without buttons.
func questionText(s *surveys.Survey, pos, sub int, current string, listed []surveys.Option) string {
	q := s.Questions[pos]
	var b strings.Builder
	b.WriteString(header(s, pos, sub) + "\n\n" + q.Text)
	switch q.Type {
	case surveys.Open:
		fmt.Fprintf(&b, "\n\nTyp uw antwoord hieronder (maximaal %d tekens).", q.MaxLength)
	case surveys.Multiple:
		b.WriteString("\n\nKies wat van toepassing is en tik daarna op Klaar.")
	}
	if needsNumbers(listed) {
		b.WriteString("\n")
		for i, o := range listed {
			fmt.Fprintf(&b, "\n%d. %s", i+1, o.Label)
		}
	}
	if current != "" {
		b.WriteString("\n\nUw antwoord nu: " + current)
	}
	return b.String()
}

func needsNumbers(opts []surveys.Option) bool {
	return slices.ContainsFunc(opts, func(o surveys.Option) bool { return utf8.RuneCountInString(o.Label) > longLabel })
}

// buttonLabel is the option's label, or its number when the labels are listed in the text.
func buttonLabel(opts []surveys.Option, i int) string {
	if needsNumbers(opts) {
		return fmt.Sprint(i + 1)
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
func optionRows(q surveys.Question, code string, qi int) [][]Choice {
	var rows [][]Choice
	perRow := 1
	if q.Type == surveys.Rating || needsNumbers(q.Options) {
		perRow = 5
	}
	var row []Choice
	for i := range q.Options {
		row = append(row, Choice{Label: buttonLabel(q.Options, i), Data: encode("a", code, qi, i), Short: shortLabel(q.Options, i)})
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
func toggleRows(q surveys.Question, code string, qi int, selected []string) [][]Choice {
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
		rows = append(rows, []Choice{{Label: mark + buttonLabel(q.Options, i), Data: encode("t", code, qi, i, set), Short: short, Tick: tick}})
	}
	return append(rows, []Choice{{Label: "Klaar", Data: encode("d", code, qi)}})
}

// navRow holds "Vorige" (not on the first step) and "Overslaan" (optional questions).
func navRow(q surveys.Question, code string, qi, sub int) []Choice {
	var row []Choice
	if qi > 0 || sub > 0 {
		row = append(row, Choice{Label: "◀ Vorige", Data: encode("b", code, qi, sub), Aside: true})
	}
	if q.Optional {
		row = append(row, Choice{Label: "Overslaan", Data: encode("s", code, qi), Aside: true})
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

// describe renders a stored answer for the resident ("Mee eens", "Ja, Nee").
func describe(q surveys.Question, raw string) string {
	if raw == "" {
		return ""
	}
	a, err := surveys.DecodeAnswer(raw)
	if err != nil {
		return ""
	}
	switch {
	case a.Skipped:
		return "overgeslagen"
	case q.Type == surveys.Open:
		return "“" + a.Text + "”"
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
		return "niets aangevinkt"
	}
	return strings.Join(labels, ", ")
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
