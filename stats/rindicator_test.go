package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestRIndicatorByHand checks RIndicator against the definition of Schouten,
// Cobben & Bethlehem (2009), worked out by hand:
//
//	group  N_g   n_g  ρ_g   ρ_g − ρ̄  N_g(ρ_g − ρ̄)²  ρ_g(1 − ρ_g)
//	A      1000  100  0,10   0        0              0,09
//	B      3000  150  0,05  −0,05     7,5            0,0475
//	C      1000  250  0,25   0,15    22,5            0,1875
//	N = 5000, ρ̄ = (100 + 150 + 250)/5000 = 0,10
//	S² = (0 + 7,5 + 22,5)/(5000 − 1) = 30/4999 = 0,0060012
//	S  = 0,0774674, R = 1 − 2·0,0774674 = 0,8450652
//
// and its delta-method variance:
//
//	Σ N_g(ρ_g − ρ̄)²·ρ_g(1 − ρ_g) = 7,5·0,0475 + 22,5·0,1875 = 0,35625 + 4,21875 = 4,575
//	Var(R) = 4·4,575/(30·4999) = 18,3/149970 = 0,000122024, SE = 0,0110465
//	95%: 0,8450652 ± 1,96·0,0110465 = 0,8234141 … 0,8667162
func TestRIndicatorByHand(t *testing.T) {
	got, err := RIndicator([]int64{1000, 3000, 1000}, []int64{100, 150, 250}, 1.96)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"mean", got.Mean, 0.1},
		{"S", got.S, math.Sqrt(30.0 / 4999)},
		{"R", got.R, 0.8450652},
		{"SE", got.SE, 0.0110465},
		{"low", got.Low, 0.8234141},
		{"high", got.High, 0.8667162},
	} {
		if math.Abs(c.got-c.want) > 5e-7 {
			t.Errorf("%s: got %.7f, want %.7f", c.name, c.got, c.want)
		}
	}
}

func TestRIndicatorEdges(t *testing.T) {
	tests := []struct {
		name        string
		pop, resp   []int64
		wantR       float64
		wantErr     bool
		wantFullish bool // the interval reaches 1
	}{
		{"every group alike", []int64{500, 1500}, []int64{50, 150}, 1, false, true},
		{"a group without respondents", []int64{1000, 1000}, []int64{0, 200}, 1 - 2*math.Sqrt(1000*0.01*2/1999.0), false, false},
		{"group without inhabitants left out", []int64{0, 500, 1500}, []int64{7, 50, 150}, 1, false, true},
		{"lengths differ", []int64{1, 2}, []int64{1}, 0, true, false},
		{"negative count", []int64{10, 10}, []int64{-1, 2}, 0, true, false},
		{"no population", []int64{0, 1}, []int64{0, 1}, 0, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RIndicator(tt.pop, tt.resp, 1.96)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error: got %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if math.Abs(got.R-tt.wantR) > 1e-9 {
				t.Errorf("R: got %v, want %v", got.R, tt.wantR)
			}
			if got.Low > got.R || got.High < got.R || got.Low < 0 || got.High > 1 || !(got.SE > 0) {
				t.Errorf("interval: got %v–%v (SE %v) around %v", got.Low, got.High, got.SE, got.R)
			}
			if tt.wantFullish && got.High != 1 {
				t.Errorf("high: got %v, want 1", got.High)
			}
		})
	}
}

// TestRIndicatorCoverage draws the respondents of five groups (12,000
// inhabitants, response rates 5% to 25%, so about 1,500 respondents) as
// binomial, 2,000 times with a fixed seed, and checks that the 95% interval
// covers the true R in 93–97% of them (the simulation's own standard error
// is about 0,5 percentage point).
func TestRIndicatorCoverage(t *testing.T) {
	pop := []int64{4000, 3000, 2000, 2000, 1000}
	rho := []float64{0.05, 0.10, 0.15, 0.20, 0.25}
	truth := trueR(pop, rho)
	rng := rand.New(rand.NewPCG(14, 6))
	const reps = 2000
	covered := 0
	resp := make([]int64, len(pop))
	for range reps {
		for g := range pop {
			resp[g] = binomial(rng, pop[g], rho[g])
		}
		est, err := RIndicator(pop, resp, 1.96)
		if err != nil {
			t.Fatal(err)
		}
		if est.Low <= truth && truth <= est.High {
			covered++
		}
	}
	if rate := float64(covered) / reps; rate < 0.93 || rate > 0.97 {
		t.Errorf("coverage: got %.3f, want 0.93–0.97 (true R %.4f)", rate, truth)
	}
}

// trueR is R of the propensities themselves: ρ̄ and S over the population.
func trueR(pop []int64, rho []float64) float64 {
	var bigN, sum float64
	for g, p := range pop {
		bigN += float64(p)
		sum += float64(p) * rho[g]
	}
	mean := sum / bigN
	var ss float64
	for g, p := range pop {
		ss += float64(p) * (rho[g] - mean) * (rho[g] - mean)
	}
	return 1 - 2*math.Sqrt(ss/(bigN-1))
}

func binomial(rng *rand.Rand, n int64, p float64) int64 {
	var k int64
	for range n {
		if rng.Float64() < p {
			k++
		}
	}
	return k
}

// TestWilsonEffective checks that the weighted interval is Wilson's at the
// effective n, and wider than Wilson at the raw n when the weights vary.
func TestWilsonEffective(t *testing.T) {
	for _, c := range []struct{ k, n int64 }{{0, 10}, {3, 10}, {10, 10}, {62, 150}} {
		lo, hi := Wilson(c.k, c.n, 1.96)
		glo, ghi := WilsonEffective(float64(c.k)/float64(c.n), float64(c.n), 1.96)
		if math.Abs(lo-glo) > 1e-15 || math.Abs(hi-ghi) > 1e-15 {
			t.Errorf("%d of %d: got %v–%v, want %v–%v", c.k, c.n, glo, ghi, lo, hi)
		}
	}
	// 100 respondents, half with weight 1 and half with weight 3: deff =
	// 100·(50·1 + 50·9)/(50 + 150)² = 1,25, so nEff = 80.
	w := []float64{1, 3}
	counts := []float64{50, 50}
	nEff := EffectiveSampleSizeCounts(w, counts)
	if math.Abs(nEff-80) > 1e-9 {
		t.Fatalf("effective n: got %v, want 80", nEff)
	}
	lo, hi := WilsonEffective(0.4, nEff, 1.96)
	ulo, uhi := Wilson(40, 100, 1.96)
	if !(lo < ulo && hi > uhi) {
		t.Errorf("weighted %v–%v should be wider than unweighted %v–%v", lo, hi, ulo, uhi)
	}
	if lo, hi := WilsonEffective(0.5, 0, 1.96); lo != 0 || hi != 1 {
		t.Errorf("no effective n: got %v–%v, want 0–1", lo, hi)
	}
}
