package disclosure

import "math"

// eliminate solves the exact facts (sums, and figures published exactly)
// together, as an attacker subtracting one from another would: per group of
// hidden cells tied by such facts, Gauss–Jordan elimination over the cells not
// yet pinned, with the pinned and shown ones as constants. A cell whose row of
// the reduced system holds no other unknown is given away; its bounds are set
// to its value. It reports whether it pinned anything.
func (d *Decision) eliminate(lo, hi []float64) bool {
	n := len(d.cells)
	unknown := func(i int) bool { return lo[i] != hi[i] }
	// Union the unknown cells that share an exact fact.
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	var exact []int
	for k, c := range d.cons {
		if c.lo != c.hi {
			continue
		}
		first := -1
		for _, tm := range c.terms {
			if !unknown(tm.cell) || tm.coef == 0 {
				continue
			}
			if first < 0 {
				first = tm.cell
			} else {
				parent[find(tm.cell)] = find(first)
			}
		}
		if first >= 0 {
			exact = append(exact, k)
		}
	}
	groups := map[int][]int{} // root -> facts
	for _, k := range exact {
		for _, tm := range d.cons[k].terms {
			if unknown(tm.cell) && tm.coef != 0 {
				r := find(tm.cell)
				groups[r] = append(groups[r], k)
				break
			}
		}
	}
	pinned := false
	for _, facts := range groups {
		if d.solveGroup(facts, lo, hi, unknown) {
			pinned = true
		}
	}
	return pinned
}

// solveGroup eliminates one group of exact facts; see eliminate.
func (d *Decision) solveGroup(facts []int, lo, hi []float64, unknown func(int) bool) bool {
	col := map[int]int{} // cell -> column
	var cells []int
	for _, k := range facts {
		for _, tm := range d.cons[k].terms {
			if unknown(tm.cell) && tm.coef != 0 {
				if _, ok := col[tm.cell]; !ok {
					col[tm.cell] = len(cells)
					cells = append(cells, tm.cell)
				}
			}
		}
	}
	if len(facts) < 1 || len(cells) == 0 {
		return false
	}
	m := len(cells)
	rows := make([][]float64, 0, len(facts))
	for _, k := range facts {
		c := d.cons[k]
		row := make([]float64, m+1)
		rhs := c.lo
		for _, tm := range c.terms {
			if j, ok := col[tm.cell]; ok {
				row[j] += tm.coef
			} else {
				rhs -= tm.coef * lo[tm.cell] // pinned: lo == hi
			}
		}
		row[m] = rhs
		rows = append(rows, row)
	}
	const eps = 1e-9
	pivotOf := make([]int, 0, m) // row r has its pivot in column pivotOf[r]
	r := 0
	for j := 0; j < m && r < len(rows); j++ {
		best := r
		for i := r + 1; i < len(rows); i++ {
			if math.Abs(rows[i][j]) > math.Abs(rows[best][j]) {
				best = i
			}
		}
		if math.Abs(rows[best][j]) < eps {
			continue
		}
		rows[r], rows[best] = rows[best], rows[r]
		p := rows[r][j]
		for x := j; x <= m; x++ {
			rows[r][x] /= p
		}
		for i := range rows {
			if i == r || math.Abs(rows[i][j]) < eps {
				continue
			}
			f := rows[i][j]
			for x := j; x <= m; x++ {
				rows[i][x] -= f * rows[r][x]
			}
		}
		pivotOf = append(pivotOf, j)
		r++
	}
	pinned := false
	for i, j := range pivotOf {
		alone := true
		for x := 0; x < m; x++ {
			if x != j && math.Abs(rows[i][x]) > 1e-7 {
				alone = false
				break
			}
		}
		if !alone {
			continue
		}
		v := math.Round(rows[i][m])
		if math.Abs(v-rows[i][m]) > 1e-6 {
			continue // not a whole number: rounding noise, not a count
		}
		c := cells[j]
		if v >= lo[c] && v <= hi[c] && lo[c] != hi[c] {
			lo[c], hi[c] = v, v
			pinned = true
		}
	}
	return pinned
}
