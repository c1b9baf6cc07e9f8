package charts

import (
	"cmp"
	"errors"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"

	"github.com/participatiebot/participatiebot/internal/dutch"
)

// Afspiegeling bar sizes in pixels: two bars per group and a gap.
const (
	pairBar  = 48
	pairSlot = 2*pairBar + 40
)

// The series of the afspiegeling, named as in the legend.
const (
	seriesRespondents = "Deelnemers"
	seriesPopulation  = "Inwoners"
)

// Afspiegeling renders each group's share of the respondents next to its
// share of the population, as pairs of horizontal bars with a legend
// ("Deelnemers", "Inwoners"). dimension names the groups in the title
// ("kern" gives "Afspiegeling per kern"); the R-score follows in Dutch
// notation ("R-score 0,62"), or "R-score niet te berekenen" when rScore < 0.
// A suppressed row shows only its population bar, its label marked
// "(<threshold)".
func Afspiegeling(dimension string, rows []results.Representation, rScore float64, threshold int) (c Chart, err error) {
	return AfspiegelingWith(dimension, rows, rScore, nil, threshold)
}

// AfspiegelingWith is Afspiegeling with the dimension's R-indicator before
// the R-score ("R-indicator 0,91 (95%-marge 0,88–0,94)", in the words of
// results.RIndicatorFigure); ri nil leaves it out, as when it is withheld.
func AfspiegelingWith(dimension string, rows []results.Representation, rScore float64, ri *results.RIndicator, threshold int) (c Chart, err error) {
	dimension = clean(dimension)
	if dimension == "" {
		dimension = "groep"
	}
	name := "afspiegeling-" + cmp.Or(slug(dimension), "groep") + ".png"
	defer func() {
		if r := recover(); r != nil {
			c, err = Chart{}, panicked(name, r)
		}
	}()
	if len(rows) == 0 {
		return Chart{}, renderError(name, errors.New("no groups"))
	}
	r := "R-score niet te berekenen"
	if rScore >= 0 && !math.IsInf(rScore, 0) {
		r = "R-score " + dutch.Decimal(rScore, 2)
	}
	figures := []string{r}
	title := "Afspiegeling per " + dimension
	sub := []string{"Aandeel per " + dimension + " onder de deelnemers en onder de inwoners",
		"R-score: laagste gedeeld door hoogste respons, 1 is gelijk"}
	if ri != nil {
		figures = []string{"R-indicator " + results.RIndicatorFigure(*ri), r}
		sub = append(sub, "R-indicator: hoe gelijk alle groepen meededen, 1 is gelijk")
	}
	hidden, protect := "(verborgen)", "(verborgen)"
	if threshold > 0 {
		hidden = "(<" + strconv.Itoa(threshold) + ")"
		protect = "(≥" + strconv.Itoa(threshold) + ")"
	}

	p, words, err := pairPlot(rows, hidden, protect)
	if err != nil {
		return Chart{}, renderError(name, err)
	}
	legend := newLegend()
	legend.Add(seriesRespondents, swatch(okBlue))
	legend.Add(seriesPopulation, swatch(okOrange))
	f := &frame{
		name:        name,
		title:       wrap(titleStyle, title+" · "+strings.Join(figures, " · "), inner, maxTitle),
		subtitle:    wrapParts(subtitleStyle, sub, inner, allLines),
		plot:        p,
		plotHeight:  vg.Length(len(rows) * pairSlot),
		legend:      legend,
		legendAbove: true,
	}
	png, err := f.png()
	if err != nil {
		return Chart{}, err
	}
	alt := "Staafdiagram: " + sentence(title+", "+strings.Join(figures, ", ")) + " " + sentence(strings.Join(sub, "; ")) + " " + sentence(strings.Join(words, "; "))
	return Chart{Name: name, PNG: png, Alt: alt}, nil
}

// pair is one series of the afspiegeling: a bar per group and the figures
// next to them.
type pair struct {
	vals plotter.Values
	figs plotter.XYLabels
}

// add sets group y to value v (0..100) with its figure.
func (s *pair) add(y int, v float64, fig string) {
	s.vals[y] = v
	s.figs.XYs = append(s.figs.XYs, plotter.XY{X: v, Y: float64(y)})
	s.figs.Labels = append(s.figs.Labels, fig)
}

// pairPlot is the plot of the afspiegeling, the first group on top, with the
// alt text of each group.
func pairPlot(rows []results.Representation, hidden, protect string) (*plot.Plot, []string, error) {
	n := len(rows)
	names, words := make([]string, n), make([]string, n)
	resp := pair{vals: make(plotter.Values, n)}
	pop := pair{vals: make(plotter.Values, n)}
	var gone plotter.XYLabels // where a suppressed Deelnemers bar would be
	for i, row := range rows {
		y := n - 1 - i
		label := clean(row.Group)
		var w []string
		if row.Suppressed {
			if row.Complementary {
				label += " " + protect // hidden only to protect a small group
			} else {
				label += " " + hidden
			}
			gone.XYs = append(gone.XYs, plotter.XY{X: 0, Y: float64(y)})
			gone.Labels = append(gone.Labels, "verborgen")
		} else {
			v := 100 * clamp(row.Share, 0, 1)
			resp.add(y, v, dutchPercent(v)+" ("+dutch.Int(row.Respondents)+")")
			w = append(w, "deelnemers "+resp.figs.Labels[len(resp.figs.Labels)-1])
		}
		if row.Population > 0 {
			v := 100 * clamp(row.PopShare, 0, 1)
			pop.add(y, v, dutchPercent(v)+" ("+dutch.Int(int64(row.Population))+")")
			w = append(w, "inwoners "+pop.figs.Labels[len(pop.figs.Labels)-1])
		}
		names[y] = strings.Join(wrap(labelStyle, label, labelWidth, 3), "\n")
		words[i] = label + ": " + cmp.Or(strings.Join(w, ", "), "geen cijfers")
	}

	p := newBarPlot(names)
	top := 1.0
	for _, s := range []struct {
		pair
		colour color.Color
		offset vg.Length
	}{
		{resp, okBlue, pairBar / 2},
		{pop, okOrange, -pairBar / 2},
	} {
		b, err := horizontalBars(s.vals, pairBar, s.colour)
		if err != nil {
			return nil, nil, err
		}
		b.Offset = s.offset
		p.Add(b)
		if err := addFigures(p, s.figs, labelStyle, vg.Point{X: 10, Y: s.offset}); err != nil {
			return nil, nil, err
		}
		for _, v := range s.vals {
			top = math.Max(top, v)
		}
	}
	if err := addFigures(p, gone, subtitleStyle, vg.Point{X: 4, Y: pairBar / 2}); err != nil {
		return nil, nil, err
	}
	p.X.Min, p.X.Max = 0, top
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	return p, words, nil
}

// AfspiegelingOf renders the afspiegeling charts of a round's results: per kern
// and, when the population table has leeftijdsgroepen, per leeftijdsgroep; none
// without a population table, for a round with fewer respondents than the
// threshold, or for a live tussenstand. The rows are as the round's disclosure
// decision shows them.
func AfspiegelingOf(r *results.Results) ([]Chart, error) {
	a := r.Afspiegeling
	if a == nil || r.TooFew || r.Live {
		return nil, nil
	}
	var out []Chart
	for _, d := range []struct {
		dimension string
		rows      []results.Representation
	}{{"kern", a.Kern}, {"leeftijdsgroep", a.Leeftijd}} {
		if len(d.rows) == 0 {
			continue
		}
		c, err := AfspiegelingWith(d.dimension, d.rows, a.RScore, rIndicatorOf(a, d.dimension), r.Threshold)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Slug turns an id into a safe file-name part: lower-case ASCII letters, digits
// and single dashes, at most 60 bytes; "" when nothing is left.
func Slug(s string) string { return slug(s) }

// rIndicatorOf is the R-indicator of the chart's dimension ("kern",
// "leeftijdsgroep"); nil when the round's is withheld.
func rIndicatorOf(a *results.AfspiegelingResult, dimension string) *results.RIndicator {
	dim := surveys.DimKern
	if dimension == "leeftijdsgroep" {
		dim = surveys.DimLeeftijd
	}
	for i := range a.RIndicators {
		if a.RIndicators[i].Dimension == dim {
			return &a.RIndicators[i]
		}
	}
	return nil
}
