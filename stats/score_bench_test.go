package stats

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// benchTallies simulates picks triad picks of n options (log-worths evenly
// spread over [-2, 2], uniform random triads, top-1 outcomes) and returns them
// as one question's counters, as surveys.TallyFields records them.
func benchTallies(n, picks int) ([]string, map[string]int64) {
	rng := rand.New(rand.NewPCG(1, 2))
	ids := make([]string, n)
	truth := make([]float64, n)
	for i := range ids {
		ids[i] = "o" + strconv.Itoa(i)
		truth[i] = 2 - 4*float64(i)/float64(n-1)
	}
	counts := map[string]int64{}
	for range picks {
		tri := randomTriad(rng, n)
		p := pickFrom(rng, truth, tri)
		set := []string{ids[tri[0]], ids[tri[1]], ids[tri[2]]}
		slices.Sort(set)
		counts["t:"+strings.Join(set, ":")]++
		counts["w:"+ids[p.Winner]]++
		for _, l := range p.Losers {
			counts["p:"+ids[p.Winner]+":"+ids[l]]++
		}
	}
	return ids, counts
}

// benchAlpha is the regulariser of the results' ranking (results.rankAlpha), so
// the benchmark measures what results.Compute does.
const benchAlpha = 0.1

// BenchmarkScore30Options1MPicks is BenchmarkScore100Options1MPicks for a
// pool of 30, the size of the seeds' largest (at most 4,060 sets).
func BenchmarkScore30Options1MPicks(b *testing.B) {
	ids, counts := benchTallies(30, 1_000_000)
	for b.Loop() {
		f, err := ChoicesFromTallies(ids, counts).Fit(benchAlpha)
		if err != nil || !f.Converged {
			b.Fatal(err, f.Gradient)
		}
		ChosenBands(f, BandZ90)
	}
}

// BenchmarkScore100Options1MPicks fits 100 options from 1,000,000 simulated
// triad picks, read from the counters as results.Compute reads them. The fit
// works on the distinct sets (at most C(100, 3) = 161,700), so its cost does not
// grow with the number of picks. "fit" is the Newton fit with its covariance
// from the counters, "fit+bands" adds ChosenBands.
func BenchmarkScore100Options1MPicks(b *testing.B) {
	ids, counts := benchTallies(100, 1_000_000)
	b.Run("fit", func(b *testing.B) {
		for b.Loop() {
			f, err := ChoicesFromTallies(ids, counts).Fit(benchAlpha)
			if err != nil || !f.Converged {
				b.Fatal(err, f.Gradient)
			}
		}
	})
	b.Run("fit+bands", func(b *testing.B) {
		for b.Loop() {
			f, err := ChoicesFromTallies(ids, counts).Fit(benchAlpha)
			if err != nil || !f.Converged {
				b.Fatal(err, f.Gradient)
			}
			ChosenBands(f, BandZ90)
		}
	})
}

// BenchmarkAdaptiveFit30 is the fit the adaptive draw makes for every triad
// of a 30-option pool (20,000 picks): Estimate, and Fit with the covariance
// it used to compute.
func BenchmarkAdaptiveFit30(b *testing.B) {
	ids, counts := benchTallies(30, 20_000)
	c := ChoicesFromTallies(ids, counts)
	b.Run("estimate", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.Estimate(benchAlpha); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("fit", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.Fit(benchAlpha); err != nil {
				b.Fatal(err)
			}
		}
	})
}
