package surveys

import "sort"

// ranking orders a wie-van-de-drie pool by win rate (wins/shown), best first,
// equal rates by label; options never shown come last, unranked.
func ranking(pool []Option, counts map[string]int64) []RankResult {
	opts := withExtraIDs(pool, counts, "w:", "s:")
	out := make([]RankResult, 0, len(opts))
	for _, o := range opts {
		rr := RankResult{ID: o.ID, Label: o.Label, Wins: counts["w:"+o.ID], Shown: counts["s:"+o.ID]}
		if rr.Shown > 0 {
			rr.WinRate = float64(rr.Wins) / float64(rr.Shown)
		} else {
			rr.Shown, rr.NotShown = 0, true
		}
		out = append(out, rr)
	}
	sort.SliceStable(out, func(i, j int) bool { return rankBefore(out[i], out[j]) })
	for i := range out {
		switch {
		case out[i].NotShown:
			out[i].Rank = 0
		case i > 0 && compareRate(out[i-1], out[i]) == 0:
			out[i].Rank = out[i-1].Rank
		default:
			out[i].Rank = i + 1
		}
	}
	return out
}

func rankBefore(a, b RankResult) bool {
	if a.NotShown != b.NotShown {
		return b.NotShown
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
