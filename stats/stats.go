package stats

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// Wilson returns the Wilson score interval for successes out of n at normal
// quantile z (1.96 for 95%):
//
//	centre = (p + z²/2n) / (1 + z²/n)
//	half   = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n)
//
// with p = successes/n. The bounds are clamped to [0, 1]; with n <= 0 the
// interval is the whole range (0, 1). Unlike the normal approximation it stays
// inside [0, 1] and is not degenerate at 0 or n successes.
func Wilson(successes, n int64, z float64) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	successes = min(max(successes, 0), n)
	return wilson(float64(successes)/float64(n), float64(n), z, successes == 0, successes == n)
}

// WilsonEffective is the Wilson interval of a weighted proportion p (0..1) at
// Kish's effective sample size nEff = n/deff, with deff = n·Σw²/(Σw)² the
// design effect of the weights: the interval an unweighted sample of nEff
// respondents with the same proportion would have, wider than Wilson at the
// raw n by about √deff. It is Wilson(k, n, z) for p = k/n and nEff = n. With
// nEff <= 0 the interval is the whole range (0, 1).
func WilsonEffective(p, nEff, z float64) (lo, hi float64) {
	if nEff <= 0 || math.IsNaN(p) || math.IsNaN(nEff) {
		return 0, 1
	}
	p = min(max(p, 0), 1)
	return wilson(p, nEff, z, p == 0, p == 1)
}

// wilson is the Wilson interval of proportion p at sample size n; atZero and
// atOne say that p is exactly 0 or 1, where the bound is set exactly.
func wilson(p, nf, z float64, atZero, atOne bool) (lo, hi float64) {
	z2 := z * z
	d := 1 + z2/nf
	centre := (p + z2/(2*nf)) / d
	half := z * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / d
	lo, hi = centre-half, centre+half
	// Exact at the edges: rounding leaves ±1e-17 where the bound is 0 or 1.
	if atZero || lo < 0 {
		lo = 0
	}
	if atOne || hi > 1 {
		hi = 1
	}
	return lo, hi
}

// Margin is the population distribution of one dimension ("kern",
// "leeftijd"): the share of the population in each group, summing to 1.
type Margin struct {
	Dimension string
	Shares    map[string]float64
}

// marginSumTolerance is how far a margin's shares may sum from 1.
const marginSumTolerance = 1e-6

// Rake computes raking weights (iterative proportional fitting, as R's
// survey::rake does): every respondent starts at weight 1 and, in each
// iteration, the weights are scaled dimension by dimension so that the
// weighted share of every group equals its population share (post-
// stratification on one margin at a time). It stops when, after a full pass,
// no weighted share differs from its margin by more than tol (converged), or
// after maxIter passes (converged false; the weights of the last pass are
// returned). The weights are normalised to mean 1, so they sum to the number
// of respondents. maxIter <= 0 means 100, tol <= 0 means 1e-9.
//
// Each respondent maps a dimension to its group. It is an error when a
// respondent has no group, or a group that is not in the margin, for a
// dimension; when a margin's shares are negative or do not sum to 1; when a
// dimension occurs twice; and when a population group with a positive share
// has no respondents (its weight would have to be infinite). A group with
// share 0 gives its respondents weight 0. With no margins every weight is 1.
func Rake(respondents []map[string]string, margins []Margin, maxIter int, tol float64) (weights []float64, converged bool, err error) {
	ones := make([]float64, len(respondents))
	for i := range ones {
		ones[i] = 1
	}
	return RakeCounts(respondents, ones, margins, maxIter, tol)
}

// RakeCounts is Rake over weighting classes: classes[i] maps a dimension to
// the group of counts[i] respondents alike, and weights[i] is the weight of
// each of them. Raking gives respondents of one class the same weight, so a
// round's classes (its kern × leeftijd cells) give its weights whatever the
// number of respondents. Rake is RakeCounts with every count 1, and gives the
// same weights to the last bit.
func RakeCounts(classes []map[string]string, counts []float64, margins []Margin, maxIter int, tol float64) (weights []float64, converged bool, err error) {
	respondents := classes
	if len(counts) != len(classes) {
		return nil, false, fmt.Errorf("rake: %d classes but %d counts", len(classes), len(counts))
	}
	if maxIter <= 0 {
		maxIter = 100
	}
	if tol <= 0 {
		tol = 1e-9
	}
	seen := map[string]bool{}
	for _, m := range margins {
		if seen[m.Dimension] {
			return nil, false, fmt.Errorf("rake: dimension %q given twice", m.Dimension)
		}
		seen[m.Dimension] = true
		sum := 0.0
		for g, s := range m.Shares {
			if s < 0 || math.IsNaN(s) || math.IsInf(s, 0) {
				return nil, false, fmt.Errorf("rake: %s group %q has share %v", m.Dimension, g, s)
			}
			sum += s
		}
		if math.Abs(sum-1) > marginSumTolerance {
			return nil, false, fmt.Errorf("rake: %s shares sum to %v, not 1", m.Dimension, sum)
		}
	}
	// groupOf[d][i] is respondent i's group in margin d.
	groupOf := make([][]string, len(margins))
	for d, m := range margins {
		groupOf[d] = make([]string, len(respondents))
		count := map[string]int{}
		for i, r := range respondents {
			g, ok := r[m.Dimension]
			if !ok || g == "" {
				return nil, false, fmt.Errorf("rake: respondent %d has no %s", i, m.Dimension)
			}
			if _, ok := m.Shares[g]; !ok {
				return nil, false, fmt.Errorf("rake: respondent %d has %s %q, which is not in the margin", i, m.Dimension, g)
			}
			groupOf[d][i] = g
			if counts[i] > 0 {
				count[g]++
			}
		}
		for _, g := range sortedKeys(m.Shares) {
			if m.Shares[g] > 0 && count[g] == 0 {
				return nil, false, fmt.Errorf("rake: %s group %q has population share %v but no respondents", m.Dimension, g, m.Shares[g])
			}
		}
	}
	weights = make([]float64, len(respondents))
	for i := range weights {
		weights[i] = 1
	}
	if len(margins) == 0 || len(respondents) == 0 {
		return weights, true, nil
	}
	n := 0.0
	for _, c := range counts {
		n += c
	}
	for iter := 0; iter < maxIter && !converged; iter++ {
		for d, m := range margins {
			totals := groupTotals(weights, counts, groupOf[d])
			sum := 0.0
			for _, t := range totals {
				sum += t
			}
			factor := map[string]float64{}
			for g, t := range totals {
				switch share := m.Shares[g]; {
				case share == 0:
					factor[g] = 0
				case t == 0:
					// Only reachable when every respondent of g was zeroed
					// by a share-0 group of another dimension.
					return nil, false, fmt.Errorf("rake: %s group %q has no weight left to scale", m.Dimension, g)
				default:
					factor[g] = share * sum / t
				}
			}
			for i := range weights {
				weights[i] *= factor[groupOf[d][i]]
			}
		}
		converged = true
		for d, m := range margins {
			totals := groupTotals(weights, counts, groupOf[d])
			sum := 0.0
			for _, t := range totals {
				sum += t
			}
			for g, share := range m.Shares {
				if math.Abs(totals[g]/sum-share) > tol {
					converged = false
				}
			}
		}
	}
	sum := 0.0
	for i, w := range weights {
		sum += w * counts[i]
	}
	if sum <= 0 {
		return nil, false, errors.New("rake: all weights are zero")
	}
	for i := range weights {
		weights[i] *= n / sum
	}
	return weights, converged, nil
}

// groupTotals sums the weights of the respondents per group.
func groupTotals(weights, counts []float64, groups []string) map[string]float64 {
	t := map[string]float64{}
	for i, g := range groups {
		t[g] += weights[i] * counts[i]
	}
	return t
}

// sortedKeys returns the keys of m in order, for deterministic errors.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// EffectiveSampleSize is Kish's effective sample size of weighted data,
// (Σw)² / Σw²: the number of unweighted respondents that would give the same
// precision. It equals len(w) when all weights are equal and is 0 for no
// weights (or all zero).
func EffectiveSampleSize(w []float64) float64 {
	var sum, sq float64
	for _, x := range w {
		sum += x
		sq += x * x
	}
	if sq == 0 {
		return 0
	}
	return sum * sum / sq
}

// EffectiveSampleSizeCounts is EffectiveSampleSize of counts[i] respondents
// with weight w[i] each.
func EffectiveSampleSizeCounts(w, counts []float64) float64 {
	var sum, sq float64
	for i, x := range w {
		sum += x * counts[i]
		sq += x * x * counts[i]
	}
	if sq == 0 {
		return 0
	}
	return sum * sum / sq
}
