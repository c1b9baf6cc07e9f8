package public

import (
	"strconv"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

// afspiegeling is who answered, by kern and leeftijdsgroep, against the
// population, as the round's disclosure decision shows it.
type afspiegeling struct {
	// HasPopulation is set when the kernen are compared with the population,
	// HasAgePopulation when the leeftijdsgroepen are too.
	HasPopulation, HasAgePopulation bool
	Source                          string
	Kernen, Leeftijd                []groupRow
	Total                           groupRow
	// Suppressed is set when some group is hidden, to explain "<10" and "≥10".
	Suppressed bool
	Threshold  int
	// RIndicator and RScore are the headline figures in words; nil without them.
	RIndicator, RScore *results.Explanation
}

// groupRow is one group. Count is "<10" or "≥10" for a hidden group, and then
// nothing derived from it (share, response) is shown either.
type groupRow struct {
	Group, Count, Share           string
	Inhabitants, PopShare, Rate   string
	ShareWidth, PopWidth          string
	Suppressed, HasPop, HasShares bool
}

var groupLabels = func() map[string]string {
	m := map[string]string{results.UnknownGroup: "onbekend (niet opgegeven)"}
	for _, g := range surveys.Leeftijdsgroepen {
		m[g.ID] = g.Label
	}
	return m
}()

func (s *server) afspiegeling(res *results.Results) afspiegeling {
	a := afspiegeling{Threshold: res.Threshold}
	if e, ok := results.RIndicatorExplained(res); ok {
		a.RIndicator = &e
	}
	if e, ok := results.RScoreExplained(res); ok {
		a.RScore = &e
	}
	t := strconv.Itoa(res.Threshold)
	if af := res.Afspiegeling; af != nil {
		a.HasPopulation, a.Source = true, af.Source
		a.Kernen = representationRows(af.Kern, t)
		if len(af.Leeftijd) > 0 {
			a.HasAgePopulation = true
			a.Leeftijd = representationRows(af.Leeftijd, t)
		}
	} else {
		a.Kernen = cellRows(res.ByKern, res.Respondents, t)
	}
	if !a.HasAgePopulation {
		a.Leeftijd = cellRows(res.ByLeeftijd, res.Respondents, t)
	}
	for _, rows := range [][]groupRow{a.Kernen, a.Leeftijd} {
		for _, r := range rows {
			a.Suppressed = a.Suppressed || r.Suppressed
		}
	}
	a.Total = groupRow{Group: "Totaal", Count: dutch.Int(res.Respondents), Share: "100%"}
	if p := s.cfg.Population; a.HasPopulation && p != nil && p.Total > 0 {
		a.Total.HasPop = true
		a.Total.Inhabitants, a.Total.PopShare = dutch.Int(int64(p.Total)), "100%"
		a.Total.Rate = rate(float64(res.Respondents) / float64(p.Total))
	}
	return a
}

// representationRows are the rows of one dimension compared with the
// population, the unknown group last.
func representationRows(reps []results.Representation, threshold string) []groupRow {
	var rows []groupRow
	var unknown *groupRow
	for _, r := range reps {
		row := groupRow{Group: label(r.Group), HasPop: r.Population > 0, HasShares: true,
			Inhabitants: dutch.Int(int64(r.Population)), PopShare: percent(100 * r.PopShare), PopWidth: width(100 * r.PopShare),
			Suppressed: r.Suppressed, Rate: "–"}
		switch {
		case r.Complementary:
			row.Count, row.Share = "≥"+threshold, "–"
		case r.Suppressed:
			row.Count, row.Share = "<"+threshold, "–"
		default:
			row.Count, row.Share, row.ShareWidth = dutch.Int(r.Respondents), percent(100*r.Share), width(100*r.Share)
			if r.Population > 0 {
				row.Rate = rate(r.Rate)
			}
		}
		if !row.HasPop {
			row.Inhabitants, row.PopShare = "–", "–"
		}
		if r.Group == results.UnknownGroup {
			unknown = &row
			continue
		}
		rows = append(rows, row)
	}
	if unknown != nil {
		rows = append(rows, *unknown)
	}
	return rows
}

// cellRows are the respondents per group without a population to compare with.
func cellRows(cells []results.Cell, total int64, threshold string) []groupRow {
	rows := make([]groupRow, 0, len(cells))
	for _, c := range cells {
		row := groupRow{Group: label(c.Group), Suppressed: c.Suppressed, HasShares: true}
		switch {
		case c.Complementary:
			row.Count, row.Share = "≥"+threshold, "–"
		case c.Suppressed:
			row.Count, row.Share = "<"+threshold, "–"
		default:
			row.Count = dutch.Int(c.Count)
			if total > 0 {
				p := 100 * float64(c.Count) / float64(total)
				row.Share, row.ShareWidth = percent(p), width(p)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

func label(g string) string {
	if l, ok := groupLabels[g]; ok {
		return l
	}
	return g
}

// rate is a response rate (a fraction) as a percentage with two decimals.
func rate(f float64) string { return dutch.Decimal(100*f, 2) + "%" }
