package results

import (
	"encoding/json"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/participatiebot/participatiebot/disclosure"
	"github.com/participatiebot/participatiebot/surveys"
)

// The weighting reveals more than the breakdowns: how many were weighted (the
// respondents with a known kern and leeftijdsgroep, which with both breakdowns
// gives the number who gave neither), Kish's effective n (a function of the
// weighting classes' sizes), and per question a weighted percentage, which is
// one more linear fact about the answers per group. auditWeighting adds each
// to the round's decision as the weighted figure it is, with the respondents
// per kern × leeftijdsgroep as cells no output shows, and withholds whatever
// would give a hidden cell away. It assumes an attacker knows every weight:
// the conservative side.

// MarshalJSON writes the weighting without the figures auditWeighting
// withheld.
func (w Weighting) MarshalJSON() ([]byte, error) {
	type plain Weighting // without this method
	p := plain(w)
	if w.CountsWithheld {
		p.Respondents, p.Excluded = 0, 0
	}
	if w.EffectiveNWithheld {
		p.EffectiveN = 0
	}
	return json.Marshal(p)
}

// auditWeighting withholds the weighting figures of r that would give away a
// cell its decision hides. cells are every respondent's kern × leeftijd cell,
// known the cells weighted, with their weight and their weighting class.
func (r *Results) auditWeighting(w *Weighting, cells jointCells, known []combo, weight map[combo]float64, class map[combo]string, pop *surveys.Population) {
	if r.decision == nil || r.Threshold <= 0 {
		return
	}
	a := &weightAudit{r: r}
	a.cur = a.withJoint(cells.respondents)
	inPop := func(dim, g string) bool {
		m := pop.Kernen
		if dim == surveys.DimLeeftijd {
			m = pop.Leeftijd
		}
		_, ok := m[g]
		return g != "" && ok
	}
	// Who was not weighted: the kern × leeftijd cells outside the population.
	var excluded []string
	for _, j := range a.joints {
		for _, dim := range w.Dimensions {
			g := j[0]
			if dim == surveys.DimLeeftijd {
				g = j[1]
			}
			if !inPop(dim, g) {
				excluded = append(excluded, jointCell(j[0], j[1]))
				break
			}
		}
	}
	w.CountsWithheld = !a.try(func(b *disclosure.Builder) {
		b.Cell("w:excluded", "", disclosure.Total, w.Excluded)
		if len(excluded) > 0 {
			b.Sum("w:excluded", excluded...)
		}
	})
	// Kish's n is a function of the weighting classes' sizes: reveal them.
	w.EffectiveNWithheld = !a.try(func(b *disclosure.Builder) {
		size := map[string][]string{}
		count := map[string]int64{}
		for _, j := range known {
			c := class[j]
			count[c] += cells.respondents[j]
			size[c] = appendOnce(size[c], jointCell(j[0], j[1]))
		}
		for _, c := range slices.Sorted(maps.Keys(count)) {
			b.Cell("w:class:"+c, "", disclosure.Total, count[c])
			b.Sum("w:class:"+c, size[c]...)
		}
	})
	for qi := range r.Questions {
		q := &r.Questions[qi]
		if !hasWeighted(q) {
			continue
		}
		if !a.try(func(b *disclosure.Builder) { a.weightedFacts(b, q, cells, weight) }) {
			withholdWeighted(q)
			continue
		}
		if !a.try(func(b *disclosure.Builder) { a.intervalFacts(b, q, cells, weight) }) {
			withholdIntervals(q)
		}
	}
}

// weightAudit extends the round's decision one published figure at a time.
type weightAudit struct {
	r      *Results
	cur    *disclosure.Decision
	joints []combo // kern, leeftijd combinations of the respondents
}

// withJoint is the decision with the respondents per kern × leeftijdsgroep as
// cells no output shows, adding up to the breakdowns' cells.
func (a *weightAudit) withJoint(count map[combo]int64) *disclosure.Decision {
	for _, j := range sortedCombos(count) {
		if count[j] > 0 {
			a.joints = append(a.joints, j)
		}
	}
	b := a.r.decision.Extend()
	byKern, byAge := map[string][]string{}, map[string][]string{}
	for _, j := range a.joints {
		id := jointCell(j[0], j[1])
		b.Cell(id, "w", disclosure.Derived, count[j])
		byKern[j[0]] = append(byKern[j[0]], id)
		byAge[j[1]] = append(byAge[j[1]], id)
	}
	for k, ids := range byKern {
		b.Sum(marginCell(famKern, k), ids...)
	}
	for g, ids := range byAge {
		b.Sum(marginCell(famLeeftijd, g), ids...)
	}
	return b.Decide()
}

// try publishes the facts add adds when, with everything published before,
// they give no hidden cell away; it reports whether they were published.
func (a *weightAudit) try(add func(*disclosure.Builder)) bool {
	b := a.cur.Extend()
	add(b)
	d := b.Decide()
	if len(d.Unresolved()) > 0 {
		return false
	}
	a.cur = d
	return true
}

// weightedFacts adds a question's weighted figures as facts about its answers
// per kern × leeftijdsgroep: each is Σ weight·answers / the weighted number who
// answered, a linear fact once the weights are known. cells are what every
// respondent's cell chose (a cell not weighted counts with weight 0), weight
// the weight of each weighted cell.
func (a *weightAudit) weightedFacts(b *disclosure.Builder, q *QuestionResult, cells jointCells, weight map[combo]float64) {
	// Raking gives every respondent of one combination the same weight.
	sums := sumQuestion(q.ID, cells, weight)
	answered, scaleW := sums.answered, sums.scaleW
	if answered == 0 {
		return
	}
	chosen := map[[3]string]int64{}
	for j, opts := range cells.chosen[q.ID] {
		for o, n := range opts {
			if n > 0 {
				chosen[[3]string{j[0], j[1], o}] = n
			}
		}
	}
	cell := func(key [3]string) string { return "w:" + q.ID + ":" + jointCell(key[0], key[1]) + ":o:" + key[2] }
	keys := make([][3]string, 0, len(chosen))
	for key := range chosen {
		keys = append(keys, key)
	}
	sortTriples(keys)
	perKern := map[[2]string][]string{}
	perOpt := map[string][]string{}
	for _, key := range keys {
		b.Cell(cell(key), "w", disclosure.Derived, chosen[key])
		perKern[[2]string{key[0], key[2]}] = append(perKern[[2]string{key[0], key[2]}], cell(key))
		perOpt[key[2]] = append(perOpt[key[2]], cell(key))
	}
	// They add up to the answers per kern and option of the breakdown, and to
	// everyone's per option.
	for ko, ids := range perKern {
		b.Sum(kernOpt(q.ID, ko[0], ko[1]), ids...)
	}
	for o, ids := range perOpt {
		b.Sum(questionOpt(q.ID, o), ids...)
	}
	terms := func(coef func(key [3]string) float64) []disclosure.Term {
		var out []disclosure.Term
		for _, key := range keys {
			if c := coef(key); c != 0 {
				out = append(out, disclosure.Term{ID: cell(key), Coef: c})
			}
		}
		return out
	}
	w := func(key [3]string) float64 { return weight[combo{key[0], key[1]}] }
	for _, o := range q.Options {
		if o.Weighted == nil {
			continue
		}
		b.Between(*o.Weighted, *o.Weighted, terms(func(key [3]string) float64 {
			if key[2] != o.ID {
				return 0
			}
			return 100 * w(key) / answered
		})...)
	}
	if base := sums.agreeBase(); q.WeightedAgree != nil && base > 0 {
		b.Between(*q.WeightedAgree, *q.WeightedAgree, terms(func(key [3]string) float64 {
			if key[2] != "4" && key[2] != "5" {
				return 0
			}
			return 100 * w(key) / base
		})...)
	}
	if q.WeightedMean != nil && scaleW > 0 {
		b.Between(*q.WeightedMean, *q.WeightedMean, terms(func(key [3]string) float64 {
			v, ok := scaleValue(key[2])
			if !ok {
				return 0
			}
			return v * w(key) / scaleW
		})...)
	}
}

func hasWeighted(q *QuestionResult) bool {
	if q.WeightedMean != nil || q.WeightedAgree != nil {
		return true
	}
	for _, o := range q.Options {
		if o.Weighted != nil {
			return true
		}
	}
	return false
}

// withholdWeighted takes a question's weighted figures back, with their
// intervals.
func withholdWeighted(q *QuestionResult) {
	withholdIntervals(q)
	for i := range q.Options {
		q.Options[i].Weighted = nil
	}
	q.WeightedMean, q.WeightedAgree = nil, nil
}

func jointCell(kern, leeftijd string) string { return "w:j:" + kern + "|" + leeftijd }

// classOf names a respondent's weighting class over the dimensions.
func classOf(row map[string]string, dims []string) string {
	parts := make([]string, len(dims))
	for i, d := range dims {
		parts[i] = row[d]
	}
	return strings.Join(parts, "|")
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func sortTriples(p [][3]string) {
	sort.Slice(p, func(i, j int) bool {
		for k := range 3 {
			if p[i][k] != p[j][k] {
				return p[i][k] < p[j][k]
			}
		}
		return false
	})
}
