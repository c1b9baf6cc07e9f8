package results

import (
	"maps"
	"slices"
	"sort"

	"github.com/participatiebot/participatiebot/disclosure"
)

// Representation compares one population group (a kern, a leeftijdsgroep)
// with the respondents of a round.
type Representation struct {
	Group       string
	Respondents int64
	Population  int
	// Rate is the response rate: respondents per inhabitant of the group,
	// 0 when the population is 0.
	Rate float64
	// Share is the group's share of all respondents, PopShare its share of the
	// population (both 0..1).
	Share, PopShare float64
	// Suppressed rows have fewer respondents than the threshold, or are hidden
	// with them so that a small group cannot be recomputed from the total
	// (complementary suppression, as in breakdown cells). Their Respondents,
	// Rate and Share are 0, so nothing shown or exported can leak them; the
	// Population and PopShare are public figures and stay.
	Suppressed bool
	// Complementary marks a suppressed row that itself has at least the
	// threshold, hidden only so that a small group cannot be recomputed.
	Complementary bool
}

// RScoreUnavailable is the R-score Afspiegeling returns when it cannot be
// given: "niet te berekenen (te kleine groepen)" when a group is suppressed,
// or when no group has both a population and respondents.
const RScoreUnavailable = -1

// Afspiegeling compares the respondents per group (byGroup) with the
// population per group, one row per group in either map, sorted by group.
// Groups with respondents but no population (such as UnknownGroup) get a row
// with Rate and PopShare 0.
//
// rScore is the headline representativeness figure of a round: the lowest
// divided by the highest response rate over the groups with a population
// above 0; 1 means every group answered equally often, a group without any
// respondents gives 0. So that it cannot leak a small count (the lowest or
// highest rate times the public population would give it), it is only
// computed when no row is suppressed; otherwise it is RScoreUnavailable (-1).
// Rows are suppressed by the rules of package disclosure, with the groups
// adding up to their sum; a group without respondents is shown (0 says
// nothing about anyone). With threshold <= 0 nothing is suppressed and R is
// always computed.
func Afspiegeling(byGroup map[string]int64, population map[string]int, threshold int) (rows []Representation, rScore float64) {
	b := disclosure.New(threshold)
	var total int64
	groups := map[string]bool{}
	for g, n := range byGroup {
		groups[g] = true
		total += max(n, 0)
	}
	for g := range population {
		groups[g] = true
	}
	if len(groups) == 0 {
		return nil, RScoreUnavailable
	}
	names := slices.Sorted(maps.Keys(groups))
	ids := make([]string, len(names))
	b.Cell(cellRound, "", disclosure.Total, total)
	for i, g := range names {
		ids[i] = marginCell(famKern, g)
		b.Cell(ids[i], famKern, disclosure.Labelled, max(byGroup[g], 0))
	}
	b.Sum(cellRound, ids...)
	d := b.Decide()
	rows = representationRows(d, famKern, byGroup, population, total)
	return rows, plainRScore(rows)
}

// representationRows are the rows of one dimension as decision d shows them:
// the number, rate and share of a hidden group are 0. Shares are of denom.
func representationRows(d *disclosure.Decision, fam string, byGroup map[string]int64, population map[string]int, denom int64) []Representation {
	groups := map[string]bool{}
	var popTotal int
	for g := range byGroup {
		groups[g] = true
	}
	for g, p := range population {
		groups[g] = true
		popTotal += max(p, 0)
	}
	names := slices.Sorted(maps.Keys(groups))
	rows := make([]Representation, len(names))
	for i, g := range names {
		p := max(population[g], 0)
		row := Representation{Group: g, Population: p}
		if popTotal > 0 {
			row.PopShare = float64(p) / float64(popTotal)
		}
		id := marginCell(fam, g)
		n, shown := d.Shown(id)
		switch {
		case !shown:
			row.Suppressed, row.Complementary = true, d.Label(id) == disclosure.AtLeast
		default:
			row.Respondents = n
			if p > 0 {
				row.Rate = float64(n) / float64(p)
			}
			if denom > 0 {
				row.Share = float64(n) / float64(denom)
			}
		}
		rows[i] = row
	}
	return rows
}

// plainRScore is the lowest divided by the highest rate over the rows with a
// population, when no row is suppressed.
func plainRScore(rows []Representation) float64 {
	lo, hi, found := 0.0, 0.0, false
	for _, r := range rows {
		if r.Suppressed {
			return RScoreUnavailable
		}
		if r.Population <= 0 {
			continue
		}
		if !found || r.Rate < lo {
			lo = r.Rate
		}
		if !found || r.Rate > hi {
			hi = r.Rate
		}
		found = true
	}
	if !found || hi == 0 {
		return RScoreUnavailable
	}
	return lo / hi
}

// representation is one dimension of a round's afspiegeling under the round's
// decision, with its R-score (the hidden groups taken together, see
// mergedRScore) and the groups taken together. Shares are of the respondents
// with a known group, unless the unknown group is hidden: the known total
// would then give it back, so shares are of all respondents.
func representation(d *disclosure.Decision, fam string, byGroup map[string]int64, population map[string]int, total int64) ([]Representation, float64, []string) {
	denom := total
	if _, shown := d.Shown(marginCell(fam, "")); shown {
		denom = 0
		for _, n := range byGroup {
			denom += max(n, 0)
		}
	}
	rows := representationRows(d, fam, byGroup, population, denom)
	r, merged := mergedRScore(d, fam, rows, byGroup)
	return rows, r, merged
}

// mergedRScore is the R-score with the hidden groups that have a population
// taken together (see rGroups).
func mergedRScore(d *disclosure.Decision, fam string, rows []Representation, byGroup map[string]int64) (float64, []string) {
	g, ok := rGroups(d, fam, rows, byGroup)
	if !ok {
		return RScoreUnavailable, g.merged
	}
	rates := make([]float64, len(g.pop))
	for i := range g.pop {
		rates[i] = float64(g.resp[i]) / float64(g.pop[i])
	}
	return rScore(rates), g.merged
}

// responseGroups are the groups an R-figure (R-score, R-indicator) of one
// dimension is computed over: per group its inhabitants and respondents, and
// the groups taken together.
type responseGroups struct {
	pop, resp []int64
	merged    []string
}

// rGroups are the groups with a population that an R-figure of the dimension
// may be computed over. With no row hidden they are the rows. With hidden rows
// the hidden groups are taken together, only when their sum is at least the
// threshold and publishing it gives away no hidden cell (the rate of the
// merged group times its population is that sum); ok is false when that
// cannot be, or when no group remains.
//
// Every R-figure is a function of these counts alone, so the one check here
// covers the R-score and the R-indicator with its interval: neither reveals
// more than the rows and the merged sum.
func rGroups(d *disclosure.Decision, fam string, rows []Representation, byGroup map[string]int64) (responseGroups, bool) {
	var g responseGroups
	if !anySuppressed(rows) {
		var total int64
		for _, row := range rows {
			if row.Population > 0 {
				g.pop = append(g.pop, int64(row.Population))
				g.resp = append(g.resp, row.Respondents)
				total += row.Respondents
			}
		}
		return g, total > 0
	}
	var ids []string
	var mergedN int64
	var mergedPop int
	for _, row := range rows {
		switch {
		case row.Population <= 0:
		case row.Suppressed:
			g.merged = append(g.merged, row.Group)
			ids = append(ids, marginCell(fam, row.Group))
			mergedN += max(byGroup[row.Group], 0)
			mergedPop += row.Population
		default:
			g.pop = append(g.pop, int64(row.Population))
			g.resp = append(g.resp, row.Respondents)
		}
	}
	if len(g.merged) == 0 || mergedN < int64(d.Threshold()) || len(g.pop) == 0 || d.Withdrawn(fam) {
		return g, false
	}
	e := d.Extend()
	e.Cell("r:"+fam, "", disclosure.Total, mergedN)
	e.Sum("r:"+fam, ids...)
	if len(e.Decide().Unresolved()) > 0 {
		return g, false
	}
	g.pop = append(g.pop, int64(mergedPop))
	g.resp = append(g.resp, mergedN)
	return g, true
}

func anySuppressed(rows []Representation) bool {
	for _, r := range rows {
		if r.Suppressed {
			return true
		}
	}
	return false
}

// UnderRepresented lists the groups with a population, from the lowest to the
// highest response rate, so that reminders go first to the groups that
// answered least. Suppressed rows have rate 0 and therefore come first: they
// have fewer respondents than the threshold, which for a population group is
// almost always under-representation. Ties keep the order by group name.
func UnderRepresented(rows []Representation) []string {
	sorted := make([]Representation, 0, len(rows))
	for _, r := range rows {
		if r.Population > 0 {
			sorted = append(sorted, r)
		}
	}
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Rate != sorted[j].Rate {
			return sorted[i].Rate < sorted[j].Rate
		}
		return sorted[i].Group < sorted[j].Group
	})
	groups := make([]string, len(sorted))
	for i, r := range sorted {
		groups[i] = r.Group
	}
	return groups
}

// rScore is the lowest response rate divided by the highest; RScoreUnavailable when no
// group responded.
func rScore(rates []float64) float64 {
	lo, hi := rates[0], rates[0]
	for _, x := range rates {
		lo, hi = min(lo, x), max(hi, x)
	}
	if hi == 0 {
		return RScoreUnavailable
	}
	return lo / hi
}
