package results

import (
	"maps"
	"slices"

	"github.com/participatiebot/participatiebot/disclosure"
	"github.com/participatiebot/participatiebot/stats"
	"github.com/participatiebot/participatiebot/surveys"
)

// A weighted percentage is less precise than an unweighted one of the same
// respondents: unequal weights lose information. Kish's design effect says how
// much, deff = n·Σw²/(Σw)², and n/deff is the effective n, the size of an
// unweighted sample as precise. The interval of a weighted percentage is
// Wilson's at that effective n, with the weighted share: wider than the
// unweighted interval whenever the weights vary. The effective n is the
// question's own, over those who answered it, since who skips a question
// changes the weights that count.

// kishN is Kish's effective n (stats.EffectiveSampleSizeCounts) of the cells'
// counts with their weights; a cell without a weight (not weighted) counts 0.
func kishN(count map[combo]int64, weight map[combo]float64) float64 {
	cells := sortedCombos(count)
	w, n := make([]float64, len(cells)), make([]float64, len(cells))
	for i, j := range cells {
		w[i], n[i] = weight[j], float64(count[j])
	}
	return stats.EffectiveSampleSizeCounts(w, n)
}

// agreeBaseCells are a likert question's answers per cell other than "Weet ik
// niet": the base of its agreement share.
func agreeBaseCells(qid string, cells jointCells) map[combo]int64 {
	out := map[combo]int64{}
	for j, n := range cells.answered[qid] {
		out[j] = n - cells.chosen[qid][j][surveys.WeetNietID]
	}
	return out
}

// setIntervals sets a weighted question's effective n and the interval of
// each weighted percentage; s are its weighted sums.
func setIntervals(q *QuestionResult, cells jointCells, weight map[combo]float64, s questionSums) {
	n := kishN(cells.answered[q.ID], weight)
	if n <= 0 || s.answered <= 0 {
		return
	}
	q.EffectiveN = &n
	for i := range q.Options {
		o := &q.Options[i]
		if o.Weighted == nil {
			continue
		}
		o.WeightedLow, o.WeightedHigh = percentInterval(*o.Weighted, n)
	}
	if q.WeightedAgree != nil {
		// The agreement share leaves "Weet ik niet" out of its base, so its
		// effective n is over the others.
		q.WeightedAgreeLow, q.WeightedAgreeHigh = percentInterval(*q.WeightedAgree, kishN(agreeBaseCells(q.ID, cells), weight))
	}
}

// percentInterval is the 95% Wilson interval of percentage p at effective n.
func percentInterval(p, n float64) (lo, hi *float64) {
	l, h := stats.WilsonEffective(p/100, n, z95)
	l, h = 100*l, 100*h
	return &l, &h
}

// withholdIntervals takes a question's effective n and intervals back.
func withholdIntervals(q *QuestionResult) {
	q.EffectiveN, q.WeightedAgreeLow, q.WeightedAgreeHigh = nil, nil, nil
	for i := range q.Options {
		q.Options[i].WeightedLow, q.Options[i].WeightedHigh = nil, nil
	}
}

// intervalFacts adds what a question's effective n tells about its answers per
// kern × leeftijdsgroep, after weightedFacts: with the weights known, Σ w·a
// (the base of the weighted percentages, which weightedFacts already treats
// as known) and (Σ w·a)²/n_eff = Σ w²·a are linear facts about a, the number
// in each cell who answered. For a single-choice question a is the sum of the
// cell's option cells, which weightedFacts added; for multiple choice the
// answered cells are added here, adding up to the question's answers per kern
// and in all, each at least every option chosen in it. The agreement
// interval's base (without "Weet ik niet") is a sum of option cells too.
func (a *weightAudit) intervalFacts(b *disclosure.Builder, q *QuestionResult, cells jointCells, weight map[combo]float64) {
	if q.EffectiveN == nil {
		return
	}
	qid := q.ID
	optCell := func(j combo, oid string) string { return "w:" + qid + ":" + jointCell(j[0], j[1]) + ":o:" + oid }
	// terms are Σ over the cells of coef(w)·(the cell's answers, or its base).
	terms := func(count map[combo]int64, coef func(w float64) float64, skip string) []disclosure.Term {
		var out []disclosure.Term
		for _, j := range sortedCombos(count) {
			w, ok := weight[j]
			if !ok || count[j] <= 0 {
				continue
			}
			if surveys.QuestionType(q.Type) == surveys.Multiple {
				out = append(out, disclosure.Term{ID: "w:" + qid + ":" + jointCell(j[0], j[1]) + ":n", Coef: coef(w)})
				continue
			}
			opts := cells.chosen[qid][j]
			for _, o := range slices.Sorted(maps.Keys(opts)) {
				if opts[o] > 0 && o != skip {
					out = append(out, disclosure.Term{ID: optCell(j, o), Coef: coef(w)})
				}
			}
		}
		return out
	}
	if surveys.QuestionType(q.Type) == surveys.Multiple {
		perKern := map[string][]string{}
		var all []string
		for _, j := range sortedCombos(cells.answered[qid]) {
			n := cells.answered[qid][j]
			if n <= 0 {
				continue
			}
			id := "w:" + qid + ":" + jointCell(j[0], j[1]) + ":n"
			b.Cell(id, "w", disclosure.Derived, n)
			perKern[j[0]] = append(perKern[j[0]], id)
			all = append(all, id)
			for o, c := range cells.chosen[qid][j] {
				if c > 0 {
					b.AtMost(optCell(j, o), id)
				}
			}
		}
		for k, ids := range perKern {
			b.Sum(kernN(qid, k), ids...)
		}
		b.Sum(questionN(qid), all...)
	}
	exact := func(v float64, t []disclosure.Term) {
		if len(t) > 0 {
			b.Between(v, v, t...)
		}
	}
	one := func(w float64) float64 { return w }
	sq := func(w float64) float64 { return w * w }
	sumW, sumW2 := weightedSums(cells.answered[qid], weight)
	exact(sumW, terms(cells.answered[qid], one, ""))
	exact(sumW2, terms(cells.answered[qid], sq, ""))
	if q.WeightedAgreeLow != nil {
		base := agreeBaseCells(qid, cells)
		sumW, sumW2 := weightedSums(base, weight)
		exact(sumW, terms(base, one, surveys.WeetNietID))
		exact(sumW2, terms(base, sq, surveys.WeetNietID))
	}
}

// weightedSums are Σ w·n and Σ w²·n over the cells.
func weightedSums(count map[combo]int64, weight map[combo]float64) (sumW, sumW2 float64) {
	for _, j := range sortedCombos(count) {
		w, n := weight[j], float64(count[j])
		sumW += w * n
		sumW2 += w * w * n
	}
	return sumW, sumW2
}
