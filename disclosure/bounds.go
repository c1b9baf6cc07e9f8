package disclosure

import "math"

// maxPasses bounds the tightening of the bounds; every pass that changes
// anything moves an integer bound by at least one, and the facts of a round
// settle in a handful of passes.
const maxPasses = 200

// Leaks attacks the decision as published (rule 5) and returns every hidden
// cell under the threshold it gives away. An empty list is the proof the
// outputs keep their promise, as far as sums, bounds and labels go.
func (d *Decision) Leaks() []Leak { return d.audit() }

// audit tightens bounds on every hidden cell from the shown cells, the labels
// and every fact, and lists the hidden cells under the threshold that come out
// exact. That a hidden cell lies somewhere between 1 and threshold−1 is what
// its label "<10" says anyway; the number itself stays unknown.
func (d *Decision) audit() []Leak {
	lo, hi := d.bounds()
	d.lo, d.hi = lo, hi
	var out []Leak
	for i, c := range d.cells {
		if !d.hidden[i] || c.count < 1 || c.count >= d.t {
			continue
		}
		l, h := int64(math.Ceil(lo[i]-1e-6)), hi[i]
		hh := int64(math.MaxInt64)
		if !math.IsInf(h, 1) {
			hh = int64(math.Floor(h + 1e-6))
		}
		if l == hh {
			out = append(out, Leak{ID: c.id, Count: c.count, Low: l, High: hh})
		}
	}
	return out
}

// bounds are the lowest and highest value each cell can have, given what is
// shown: shown cells are exact, hidden ones start from their label (a hidden
// Labelled cell holds 1 to t−1, or at least t) or from 0 to infinity, and every
// fact lo ≤ Σ a·x ≤ hi narrows them, fact after fact, to a fixed point. Bounds
// alone do not see that two sums over the same hidden cells differ by a shown
// figure, so the exact facts are also solved together (eliminate), and the two
// alternate until neither pins anything more. The true counts always lie within
// the bounds (the facts hold for them), so a bound that meets the count gives
// the count away.
//
// An extension starts from the bounds its base's attack ended with (warm): its
// base's cells keep what they were shown or hidden as, and the base's facts are
// among its own, so those bounds hold here too, and only the new facts, and
// the facts of cells whose bounds move, need to be looked at again. The fixed
// point is the same; the work is that of the new figures, not of the round's.
func (d *Decision) bounds() (lo, hi []float64) {
	n := len(d.cells)
	lo, hi = make([]float64, n), make([]float64, n)
	inf := math.Inf(1)
	for i, c := range d.cells {
		switch {
		case !d.hidden[i]:
			lo[i], hi[i] = float64(c.count), float64(c.count)
		case c.kind == Labelled && !d.withdrawn[c.family] && c.count < d.t:
			lo[i], hi[i] = 1, float64(d.t-1)
		case c.kind == Labelled && !d.withdrawn[c.family]:
			lo[i], hi[i] = float64(d.t), inf
		default:
			lo[i], hi[i] = 0, inf
		}
	}
	dirty := make([]bool, len(d.cons))
	warm := d.warm()
	if warm {
		for i := range d.frozen {
			lo[i], hi[i] = max(lo[i], d.base.lo[i]), min(hi[i], d.base.hi[i])
		}
		for k := len(d.base.cons); k < len(d.cons); k++ {
			dirty[k] = true
		}
	} else {
		for k := range dirty {
			dirty[k] = true
		}
	}
	for range maxRounds {
		d.propagate(lo, hi, dirty)
		pinned := d.eliminate(lo, hi, warm)
		if len(pinned) == 0 {
			break
		}
		for _, i := range pinned {
			for _, k := range d.byCell[i] {
				dirty[k] = true
			}
		}
	}
	return lo, hi
}

// warm reports whether the decision extends one whose attack's bounds it may
// start from (bounds).
func (d *Decision) warm() bool {
	return !coldAttack && d.base != nil && len(d.base.lo) == d.frozen && d.frozen <= len(d.cells)
}

// coldAttack makes every attack start from nothing, as before warm starts: the
// tests compare the two.
var coldAttack = false

// maxRounds bounds the alternation of propagation and elimination; each round
// that goes on pins at least one more cell.
const maxRounds = 20

// propagate tightens the bounds fact by fact until nothing changes: the dirty
// facts first, then every fact of a cell whose bound moved, as a work list, at
// most maxPasses times the number of facts in all. It leaves dirty all false.
func (d *Decision) propagate(lo, hi []float64, dirty []bool) {
	var queue []int
	for k, v := range dirty {
		if v {
			queue = append(queue, k)
		}
	}
	moved := func(i int) {
		for _, k := range d.byCell[i] {
			if !dirty[k] {
				dirty[k] = true
				queue = append(queue, k)
			}
		}
	}
	for budget := maxPasses * len(d.cons); len(queue) > 0 && budget > 0; budget-- {
		k := queue[0]
		queue = queue[1:]
		dirty[k] = false
		d.tighten(d.cons[k], lo, hi, moved)
	}
	for _, k := range queue {
		dirty[k] = false
	}
}

// tighten narrows the bounds of the hidden cells of one fact, calling moved with
// each cell whose bound it moved; it reports whether any did.
func (d *Decision) tighten(c constraint, lo, hi []float64, moved func(cell int)) bool {
	// The least and most Σ a·x can be, counting infinite terms apart so that
	// one infinite term does not hide what the others say.
	var minSum, maxSum float64
	minInf, maxInf := 0, 0
	tmin := make([]float64, len(c.terms))
	tmax := make([]float64, len(c.terms))
	for j, tm := range c.terms {
		a, l, h := tm.coef, lo[tm.cell], hi[tm.cell]
		mn, mx := a*l, a*h
		if a < 0 {
			mn, mx = a*h, a*l
		}
		tmin[j], tmax[j] = mn, mx
		if math.IsInf(mn, -1) {
			minInf++
		} else {
			minSum += mn
		}
		if math.IsInf(mx, 1) {
			maxInf++
		} else {
			maxSum += mx
		}
	}
	changed := false
	for j, tm := range c.terms {
		i := tm.cell
		if !d.hidden[i] || tm.coef == 0 {
			continue
		}
		// Σ of the other terms lies in [restMin, restMax].
		restMin, restMax := math.Inf(-1), math.Inf(1)
		if others := minInf - b2i(math.IsInf(tmin[j], -1)); others == 0 {
			restMin = minSum - finite(tmin[j])
		}
		if others := maxInf - b2i(math.IsInf(tmax[j], 1)); others == 0 {
			restMax = maxSum - finite(tmax[j])
		}
		// a·x lies in [c.lo − restMax, c.hi − restMin].
		axLo, axHi := c.lo-restMax, c.hi-restMin
		xLo, xHi := axLo/tm.coef, axHi/tm.coef
		if tm.coef < 0 {
			xLo, xHi = xHi, xLo
		}
		move := false
		if !math.IsNaN(xLo) && !math.IsInf(xLo, -1) {
			if v := math.Ceil(xLo - 1e-6); v > lo[i] {
				lo[i], move = v, true
			}
		}
		if !math.IsNaN(xHi) && !math.IsInf(xHi, 1) {
			if v := math.Floor(xHi + 1e-6); v < hi[i] {
				hi[i], move = v, true
			}
		}
		if move {
			changed = true
			moved(i)
		}
	}
	return changed
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// finite is x, or 0 for an infinity (counted apart).
func finite(x float64) float64 {
	if math.IsInf(x, 0) {
		return 0
	}
	return x
}
