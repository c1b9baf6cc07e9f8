package results

import "testing"

func TestComputeScores(t *testing.T) {
	tallies := resTallies()
	rank := findQuestion(t, Compute(resSurvey(), resRound, tallies, nil, 10), "waarden").Ranking
	again := findQuestion(t, Compute(resSurvey(), resRound, tallies, nil, 10), "waarden").Ranking
	for i, rr := range rank {
		if !rr.TooFew && !rr.NotShown && !(0 < rr.ScoreLow && rr.ScoreLow < rr.Score && rr.Score < rr.ScoreHigh && rr.ScoreHigh < 1) {
			t.Errorf("%s: got %v (%v..%v), want 0 < low < score < high < 1", rr.ID, rr.Score, rr.ScoreLow, rr.ScoreHigh)
		}
		if i > 0 && rank[i-1].Score < rr.Score {
			t.Errorf("order: got %v before %v, want by score", rank[i-1].Score, rr.Score)
		}
		if rr != again[i] {
			t.Errorf("deterministic: got %+v, then %+v", rr, again[i])
		}
	}
	// Ten times the picks: the same figures, a band about √10 narrower.
	for k, v := range tallies {
		if len(k) > len("q:waarden:") && k[:len("q:waarden:")] == "q:waarden:" {
			tallies[k] = 10 * v
		}
	}
	more := findQuestion(t, Compute(resSurvey(), resRound, tallies, nil, 10), "waarden").Ranking
	for i := range 3 {
		w, w10 := rank[i].ScoreHigh-rank[i].ScoreLow, more[i].ScoreHigh-more[i].ScoreLow
		if !(w10 < w/2.5 && w10 > w/4) {
			t.Errorf("%s band width: got %.3f with 36 picks, %.3f with 360, want about √10 narrower", rank[i].ID, w, w10)
		}
	}
}
