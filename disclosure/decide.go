package disclosure

import (
	"maps"
	"slices"
	"strings"
)

// Decision says, for every cell of a round, whether it is shown. Every output
// of the round asks the same Decision.
type Decision struct {
	t         int64
	cells     []cell
	index     map[string]int
	cons      []constraint
	needs     [][2]int
	byCell    [][]int // constraints each cell is in
	hidden    []bool
	primary   []bool
	withdrawn map[string]bool
	// unresolved are leaks no hiding could close (only totals give them away,
	// as in a round with fewer respondents than the threshold).
	unresolved []Leak
	// frozen is the number of cells that come from the decision extended.
	frozen     int
	baseLeaks  map[string]bool
	extensions bool
	// base is the decision extended (nil for none); lo and hi are the bounds of
	// this decision's last audit, as it was returned, where an extension's
	// attack starts from (bounds).
	base   *Decision
	lo, hi []float64
}

// Leak is a hidden cell under the threshold whose exact number the shown
// figures give away.
type Leak struct {
	ID        string
	Count     int64
	Low, High int64
}

// Decide decides which cells are shown, by the rules of the package comment.
// Decide may be called once per Builder.
func (b *Builder) Decide() *Decision {
	n := len(b.cells)
	d := &Decision{t: b.t, cells: b.cells, index: b.index, cons: b.cons, needs: b.needs,
		hidden: make([]bool, n), primary: make([]bool, n), withdrawn: map[string]bool{}, baseLeaks: map[string]bool{}}
	if base := b.base; base != nil {
		d.frozen = len(base.cells)
		copy(d.hidden, base.hidden)
		copy(d.primary, base.primary)
		for f := range base.withdrawn {
			d.withdrawn[f] = true
		}
		for _, l := range base.unresolved {
			d.baseLeaks[l.ID] = true
		}
		d.extensions = true
		d.base = base
	}
	d.byCell = make([][]int, n)
	from := 0
	if base := b.base; base != nil && len(base.byCell) <= n {
		// the base's facts are the first of ours: take their lists, clipped so that
		// appending to one copies it instead of writing into the base's
		for i, ks := range base.byCell {
			d.byCell[i] = slices.Clip(ks)
		}
		from = len(base.cons)
	}
	for k := from; k < len(d.cons); k++ {
		for _, tm := range d.cons[k].terms {
			d.byCell[tm.cell] = append(d.byCell[tm.cell], k)
		}
	}
	for i := d.frozen; i < n; i++ {
		c := d.cells[i]
		small := c.count >= 1 && c.count < d.t
		switch c.kind {
		case Labelled, Unlabelled:
			d.primary[i], d.hidden[i] = small, small
		case Derived:
			d.primary[i], d.hidden[i] = small, true
		}
		if d.withdrawn[c.family] {
			d.hidden[i] = true
		}
	}
	if d.t == 0 {
		return d
	}
	d.applyNeeds()
	for range n + 16 {
		if d.poolRule() {
			d.applyNeeds()
			continue
		}
		leaks := d.audit()
		if len(leaks) == 0 {
			return d
		}
		fixed := false
		for _, l := range leaks {
			if c := d.fix(d.index[l.ID]); c >= 0 {
				d.hidden[c], fixed = true, true
				d.applyNeeds()
			}
		}
		d.applyNeeds()
		if fixed || d.withdraw(leaks) {
			continue
		}
		d.unresolved = leaks
		return d
	}
	d.unresolved = d.audit()
	return d
}

// applyNeeds hides every child of a hidden parent, to a fixed point.
func (d *Decision) applyNeeds() {
	for changed := true; changed; {
		changed = false
		for _, nd := range d.needs {
			if d.hidden[nd[1]] && !d.hidden[nd[0]] && nd[0] >= d.frozen {
				d.hidden[nd[0]], changed = true, true
			}
		}
	}
}

// poolRule hides, in every sum with a shown total, the smallest shown part
// while the hidden parts hold fewer than the threshold together and one of
// them is under it (rule 4). It reports whether it hid anything.
func (d *Decision) poolRule() bool {
	changed := false
	for _, c := range d.cons {
		if c.total < 0 || d.hidden[c.total] {
			continue
		}
		var sum int64
		sensitive := false
		for _, tm := range c.terms[1:] {
			if d.hidden[tm.cell] {
				sum += d.cells[tm.cell].count
				sensitive = sensitive || d.primary[tm.cell]
			}
		}
		if !sensitive || sum >= d.t {
			continue
		}
		best := -1
		for _, tm := range c.terms[1:] {
			if i := tm.cell; d.eligible(i) && d.cells[i].count > 0 && d.better(i, best) {
				best = i
			}
		}
		if best >= 0 {
			d.hidden[best], changed = true, true
		}
	}
	return changed
}

// eligible reports whether cell i may be hidden to protect another.
func (d *Decision) eligible(i int) bool {
	c := d.cells[i]
	return !d.hidden[i] && i >= d.frozen && (c.kind == Labelled && c.count > 0 || c.kind == Unlabelled) && !d.withdrawn[c.family]
}

// better reports whether cell i is a better cell to hide than best: fewer
// respondents, then the lower id, so the choice does not depend on the order
// cells were added in.
func (d *Decision) better(i, best int) bool {
	if best < 0 {
		return true
	}
	ci, cb := d.cells[i], d.cells[best]
	return ci.count < cb.count || ci.count == cb.count && ci.id < cb.id
}

// maxTrials is how many cells fix tries before it settles for the first.
const maxTrials = 12

// fix is the cell to hide so that the leaking cell i is protected: of the
// shown cells that share a fact with it, or failing that with a hidden cell
// that does (up to four facts away), the nearest, smallest one whose hiding
// closes the leak. When none closes it alone (the cell is given away along two
// ways), the nearest smallest that would itself stay uncertain once hidden, of
// the same breakdown if there is one, and the next round of the audit goes on
// from there. Only when every candidate would be given back exactly once
// hidden (several must go together), the nearest smallest of the same
// breakdown all the same. -1 when there is none.
func (d *Decision) fix(i int) int {
	cands := d.candidates(i)
	same, other, exact := -1, -1, -1
	for _, c := range cands[:min(len(cands), maxTrials)] {
		if d.hidden[c] {
			continue // hidden by an earlier fix of this round
		}
		saved := slices.Clone(d.hidden)
		d.hidden[c] = true
		d.applyNeeds()
		lo, hi := d.bounds()
		d.hidden = saved
		if hi[i] > lo[i] {
			return c
		}
		switch {
		case hi[c] <= lo[c]:
			if exact < 0 && d.cells[c].family == d.cells[i].family {
				exact = c
			}
		case d.cells[c].family == d.cells[i].family && same < 0:
			same = c
		case other < 0:
			other = c
		}
	}
	switch {
	case same >= 0:
		return same
	case other >= 0:
		return other
	}
	return exact
}

// candidates are the cells that may be hidden to protect cell i, nearest
// first (sharing a fact with i, then with a hidden cell that does, up to four
// facts away), and at one distance the smallest first.
func (d *Decision) candidates(i int) []int {
	seen := map[int]bool{i: true}
	frontier := []int{i}
	var out []int
	for range 4 {
		var level, next []int
		for _, f := range frontier {
			for _, k := range d.byCell[f] {
				for _, tm := range d.cons[k].terms {
					c := tm.cell
					if seen[c] {
						continue
					}
					seen[c] = true
					if d.hidden[c] {
						next = append(next, c)
					} else if d.eligible(c) {
						level = append(level, c)
					}
				}
			}
		}
		slices.SortFunc(level, func(a, b int) int {
			if d.better(a, b) {
				return -1
			}
			return 1
		})
		out = append(out, level...)
		if len(next) == 0 {
			break
		}
		frontier = next
	}
	return out
}

// withdraw takes back the breakdowns of leaks that no hiding closes: their
// cells are hidden and no longer listed, so they carry no labels. It reports
// whether it withdrew anything.
func (d *Decision) withdraw(leaks []Leak) bool {
	frozenFamily := map[string]bool{}
	for i := range d.frozen {
		frozenFamily[d.cells[i].family] = true
	}
	any := false
	for _, l := range leaks {
		f := d.cells[d.index[l.ID]].family
		if f == "" || frozenFamily[f] || d.withdrawn[f] {
			continue
		}
		d.withdrawn[f], any = true, true
		for i := d.frozen; i < len(d.cells); i++ {
			if d.cells[i].family == f {
				d.hidden[i] = true
			}
		}
	}
	if any {
		d.applyNeeds()
	}
	return any
}

// Threshold is the smallest number of respondents a shown cell holds.
func (d *Decision) Threshold() int { return int(d.t) }

// Shown is the count of cell id and true when it is shown; 0 and false when it
// is hidden or unknown.
func (d *Decision) Shown(id string) (int64, bool) {
	i, ok := d.index[id]
	if !ok || d.hidden[i] {
		return 0, false
	}
	return d.cells[i].count, true
}

// Hidden reports whether cell id is hidden; a cell the decision does not know
// is hidden.
func (d *Decision) Hidden(id string) bool {
	i, ok := d.index[id]
	return !ok || d.hidden[i]
}

// Label is what a hidden Labelled cell says about its size; NoLabel for shown
// cells, other kinds and cells of a withdrawn breakdown.
func (d *Decision) Label(id string) Label {
	i, ok := d.index[id]
	if !ok || !d.hidden[i] || d.cells[i].kind != Labelled || d.withdrawn[d.cells[i].family] {
		return NoLabel
	}
	if d.cells[i].count < d.t {
		return Below
	}
	return AtLeast
}

// Withdrawn reports whether the breakdown family is withdrawn: not shown at
// all, not even as hidden groups.
func (d *Decision) Withdrawn(family string) bool { return d.withdrawn[family] }

// Unresolved are the leaks no hiding could close, sorted by id; for an
// extension, only those the decision extended did not have already. A round
// with fewer respondents than the threshold has them when its totals alone give
// a group away; its outputs then show no numbers at all.
func (d *Decision) Unresolved() []Leak {
	var out []Leak
	for _, l := range d.unresolved {
		if !d.baseLeaks[l.ID] {
			out = append(out, l)
		}
	}
	slices.SortFunc(out, func(a, b Leak) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return out
}

// Extend starts a Builder on top of the decision: every cell and fact of it,
// with what is shown and hidden fixed. New cells and facts are added to it and
// decided by its Decide; Unresolved of that decision says whether the new
// figures give away something this one hides.
func (d *Decision) Extend() *Builder {
	return &Builder{t: d.t, index: maps.Clone(d.index), base: d,
		cells: slices.Clone(d.cells), cons: slices.Clone(d.cons), needs: slices.Clone(d.needs)}
}

// Has reports whether the decision knows cell id.
func (d *Decision) Has(id string) bool {
	_, ok := d.index[id]
	return ok
}

// IDs are the ids of the cells that start with prefix, sorted.
func (d *Decision) IDs(prefix string) []string {
	var out []string
	for _, c := range d.cells {
		if strings.HasPrefix(c.id, prefix) {
			out = append(out, c.id)
		}
	}
	slices.Sort(out)
	return out
}
