package stats

import (
	"errors"
	"math"
)

// RIndicatorEstimate is an R-indicator with its confidence interval.
type RIndicatorEstimate struct {
	// R is 1 − 2·S(ρ), in [0, 1]: 1 when every group responded equally often.
	R float64
	// S is the standard deviation of the response propensities over the
	// population, Mean their population mean ρ̄ (the overall response rate).
	S, Mean float64
	// SE is the delta-method standard error of R; Low and High the interval
	// R ± z·SE, clamped to [0, 1].
	SE, Low, High float64
}

// RIndicator is the R-indicator of Schouten, Cobben & Bethlehem (2009),
// "Indicators for the representativeness of survey response", Survey
// Methodology 35(1), 101–113, for response propensities that are constant
// within groups g (a kern, a leeftijdsgroep): population[g] = N_g inhabitants,
// respondents[g] = n_g of them took part, and
//
//	ρ_g = n_g / N_g
//	ρ̄   = Σ N_g ρ_g / N                      (N = Σ N_g)
//	S²  = Σ N_g (ρ_g − ρ̄)² / (N − 1)
//	R   = 1 − 2·S
//
// S is at most ½ for propensities in [0, 1], so R lies in [0, 1]; R is clamped
// there when rounding or n_g > N_g (people from outside the table) pushes it out.
//
// The interval is analytic (the delta method), not a bootstrap: each n_g is
// taken as binomial(N_g, ρ_g), independent between groups, so Var(ρ_g) =
// ρ_g(1 − ρ_g)/N_g. Since Σ N_g (ρ_g − ρ̄) = 0, ∂S²/∂ρ_g = 2 N_g (ρ_g − ρ̄)/(N − 1),
// and ∂R/∂ρ_g = −2·∂S/∂ρ_g = −(1/S)·∂S²/∂ρ_g, which gives
//
//	Var(R) ≈ Σ_g (∂R/∂ρ_g)² Var(ρ_g) = 4 Σ_g N_g (ρ_g − ρ̄)² ρ_g(1 − ρ_g) / (S² (N − 1)²)
//
// and the interval R ± z·√Var(R). At S = 0 (every group alike) the derivative
// does not exist; the limit of the expression above as the groups come
// together is used instead, 4/(N − 1) times the mean of ρ_g(1 − ρ_g), which is
// also what the formula gives when the deviations are tiny. Near S = 0 the
// interval is rough anyway: S cannot go below 0, so its estimate is not normal
// there. The estimate of S
// is not corrected for its small upward bias from sampling noise (about
// Σ_g ρ_g(1 − ρ_g)/(N − 1) in S²), as in the paper's plain estimator; it
// matters only when the groups' rates hardly differ.
//
// Groups with N_g <= 0 are left out. It is an error when the slices differ in
// length, a count is negative, or fewer than two inhabitants remain.
func RIndicator(population, respondents []int64, z float64) (RIndicatorEstimate, error) {
	if len(population) != len(respondents) {
		return RIndicatorEstimate{}, errors.New("r-indicator: population and respondents differ in length")
	}
	var bigN, n float64
	for g, p := range population {
		if p < 0 || respondents[g] < 0 {
			return RIndicatorEstimate{}, errors.New("r-indicator: negative count")
		}
		if p > 0 {
			bigN += float64(p)
			n += float64(respondents[g])
		}
	}
	if bigN < 2 {
		return RIndicatorEstimate{}, errors.New("r-indicator: fewer than two inhabitants")
	}
	mean := n / bigN
	var ss, num, vsum float64 // Σ N_g d_g², Σ N_g d_g² v_g, Σ N_g v_g
	for g, p := range population {
		if p <= 0 {
			continue
		}
		ng := float64(p)
		rho := float64(respondents[g]) / ng
		d := rho - mean
		v := max(rho*(1-rho), 0) // n_g > N_g: no binomial variance to speak of
		ss += ng * d * d
		num += ng * d * d * v
		vsum += ng * v
	}
	s2 := ss / (bigN - 1)
	est := RIndicatorEstimate{S: math.Sqrt(s2), Mean: mean}
	est.R = clamp01(1 - 2*est.S)
	// Var(R) = 4 Σ N_g d_g² v_g / (S²(N−1)²) = 4 Σ N_g d_g² v_g / (Σ N_g d_g² · (N−1)).
	var varR float64
	switch {
	case ss > 1e-12*bigN:
		varR = 4 * num / (ss * (bigN - 1))
	default:
		varR = 4 * (vsum / bigN) / (bigN - 1)
	}
	est.SE = math.Sqrt(varR)
	est.Low, est.High = clamp01(est.R-z*est.SE), clamp01(est.R+z*est.SE)
	return est, nil
}

func clamp01(x float64) float64 { return min(max(x, 0), 1) }
