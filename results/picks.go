package results

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/participatiebot/participatiebot/surveys"
)

// The picks of wie van de drie, for analysts: `results RONDE --raw --picks`
// writes them (WritePicksCSV) and `participatiebot score` reads them back
// (ReadPicksCSV) and ranks them with RankPicks, so that an open-data release
// can be re-analysed and gives the figures the reports showed.

// picksHeader are the columns of a picks CSV.
var picksHeader = []string{"question_id", "respondent", "winner", "loser_1", "loser_2"}

// WritePicksCSV writes every answered triad of the survey's wie-van-de-drie
// questions as one row: question id, respondent (the export pseudonym), the
// option picked and the two not picked, as option ids. Comma-separated with a
// header, for scripts (R: read.csv). Questions are in survey order,
// respondents in the order given, triads by their number.
func WritePicksCSV(w io.Writer, s *surveys.Survey, rs []RawRespondent) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(picksHeader); err != nil {
		return fmt.Errorf("write picks: %w", err)
	}
	for _, q := range s.Questions {
		if q.Type != surveys.WieVanDeDrie {
			continue
		}
		for _, r := range rs {
			for _, f := range answerFields(s, r.Answers) { // triads by number, as the raw export
				a := r.Answers[f.field]
				if f.qid != q.ID || f.field == q.ID || a.Skipped || a.Winner == "" || len(a.Losers) != 2 {
					continue
				}
				if err := cw.Write([]string{q.ID, r.ID, a.Winner, a.Losers[0], a.Losers[1]}); err != nil {
					return fmt.Errorf("write picks: %w", err)
				}
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write picks: %w", err)
	}
	return nil
}

// QuestionPicks are the picks of one question read from a picks CSV.
type QuestionPicks struct {
	Question string
	Picks    []surveys.Answer
}

// ReadPicksCSV reads picks: the CSV WritePicksCSV writes, or any CSV with a
// header naming the columns winner, loser_1 and loser_2 (and optionally
// question_id; other columns are ignored), or three columns without a header,
// winner,loser,loser. ';' works as well as ','. Questions are returned in the
// order they first occur. A row with an empty id, the same option twice or
// the wrong number of cells is an error naming its line, and nothing is read.
func ReadPicksCSV(r io.Reader) ([]QuestionPicks, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("lees keuzes: %w", err)
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	cr := csv.NewReader(strings.NewReader(text))
	first, _, _ := strings.Cut(text, "\n")
	if strings.Count(first, ";") > strings.Count(first, ",") {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("lees keuzes: dit is geen geldig CSV-bestand: %w", err)
	}
	if len(rows) == 0 {
		return nil, errors.New("lees keuzes: het bestand is leeg")
	}
	col := map[string]int{"question_id": -1, "winner": 0, "loser_1": 1, "loser_2": 2}
	start := 0
	if h := rows[0]; slices.Contains(h, "winner") {
		for name := range col {
			col[name] = slices.Index(h, name)
		}
		if col["winner"] < 0 || col["loser_1"] < 0 || col["loser_2"] < 0 {
			return nil, errors.New("lees keuzes: de kopregel noemt winner maar niet loser_1 en loser_2")
		}
		start = 1
	}
	var out []QuestionPicks
	index := map[string]int{}
	for i, row := range rows[start:] {
		line := start + i + 1
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue // an empty line
		}
		cell := func(name string) (string, error) {
			c := col[name]
			if c < 0 {
				return "", nil
			}
			if c >= len(row) {
				return "", fmt.Errorf("lees keuzes: regel %d heeft %d kolommen, verwacht minstens %d", line, len(row), c+1)
			}
			return strings.TrimSpace(row[c]), nil
		}
		var v [4]string
		for k, name := range []string{"question_id", "winner", "loser_1", "loser_2"} {
			if v[k], err = cell(name); err != nil {
				return nil, err
			}
		}
		q, w, l1, l2 := v[0], v[1], v[2], v[3]
		switch {
		case w == "" || l1 == "" || l2 == "":
			return nil, fmt.Errorf("lees keuzes: regel %d mist een optie (winner %q, loser_1 %q, loser_2 %q)", line, w, l1, l2)
		case w == l1 || w == l2 || l1 == l2:
			return nil, fmt.Errorf("lees keuzes: regel %d noemt een optie twee keer (%s, %s, %s)", line, w, l1, l2)
		case !surveys.ValidKey(w) || !surveys.ValidKey(l1) || !surveys.ValidKey(l2):
			return nil, fmt.Errorf("lees keuzes: regel %d: een optie-id mag geen ':' of spatie bevatten (%s, %s, %s)", line, w, l1, l2)
		}
		k, ok := index[q]
		if !ok {
			k = len(out)
			index[q] = k
			out = append(out, QuestionPicks{Question: q})
		}
		out[k].Picks = append(out[k].Picks, surveys.Answer{Winner: w, Losers: []string{l1, l2}})
	}
	if len(out) == 0 {
		return nil, errors.New("lees keuzes: het bestand heeft geen keuzes, alleen een kopregel")
	}
	return out, nil
}
