package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/participatiebot/participatiebot/stats"
	"github.com/participatiebot/participatiebot/surveys"
)

// drawer is the production draw of a participant's next triad: surveys.AdaptiveNext
// or surveys.UniformNext.
type drawer func(pool []surveys.Option, counts map[string]int64, seen [][3]string, rng *rand.Rand) ([3]string, bool)

// setup is one cell of the table: a pool of options whose true log-worths are drawn
// from N(0, sd²), residents who each answer triads triads.
type setup struct {
	options int
	sd      float64
	triads  int
}

// run is how a simulated round is measured: the ranking is fitted every step picks;
// the round stops at maxPicks, or once every target is reached and has held for as
// many picks again as it took (at least hold picks).
type run struct {
	targets  []float64
	step     int
	hold     int
	maxPicks int
}

// fitAlpha is the prior of the fit that measures τ, that of the results' ranking
// (results.rankAlpha).
const fitAlpha = 0.1

// Streams of the simulation's generators, so that truth, residents and draws of one
// seed are independent and the same for both designs (the truth) or at least started
// alike (the residents).
const (
	truthStream = 0x7472757468 // "truth"
	pickStream  = 0x7069636b   // "pick"
)

// question is the wie-van-de-drie question whose counters surveys.TallyFields names.
var question = surveys.Question{ID: "w", Type: surveys.WieVanDeDrie}

// truth draws the true log-worths of a setup for a seed.
func truth(s setup, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, truthStream))
	th := make([]float64, s.options)
	for i := range th {
		th[i] = s.sd * rng.NormFloat64()
	}
	return th
}

// picksToTau simulates one round, residents one after another, each drawing triads
// with draw from the round's counters as they stand (kept exactly as
// surveys.TallyFields adds them) and picking by the top-1 (Luce) model. Every step
// picks the worths are fitted with stats.PlackettLuceTop1 and compared with the truth
// by Kendall's τ. For each target it returns the picks to reach it: the first
// checkpoint from which τ stays at or above the target to the end of the round;
// reached is false when τ was below it at the end.
func picksToTau(s setup, r run, seed uint64, draw drawer) (picks []int, reached []bool) {
	th := truth(s, seed)
	pool := make([]surveys.Option, s.options)
	index := make(map[string]int, s.options)
	for i := range pool {
		pool[i] = surveys.Option{ID: fmt.Sprintf("o%02d", i)}
		index[pool[i].ID] = i
	}
	resident := rand.New(rand.NewPCG(seed, pickStream))
	counts := map[string]int64{}
	var all []stats.Pick
	streak := make([]int, len(r.targets)) // first checkpoint of the current run at or above; 0: none
	var theta []float64
	for p := uint64(0); len(all) < r.maxPicks && !held(streak, len(all), r.hold); p++ {
		var seen [][3]string
		for ti := 0; ti < s.triads && len(all) < r.maxPicks; ti++ {
			rng := rand.New(rand.NewPCG(seed<<32|p, uint64(ti)))
			t, ok := draw(pool, counts, seen, rng)
			if !ok {
				panic("no triad")
			}
			seen = append(seen, t)
			k := luce(resident, th, index, t)
			a := surveys.Answer{Winner: t[k]}
			pick := stats.Pick{Winner: index[t[k]]}
			for j, id := range t {
				if j != k {
					a.Losers = append(a.Losers, id)
					pick.Losers = append(pick.Losers, index[id])
				}
			}
			for _, f := range surveys.TallyFields(question, a, surveys.Profile{}) {
				counts[strings.TrimPrefix(f, "q:"+question.ID+":")]++
			}
			all = append(all, pick)
			if len(all)%r.step != 0 {
				continue
			}
			var err error
			if theta, err = stats.PlackettLuceTop1(s.options, all, fitAlpha); err != nil {
				panic(err)
			}
			tau := stats.KendallTau(theta, th)
			for i, tg := range r.targets {
				switch {
				case tau < tg:
					streak[i] = 0
				case streak[i] == 0:
					streak[i] = len(all)
				}
			}
		}
	}
	picks = make([]int, len(r.targets))
	reached = make([]bool, len(r.targets))
	for i, c := range streak {
		picks[i], reached[i] = c, c > 0
		if c == 0 {
			picks[i] = len(all)
		}
	}
	return picks, reached
}

// held reports whether every target was reached and has held since for as many
// picks as it took to reach it, and at least hold.
func held(streak []int, n, hold int) bool {
	for _, c := range streak {
		if c == 0 || n < c+max(c, hold) {
			return false
		}
	}
	return true
}

// luce is the index in t of the option a resident picks by the top-1 model.
func luce(rng *rand.Rand, th []float64, index map[string]int, t [3]string) int {
	var w [3]float64
	var sum float64
	for j, id := range t {
		w[j] = math.Exp(th[index[id]])
		sum += w[j]
	}
	u := rng.Float64() * sum
	for j := range 2 {
		if u < w[j] {
			return j
		}
		u -= w[j]
	}
	return 2
}
