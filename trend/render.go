package trend

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/participatiebot/participatiebot/internal/dutch"
)

// WriteText writes the trend in Dutch: per question and figure every round's
// value with its interval, and each change's verdict.
func (t *Trend) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "Trend: %s (%s)\n", t.Title, dutch.Plural(int64(len(t.Rounds)), "ronde", "rondes"))
	for _, s := range t.Series {
		if len(s.Figures) == 0 && len(s.Left) == 0 {
			continue
		}
		fmt.Fprintf(bw, "\n%s — %s\n", s.Text, s.Measure)
		for i, f := range s.Figures {
			line := fmt.Sprintf("  %s: %s (%s–%s)", f.Round, value(f.Value, s.Percent), value(f.Low, s.Percent), value(f.High, s.Percent))
			if f.Weighted {
				line += ", gewogen"
			}
			if i > 0 {
				c := s.Changes[i-1]
				line += fmt.Sprintf(": %s (%s)", c.Verdict, signed(c.Difference, s.Percent))
			}
			bw.WriteString(line + "\n")
		}
		for _, l := range s.Left {
			fmt.Fprintf(bw, "  %s: niet meegeteld: %s\n", l.Round, l.Reason)
		}
	}
	fmt.Fprintf(bw, "\n%s\n", TestText)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("trend schrijven: %w", err)
	}
	return nil
}

func signed(d float64, percent bool) string {
	s := value(d, false)
	if percent {
		s = strings.TrimSuffix(dutch.Decimal(d, 1), ",0") + " procentpunten"
		if d == 1 || d == -1 {
			s = strings.TrimSuffix(s, "en")
		}
	}
	if d > 0 {
		return "+" + s
	}
	return s
}

// WriteJSON writes the trend as JSON.
func (t *Trend) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(t); err != nil {
		return fmt.Errorf("trend schrijven: %w", err)
	}
	return nil
}

// WriteCSV writes one row per question, figure and round, for Dutch Excel: a BOM,
// ";" between the columns and a decimal comma.
func (t *Trend) WriteCSV(w io.Writer) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return fmt.Errorf("trend schrijven: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	rows := [][]string{{"vraag", "optie", "vraagtekst", "cijfer", "ronde", "datum", "waarde", "ondergrens", "bovengrens", "aantal", "gewogen", "verschil", "oordeel"}}
	for _, s := range t.Series {
		for i, f := range s.Figures {
			diff, verdict := "", ""
			if i > 0 {
				diff, verdict = dutch.Decimal(s.Changes[i-1].Difference, 2), s.Changes[i-1].Verdict
			}
			weighted := "nee"
			if f.Weighted {
				weighted = "ja"
			}
			rows = append(rows, []string{s.QuestionID, s.Option, safe(s.Text), s.Measure, f.Round, f.At.Format("2006-01-02"),
				dutch.Decimal(f.Value, 2), dutch.Decimal(f.Low, 2), dutch.Decimal(f.High, 2), dutch.Decimal(f.N, 1), weighted, diff, verdict})
		}
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("trend schrijven: %w", err)
	}
	return nil
}

// safe keeps a text that Excel would read as a formula a text.
func safe(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
