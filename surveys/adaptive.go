package surveys

import (
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/participatiebot/participatiebot/stats"
)

// adaptiveAlpha is the prior strength of the fit that steers AdaptiveNext: enough to
// give every option a worth before it has won or lost anything.
const adaptiveAlpha = 0.1

// adaptiveTries is how often AdaptiveNext draws again when it drew a triad the
// participant saw before, before it searches for an unseen one.
const adaptiveTries = 8

// QuestionCounts returns the counters of one question from a round's tallies (see
// TallyFields), with the "q:<qid>:" prefix cut off: "s:<oid>", "p:<win>:<lose>", ….
func QuestionCounts(tallies map[string]int64, qid string) map[string]int64 {
	pre := "q:" + qid + ":"
	out := map[string]int64{}
	for k, v := range tallies {
		if rest, ok := strings.CutPrefix(k, pre); ok {
			out[rest] = v
		}
	}
	return out
}

// AdaptiveNext draws a participant's next triad of a wie-van-de-drie question: three
// distinct option ids of pool, chosen by stats.AdaptiveTriad from the round's counters of
// the question (counts, as QuestionCounts gives them: "s:<oid>" showings and
// "p:<win>:<lose>" pairs, fitted with stats.PairChoices) and the participant's
// earlier triads of the question (seen).
//
// A participant's own showings weigh more than anyone else's: the triad is drawn from
// the options they saw least often, so within one participant no option comes back
// while there are three they have not seen, and an option seen less is never passed
// over for one seen more. A triad they saw before (in any order) is not drawn again
// while the pool has another. The three come in random order, so the least shown
// option, which stats.AdaptiveTriad puts first, gets no button of its own.
//
// The draw depends only on the arguments and the state of rng: seed it per
// participant and triad so a handled-again update draws the same triad as long as
// the counts are the same. With fewer than three distinct ids it returns false.
func AdaptiveNext(pool []Option, counts map[string]int64, seen [][3]string, rng *rand.Rand) ([3]string, bool) {
	ids := distinctIDs(pool)
	if len(ids) < 3 {
		return [3]string{}, false
	}
	var theta []float64
	if f, err := stats.PairChoices(ids, counts).Estimate(adaptiveAlpha); err == nil && f.Converged {
		theta = f.Theta
	} // otherwise (it cannot happen with alpha > 0) the draw is steered by showings only
	worth := make(map[string]float64, len(ids))
	for i, id := range ids {
		if i < len(theta) {
			worth[id] = theta[i]
		}
	}
	choose := func(sub []string, shown []int64, rng *rand.Rand) [3]int {
		w := make([]float64, len(sub))
		for i, id := range sub {
			w[i] = worth[id]
		}
		return stats.AdaptiveTriad(len(sub), shown, w, rng)
	}
	return nextTriad(ids, counts, seen, choose, rng), true
}

// chooser picks three distinct indexes of sub, the first an id least shown (shown
// weighs the participant's own showings above the round's, see drawFrom).
type chooser func(sub []string, shown []int64, rng *rand.Rand) [3]int

// nextTriad is the part of a draw that AdaptiveNext and UniformNext share: the
// participant's least-seen options, no triad seen before while the pool has another,
// and the three in random order. ids are distinct, at least three.
func nextTriad(ids []string, counts map[string]int64, seen [][3]string, choose chooser, rng *rand.Rand) [3]string {
	own := make(map[string]int, len(ids))
	for _, t := range seen {
		for _, id := range t {
			own[id]++
		}
	}
	sub, must := leastSeen(ids, own)
	t := drawFrom(sub, must, own, counts, choose, rng)
	for range adaptiveTries {
		if !seenTriad(seen, t) {
			break
		}
		t = drawFrom(sub, must, own, counts, choose, rng)
	}
	if seenTriad(seen, t) {
		if u, ok := unseenTriad(ids, own, counts, seen); ok {
			t = u
		}
	}
	rng.Shuffle(3, func(i, j int) { t[i], t[j] = t[j], t[i] })
	return t
}

// leastSeen returns the options the participant saw least often, at least three:
// all ids seen at most c times for the smallest such c, and among them those seen
// fewer than c times, which must all be in the triad (there are at most two).
func leastSeen(ids []string, own map[string]int) (sub, must []string) {
	levels := make([]int, 0, len(ids))
	for _, id := range ids {
		levels = append(levels, own[id])
	}
	slices.Sort(levels)
	c := levels[2]
	for _, id := range ids {
		switch n := own[id]; {
		case n < c:
			must = append(must, id)
			sub = append(sub, id)
		case n == c:
			sub = append(sub, id)
		}
	}
	return sub, must
}

// drawFrom draws a triad of sub with choose and puts the ids of must in it. The
// participant's own showings are added to the round's, weighted above any difference
// in the round's, so that choose starts from an id of must.
func drawFrom(sub, must []string, own map[string]int, counts map[string]int64, choose chooser, rng *rand.Rand) [3]string {
	var top int64
	for _, id := range sub {
		top = max(top, counts["s:"+id])
	}
	shown := make([]int64, len(sub))
	for i, id := range sub {
		shown[i] = max(counts["s:"+id], 0) + int64(own[id])*(top+1)
	}
	k := choose(sub, shown, rng)
	t := [3]string{sub[k[0]], sub[k[1]], sub[k[2]]}
	for _, id := range must {
		if slices.Contains(t[:], id) {
			continue
		}
		for j := 2; j >= 0; j-- {
			if !slices.Contains(must, t[j]) {
				t[j] = id
				break
			}
		}
	}
	return t
}

// seenTriad reports whether t holds the same three ids as one of seen.
func seenTriad(seen [][3]string, t [3]string) bool {
	for _, s := range seen {
		if slices.Contains(t[:], s[0]) && slices.Contains(t[:], s[1]) && slices.Contains(t[:], s[2]) {
			return true
		}
	}
	return false
}

// unseenTriad is the triad not in seen with the fewest showings to the participant,
// then in the round, then first in pool order; false when every triad was seen.
// It runs only when draws keep repeating, which needs a small pool: it tries every
// triad of ids.
func unseenTriad(ids []string, own map[string]int, counts map[string]int64, seen [][3]string) ([3]string, bool) {
	var best [3]string
	var bestOwn int
	var bestShown int64
	found := false
	for a := range ids {
		for b := a + 1; b < len(ids); b++ {
			for c := b + 1; c < len(ids); c++ {
				t := [3]string{ids[a], ids[b], ids[c]}
				if seenTriad(seen, t) {
					continue
				}
				o := own[t[0]] + own[t[1]] + own[t[2]]
				s := counts["s:"+t[0]] + counts["s:"+t[1]] + counts["s:"+t[2]]
				if !found || o < bestOwn || o == bestOwn && s < bestShown {
					best, bestOwn, bestShown, found = t, o, s, true
				}
			}
		}
	}
	return best, found
}
