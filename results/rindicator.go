package results

import (
	"github.com/participatiebot/participatiebot/disclosure"
	"github.com/participatiebot/participatiebot/stats"
	"github.com/participatiebot/participatiebot/surveys"
)

// RIndicator is the R-indicator of one dimension of the afspiegeling:
// R = 1 − 2·S(ρ), with S the standard deviation over the inhabitants of the
// response rates ρ of their group (stats.RIndicator, after Schouten, Cobben &
// Bethlehem 2009). Unlike the R-score, which looks at the two extreme groups
// only, it weighs every group by its size.
type RIndicator struct {
	// Dimension is surveys.DimKern or surveys.DimLeeftijd.
	Dimension string `json:"dimension"`
	// R is the indicator (0..1); Low and High its 95% interval, from the
	// delta method with each group's respondents binomial (stats.RIndicator).
	R    float64 `json:"r"`
	Low  float64 `json:"low"`
	High float64 `json:"high"`
	// Mean is the response rate over the groups' inhabitants (ρ̄, 0..1).
	Mean float64 `json:"mean_rate"`
	// Merged are the hidden groups taken together (see rGroups).
	Merged []string `json:"merged,omitempty"`
}

// rIndicatorOf is the R-indicator of one dimension under the round's
// decision, by the R-score's disclosure rule (rGroups); nil when it may not
// be given or cannot be computed.
func rIndicatorOf(d *disclosure.Decision, fam, dim string, rows []Representation, byGroup map[string]int64) *RIndicator {
	g, ok := rGroups(d, fam, rows, byGroup)
	if !ok {
		return nil
	}
	est, err := stats.RIndicator(g.pop, g.resp, z95)
	if err != nil {
		return nil
	}
	return &RIndicator{Dimension: dim, R: est.R, Low: est.Low, High: est.High, Mean: est.Mean, Merged: g.merged}
}

// setRIndicator sets the R-indicators of the dimensions and the headline one,
// the lowest; the headline is nil when any dimension's may not be given, as
// the R-score is then withheld too.
func (a *AfspiegelingResult) setRIndicator(dims ...*RIndicator) {
	a.RIndicators, a.RIndicator = nil, nil
	for _, r := range dims {
		if r == nil {
			a.RIndicators = nil
			return
		}
		a.RIndicators = append(a.RIndicators, *r)
	}
	for i := range a.RIndicators {
		if a.RIndicator == nil || a.RIndicators[i].R < a.RIndicator.R {
			a.RIndicator = &a.RIndicators[i]
		}
	}
}

// dimensionRows are the afspiegeling rows of a dimension.
func (a *AfspiegelingResult) dimensionRows(dim string) []Representation {
	if dim == surveys.DimLeeftijd {
		return a.Leeftijd
	}
	return a.Kern
}
