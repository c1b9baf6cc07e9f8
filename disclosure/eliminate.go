package disclosure

import (
	"math"
	"slices"
)

// eliminate solves the exact facts (sums, and figures published exactly)
// together, as an attacker subtracting one from another would: per group of
// hidden cells tied by such facts, Gauss–Jordan elimination over the cells not
// yet pinned, with the pinned and shown ones as constants. A cell whose row of
// the reduced system holds no other unknown is given away; its bounds are set
// to its value. It returns the cells it pinned.
//
// Warm (bounds), a group whose facts are all the base's and whose cells' bounds
// are still those of the base's attack is the group the base solved, to no
// avail: it is not solved again.
func (d *Decision) eliminate(lo, hi []float64, warm bool) []int {
	unknown := func(i int) bool { return lo[i] != hi[i] }
	exact := func(k int) bool { return d.cons[k].lo == d.cons[k].hi }
	var groups [][]int
	if warm {
		groups = d.staleGroups(lo, hi, unknown, exact)
	} else {
		groups = d.groups(unknown, exact)
	}
	var pinned []int
	for _, facts := range groups {
		pinned = append(pinned, d.solveGroup(facts, lo, hi, unknown)...)
	}
	return pinned
}

// groups are the exact facts with an unknown cell, in groups tied by their
// unknown cells (union–find), each in the order of the facts.
func (d *Decision) groups(unknown func(int) bool, exact func(int) bool) [][]int {
	parent := make([]int, len(d.cells))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	var facts []int
	for k, c := range d.cons {
		if !exact(k) {
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
			facts = append(facts, k)
		}
	}
	at := map[int]int{} // root -> group
	var groups [][]int
	for _, k := range facts {
		for _, tm := range d.cons[k].terms {
			if unknown(tm.cell) && tm.coef != 0 {
				r := find(tm.cell)
				g, ok := at[r]
				if !ok {
					g = len(groups)
					at[r] = g
					groups = append(groups, nil)
				}
				groups[g] = append(groups[g], k)
				break
			}
		}
	}
	return groups
}

// staleGroups are the groups (as groups gives them) that may tell something the
// base's attack did not see: those with a new fact, or with a fact of a cell
// whose bounds are no longer those of the base's attack. The others are groups
// the base solved, to no avail. They are found from those facts outward, so the
// work is that of what changed.
func (d *Decision) staleGroups(lo, hi []float64, unknown func(int) bool, exact func(int) bool) [][]int {
	var seeds []int
	for k := len(d.base.cons); k < len(d.cons); k++ {
		seeds = append(seeds, k)
	}
	for i := range d.frozen {
		if lo[i] != d.base.lo[i] || hi[i] != d.base.hi[i] {
			seeds = append(seeds, d.byCell[i]...)
		}
	}
	seen := map[int]bool{}
	var groups [][]int
	for _, seed := range seeds {
		if seen[seed] {
			continue
		}
		// the group of seed: the exact facts reached through unknown cells
		var group []int
		queue := []int{seed}
		seen[seed] = true
		for len(queue) > 0 {
			k := queue[0]
			queue = queue[1:]
			if !exact(k) || !slices.ContainsFunc(d.cons[k].terms, func(tm term) bool { return unknown(tm.cell) && tm.coef != 0 }) {
				continue
			}
			group = append(group, k)
			for _, tm := range d.cons[k].terms {
				if !unknown(tm.cell) || tm.coef == 0 {
					continue
				}
				for _, k2 := range d.byCell[tm.cell] {
					if !seen[k2] {
						seen[k2] = true
						queue = append(queue, k2)
					}
				}
			}
		}
		if len(group) > 0 {
			slices.Sort(group)
			groups = append(groups, group)
		}
	}
	return groups
}

// solveGroup eliminates one group of exact facts, and returns the cells it
// pinned; see eliminate.
func (d *Decision) solveGroup(facts []int, lo, hi []float64, unknown func(int) bool) []int {
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
		return nil
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
	var pinned []int
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
			pinned = append(pinned, c)
		}
	}
	return pinned
}
