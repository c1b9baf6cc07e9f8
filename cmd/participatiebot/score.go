package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/stats"
)

// scoreCmd fits wie-van-de-drie picks from a CSV (results --raw --picks, or
// any winner,loser,loser file) exactly as the results do (results.RankPicks)
// and prints per option its worth, the figure with its band and its place, as
// text or JSON. It needs no Redis and no configuration: it is for analysts who
// re-analyse an open-data release.
func scoreCmd(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("score", flag.ContinueOnError)
	format := fs.String("format", "text", "text of json")
	question := fs.String("vraag", "", "alleen deze vraag (question_id) uit het bestand")
	pos, err := parseArgs(fs, "score", args, out)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("score", "noem één CSV-bestand met keuzes (of - voor standaardinvoer)")
	}
	if *format != "text" && *format != "json" {
		return usagef("score", "onbekend formaat %q: kies text of json", *format)
	}
	in := io.Reader(os.Stdin)
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return tellf(err, "Kan het bestand met keuzes niet openen: %v", err)
		}
		defer f.Close()
		in = f
	}
	qs, err := results.ReadPicksCSV(in)
	if err != nil {
		return tellf(err, "%s: %v", pos[0], err)
	}
	if *question != "" {
		var keep []results.QuestionPicks
		for _, q := range qs {
			if q.Question == *question {
				keep = append(keep, q)
			}
		}
		if len(keep) == 0 {
			return tellf(errors.New("no picks for the question"), "%s: geen keuzes voor vraag %q", pos[0], *question)
		}
		qs = keep
	}
	scores := make([]questionScore, len(qs))
	for i, q := range qs {
		rank, fit := results.RankPicks(nil, q.Picks)
		scores[i] = questionScore{Question: q.Question, Picks: len(q.Picks), Fit: fit, view: results.Ranked(rank)}
	}
	if *format == "json" {
		return writeScoreJSON(out, scores)
	}
	return writeScoreText(out, scores)
}

// questionScore is the fit of one question's picks.
type questionScore struct {
	Question string           `json:"question_id,omitempty"`
	Picks    int              `json:"picks"`
	Fit      *results.RankFit `json:"fit"`
	Options  []optionScore    `json:"options"`
	view     results.RankView
}

// optionScore is one option in the JSON of score: the figures in the units
// the reports show them (percent), and the worth on the model's own scale.
type optionScore struct {
	ID    string  `json:"id"`
	Place string  `json:"place"`
	Worth float64 `json:"worth"`
	// ChosenFromThree is results.RankName in percent, Low and High its band.
	ChosenFromThree float64 `json:"chosen_from_three_percent"`
	Low             float64 `json:"low_percent"`
	High            float64 `json:"high_percent"`
	BandLevel       int     `json:"band_level_percent"`
	Wins            int64   `json:"wins"`
	Shown           int64   `json:"shown"`
	TooFew          bool    `json:"too_few,omitempty"`
	Reason          string  `json:"reason,omitempty"`
}

func writeScoreJSON(w io.Writer, scores []questionScore) error {
	for i := range scores {
		for _, r := range scores[i].view.Rows {
			scores[i].Options = append(scores[i].Options, optionScore{ID: r.ID, Place: r.Place(), Worth: r.Worth,
				ChosenFromThree: 100 * r.Score, Low: 100 * r.ScoreLow, High: 100 * r.ScoreHigh, BandLevel: results.RankBandLevel,
				Wins: r.Wins, Shown: r.Shown, TooFew: r.TooFew, Reason: r.Reason})
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(map[string]any{"name": results.RankName, "questions": scores}); err != nil {
		return fmt.Errorf("write scores: %w", err)
	}
	return nil
}

// writeScoreText prints each question as the text results do (RankRow.Line),
// with the worth behind each option and how the fit went.
func writeScoreText(w io.Writer, scores []questionScore) error {
	var b strings.Builder
	for i, s := range scores {
		if i > 0 {
			b.WriteString("\n")
		}
		name := s.Question
		if name == "" {
			name = "(zonder question_id)"
		}
		fmt.Fprintf(&b, "Vraag %s: %s\n", name, dutch.Plural(int64(s.Picks), "keuze", "keuzes"))
		if s.view.Verdict != "" {
			fmt.Fprintf(&b, "  %s\n", s.view.Verdict)
		}
		for _, r := range s.view.Rows {
			line := r.Line(r.ID, true)
			if !r.TooFew && !r.NotShown {
				line += "; gewicht θ " + dutch.Decimal(r.Worth, 3)
			}
			fmt.Fprintf(&b, "  %s\n", line)
		}
		for _, h := range results.Help(s.view.Rows) {
			fmt.Fprintf(&b, "  %s\n", h)
		}
		b.WriteString("  " + fitLine(s.Fit) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fitLine says how the fit went, in one line.
func fitLine(f *results.RankFit) string {
	if f == nil {
		return "Geen keuzes om te berekenen."
	}
	s := fmt.Sprintf("Berekening: Plackett–Luce (top-1) met Newton, %d stappen, grootste gradiënt %.1e", f.Iterations, f.Gradient)
	if f.Converged {
		s += fmt.Sprintf(" (onder %.0e: klaar)", stats.GradientTol)
	} else {
		s += " (niet klaar: de cijfers zijn niet te vertrouwen)"
	}
	return s + "."
}
