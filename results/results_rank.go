package results

import (
	"math"
	"sort"

	"github.com/participatiebot/participatiebot/stats"
	"github.com/participatiebot/participatiebot/surveys"
)

// Scoring parameters of Compute: the regulariser of the Bradley–Terry fit, the
// number of bootstrap resamples for the bands and their fixed seed (so the same
// tallies always give the same bands).
const (
	rankAlpha = 0.1
	rankReps  = 200
	rankSeed  = 0x77766464 // "wvdd"
)

// scoreTie is how close two scores must be to share a rank.
const scoreTie = 1e-9

// ranking orders a wie-van-de-drie pool by score (see RankResult.Score), best
// first, equal scores by win rate (wins/shown) and then label; options never shown
// come last, unranked.
func ranking(pool []surveys.Option, counts map[string]int64) []RankResult {
	opts := withExtraIDs(pool, counts, "w:", "s:")
	out := make([]RankResult, 0, len(opts))
	var ids []string
	var idx []int
	for _, o := range opts {
		rr := RankResult{ID: o.ID, Label: o.Label, Wins: counts["w:"+o.ID], Shown: counts["s:"+o.ID]}
		if rr.Shown > 0 {
			rr.WinRate = float64(rr.Wins) / float64(rr.Shown)
			ids = append(ids, o.ID)
			idx = append(idx, len(out))
		} else {
			rr.Shown, rr.NotShown = 0, true
		}
		out = append(out, rr)
	}
	scoreRanking(out, ids, idx, counts)
	sort.SliceStable(out, func(i, j int) bool { return rankBefore(out[i], out[j]) })
	for i := range out {
		switch {
		case out[i].NotShown:
			out[i].Rank = 0
		case i > 0 && math.Abs(out[i-1].Score-out[i].Score) < scoreTie:
			out[i].Rank = out[i-1].Rank
		default:
			out[i].Rank = i + 1
		}
	}
	return out
}

// scoreRanking fills Score, ScoreLow and ScoreHigh of out[idx[k]] (option ids[k])
// from the pair counters, fitted as Bradley–Terry comparisons (see
// stats.BradleyTerryFromPairs for why pairs stand in for the triads).
func scoreRanking(out []RankResult, ids []string, idx []int, counts map[string]int64) {
	n := len(ids)
	if n == 0 {
		return
	}
	theta, lo, hi, err := stats.PairScores(ids, stats.PairTallies(counts), rankAlpha, rankReps, rankSeed)
	if err != nil { // cannot happen with alpha > 0
		return
	}
	for k, s := range stats.ChanceToWin(theta) {
		rr := &out[idx[k]]
		rr.Score, rr.ScoreLow, rr.ScoreHigh = s, min(lo[k], s), max(hi[k], s)
	}
}

func rankBefore(a, b RankResult) bool {
	if a.NotShown != b.NotShown {
		return b.NotShown
	}
	if math.Abs(a.Score-b.Score) >= scoreTie {
		return a.Score > b.Score
	}
	if c := compareRate(a, b); c != 0 {
		return c > 0
	}
	if a.Label != b.Label {
		return a.Label < b.Label
	}
	return a.ID < b.ID
}

// compareRate compares the win rates of a and b exactly (by cross-multiplying,
// so 1/3 and 2/6 tie): +1 when a is better, -1 when b is, 0 when equal.
func compareRate(a, b RankResult) int {
	if a.NotShown || b.NotShown {
		switch {
		case a.NotShown == b.NotShown:
			return 0
		case b.NotShown:
			return 1
		}
		return -1
	}
	x, y := a.Wins*b.Shown, b.Wins*a.Shown
	switch {
	case x > y:
		return 1
	case x < y:
		return -1
	}
	return 0
}
