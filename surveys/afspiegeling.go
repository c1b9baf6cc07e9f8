package surveys

import "sort"

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
// computed when no row is suppressed, that is when every group has at least
// threshold respondents; otherwise it is RScoreUnavailable (-1). With
// threshold <= 0 nothing is suppressed and R is always computed.
func Afspiegeling(byGroup map[string]int64, population map[string]int, threshold int) (rows []Representation, rScore float64) {
	groups := map[string]bool{}
	var respTotal int64
	var popTotal int
	for g, n := range byGroup {
		if n < 0 {
			n = 0
		}
		groups[g] = true
		respTotal += n
	}
	for g, p := range population {
		if p < 0 {
			p = 0
		}
		groups[g] = true
		popTotal += p
	}
	if len(groups) == 0 {
		return nil, RScoreUnavailable
	}
	names := sortedKeys(groups)
	rows = make([]Representation, len(names))
	cells := make([]Cell, len(names))
	for i, g := range names {
		n, p := max(byGroup[g], 0), max(population[g], 0)
		r := Representation{Group: g, Respondents: n, Population: p}
		if p > 0 {
			r.Rate = float64(n) / float64(p)
		}
		if respTotal > 0 {
			r.Share = float64(n) / float64(respTotal)
		}
		if popTotal > 0 {
			r.PopShare = float64(p) / float64(popTotal)
		}
		rows[i] = r
		cells[i] = Cell{Group: g, Count: n}
	}
	// The same suppression as every breakdown, complementary included.
	suppressCells(cells, threshold)
	anySuppressed := false
	for i, c := range cells {
		if c.Suppressed {
			anySuppressed = true
			rows[i].Suppressed, rows[i].Complementary = true, c.Complementary
			rows[i].Respondents, rows[i].Rate, rows[i].Share = 0, 0, 0
		}
	}
	if anySuppressed {
		return rows, RScoreUnavailable
	}
	lo, hi, found := 0.0, 0.0, false
	for _, r := range rows {
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
		return rows, RScoreUnavailable
	}
	return rows, lo / hi
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

// RScoreMerged is the R-score when small groups are suppressed: the suppressed
// groups with a population are taken together as one group (their respondents
// and inhabitants summed), so R can still be given without revealing any small
// group. Complementary suppression makes the merged group at least threshold
// respondents, and its count is the total minus the groups shown, which is public
// anyway. merged lists the groups taken together, nil when none was suppressed;
// r is RScoreUnavailable when it cannot be given even so.
func RScoreMerged(byGroup map[string]int64, population map[string]int, threshold int) (r float64, merged []string) {
	rows, r := Afspiegeling(byGroup, population, threshold)
	if r != RScoreUnavailable {
		return r, nil
	}
	var rates []float64
	var mergedN int64
	var mergedPop int
	for _, row := range rows {
		switch {
		case row.Population <= 0:
		case row.Suppressed:
			merged = append(merged, row.Group)
			mergedN += max(byGroup[row.Group], 0)
			mergedPop += row.Population
		default:
			rates = append(rates, row.Rate)
		}
	}
	if len(merged) == 0 || mergedN < int64(threshold) || len(rates) == 0 {
		return RScoreUnavailable, merged
	}
	rates = append(rates, float64(mergedN)/float64(mergedPop))
	lo, hi := rates[0], rates[0]
	for _, x := range rates {
		lo, hi = min(lo, x), max(hi, x)
	}
	if hi == 0 {
		return RScoreUnavailable, merged
	}
	return lo / hi, merged
}
