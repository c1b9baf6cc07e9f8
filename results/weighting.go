package results

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/stats"
	"github.com/participatiebot/participatiebot/surveys"
)

// Respondent is one participant's answers in a round, without who they are: the
// breakdown groups they were counted in and their answers by field (question id,
// or "<qid>#<i>" per wie-van-de-drie triad).
type Respondent struct {
	Profile surveys.Profile
	Answers map[string]surveys.Answer
}

// DecodeRespondent builds a Respondent from stored answers (field → compact answer,
// or JSON in older rounds: surveys.DecodeAnswer) and the tally fields they were
// counted in, from which the kern and leeftijdsgroep are read ("respondents:k:<kern>",
// or a question's "…:n:k:<kern>").
func DecodeRespondent(encoded map[string]string, tallies []string) (Respondent, error) {
	r := Respondent{Profile: profileFromTallies(tallies), Answers: make(map[string]surveys.Answer, len(encoded))}
	for field, v := range encoded {
		a, err := surveys.DecodeAnswer(v)
		if err != nil {
			return Respondent{}, fmt.Errorf("answer %s: %w", field, err)
		}
		r.Answers[field] = a
	}
	return r, nil
}

// profileFromTallies reads the kern and leeftijdsgroep a participant was counted in,
// and whether as a member of the panel.
func profileFromTallies(fields []string) surveys.Profile {
	var p surveys.Profile
	for _, f := range fields {
		if strings.HasPrefix(f, surveys.PanelPrefix) {
			p.Panel = true
		}
		for _, d := range []struct {
			marker string
			into   *string
		}{{":k:", &p.Kern}, {":a:", &p.Leeftijd}} {
			if *d.into != "" {
				continue
			}
			head, g, ok := cutLast(f, d.marker)
			if ok && surveys.ValidKey(g) && (head == surveys.FieldRespondents || strings.HasSuffix(head, ":n")) {
				*d.into = g
			}
		}
	}
	return p
}

func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// Weighting says how results were weighted to the population.
type Weighting struct {
	// Method is "raking" (iterative proportional fitting over the dimensions).
	Method string `json:"method"`
	// Dimensions are the margins weighted to: "kern", and "leeftijd" when the
	// population table has it.
	Dimensions []string `json:"dimensions"`
	// Respondents is the number weighted: those whose group is known in every
	// dimension. Excluded did not give their kern or leeftijdsgroep and are left
	// out of the weighted figures (they count in the unweighted ones).
	Respondents int64 `json:"respondents"`
	Excluded    int64 `json:"excluded"`
	// EffectiveN is Kish's effective sample size: the weighted figures are as
	// precise as an unweighted sample of this size.
	EffectiveN float64 `json:"effective_n"`
	Converged  bool    `json:"converged"`
	// Merged are groups with fewer respondents than the threshold, weighted
	// together as one group per dimension so that no small group gets its own
	// (revealing, unstable) weight; Missing are population groups without any
	// respondent, left out with the other shares scaled up.
	Merged  []string `json:"merged,omitempty"`
	Missing []string `json:"missing,omitempty"`
	// Unavailable, when set, says why the results could not be weighted; the other
	// fields are then empty.
	Unavailable string `json:"unavailable,omitempty"`
	// CountsWithheld and EffectiveNWithheld are set when Respondents and
	// Excluded, or EffectiveN, would give away a cell the round's disclosure
	// decision hides; they are then left out of every output.
	CountsWithheld     bool `json:"counts_withheld,omitempty"`
	EffectiveNWithheld bool `json:"effective_n_withheld,omitempty"`
}

// mergedGroup is the group that small groups of a dimension are weighted as.
const mergedGroup = "@overig"

// Weigh weights the results to the population by raking on its margins (kern and,
// when present, leeftijdsgroep) and sets each option's Weighted percentage and the
// likert and rating WeightedMean and WeightedAgree. Groups with fewer respondents
// than the threshold are merged per dimension. The wie-van-de-drie ranking and
// open answers are not weighted. Without a population or respondents nothing is
// weighted and Weighting says why. A round with fewer respondents than the
// threshold is not weighted, and figures that would give away a cell the
// round's disclosure decision hides are withheld (see auditWeighting).
//
// Weigh counts the respondents into their kern × leeftijd cells and weighs
// those (see WeighTallies, which reads the same cells from the tallies).
func (r *Results) Weigh(respondents []Respondent, pop *surveys.Population) {
	r.weigh(cellsOfRespondents(r, respondents), pop)
}

// WeighTallies is Weigh from the round's tallies alone: the joint counters
// "respondents:j:<kern>:<leeftijd>", "q:<qid>:o:<oid>:j:…" and "q:<qid>:c:j:…"
// (see TallyFields) are the weighting classes and what each class answered, so
// weighting costs O(options × cells), whatever the number of respondents.
func (r *Results) WeighTallies(tallies map[string]int64, pop *surveys.Population) {
	r.weigh(cellsOfTallies(r, tallies), pop)
}

// JointTallied reports whether the round's joint counters account for every
// respondent, so that WeighTallies can weigh it: false for a round recorded,
// wholly or in part, by a version that kept no joint counters.
func JointTallied(tallies map[string]int64) bool {
	var n int64
	for k, v := range tallies {
		if strings.HasPrefix(k, surveys.FieldRespondents+":j:") {
			n += v
		}
	}
	return n == tallies[surveys.FieldRespondents]
}

// combo is a kern × leeftijdsgroep cell; "" is unknown.
type combo [2]string

// jointCells are what weighting needs of a round: the respondents per kern ×
// leeftijdsgroep, and per weighted question what each cell chose and how many
// in it answered with at least one option.
type jointCells struct {
	respondents map[combo]int64
	chosen      map[string]map[combo]map[string]int64 // question → cell → option → count
	answered    map[string]map[combo]int64
}

func newJointCells() jointCells {
	return jointCells{respondents: map[combo]int64{}, chosen: map[string]map[combo]map[string]int64{},
		answered: map[string]map[combo]int64{}}
}

// weighted reports whether a question gets weighted figures.
func weighted(q *QuestionResult) bool {
	t := surveys.QuestionType(q.Type)
	return t != surveys.WieVanDeDrie && t != surveys.Open && len(q.Options) > 0
}

func (c jointCells) choose(qid string, j combo, oid string, n int64) {
	if c.chosen[qid] == nil {
		c.chosen[qid] = map[combo]map[string]int64{}
	}
	if c.chosen[qid][j] == nil {
		c.chosen[qid][j] = map[string]int64{}
	}
	c.chosen[qid][j][oid] += n
}

func (c jointCells) answer(qid string, j combo, n int64) {
	if c.answered[qid] == nil {
		c.answered[qid] = map[combo]int64{}
	}
	c.answered[qid][j] += n
}

// cellsOfRespondents counts respondents into their cells.
func cellsOfRespondents(r *Results, respondents []Respondent) jointCells {
	c := newJointCells()
	for _, resp := range respondents {
		j := combo{resp.Profile.Kern, resp.Profile.Leeftijd}
		c.respondents[j]++
		for qi := range r.Questions {
			q := &r.Questions[qi]
			a, ok := resp.Answers[q.ID]
			if !weighted(q) || !ok || a.Skipped || len(a.Options) == 0 {
				continue
			}
			c.answer(q.ID, j, 1)
			for _, o := range a.Options {
				c.choose(q.ID, j, o, 1)
			}
		}
	}
	return c
}

// cellsOfTallies reads the cells from the joint counters.
func cellsOfTallies(r *Results, tallies map[string]int64) jointCells {
	c := newJointCells()
	oneAnswer := map[string]bool{}
	for qi := range r.Questions {
		if q := &r.Questions[qi]; weighted(q) {
			oneAnswer[q.ID] = surveys.QuestionType(q.Type) != surveys.Multiple
		}
	}
	for k, n := range tallies {
		if n <= 0 {
			continue
		}
		if rest, ok := strings.CutPrefix(k, surveys.FieldRespondents+":j:"); ok {
			if j, ok := parseCombo(rest); ok {
				c.respondents[j] += n
			}
			continue
		}
		rest, ok := strings.CutPrefix(k, "q:")
		if !ok {
			continue
		}
		qid, rest, _ := strings.Cut(rest, ":")
		one, ok := oneAnswer[qid]
		if !ok {
			continue
		}
		if cell, ok := strings.CutPrefix(rest, "c:j:"); ok && !one {
			if j, ok := parseCombo(cell); ok {
				c.answer(qid, j, n)
			}
			continue
		}
		rest, ok = strings.CutPrefix(rest, "o:")
		if !ok {
			continue
		}
		oid, cell, ok := strings.Cut(rest, ":j:")
		if !ok || strings.Contains(oid, ":") {
			continue
		}
		if j, ok := parseCombo(cell); ok {
			c.choose(qid, j, oid, n)
			if one {
				// Single-choice types (single, likert, rating) keep no
				// answered-per-cell counter: each answer is one option, so
				// the answers of a cell are the sum of its option counters.
				// Multiple choice has its own ("q:<qid>:c:j:…", above).
				c.answer(qid, j, n)
			}
		}
	}
	return c
}

// parseCombo reads "<kern>:<leeftijd>" (either may be empty).
func parseCombo(s string) (combo, bool) {
	k, a, ok := strings.Cut(s, ":")
	if !ok || strings.Contains(a, ":") {
		return combo{}, false
	}
	return combo{k, a}, true
}

func sortedCombos[V any](m map[combo]V) []combo {
	out := make([]combo, 0, len(m))
	for j := range m {
		out = append(out, j)
	}
	sort.Slice(out, func(i, k int) bool {
		if out[i][0] != out[k][0] {
			return out[i][0] < out[k][0]
		}
		return out[i][1] < out[k][1]
	})
	return out
}

func (r *Results) weigh(cells jointCells, pop *surveys.Population) {
	w := &Weighting{Method: "raking"}
	r.Weighting = w
	if r.TooFew {
		w.Unavailable = "te weinig deelnemers"
		return
	}
	margins := pop.Margins()
	if len(margins) == 0 {
		w.Unavailable = "geen bevolkingstabel"
		return
	}
	// The cells whose group is known in every dimension are weighted.
	var known []combo
	var rows []map[string]string
	var counts []float64
	for _, j := range sortedCombos(cells.respondents) {
		n := cells.respondents[j]
		if n <= 0 {
			continue
		}
		row := map[string]string{}
		for _, m := range margins {
			g := j[0]
			if m.Dimension == surveys.DimLeeftijd {
				g = j[1]
			}
			if _, inPop := m.Shares[g]; g == "" || !inPop {
				row = nil
				break
			}
			row[m.Dimension] = g
		}
		if row == nil {
			w.Excluded += n
			continue
		}
		w.Respondents += n
		known = append(known, j)
		rows = append(rows, row)
		counts = append(counts, float64(n))
	}
	if w.Respondents < int64(max(r.Threshold, 1)) {
		w.Unavailable = "te weinig deelnemers met bekende kern en leeftijd"
		return
	}
	for i := range margins {
		margins[i] = w.collapse(margins[i], rows, counts, r.Threshold)
		w.Dimensions = append(w.Dimensions, margins[i].Dimension)
	}
	weights, converged, err := stats.RakeCounts(rows, counts, margins, 200, 1e-9)
	if err != nil {
		r.Weighting = &Weighting{Method: "raking", Unavailable: "weging niet mogelijk: " + err.Error()}
		return
	}
	w.Converged = converged
	w.EffectiveN = stats.EffectiveSampleSizeCounts(weights, counts)
	weight := make(map[combo]float64, len(known))
	class := make(map[combo]string, len(known))
	for i, j := range known {
		weight[j] = weights[i]
		class[j] = classOf(rows[i], w.Dimensions)
	}
	for qi := range r.Questions {
		weighQuestion(&r.Questions[qi], cells, weight)
	}
	r.auditWeighting(w, cells, known, weight, class, pop)
}

// collapse merges the groups of margin m with fewer than threshold respondents
// into one, and drops groups without respondents, rescaling the other shares.
// The rows (weighting classes of counts[i] respondents) are rewritten to the
// merged group.
func (w *Weighting) collapse(m stats.Margin, rows []map[string]string, counts []float64, threshold int) stats.Margin {
	count := map[string]int64{}
	for i, row := range rows {
		count[row[m.Dimension]] += int64(counts[i])
	}
	out := stats.Margin{Dimension: m.Dimension, Shares: map[string]float64{}}
	small := map[string]bool{}
	var smallN int64
	for _, g := range slices.Sorted(maps.Keys(m.Shares)) {
		switch n := count[g]; {
		case n == 0:
			if m.Shares[g] > 0 {
				w.Missing = append(w.Missing, m.Dimension+" "+g)
			}
		case n < int64(threshold):
			small[g] = true
			smallN += n
			out.Shares[mergedGroup] += m.Shares[g]
			w.Merged = append(w.Merged, m.Dimension+" "+g)
		default:
			out.Shares[g] = m.Shares[g]
		}
	}
	// One small group alone is no merge: it joins the smallest shown group.
	if len(small) == 1 || (len(small) > 0 && smallN < int64(threshold)) {
		if g, ok := smallestGroup(count, small); ok {
			small[g] = true
			out.Shares[mergedGroup] += out.Shares[g]
			delete(out.Shares, g)
			w.Merged = append(w.Merged, m.Dimension+" "+g)
		}
	}
	sort.Strings(w.Merged)
	total := 0.0
	for _, s := range out.Shares {
		total += s
	}
	for g := range out.Shares {
		out.Shares[g] /= total
	}
	for _, row := range rows {
		if small[row[m.Dimension]] {
			row[m.Dimension] = mergedGroup
		}
	}
	return out
}

// smallestGroup is the group with the fewest respondents outside skip.
func smallestGroup(count map[string]int64, skip map[string]bool) (string, bool) {
	best, found := "", false
	for _, g := range slices.Sorted(maps.Keys(count)) {
		if skip[g] || count[g] == 0 {
			continue
		}
		if !found || count[g] < count[best] {
			best, found = g, true
		}
	}
	return best, found
}

// questionSums are a question's weighted sums: the weighted number who answered
// (with at least one option), per option the weighted number who chose it, and
// over the scale options the weighted sum of values and of weights, and the
// weighted number who agreed ("4" or "5").
type questionSums struct {
	answered, scaleSum, scaleW, agree float64
	chosen                            map[string]float64
}

func sumQuestion(qid string, cells jointCells, weight map[combo]float64) questionSums {
	s := questionSums{chosen: map[string]float64{}}
	for _, j := range sortedCombos(cells.answered[qid]) {
		s.answered += weight[j] * float64(cells.answered[qid][j])
	}
	for _, j := range sortedCombos(cells.chosen[qid]) {
		wj := weight[j]
		opts := cells.chosen[qid][j]
		for _, o := range slices.Sorted(maps.Keys(opts)) {
			n := float64(opts[o])
			s.chosen[o] += wj * n
			if v, ok := scaleValue(o); ok {
				s.scaleSum += wj * v * n
				s.scaleW += wj * n
			}
			if o == "4" || o == "5" {
				s.agree += wj * n
			}
		}
	}
	return s
}

// weighQuestion sets the weighted percentages of one question from what each
// weighted cell answered.
func weighQuestion(q *QuestionResult, cells jointCells, weight map[combo]float64) {
	if !weighted(q) {
		return
	}
	s := sumQuestion(q.ID, cells, weight)
	if s.answered == 0 {
		return
	}
	for i := range q.Options {
		p := 100 * s.chosen[q.Options[i].ID] / s.answered
		q.Options[i].Weighted = &p
	}
	if surveys.QuestionType(q.Type) == surveys.Likert || surveys.QuestionType(q.Type) == surveys.Rating {
		if s.scaleW > 0 {
			m := s.scaleSum / s.scaleW
			q.WeightedMean = &m
		}
	}
	if surveys.QuestionType(q.Type) == surveys.Likert {
		if base := s.agreeBase(); base > 0 {
			p := 100 * s.agree / base
			q.WeightedAgree = &p
		}
	}
	setIntervals(q, cells, weight, s)
}

// agreeBase is the weighted number who answered a likert question other than
// "Weet ik niet": the base of the weighted agreement share, as of the unweighted
// one (agreePercent).
func (s questionSums) agreeBase() float64 {
	return s.answered - s.chosen[surveys.WeetNietID]
}

// scaleValue is the value of a scale option id ("1".."10").
func scaleValue(id string) (float64, bool) {
	v, err := strconv.Atoi(id)
	if err != nil || strconv.Itoa(v) != id { // "07" or "+7" is no scale value
		return 0, false
	}
	return float64(v), true
}
