package results

import "testing"

func TestComputeScores(t *testing.T) {
	tallies := resTallies()
	for k, d := range map[string]int64{"q:waarden:w:e": 1, "q:waarden:s:e": 1, "q:waarden:s:b": 1, "q:waarden:s:d": 1,
		"q:waarden:p:e:b": 1, "q:waarden:p:e:d": 1} {
		tallies[k] += d
	}
	rank := findQuestion(t, Compute(resSurvey(), resRound, tallies, nil, 10), "waarden").Ranking
	again := findQuestion(t, Compute(resSurvey(), resRound, tallies, nil, 10), "waarden").Ranking
	for i, rr := range rank {
		if !(0 <= rr.ScoreLow && rr.ScoreLow <= rr.Score && rr.Score <= rr.ScoreHigh && rr.ScoreHigh <= 1) {
			t.Errorf("%s: got %v (%v..%v), want 0 <= low <= score <= high <= 1", rr.ID, rr.Score, rr.ScoreLow, rr.ScoreHigh)
		}
		if i > 0 && rank[i-1].Score < rr.Score {
			t.Errorf("order: got %v before %v, want by score", rank[i-1].Score, rr.Score)
		}
		if rr != again[i] {
			t.Errorf("deterministic: got %+v, then %+v", rr, again[i])
		}
	}
	var groen, sportief RankResult
	for _, rr := range rank {
		switch rr.ID {
		case "a":
			groen = rr
		case "e":
			sportief = rr
		}
	}
	// one pick is little evidence: the band is wider than that of Groen's 36 picks
	if !(sportief.ScoreHigh-sportief.ScoreLow > 1.2*(groen.ScoreHigh-groen.ScoreLow)) {
		t.Errorf("band width: got sportief %v, groen %v, want sportief's wider",
			sportief.ScoreHigh-sportief.ScoreLow, groen.ScoreHigh-groen.ScoreLow)
	}
}
