package results

import (
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/participatiebot/participatiebot/disclosure"
	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/surveys"
)

// UnknownGroup is the breakdown group of respondents who did not give their kern
// or leeftijdsgroep: the round's respondents minus those in a known group.
const UnknownGroup = "onbekend"

// Cell is the number of respondents in one group of a breakdown. A suppressed
// cell has Count 0, so no export can leak it; which cells are suppressed is the
// round's one disclosure decision (see roundDecision).
type Cell struct {
	Group      string `json:"group"`
	Count      int64  `json:"count"`
	Suppressed bool   `json:"suppressed"`
	// Complementary marks a suppressed cell that itself has at least the
	// threshold, hidden only so that a small cell cannot be recomputed.
	Complementary bool `json:"complementary,omitempty"`
}

// The cells of a round's disclosure decision are named after the tally fields
// they come from; a kern, leeftijd, question or option id never contains ':'
// (ValidKey), and "" is the unknown group.
const (
	famKern     = "k"
	famLeeftijd = "a"
	famTaal     = "l"
	cellRound   = "N"
)

func marginCell(fam, group string) string { return fam + ":" + group }
func questionN(qid string) string         { return "q:" + qid + ":N" }
func questionOpt(qid, oid string) string  { return "q:" + qid + ":o:" + oid }
func questionFam(qid string) string       { return "q:" + qid + ":k" }
func kernN(qid, kern string) string       { return "q:" + qid + ":k:" + kern + ":n" }
func kernOpt(qid, kern, oid string) string {
	return "q:" + qid + ":k:" + kern + ":o:" + oid
}

// roundDecision builds the cells every output of the round shows and decides,
// once, which are shown (package disclosure): the respondents per kern and per
// leeftijdsgroep (with the unknown group, and the kernen and leeftijdsgroepen
// of the population nobody answered from), and for every choice question its
// answers per kern and per kern and option, with the answers of those without
// a kern as the cells subtraction would give.
func roundDecision(r *Results, tallies map[string]int64, pop *surveys.Population, opts map[string][]surveys.Option) *disclosure.Decision {
	b := disclosure.New(r.Threshold)
	b.Cell(cellRound, "", disclosure.Total, r.Respondents)
	var popKern, popAge map[string]int
	if pop != nil {
		popKern, popAge = pop.Kernen, pop.Leeftijd
	}
	kernen := addMargin(b, famKern, GroupCounts(tallies, surveys.FieldRespondents+":k:"), popKern, r.Respondents)
	addMargin(b, famLeeftijd, GroupCounts(tallies, surveys.FieldRespondents+":a:"), popAge, r.Respondents)
	if langs := GroupCounts(tallies, surveys.FieldRespondents+":l:"); len(langs) > 0 {
		addMargin(b, famTaal, langs, nil, r.Respondents)
	}
	perQ := splitTallies(tallies)
	for _, q := range r.Questions {
		if o, ok := opts[q.ID]; ok {
			addQuestion(b, q, o, perQ[q.ID], kernen)
		}
	}
	return b.Decide()
}

// addMargin adds the respondents per group of one dimension, the unknown group
// last, adding up to the round's respondents; it returns the known groups.
func addMargin(b *disclosure.Builder, fam string, counts map[string]int64, pop map[string]int, total int64) []string {
	set := map[string]bool{}
	for g, n := range counts {
		if n > 0 {
			set[g] = true
		}
	}
	for g := range pop {
		if surveys.ValidKey(g) {
			set[g] = true
		}
	}
	groups := slices.Sorted(maps.Keys(set))
	ids := make([]string, 0, len(groups)+1)
	var known int64
	for _, g := range groups {
		n := max(counts[g], 0)
		known += n
		b.Cell(marginCell(fam, g), fam, disclosure.Labelled, n)
		ids = append(ids, marginCell(fam, g))
	}
	if unknown := total - known; unknown >= 0 {
		b.Cell(marginCell(fam, ""), fam, disclosure.Labelled, unknown)
		b.Sum(cellRound, append(ids, marginCell(fam, ""))...)
	}
	return groups
}

// addQuestion adds a choice question's answers per kern: per kern the number
// who answered and per option the number who chose it (a percentage of the kern
// is that cell), and the cells of those without a kern that subtraction gives.
func addQuestion(b *disclosure.Builder, q QuestionResult, opts []surveys.Option, counts map[string]int64, margin []string) {
	qid, fam := q.ID, questionFam(q.ID)
	oneAnswer := surveys.QuestionType(q.Type) != surveys.Multiple
	set := map[string]bool{}
	for _, g := range margin {
		set[g] = true
	}
	for k, v := range counts {
		if g, ok := strings.CutPrefix(k, "n:k:"); ok && v > 0 && surveys.ValidKey(g) {
			set[g] = true
		}
	}
	b.Cell(questionN(qid), "", disclosure.Total, q.N)
	for _, o := range q.Options {
		b.Cell(questionOpt(qid, o.ID), "", disclosure.Total, o.Count)
	}
	kernen := append(slices.Sorted(maps.Keys(set)), "")
	ns := make([]string, 0, len(kernen))
	optIDs := map[string][]string{}
	var knownN int64
	knownOpt := map[string]int64{}
	for _, g := range kernen {
		n := counts["n:k:"+g]
		kind := disclosure.Labelled
		if g == "" {
			n, kind = q.N-knownN, disclosure.Derived
			if n < 0 {
				continue
			}
		}
		knownN += n
		b.Cell(kernN(qid, g), fam, kind, n)
		b.AtMost(kernN(qid, g), marginCell(famKern, g))
		ns = append(ns, kernN(qid, g))
		var row []string
		for _, o := range opts {
			c, ok := counts["o:"+o.ID+":k:"+g], true
			okind := disclosure.Unlabelled
			if g == "" {
				c, okind = optionCount(q, o.ID)-knownOpt[o.ID], disclosure.Derived
				ok = c >= 0
			}
			if !ok {
				continue
			}
			knownOpt[o.ID] += c
			id := kernOpt(qid, g, o.ID)
			b.Cell(id, fam, okind, c)
			b.Needs(id, kernN(qid, g))
			b.AtMost(id, kernN(qid, g))
			row = append(row, id)
			optIDs[o.ID] = append(optIDs[o.ID], id)
		}
		if oneAnswer {
			b.Sum(kernN(qid, g), row...)
		}
	}
	b.Sum(questionN(qid), ns...)
	for _, o := range opts {
		b.Sum(questionOpt(qid, o.ID), optIDs[o.ID]...)
	}
}

func optionCount(q QuestionResult, oid string) int64 {
	for _, o := range q.Options {
		if o.ID == oid {
			return o.Count
		}
	}
	return 0
}

// marginCells is a breakdown of the respondents as the decision shows it:
// the groups with respondents, sorted, with the unknown group last when it is
// not empty; nothing when the breakdown is withdrawn.
func marginCells(d *disclosure.Decision, fam string, counts map[string]int64, total int64) []Cell {
	cells := []Cell{}
	if d.Withdrawn(fam) {
		return cells
	}
	var known int64
	for _, g := range slices.Sorted(maps.Keys(counts)) {
		if n := counts[g]; n > 0 {
			cells = append(cells, cellOf(d, marginCell(fam, g), g, n))
			known += n
		}
	}
	if unknown := total - known; unknown > 0 {
		cells = append(cells, cellOf(d, marginCell(fam, ""), UnknownGroup, unknown))
	}
	return cells
}

// cellOf is one group as the decision shows it: its count, or suppressed with
// count 0 and its label.
func cellOf(d *disclosure.Decision, id, group string, n int64) Cell {
	if v, ok := d.Shown(id); ok {
		return Cell{Group: group, Count: v}
	}
	return Cell{Group: group, Suppressed: true, Complementary: d.Label(id) == disclosure.AtLeast}
}

// suppressCells hides the cells of one breakdown, with its total the sum of
// the cells, by the rules of package disclosure: every cell under threshold,
// and more (smallest first) until no hidden cell can be recomputed.
func suppressCells(cells []Cell, threshold int) {
	if threshold <= 0 {
		return
	}
	b := disclosure.New(threshold)
	var total int64
	ids := make([]string, len(cells))
	for i, c := range cells {
		total += c.Count
		ids[i] = marginCell(famKern, c.Group)
		b.Cell(ids[i], famKern, disclosure.Labelled, c.Count)
	}
	b.Cell(cellRound, "", disclosure.Total, total)
	b.Sum(cellRound, ids...)
	d := b.Decide()
	for i := range cells {
		cells[i] = cellOf(d, ids[i], cells[i].Group, cells[i].Count)
	}
}

// kernResults are the option percentages per kern, from the counters
// "n:k:<kern>" and "o:<oid>:k:<kern>", as the decision shows them: a hidden
// kern shows nothing, a shown one the percentages of its shown options.
func kernResults(d *disclosure.Decision, qid string, opts []surveys.Option, counts map[string]int64) []KernResult {
	if d.Withdrawn(questionFam(qid)) {
		return nil
	}
	var kernen []string
	for k, v := range counts {
		if kern, ok := strings.CutPrefix(k, "n:k:"); ok && v > 0 && surveys.ValidKey(kern) {
			kernen = append(kernen, kern)
		}
	}
	if len(kernen) == 0 {
		return nil
	}
	sort.Strings(kernen)
	out := make([]KernResult, 0, len(kernen))
	for _, g := range kernen {
		n, ok := d.Shown(kernN(qid, g))
		if !ok {
			out = append(out, KernResult{Kern: g, Suppressed: true,
				Complementary: d.Label(kernN(qid, g)) == disclosure.AtLeast})
			continue
		}
		kr := KernResult{Kern: g, N: n, Percent: map[string]float64{}}
		for _, o := range opts {
			if c, ok := d.Shown(kernOpt(qid, g, o.ID)); ok {
				kr.Percent[o.ID] = percent(c, n)
			}
		}
		out = append(out, kr)
	}
	return out
}

// langCells are the respondents per language: the counters of the languages other
// than Dutch, and Dutch as the rest (the "unknown" group of the margin); none when
// every respondent read Dutch, so that a Dutch-only round shows nothing new.
func langCells(d *disclosure.Decision, tallies map[string]int64, total int64) []Cell {
	counts := GroupCounts(tallies, surveys.FieldRespondents+":l:")
	if len(counts) == 0 {
		return nil
	}
	cells := marginCells(d, famTaal, counts, total)
	for i := range cells {
		if cells[i].Group == UnknownGroup {
			cells[i].Group = string(lang.NL)
		}
	}
	// Dutch first, then the others in the order residents are offered them
	slices.SortStableFunc(cells, func(a, b Cell) int {
		return slices.Index(lang.Supported, lang.Code(a.Group)) - slices.Index(lang.Supported, lang.Code(b.Group))
	})
	return cells
}
