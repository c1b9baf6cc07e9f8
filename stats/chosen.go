package stats

import "math"

// ChosenFromThree is, for each option i, the chance that it is picked from a
// triad of itself and two other options drawn at random from the rest, under
// the top-1 model with log-worths theta:
//
//	P_i = mean over pairs {j, k} ⊂ others of e^θ_i / (e^θ_i + e^θ_j + e^θ_k).
//
// It is a direct probability, of exactly the question a resident answers, and
// comparable with the raw share of picks (wins/shown) of uniform triads: it
// averages 1/3 over the options whatever the data. With two options it is the
// chance of being picked over the other, with one it is 1. Cost: O(n³).
func ChosenFromThree(theta []float64) []float64 {
	p, _ := chosen(theta, false)
	return p
}

// chosen returns ChosenFromThree and, when grad is set, the gradient of each
// P_i with respect to θ (grads[i][m] = ∂P_i/∂θ_m).
func chosen(theta []float64, grad bool) (p []float64, grads [][]float64) {
	n := len(theta)
	p = make([]float64, n)
	if grad {
		grads = make([][]float64, n)
		for i := range grads {
			grads[i] = make([]float64, n)
		}
	}
	if n == 0 {
		return p, grads
	}
	if n == 1 {
		p[0] = 1
		return p, grads
	}
	top := math.Inf(-1)
	for _, t := range theta {
		top = max(top, t)
	}
	g := make([]float64, n)
	for i, t := range theta {
		g[i] = math.Exp(t - top)
	}
	if n == 2 {
		for i := range 2 {
			j := 1 - i
			q := g[i] / (g[i] + g[j])
			p[i] = q
			if grad {
				grads[i][i] = q * (1 - q)
				grads[i][j] = -q * (1 - q)
			}
		}
		return p, grads
	}
	pairs := float64((n - 1) * (n - 2) / 2)
	for i := range n {
		var sum float64
		for j := range n {
			if j == i {
				continue
			}
			for k := j + 1; k < n; k++ {
				if k == i {
					continue
				}
				s := g[i] + g[j] + g[k]
				q := g[i] / s
				sum += q
				if grad {
					grads[i][i] += q * (1 - q)
					grads[i][j] -= q * g[j] / s
					grads[i][k] -= q * g[k] / s
				}
			}
		}
		p[i] = sum / pairs
		if grad {
			for m := range grads[i] {
				grads[i][m] /= pairs
			}
		}
	}
	return p, grads
}

// BandZ90 is the normal quantile of a two-sided 90% band (the 95th
// percentile of the standard normal).
const BandZ90 = 1.6448536269514722

// ChosenBands returns ChosenFromThree of the fit with a band at normal quantile
// z (BandZ90 for 90%): the delta method on the logit scale,
//
//	logit P_i ± z · √(∇P_iᵀ Σ ∇P_i) / (P_i (1 − P_i)),
//
// with Σ the fit's covariance, transformed back. On the logit scale the band
// stays inside (0, 1) and is not clamped: it always contains P_i because it is
// built around it, and its width is what the data say. Its coverage is
// checked by simulation (TestChosenBandsCoverage).
func ChosenBands(f Fit, z float64) (p, lo, hi []float64) {
	p, grads := chosen(f.Theta, true)
	n := len(p)
	lo, hi = make([]float64, n), make([]float64, n)
	for i := range p {
		var v float64
		for a, ga := range grads[i] {
			if ga == 0 {
				continue
			}
			for b, gb := range grads[i] {
				v += ga * f.Cov[a][b] * gb
			}
		}
		if n < 2 || p[i] <= 0 || p[i] >= 1 || v <= 0 {
			lo[i], hi[i] = p[i], p[i]
			continue
		}
		se := math.Sqrt(v) / (p[i] * (1 - p[i]))
		l := math.Log(p[i] / (1 - p[i]))
		lo[i], hi[i] = sigmoid(l-z*se), sigmoid(l+z*se)
	}
	return p, lo, hi
}
