package results

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/surveys"
)

// WriteJSON writes the results as indented JSON. Suppressed breakdown cells
// carry count 0, so the export holds nothing the text reports hide. A round
// with fewer respondents than the threshold gets no figures at all (unless the
// results are Internal): its survey, round, threshold and TooFewMessage.
func WriteJSON(w io.Writer, r *Results) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	var v any = r
	if r.TooFew && !r.Internal && !r.Live {
		v = withheld(r)
	}
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json results: %w", err)
	}
	return nil
}

// withheldResults is the JSON of a round with fewer respondents than the
// threshold: what it asked, not what was answered.
type withheldResults struct {
	SurveyID  string             `json:"survey_id"`
	Title     string             `json:"title"`
	Round     RoundInfo          `json:"round"`
	Threshold int                `json:"threshold"`
	TooFew    bool               `json:"too_few"`
	Message   string             `json:"message"`
	Questions []withheldQuestion `json:"questions"`
}

type withheldQuestion struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Text     string `json:"text"`
	Category string `json:"category,omitempty"`
}

func withheld(r *Results) withheldResults {
	round := r.Round
	round.Invited = 0
	v := withheldResults{SurveyID: r.SurveyID, Title: r.Title, Round: round, Threshold: r.Threshold, TooFew: true,
		Message: TooFewMessage(r.Threshold), Questions: []withheldQuestion{}}
	for _, q := range r.Questions {
		v.Questions = append(v.Questions, withheldQuestion{ID: q.ID, Type: q.Type, Text: q.Text, Category: q.Category})
	}
	return v
}

// csvHeader are the columns of WriteCSV.
var csvHeader = []string{"round", "question_id", "question", "type", "option_id", "option", "count", "percent", "n", "answer",
	"ci95_low", "ci95_high", "weighted_percent"}

// WriteCSV writes one row per question and option:
//
//   - single, multiple, likert, rating: count is how often the option was chosen,
//     n the question's N and percent count/n*100 (for multiple, n counts
//     respondents, so a question's percentages may add up to more than 100);
//   - wie van de drie: one row per option in rank order, count is the wins and n
//     the times shown, so percent = count/n*100 is the win rate, just as in the
//     other rows; an option never shown has count 0 and n 0;
//   - open: one row per answer, option columns and count and percent empty,
//     n the number of answers and the text in answer.
//
// ci95_low and ci95_high are the 95% Wilson interval of percent (choice
// questions), weighted_percent the percent weighted to the population when the
// results are weighted; empty otherwise.
//
// Percentages have a decimal point and two decimals, for machines rather than
// readers. Text cells that a spreadsheet would run as a formula (starting with
// =, +, -, @, tab or carriage return) get a leading apostrophe, as OWASP advises
// against CSV injection: the open answers come from anyone.
//
// Live results, and a round with fewer respondents than the threshold (unless
// Internal), get one row per question without figures.
func WriteCSV(w io.Writer, r *Results) error {
	cw := csv.NewWriter(w)
	rows := [][]string{csvHeader}
	for _, q := range r.Questions {
		if r.Live || r.TooFew && !r.Internal {
			rows = append(rows, []string{safeCell(r.Round.ID), safeCell(q.ID), safeCell(q.Text), q.Type, "", "", "", "", "", "", "", "", ""})
			continue
		}
		rows = append(rows, csvRows(r.Round.ID, q)...)
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("write csv results: %w", err)
	}
	return nil
}

func csvRows(round string, q QuestionResult) [][]string {
	row := func(optID, option, count, pct, n, answer string, extra ...string) []string {
		r := []string{safeCell(round), safeCell(q.ID), safeCell(q.Text), q.Type,
			safeCell(optID), safeCell(option), count, pct, n, safeCell(answer)}
		return append(r, append(extra, "", "", "")[:3]...)
	}
	n := strconv.FormatInt(q.N, 10)
	var rows [][]string
	switch surveys.QuestionType(q.Type) {
	case surveys.WieVanDeDrie:
		for _, rr := range q.Ranking {
			rows = append(rows, row(rr.ID, rr.Label, strconv.FormatInt(rr.Wins, 10),
				csvPercent(100*rr.WinRate), strconv.FormatInt(rr.Shown, 10), ""))
		}
	case surveys.Open:
		for _, a := range q.Open {
			rows = append(rows, row("", "", "", "", n, a))
		}
	default:
		for _, o := range q.Options {
			weighted := ""
			if o.Weighted != nil {
				weighted = csvPercent(*o.Weighted)
			}
			rows = append(rows, row(o.ID, o.Label, strconv.FormatInt(o.Count, 10), csvPercent(o.Percent), n, "",
				csvPercent(o.Low), csvPercent(o.High), weighted))
		}
	}
	return rows
}

func csvPercent(p float64) string {
	return strconv.FormatFloat(p, 'f', 2, 64)
}

// safeCell keeps a spreadsheet from reading a text cell as a formula.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
