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
			line := fmt.Sprintf("  %s: %s (%s–%s)", f.Round, Value(f.Value, s.Percent), Value(f.Low, s.Percent), Value(f.High, s.Percent))
			if f.Weighted {
				line += ", gewogen"
			}
			if i > 0 {
				c := s.Changes[i-1]
				line += fmt.Sprintf(": %s (%s)", c.Verdict, Signed(c.Difference, s.Percent))
			}
			bw.WriteString(line + "\n")
		}
		for _, l := range s.Left {
			fmt.Fprintf(bw, "  %s: niet meegeteld: %s\n", l.Round, l.Reason)
		}
	}
	if len(t.Indicators) > 0 {
		bw.WriteString("\nIndicatoren:\n")
		for _, st := range t.Indicators {
			fmt.Fprintf(bw, "  • %s\n", st.Line())
		}
		fmt.Fprintf(bw, "  %s\n", t.Indicators[0].Rule)
	}
	if len(t.Benchmarks) > 0 {
		bw.WriteString("\nVergelijking:\n")
		for _, b := range t.Benchmarks {
			fmt.Fprintf(bw, "  • %s\n", b.Line())
		}
		fmt.Fprintf(bw, "  %s\n", BenchmarkText)
	}
	fmt.Fprintf(bw, "\n%s\n", TestText)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("trend schrijven: %w", err)
	}
	return nil
}

// Signed writes a difference with its sign: "+40 procentpunten", "-0,3".
func Signed(d float64, percent bool) string {
	s := Value(d, false)
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

// Line is the indicator in one sentence: "‘De gemeente luistert …’, (zeer) mee
// eens: 60% (56,6%–63,3%) in ronde r2, doel ≥ 50% in 2027 (wethouder): op koers".
func (st Status) Line() string {
	head := fmt.Sprintf("‘%s’, %s", clipText(st.Text, 90), st.Measure)
	if st.Text == "" {
		head = st.QuestionID
	}
	goal := "doel " + st.Goal
	if st.Year > 0 {
		goal += fmt.Sprintf(" in %d", st.Year)
	}
	goal += " (" + st.Owner + ")"
	if st.Last == nil {
		return head + ": " + goal + ": nog geen cijfer"
	}
	percent := strings.HasSuffix(st.Goal, "%")
	line := fmt.Sprintf("%s: %s (%s–%s) in ronde %s, %s: %s", head, Value(st.Last.Value, percent), Value(st.Last.Low, percent),
		Value(st.Last.High, percent), st.Round, goal, st.Verdict)
	if st.Change != nil {
		line += " (sinds de ronde ervoor " + st.Change.Verdict + ")"
	}
	return line
}

// Line is the benchmark in one sentence.
func (b Benchmark) Line() string {
	head := fmt.Sprintf("‘%s’, %s", clipText(b.Text, 90), b.Measure)
	ref := Value(b.Reference, b.Percent) + " (" + b.Source
	if b.Year > 0 {
		ref += fmt.Sprintf(", %d", b.Year)
	}
	ref += ")"
	if b.Own == nil {
		return head + ": vergelijkingscijfer " + ref + "; nog geen eigen cijfer"
	}
	verdict := "binnen de marge gelijk"
	if b.Meaningful {
		verdict = "duidelijk hoger"
		if b.Difference < 0 {
			verdict = "duidelijk lager"
		}
	}
	return fmt.Sprintf("%s: wij %s (%s–%s), vergelijkingscijfer %s: %s (%s)", head, Value(b.Own.Value, b.Percent),
		Value(b.Own.Low, b.Percent), Value(b.Own.High, b.Percent), ref, verdict, Signed(b.Difference, b.Percent))
}
