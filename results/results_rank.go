package results

import (
	"math"
	"sort"
	"strings"

	"github.com/participatiebot/participatiebot/stats"
	"github.com/participatiebot/participatiebot/surveys"
)

// rankAlpha is the regulariser of the fit (stats.Choices.Fit): a weak prior
// of 0.1 pseudo-wins and pseudo-losses per option, which keeps every worth
// finite and the fit unique.
const rankAlpha = 0.1

// RankMinShown is how often an option must have been shown before it gets a
// figure and a place: below it the band is so wide that a place would say more
// than the data do (an option shown once and picked once is not the second
// best of eight).
const RankMinShown = 10

// Why an option has no figure (RankResult.Reason).
const (
	ReasonFewShown    = "te weinig getoond"
	ReasonAlwaysWon   = "altijd gekozen"
	ReasonNeverWon    = "nooit gekozen"
	ReasonNotCompared = "te weinig vergeleken"
	ReasonNoFit       = "berekening niet afgerond"
)

// scoreTie is how close two scores must be to share a rank.
const scoreTie = 1e-9

// ranking orders a wie-van-de-drie pool by score (see RankResult.Score), best
// first, equal scores by win rate (wins/shown) and then label; options without
// a figure (TooFew) follow, by win rate, and the options never shown come last.
// Only options with a figure are ranked.
func ranking(pool []surveys.Option, counts map[string]int64) ([]RankResult, *RankFit) {
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
	fit := scoreRanking(out, ids, idx, counts)
	sort.SliceStable(out, func(i, j int) bool { return rankBefore(out[i], out[j]) })
	for i := range out {
		switch {
		case out[i].NotShown || out[i].TooFew:
			out[i].Rank = 0
		case i > 0 && math.Abs(out[i-1].Score-out[i].Score) < scoreTie:
			out[i].Rank = out[i-1].Rank
		default:
			out[i].Rank = i + 1
		}
	}
	return out, fit
}

// RankFit says how the figures of a wie-van-de-drie question were fitted.
type RankFit struct {
	// Converged is set when the Newton fit reached its criterion: every
	// component of the gradient below stats.GradientTol; Gradient is the
	// largest at the end, Iterations the steps taken.
	Converged  bool    `json:"converged"`
	Gradient   float64 `json:"gradient"`
	Iterations int     `json:"iterations"`
	// Pairwise is set for a round recorded before the triads were counted as
	// sets: it is fitted to the pair counts, with a doubled covariance.
	Pairwise bool `json:"pairwise,omitempty"`
}

// RankPicks ranks picks of one wie-van-de-drie question as Compute ranks the
// round's tallies: the picks are counted as surveys.TallyFields counts them
// and ranked over pool, plus any option the picks name that pool does not
// (labelled by its id). It is how `participatiebot score` re-analyses a raw
// export and gets the figures the reports showed.
func RankPicks(pool []surveys.Option, picks []surveys.Answer) ([]RankResult, *RankFit) {
	q := surveys.Question{ID: "q", Type: surveys.WieVanDeDrie}
	counts := map[string]int64{}
	for _, a := range picks {
		for _, f := range surveys.TallyFields(q, a, surveys.Profile{}) {
			counts[strings.TrimPrefix(f, "q:q:")]++
		}
	}
	return ranking(pool, counts)
}

// scoreRanking fills Score, ScoreLow and ScoreHigh of out[idx[k]] (option
// ids[k]) from the question's counters: the top-1 model fitted to the triads
// (stats.ChoicesFromTallies), the chance to be chosen from three
// (stats.ChosenFromThree) and its 90% band from the observed information
// (stats.ChosenBands). It marks TooFew, with the reason, the options shown
// fewer than RankMinShown times, those whose worth the comparisons cannot pin
// (stats.Choices.Separated), and every option when the fit did not converge.
func scoreRanking(out []RankResult, ids []string, idx []int, counts map[string]int64) *RankFit {
	n := len(ids)
	if n == 0 {
		return nil
	}
	c := stats.ChoicesFromTallies(ids, counts)
	f, err := c.Fit(rankAlpha)
	fit := &RankFit{Converged: err == nil && f.Converged, Gradient: f.Gradient, Iterations: f.Iterations, Pairwise: c.Pairwise}
	if !fit.Converged {
		for _, i := range idx {
			out[i].TooFew, out[i].Reason = true, ReasonNoFit
		}
		return fit
	}
	shown := make([]bool, n)
	for k := range ids {
		shown[k] = out[idx[k]].Shown >= RankMinShown
	}
	separated := c.Separated(shown)
	p, lo, hi := stats.ChosenBands(f, stats.BandZ90)
	for k := range ids {
		rr := &out[idx[k]]
		switch {
		case !shown[k]:
			rr.TooFew, rr.Reason = true, ReasonFewShown
		case separated[k] && rr.Wins == rr.Shown:
			rr.TooFew, rr.Reason = true, ReasonAlwaysWon
		case separated[k] && rr.Wins == 0:
			rr.TooFew, rr.Reason = true, ReasonNeverWon
		case separated[k]:
			rr.TooFew, rr.Reason = true, ReasonNotCompared
		default:
			rr.Score, rr.ScoreLow, rr.ScoreHigh = p[k], lo[k], hi[k]
			rr.Worth = f.Theta[k]
		}
	}
	return fit
}

func rankBefore(a, b RankResult) bool {
	if a.NotShown != b.NotShown {
		return b.NotShown
	}
	if a.TooFew != b.TooFew {
		return b.TooFew
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
