package charts

import (
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/participatiebot/participatiebot/results"
)

// likertColours run from disagree to agree: a diverging scale from the
// Okabe–Ito palette, warm for disagree, grey for the middle, blue for agree.
var likertColours = []color.RGBA{okVermillion, okOrange, neutral, okSkyBlue, okBlue}

// extraColours are for options beyond the five of the scale, such as an
// option removed during the round.
var extraColours = []color.RGBA{okPurple, okYellow, okGreen}

// Likert bar sizes in pixels.
const (
	likertHeight = 130
	likertBar    = 104
)

// likertColour is the colour of option i, and the colour of text on it.
func likertColour(i int) (fill, txt color.RGBA) {
	if i < len(likertColours) {
		fill = likertColours[i]
	} else {
		fill = extraColours[(i-len(likertColours))%len(extraColours)]
	}
	if fill == okVermillion || fill == okBlue {
		return fill, white
	}
	return fill, ink
}

// likertChart draws a Likert result as one stacked 100% bar with a legend
// that carries the figures.
func likertChart(w words, name string, q results.QuestionResult) (*frame, string, error) {
	title := w.questionTitle(q.Text)
	sub := []string{w.pr.N("chart.answers", int(q.N))}
	if len(q.Options) >= 5 {
		// in the question's own labels, as the text of the results says it
		sub = append(sub, clean(w.agreeText(q))+" "+w.percent(clamp(q.Agree, 0, 100)))
	}
	if q.Mean > 0 {
		sub = append(sub, w.pr.T("chart.likert_mean", "Gemiddelde", w.pr.Decimal(q.Mean, 1)))
	}

	p, legend, figures, err := likertPlot(w, q.Options)
	if err != nil {
		return nil, "", renderError(name, err)
	}
	f := &frame{
		name:       name,
		rtl:        w.rtl(),
		title:      wrap(titleStyle, w.drawn(titleStyle, title), inner, maxTitle),
		subtitle:   wrapParts(subtitleStyle, sub, inner, allLines),
		plot:       p,
		plotHeight: likertHeight,
		legend:     legend,
	}
	alt := w.pr.T("chart.alt.stacked", "Tekst", sentence(title)+" "+sentence(w.list(sub))+" "+
		sentence(w.list(figures)))
	return f, alt, nil
}

// likertPlot is the stacked bar of the options, the percentage printed in
// each segment wide enough for it, with the legend that carries the figures
// and the alt text of each option.
func likertPlot(w words, opts []results.OptionResult) (*plot.Plot, *plot.Legend, []string, error) {
	p := plot.New()
	p.BackgroundColor = color.White
	p.HideAxes()
	p.X.Padding, p.Y.Padding = 0, 0
	legend := newLegend()
	figures := make([]string, len(opts))
	var below *plotter.BarChart
	sum := 0.0
	for i, o := range opts {
		pc := clamp(o.Percent, 0, 100)
		fill, txt := likertColour(i)
		b, err := horizontalBars(plotter.Values{pc}, likertBar, fill)
		if err != nil {
			return nil, nil, nil, err
		}
		if below != nil {
			b.StackOn(below)
		}
		below = b
		p.Add(b)
		fig := w.figure(pc, o.Count)
		legend.Add(legendText(clean(o.Label)+"  "+fig), swatch(fill))
		figures[i] = clean(o.Label) + " " + fig
		if short := w.percent(pc); labelStyle.Width(short)+16 < vg.Length(pc/100*inner) {
			sty := labelStyle
			sty.Color, sty.XAlign = txt, draw.XCenter
			at := plotter.XYLabels{XYs: plotter.XYs{{X: sum + pc/2}}, Labels: []string{short}}
			if err := addFigures(p, at, sty, vg.Point{}); err != nil {
				return nil, nil, nil, err
			}
		}
		sum += pc
	}
	p.X.Min, p.X.Max = 0, max(100, sum)
	p.Y.Min, p.Y.Max = -0.5, 0.5
	return p, legend, figures, nil
}

// legendText wraps a legend entry, its label and figure, to the width right of
// its swatch, on as many lines as it takes.
func legendText(entry string) string {
	return strings.Join(wrap(labelStyle, entry, inner-legendIndent, allLines), "\n")
}

// legendIndent is the room a legend entry's swatch and the space after it take.
const legendIndent = 52 + 16 + 24
