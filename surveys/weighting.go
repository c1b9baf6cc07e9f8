package surveys

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Respondent is one participant's answers in a round, without who they are: the
// breakdown groups they were counted in and their answers by field (question id,
// or "<qid>#<i>" per wie-van-de-drie triad).
type Respondent struct {
	Profile Profile
	Answers map[string]Answer
}

// DecodeRespondent builds a Respondent from stored answers (field → JSON) and the
// tally fields those answers added to, from which the kern and leeftijdsgroep are
// read ("respondents:k:<kern>", or a question's "…:n:k:<kern>").
func DecodeRespondent(encoded map[string]string, tallies []string) (Respondent, error) {
	r := Respondent{Profile: profileFromTallies(tallies), Answers: make(map[string]Answer, len(encoded))}
	for field, v := range encoded {
		var a Answer
		if err := json.Unmarshal([]byte(v), &a); err != nil {
			return Respondent{}, fmt.Errorf("decode answer %s: %w", field, err)
		}
		r.Answers[field] = a
	}
	return r, nil
}

// profileFromTallies reads the kern and leeftijdsgroep a participant was counted in.
func profileFromTallies(fields []string) Profile {
	var p Profile
	for _, f := range fields {
		for _, d := range []struct {
			marker string
			into   *string
		}{{":k:", &p.Kern}, {":a:", &p.Leeftijd}} {
			if *d.into != "" {
				continue
			}
			head, g, ok := cutLast(f, d.marker)
			if ok && validKey(g) && (head == FieldRespondents || strings.HasSuffix(head, ":n")) {
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
func (r *Results) Weigh(respondents []Respondent, pop *Population) {
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
	// Respondents whose group is known in every dimension.
	var known []Respondent
	var rows []map[string]string
	for _, resp := range respondents {
		row := map[string]string{}
		for _, m := range margins {
			g := resp.Profile.Kern
			if m.Dimension == DimLeeftijd {
				g = resp.Profile.Leeftijd
			}
			if _, inPop := m.Shares[g]; g == "" || !inPop {
				row = nil
				break
			}
			row[m.Dimension] = g
		}
		if row == nil {
			w.Excluded++
			continue
		}
		known = append(known, resp)
		rows = append(rows, row)
	}
	w.Respondents = int64(len(known))
	if int(w.Respondents) < max(r.Threshold, 1) {
		w.Unavailable = "te weinig deelnemers met bekende kern en leeftijd"
		return
	}
	for i := range margins {
		margins[i] = w.collapse(margins[i], rows, r.Threshold)
		w.Dimensions = append(w.Dimensions, margins[i].Dimension)
	}
	weights, converged, err := Rake(rows, margins, 200, 1e-9)
	if err != nil {
		r.Weighting = &Weighting{Method: "raking", Unavailable: "weging niet mogelijk: " + err.Error()}
		return
	}
	w.Converged = converged
	w.EffectiveN = EffectiveSampleSize(weights)
	for qi := range r.Questions {
		weighQuestion(&r.Questions[qi], known, weights)
	}
	r.auditWeighting(w, respondents, known, weights, rows, pop)
}

// collapse merges the groups of margin m with fewer than threshold respondents
// into one, and drops groups without respondents, rescaling the other shares.
// The rows are rewritten to the merged group.
func (w *Weighting) collapse(m Margin, rows []map[string]string, threshold int) Margin {
	count := map[string]int{}
	for _, row := range rows {
		count[row[m.Dimension]]++
	}
	out := Margin{Dimension: m.Dimension, Shares: map[string]float64{}}
	small := map[string]bool{}
	var smallN int
	for _, g := range sortedKeys(m.Shares) {
		switch n := count[g]; {
		case n == 0:
			if m.Shares[g] > 0 {
				w.Missing = append(w.Missing, m.Dimension+" "+g)
			}
		case n < threshold:
			small[g] = true
			smallN += n
			out.Shares[mergedGroup] += m.Shares[g]
			w.Merged = append(w.Merged, m.Dimension+" "+g)
		default:
			out.Shares[g] = m.Shares[g]
		}
	}
	// One small group alone is no merge: it joins the smallest shown group.
	if len(small) == 1 || (len(small) > 0 && smallN < threshold) {
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
func smallestGroup(count map[string]int, skip map[string]bool) (string, bool) {
	best, found := "", false
	for _, g := range sortedKeys(count) {
		if skip[g] || count[g] == 0 {
			continue
		}
		if !found || count[g] < count[best] {
			best, found = g, true
		}
	}
	return best, found
}

// weighQuestion sets the weighted percentages of one question from the answers of
// the weighted respondents.
func weighQuestion(q *QuestionResult, resp []Respondent, weights []float64) {
	if QuestionType(q.Type) == WieVanDeDrie || QuestionType(q.Type) == Open || len(q.Options) == 0 {
		return
	}
	chosen := map[string]float64{}
	var answered, scaleSum, scaleW, agree float64
	for i, rs := range resp {
		a, ok := rs.Answers[q.ID]
		if !ok || a.Skipped || len(a.Options) == 0 {
			continue
		}
		answered += weights[i]
		for _, o := range a.Options {
			chosen[o] += weights[i]
			if v, ok := scaleValue(o); ok {
				scaleSum += weights[i] * v
				scaleW += weights[i]
			}
			if o == "4" || o == "5" {
				agree += weights[i]
			}
		}
	}
	if answered == 0 {
		return
	}
	for i := range q.Options {
		p := 100 * chosen[q.Options[i].ID] / answered
		q.Options[i].Weighted = &p
	}
	if QuestionType(q.Type) == Likert || QuestionType(q.Type) == Rating {
		if scaleW > 0 {
			m := scaleSum / scaleW
			q.WeightedMean = &m
		}
	}
	if QuestionType(q.Type) == Likert {
		p := 100 * agree / answered
		q.WeightedAgree = &p
	}
}

// scaleValue is the value of a scale option id ("1".."10").
func scaleValue(id string) (float64, bool) {
	var v int
	if _, err := fmt.Sscanf(id, "%d", &v); err != nil || fmt.Sprint(v) != id {
		return 0, false
	}
	return float64(v), true
}
