package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/results"
)

// TestScoreReanalysesTheRawPicks: the picks a closed round exports (results
// --raw --picks), fitted again by `participatiebot score`, give every option
// the same figure, band and place as the round's results, and the text of
// score shows each option in the words of every screen (RankRow.Line).
func TestScoreReanalysesTheRawPicks(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	h, st, sv, rid, people := reidentRound(t)
	recordPeople(t, st, sv, rid, people, 0)
	h.cli("rounds", "close", rid)

	picks := h.cli("results", rid, "--raw", "--picks")
	lines := strings.Split(strings.TrimSpace(picks), "\n")
	if lines[0] != "question_id,respondent,winner,loser_1,loser_2" || len(lines) != 1+2*len(people) {
		t.Fatalf("picks: header %q and %d rows, want the header and %d rows", lines[0], len(lines)-1, 2*len(people))
	}
	file := filepath.Join(t.TempDir(), "keuzes.csv")
	if err := os.WriteFile(file, []byte(picks), 0o600); err != nil {
		t.Fatal(err)
	}
	var scored struct {
		Name      string
		Questions []struct {
			QuestionID string `json:"question_id"`
			Picks      int
			Fit        results.RankFit
			Options    []struct {
				ID     string
				Place  string
				Worth  float64
				Chosen float64 `json:"chosen_from_three_percent"`
				Low    float64 `json:"low_percent"`
				High   float64 `json:"high_percent"`
				Wins   int64
				Shown  int64
			}
		}
	}
	if err := json.Unmarshal([]byte(h.cli("score", file, "--format", "json")), &scored); err != nil {
		t.Fatal(err)
	}
	var res results.Results
	if err := json.Unmarshal([]byte(h.cli("results", rid, "--format", "json")), &res); err != nil {
		t.Fatal(err)
	}
	var q results.QuestionResult
	for _, x := range res.Questions {
		if x.ID == "waarden" {
			q = x
		}
	}
	view := results.Ranked(q.Ranking)
	if len(scored.Questions) != 1 || scored.Questions[0].QuestionID != "waarden" || scored.Name != results.RankName {
		t.Fatalf("score: got %d questions (%+v), want waarden alone under %q", len(scored.Questions), scored.Questions, results.RankName)
	}
	got := scored.Questions[0]
	if !got.Fit.Converged || got.Picks != 2*len(people) {
		t.Errorf("score: fit %+v over %d picks, want converged over %d", got.Fit, got.Picks, 2*len(people))
	}
	byID := map[string]results.RankResult{}
	for _, rr := range q.Ranking {
		byID[rr.ID] = rr
	}
	ranked := view.Ranked()
	if len(ranked) < 3 {
		t.Fatalf("fixture: %d options ranked, want at least 3", len(ranked))
	}
	for i, r := range view.Shown() {
		o, rr := got.Options[i], byID[r.ID]
		if o.ID != r.ID || o.Place != r.Place() || o.Wins != rr.Wins || o.Shown != rr.Shown {
			t.Errorf("option %d: score has %s place %s (%d of %d), the results %s place %s (%d of %d)",
				i, o.ID, o.Place, o.Wins, o.Shown, r.ID, r.Place(), rr.Wins, rr.Shown)
		}
		for _, pair := range [][2]float64{{o.Chosen, 100 * rr.Score}, {o.Low, 100 * rr.ScoreLow}, {o.High, 100 * rr.ScoreHigh}, {o.Worth, rr.Worth}} {
			if math.Abs(pair[0]-pair[1]) > 1e-9 {
				t.Errorf("%s: score gives %v, the results %v", r.ID, pair[0], pair[1])
			}
		}
	}
	text := h.cli("score", file)
	for _, r := range view.Shown() {
		if want := r.Line(r.ID, true); !strings.Contains(text, want) {
			t.Errorf("score text: got no %q in\n%s", want, text)
		}
	}
}
