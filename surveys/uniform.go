package surveys

import (
	"math/rand/v2"
	"sort"
)

// UniformNext draws a participant's next triad of a wie-van-de-drie question like
// AdaptiveNext, with the same guarantees (the participant's own least-seen options
// first, no triad seen before while the pool has another, random order of the three,
// the same triad for the same arguments and rng state), but without looking at the
// picks: of the options the participant saw least, the three shown least often in
// the round (counts' "s:<oid>" counters), ties broken at random. So exposure stays
// even across the round as well as within one participant, which is what a fit of
// every option's worth needs most; which options meet is left to chance.
func UniformNext(pool []Option, counts map[string]int64, seen [][3]string, rng *rand.Rand) ([3]string, bool) {
	ids := distinctIDs(pool)
	if len(ids) < 3 {
		return [3]string{}, false
	}
	return nextTriad(ids, counts, seen, leastShown, rng), true
}

// leastShown is the chooser of UniformNext: the three least shown, ties at random.
func leastShown(sub []string, shown []int64, rng *rand.Rand) [3]int {
	order := rng.Perm(len(sub))
	sort.SliceStable(order, func(a, b int) bool { return shown[order[a]] < shown[order[b]] })
	return [3]int{order[0], order[1], order[2]}
}
