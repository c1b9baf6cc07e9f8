package charts

import (
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/participatiebot/participatiebot/results"

	"github.com/participatiebot/participatiebot/internal/dutch"
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
func likertChart(name string, q results.QuestionResult) (Chart, error) {
	title := questionTitle(q.Text)
	sub := []string{dutch.Plural(q.N, "antwoord", "antwoorden")}
	if len(q.Options) >= 5 {
		// in the question's own labels, as the text of the results says it
		sub = append(sub, clean(results.AgreeText(q))+" "+dutchPercent(clamp(q.Agree, 0, 100)))
	}
	if q.Mean > 0 {
		sub = append(sub, "gemiddeld "+dutch.Decimal(q.Mean, 1)+" op 1–5")
	}

	p, legend, words, err := likertPlot(q.Options)
	if err != nil {
		return Chart{}, renderError(name, err)
	}
	f := &frame{
		name:       name,
		title:      wrap(titleStyle, title, inner, maxTitle),
		subtitle:   wrapParts(subtitleStyle, sub, inner, allLines),
		plot:       p,
		plotHeight: likertHeight,
		legend:     legend,
	}
	png, err := f.png()
	if err != nil {
		return Chart{}, err
	}
	alt := "Gestapeld staafdiagram: " + sentence(title) + " " + sentence(strings.Join(sub, ", ")) + " " +
		sentence(strings.Join(words, ", "))
	return Chart{Name: name, PNG: png, Alt: alt}, nil
}

// likertPlot is the stacked bar of the options, the percentage printed in
// each segment wide enough for it, with the legend that carries the figures
// and the alt text of each option.
func likertPlot(opts []results.OptionResult) (*plot.Plot, *plot.Legend, []string, error) {
	p := plot.New()
	p.BackgroundColor = color.White
	p.HideAxes()
	p.X.Padding, p.Y.Padding = 0, 0
	legend := newLegend()
	words := make([]string, len(opts))
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
		fig := dutchPercent(pc) + " (" + dutch.Int(o.Count) + ")"
		legend.Add(legendText(clean(o.Label)+"  "+fig), swatch(fill))
		words[i] = clean(o.Label) + " " + fig
		if short := dutchPercent(pc); labelStyle.Width(short)+16 < vg.Length(pc/100*inner) {
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
	return p, legend, words, nil
}

// legendText wraps a legend entry, its label and figure, to the width right of
// its swatch, on as many lines as it takes.
func legendText(entry string) string {
	return strings.Join(wrap(labelStyle, entry, inner-legendIndent, allLines), "\n")
}

// legendIndent is the room a legend entry's swatch and the space after it take.
const legendIndent = 52 + 16 + 24
