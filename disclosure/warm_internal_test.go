package disclosure

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// An extension's attack that starts from its base's bounds (warm) decides
// exactly what one that starts from nothing does: the same cells hidden, the
// same leaks, the same bounds, on random rounds of kernen × groups with sums,
// "at most" facts and weighted figures added one extension at a time, as the
// results' weighting audit does.
func TestWarmAttackIsTheColdOne(t *testing.T) {
	for seed := range uint64(300) {
		rng := rand.New(rand.NewPCG(seed, 7))
		warm := randomRound(rng, seed)
		coldAttack = true
		cold := randomRound(rand.New(rand.NewPCG(seed, 7)), seed)
		coldAttack = false
		for i := range warm {
			w, c := warm[i], cold[i]
			if !slices.Equal(w.hidden, c.hidden) || fmt.Sprint(w.Unresolved()) != fmt.Sprint(c.Unresolved()) ||
				!slices.Equal(w.lo, c.lo) || !slices.Equal(w.hi, c.hi) {
				t.Fatalf("seed %d, decision %d: warm hides %v, leaks %v, bounds %v–%v; cold hides %v, leaks %v, bounds %v–%v",
					seed, i, w.hidden, w.Unresolved(), w.lo, w.hi, c.hidden, c.Unresolved(), c.lo, c.hi)
			}
		}
	}
}

// randomRound builds a round's decision and four extensions of it, each kept
// only when its attack finds nothing new (as weightAudit.try), and returns every
// decision made.
func randomRound(rng *rand.Rand, seed uint64) []*Decision {
	const t = 5
	kernen, groups := 2+rng.IntN(3), 2+rng.IntN(3)
	b := New(t)
	var total int64
	cell := func(k, g int) string { return fmt.Sprintf("c:%d:%d", k, g) }
	count := map[string]int64{}
	for k := range kernen {
		for g := range groups {
			n := int64(rng.IntN(2 * t))
			count[cell(k, g)] = n
			total += n
			b.Cell(cell(k, g), "w", Derived, n)
		}
	}
	b.Cell("total", "", Total, total)
	var all []string
	for k := range kernen {
		var parts []string
		var sum int64
		for g := range groups {
			parts = append(parts, cell(k, g))
			sum += count[cell(k, g)]
		}
		id := fmt.Sprintf("k:%d", k)
		b.Cell(id, "kern", Labelled, sum)
		b.Sum(id, parts...)
		all = append(all, id)
	}
	b.Sum("total", all...)
	d := b.Decide()
	out := []*Decision{d}
	for ext := range 4 {
		e := d.Extend()
		switch ext % 2 {
		case 0: // a breakdown by group
			var parts []string
			for g := range groups {
				var sum int64
				var cells []string
				for k := range kernen {
					cells = append(cells, cell(k, g))
					sum += count[cell(k, g)]
				}
				id := fmt.Sprintf("g%d:%d", ext, g)
				e.Cell(id, fmt.Sprintf("g%d", ext), Unlabelled, sum)
				e.Sum(id, cells...)
				parts = append(parts, id)
			}
			e.Sum("total", parts...)
		default: // a weighted figure over some cells
			var terms []Term
			var v float64
			for k := range kernen {
				for g := range groups {
					if rng.IntN(2) == 0 {
						c := float64(1 + rng.IntN(4))
						terms = append(terms, Term{ID: cell(k, g), Coef: c})
						v += c * float64(count[cell(k, g)])
					}
				}
			}
			if len(terms) > 0 {
				slack := 0.0 // an exact figure half the time: elimination's work
				if rng.IntN(2) == 0 {
					slack = 0.5
				}
				e.Between(v-slack, v+slack, terms...)
			}
			e.AtMost(cell(0, 0), "total")
		}
		next := e.Decide()
		out = append(out, next)
		if len(next.Unresolved()) == 0 {
			d = next
		}
	}
	return out
}
