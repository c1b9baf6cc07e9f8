package results

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/surveys"
)

// RawRespondent is one respondent in an export of raw answers. ID is an export
// pseudonym made by the caller (stable within a round, not linkable across
// rounds, never the storage pseudonym).
type RawRespondent struct {
	ID       string                    `json:"respondent"`
	Kern     string                    `json:"kern"`
	Leeftijd string                    `json:"leeftijd"`
	Answers  map[string]surveys.Answer `json:"answers"`
}

// OmittedText stands for an open answer in an export for publication.
const OmittedText = "(open antwoord weggelaten)"

// Suppressed is the group shown for a kern or leeftijdsgroep hidden in an
// export for publication.
const Suppressed = "onderdrukt"

// rawColumns are the columns of WriteRawCSV and WriteRawCSVIntl.
var rawColumns = []column{{"round", "ronde"}, {"respondent", "deelnemer"}, {"kern", "kern"}, {"leeftijd", "leeftijd"},
	{"question_id", "vraag"}, {"field", "veld"}, {"type", "soort"}, {"skipped", "overgeslagen"}, {"options", "keuzes"},
	{"winner", "winnaar"}, {"losers", "verliezers"}, {"text", "open_antwoord"}}

// WriteRawCSV writes raw answers as CSV for Dutch offices, in the dialect of
// WriteCSV (';', a byte order mark, Dutch column names); skipped is "ja" or
// "nee" and option ids are joined by ", ". The rows are those of
// WriteRawCSVIntl.
func WriteRawCSV(w io.Writer, s *surveys.Survey, round string, rs []RawRespondent) error {
	return writeRawCSV(w, dutchCSV, s, round, rs)
}

// WriteRawCSVIntl writes raw answers as CSV for scripts, in long form, one row
// per answer: for a wie-van-de-drie triad the field is "<qid>#<i>", options
// are ids joined by ";", skipped is "true" or "false". Questions are in survey
// order, respondents in the order given.
func WriteRawCSVIntl(w io.Writer, s *surveys.Survey, round string, rs []RawRespondent) error {
	return writeRawCSV(w, intlCSV, s, round, rs)
}

func writeRawCSV(w io.Writer, d csvDialect, s *surveys.Survey, round string, rs []RawRespondent) error {
	cw, err := d.writer(w)
	if err != nil {
		return fmt.Errorf("write raw answers: %w", err)
	}
	if err := cw.Write(d.header(rawColumns)); err != nil {
		return fmt.Errorf("write raw answers: %w", err)
	}
	for _, r := range rs {
		for _, f := range answerFields(s, r.Answers) {
			a := r.Answers[f.field]
			skipped := d.no
			if a.Skipped {
				skipped = d.yes
			}
			row := []string{safeCell(round), safeCell(r.ID), safeCell(r.Kern), safeCell(r.Leeftijd), safeCell(f.qid), safeCell(f.field),
				string(f.typ), skipped, safeCell(strings.Join(a.Options, d.list)), safeCell(a.Winner),
				safeCell(strings.Join(a.Losers, d.list)), safeCell(a.Text)}
			if err := cw.Write(row); err != nil {
				return fmt.Errorf("write raw answers: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write raw answers: %w", err)
	}
	return nil
}

// WriteRawJSON writes raw answers as JSON: the round and one object per respondent.
func WriteRawJSON(w io.Writer, round string, rs []RawRespondent) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if rs == nil {
		rs = []RawRespondent{}
	}
	v := struct {
		Round       string          `json:"round"`
		Respondents []RawRespondent `json:"respondents"`
	}{round, rs}
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write raw answers: %w", err)
	}
	return nil
}

type answerField struct {
	qid, field string
	typ        surveys.QuestionType
}

// answerFields orders a respondent's answer fields by survey question, triads by
// index; fields of questions no longer in the survey come last, by name.
func answerFields(s *surveys.Survey, answers map[string]surveys.Answer) []answerField {
	var out []answerField
	seen := map[string]bool{}
	if s != nil {
		for _, q := range s.Questions {
			if _, ok := answers[q.ID]; ok {
				out = append(out, answerField{q.ID, q.ID, q.Type})
				seen[q.ID] = true
			}
			for i := 0; ; i++ {
				f := q.ID + "#" + strconv.Itoa(i)
				if _, ok := answers[f]; !ok {
					break
				}
				out = append(out, answerField{q.ID, f, q.Type})
				seen[f] = true
			}
		}
	}
	for _, f := range slices.Sorted(maps.Keys(answers)) {
		if !seen[f] {
			qid, _, _ := strings.Cut(f, "#")
			out = append(out, answerField{qid, f, ""})
		}
	}
	return out
}
