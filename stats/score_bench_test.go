package stats

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// benchPairs simulates comparisons pair comparisons of n options (log-worths
// evenly spread over [-2, 2], random pairs, Bradley–Terry outcomes) and returns
// them aggregated into a win matrix, m[w*n+l] = times w beat l.
func benchPairs(n, comparisons int) []float64 {
	rng := rand.New(rand.NewPCG(1, 2))
	m := make([]float64, n*n)
	for range comparisons {
		a := rng.IntN(n)
		b := rng.IntN(n - 1)
		if b >= a {
			b++
		}
		ta := 2 - 4*float64(a)/float64(n-1)
		tb := 2 - 4*float64(b)/float64(n-1)
		if rng.Float64() < 1/(1+math.Exp(tb-ta)) {
			m[a*n+b]++
		} else {
			m[b*n+a]++
		}
	}
	return m
}

// The scoring parameters of the results' ranking (results.rankAlpha, rankReps,
// rankSeed), so the benchmark measures what results.Compute does.
const (
	benchAlpha = 0.1
	benchReps  = 200
	benchSeed  = 0x77766464
)

// BenchmarkScore100Options1MPicks fits 100 options from 1,000,000 simulated
// pair comparisons. The comparisons are aggregated into the 100×100 win matrix
// once (as the tallies already are); the fit works on the matrix, so its cost
// does not grow with the number of comparisons. "matrix" times the MM fit,
// "tallies" also the conversion from pair counters by option id, as results.Compute does,
// "tallies+bands" adds the 200-resample bootstrap bands.
func BenchmarkScore100Options1MPicks(b *testing.B) {
	const n, comparisons = 100, 1_000_000
	m := benchPairs(n, comparisons)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "o" + strconv.Itoa(i)
	}
	pairs := map[[2]string]int64{}
	for w := range n {
		for l := range n {
			if c := m[w*n+l]; c > 0 {
				pairs[[2]string{ids[w], ids[l]}] = int64(c)
			}
		}
	}
	b.Run("matrix", func(b *testing.B) {
		for b.Loop() {
			if _, err := fitPairMatrix(n, m, benchAlpha, nil, scoreTol); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("tallies", func(b *testing.B) {
		for b.Loop() {
			if _, err := BradleyTerryFromPairs(ids, pairs, benchAlpha); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("tallies+bands", func(b *testing.B) {
		for b.Loop() {
			mm := pairMatrix(ids, pairs)
			theta, err := fitPairMatrix(n, mm, benchAlpha, nil, scoreTol)
			if err != nil {
				b.Fatal(err)
			}
			pairScoreBands(n, mm, benchAlpha, theta, benchReps, benchSeed)
		}
	})
}
