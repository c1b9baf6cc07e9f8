package disclosure

import "math"

// DefaultThreshold is the smallest group shown when no threshold is configured:
// "groepen kleiner dan 10 personen tonen we nooit".
const DefaultThreshold = 10

// Kind says how an output shows a cell.
type Kind uint8

const (
	// Total is a figure of the whole round, such as its respondents or how
	// often everyone chose an option; it is always shown.
	Total Kind = iota + 1
	// Labelled is a breakdown cell that, when hidden, is still listed with a
	// size label: "<t" when it is under the threshold, "≥t" otherwise (the
	// respondents per kern). Zero is never hidden, so a hidden Labelled cell
	// holds at least one respondent.
	Labelled
	// Unlabelled is a breakdown cell that, when hidden, gives no hint of its
	// size (how one kern answered one question).
	Unlabelled
	// Derived is a cell no output shows, that subtraction could compute (the
	// answers of those who gave no kern); it is always hidden.
	Derived
)

// Label is what a listed hidden cell says about its size.
type Label uint8

const (
	// NoLabel: the cell is shown, or hidden without a hint.
	NoLabel Label = iota
	// Below: hidden, fewer than the threshold ("<10").
	Below
	// AtLeast: hidden only to protect another cell, at least the threshold ("≥10").
	AtLeast
)

// Term is one part of a linear fact: Coef times the cell ID.
type Term struct {
	ID   string
	Coef float64
}

type cell struct {
	id     string
	family string
	kind   Kind
	count  int64
}

// constraint is lo ≤ Σ coef·x ≤ hi. total is the cell a Sum adds up to, -1
// for other facts.
type constraint struct {
	terms  []term
	lo, hi float64
	total  int
}

type term struct {
	cell int
	coef float64
}

// Builder collects the cells of a round's outputs and the facts that tie them
// together, then decides what is shown (Decide). The zero Builder is not
// usable; use New or Decision.Extend.
type Builder struct {
	t     int64
	cells []cell
	index map[string]int
	cons  []constraint
	needs [][2]int // child, parent

	// base is the decision being extended: its cells (the first len(base.cells))
	// keep their state.
	base *Decision
}

// New starts the cells of one round with the threshold: the smallest number
// of respondents a shown cell may hold. A threshold of 0 or less shows every
// cell except Derived ones.
func New(threshold int) *Builder {
	return &Builder{t: int64(max(threshold, 0)), index: map[string]int{}}
}

// Cell adds a cell with the respondents it holds. family groups the cells of
// one breakdown (all kernen of the respondents, all kernen of one question),
// which is withdrawn as a whole when it cannot be protected. A second Cell with
// an id already added is ignored.
func (b *Builder) Cell(id, family string, kind Kind, count int64) {
	if _, ok := b.index[id]; ok {
		return
	}
	b.index[id] = len(b.cells)
	b.cells = append(b.cells, cell{id: id, family: family, kind: kind, count: max(count, 0)})
}

// Has reports whether the cell id was added.
func (b *Builder) Has(id string) bool {
	_, ok := b.index[id]
	return ok
}

// Count is the respondents of cell id, and whether it was added.
func (b *Builder) Count(id string) (int64, bool) {
	i, ok := b.index[id]
	if !ok {
		return 0, false
	}
	return b.cells[i].count, true
}

// Sum states that the parts add up to the total, as every output that shows
// them lets a reader check. It is added only when every cell is known and the
// sum holds for the counts: a sum that does not hold (tallies of a survey
// changed during the round) is no fact anyone can use. It reports whether it
// was added.
func (b *Builder) Sum(total string, parts ...string) bool {
	ti, ok := b.index[total]
	if !ok || len(parts) == 0 {
		return false
	}
	c := constraint{total: ti, terms: []term{{ti, -1}}}
	var sum int64
	for _, p := range parts {
		pi, ok := b.index[p]
		if !ok {
			return false
		}
		sum += b.cells[pi].count
		c.terms = append(c.terms, term{pi, 1})
	}
	if sum != b.cells[ti].count {
		return false
	}
	b.cons = append(b.cons, c)
	return true
}

// AtMost states that part is never more than whole (a kern's answers to a
// question are at most its respondents). It is added only when it holds.
func (b *Builder) AtMost(part, whole string) bool {
	pi, ok1 := b.index[part]
	wi, ok2 := b.index[whole]
	if !ok1 || !ok2 || b.cells[pi].count > b.cells[wi].count {
		return false
	}
	b.cons = append(b.cons, constraint{total: -1, lo: math.Inf(-1), hi: 0,
		terms: []term{{pi, 1}, {wi, -1}}})
	return true
}

// Between states that lo ≤ Σ coef·cell ≤ hi, such as a weighted percentage
// as published. It is added only when every cell is known and it holds for the
// counts (within rounding).
func (b *Builder) Between(lo, hi float64, terms ...Term) bool {
	c := constraint{total: -1, lo: lo, hi: hi}
	sum := 0.0
	for _, t := range terms {
		i, ok := b.index[t.ID]
		if !ok || math.IsNaN(t.Coef) || math.IsInf(t.Coef, 0) {
			return false
		}
		sum += t.Coef * float64(b.cells[i].count)
		c.terms = append(c.terms, term{i, t.Coef})
	}
	if len(c.terms) == 0 || sum < lo-tolerance(lo) || sum > hi+tolerance(hi) {
		return false
	}
	b.cons = append(b.cons, c)
	return true
}

// Needs states that child is hidden whenever parent is: a group's percentages
// need the group's number. Labelled children are not allowed (a hidden
// Labelled zero would carry a false label) and are ignored.
func (b *Builder) Needs(child, parent string) {
	ci, ok1 := b.index[child]
	pi, ok2 := b.index[parent]
	if !ok1 || !ok2 || b.cells[ci].kind == Labelled {
		return
	}
	b.needs = append(b.needs, [2]int{ci, pi})
}

// tolerance is the slack for float comparisons of x.
func tolerance(x float64) float64 { return 1e-9 * max(1, math.Abs(x)) }
