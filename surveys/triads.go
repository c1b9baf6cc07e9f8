package surveys

import "math/rand/v2"

// triadStream is the PCG stream for triad designs, so that the same seed used
// elsewhere does not give correlated draws.
const triadStream = 0x7472696164733a31 // "triads:1"

// Triads draws the design of a wie-van-de-drie question for one participant: n
// triads of three distinct option ids from pool.
//
// Every option is shown about equally often, because scores are fitted from the picks
// and an option rarely shown is poorly estimated. The pool is shuffled, cut into threes,
// and the next shuffle follows when it runs out; an id that would appear twice in a
// triad (at the seam of two shuffles) waits for the next triad. So within one
// participant's triads each option appears floor or ceil of 3n/len(pool) times, and
// since each seed shuffles differently, the options that get the extra showing differ
// between participants and exposure evens out across them.
//
// The design is deterministic for a seed; pass one derived from participant and round
// so a participant sees the same triads after a restart. Duplicate ids in pool are
// counted once; with fewer than three distinct ids, or n <= 0, there are no triads.
func Triads(pool []Option, n int, seed uint64) [][3]string {
	ids := distinctIDs(pool)
	if n <= 0 || len(ids) < 3 {
		return nil
	}
	rng := rand.New(rand.NewPCG(seed, triadStream))
	var deck []string
	out := make([][3]string, 0, n)
	for range n {
		var t [3]string
		for slot := range t {
			i := nextDistinct(deck, t[:slot])
			if i < 0 {
				deck = append(deck, shuffled(rng, ids)...)
				i = nextDistinct(deck, t[:slot])
			}
			t[slot] = deck[i]
			deck = append(deck[:i], deck[i+1:]...)
		}
		out = append(out, t)
	}
	return out
}

// nextDistinct returns the index of the first id in deck that is not in chosen, or -1.
func nextDistinct(deck []string, chosen []string) int {
	for i, id := range deck {
		dup := false
		for _, c := range chosen {
			dup = dup || c == id
		}
		if !dup {
			return i
		}
	}
	return -1
}

func shuffled(rng *rand.Rand, ids []string) []string {
	s := append([]string(nil), ids...)
	rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
	return s
}

func distinctIDs(pool []Option) []string {
	seen := make(map[string]bool, len(pool))
	var ids []string
	for _, o := range pool {
		if !seen[o.ID] {
			seen[o.ID] = true
			ids = append(ids, o.ID)
		}
	}
	return ids
}
