package charts

import (
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

// bar is one horizontal bar on a 0–100 track.
type bar struct {
	label  string
	value  float64 // 0..100
	figure string  // printed right of the track: "62,5% (25)"
	// band is the uncertainty band low..high (0..100), drawn as an error bar
	// when high > low.
	low, high float64
}

// Bar sizes in pixels, for labels beside the bars (sideLayout).
const (
	minSlot   = textLine + 8 // the least height per bar: one line of label
	baseSlot  = 96
	slotExtra = 24 // space above and below a label
)

// optionChart draws single, multiple and rating results as bars of percent.
func optionChart(w words, name string, q results.QuestionResult) (*frame, string, error) {
	rating := surveys.QuestionType(q.Type) == surveys.Rating
	bars := make([]bar, len(q.Options))
	figures := make([]string, len(q.Options))
	for i, o := range q.Options {
		p := clamp(o.Percent, 0, 100)
		fig := w.figure(p, o.Count)
		bars[i] = bar{label: clean(o.Label), value: p, figure: fig}
		figures[i] = bars[i].label + " " + fig
		if rating {
			figures[i] = w.pr.T("chart.rating_option", "Cijfer", bars[i].label, "Figuur", fig)
		}
	}
	title := w.questionTitle(q.Text)
	sub := []string{w.pr.N("chart.answers", int(q.N)), w.pr.T("chart.percent_of_answered")}
	switch {
	case surveys.QuestionType(q.Type) == surveys.Multiple:
		sub = []string{w.pr.N("chart.participants", int(q.N)), w.pr.T("chart.multiple", "Honderd", w.pr.Percent(100))}
	case rating && q.Mean > 0:
		sub = []string{w.pr.N("chart.answers", int(q.N)), w.pr.T("chart.mean", "Gemiddelde", w.pr.Decimal(q.Mean, 1)),
			w.pr.T("chart.median", "Mediaan", w.median(q.Median))}
	}
	f := &frame{name: name, rtl: w.rtl(), title: wrap(titleStyle, w.drawn(titleStyle, title), inner, maxTitle),
		subtitle: wrapParts(subtitleStyle, sub, inner, allLines)}
	if err := barPlot(w, f, bars, okBlue); err != nil {
		return nil, "", renderError(name, err)
	}
	alt := w.pr.T("chart.alt.bars", "Tekst", sentence(title)+" "+sentence(w.list(sub))+" "+
		sentence(w.list(figures)))
	return f, alt, nil
}

// rankingChart draws a wie-van-de-drie ranking: the figure of each option
// with one, in the order, with the places and in the words of every report
// (results.Ranked), at most the top 10, with its band. The subtitle says what
// the figure means (results.RankHelp), when the first place is shared the
// verdict, and which options have too little data for a figure; the alt text
// has every option shown in the words of RankRow.Line.
func rankingChart(w words, name string, q results.QuestionResult, view results.RankView) (*frame, string, error) {
	ranked := view.Ranked()
	total := len(ranked)
	ranked = ranked[:min(total, maxRanked)]
	bars := make([]bar, len(ranked))
	lines := make([]string, 0, len(ranked))
	for i, r := range ranked {
		label := clean(r.Label)
		bars[i] = bar{label: r.Place() + ". " + label, value: float64(r.Value), figure: w.rankValue(r),
			low: float64(r.Low), high: float64(r.High)}
		lines = append(lines, w.rankLine(r, label))
	}
	var few []string
	for _, r := range view.Shown()[len(view.Ranked()):] {
		few = append(few, clean(r.Label))
		lines = append(lines, w.rankLine(r, clean(r.Label)))
	}
	title := w.questionTitle(q.Text)
	suffix := ""
	if total > len(ranked) {
		suffix = w.pr.T("chart.rank.top", "Getoond", w.pr.Int(len(ranked)), "Totaal", w.pr.Int(total))
	}
	var sub []string
	if v := w.verdict(view); v != "" {
		sub = append(sub, v)
	}
	sub = append(sub, w.rankHelp(), w.pr.T("chart.rank.band_line", "Band", w.rankBandName()), w.pr.N("chart.choices", int(q.N)))
	if len(few) > 0 {
		sub = append(sub, w.pr.T("chart.rank.not_in_chart", "Reden", w.tooFew(), "Opties", w.pr.And(few)))
	}
	f := &frame{name: name, rtl: w.rtl(), title: titleWithSuffix(w.drawn(titleStyle, title), suffix),
		subtitle: wrapParts(subtitleStyle, sub, inner, allLines)}
	if err := barPlot(w, f, bars, okSkyBlue); err != nil {
		return nil, "", renderError(name, err)
	}
	alt := sentence(strings.TrimSpace(title + " " + suffix))
	for _, part := range sub {
		alt += " " + sentence(part)
	}
	alt += " " + sentence(strings.Join(lines, w.pr.T("chart.line_sep")))
	return f, w.pr.T("chart.alt.ranking", "Tekst", alt), nil
}

// titleWithSuffix wraps title, keeping suffix (such as "(top 10 van 12)")
// whole at its end even when the title itself has to be cut.
func titleWithSuffix(title, suffix string) []string {
	if suffix == "" {
		return wrap(titleStyle, title, inner, maxTitle)
	}
	if lines := wrap(titleStyle, title+" "+suffix, inner, maxTitle); !strings.HasSuffix(lines[len(lines)-1], ellipsis) {
		return lines
	}
	lines := wrap(titleStyle, title, inner, maxTitle-1)
	return append(lines, suffix)
}

// barPlot builds the plot of bars, top to bottom in the order given, each on a
// 0–100 track with its figure right of it and its label above it or beside it
// (layoutBars), and sets the frame's plot and plot height. The plot's y axis
// counts pixels from its bottom, so that every bar and label sits where the
// layout put it.
func barPlot(w words, f *frame, bars []bar, colour color.Color) error {
	n := len(bars)
	if n == 0 {
		return errNoData
	}
	labels := make([]string, n)
	for i, b := range bars {
		labels[i] = w.drawn(labelStyle, b.label)
	}
	lay := layoutBars(labels, maxHeight-f.height())
	p := plot.New()
	p.BackgroundColor = color.White
	p.HideAxes()
	p.X.Padding, p.Y.Padding = 0, 0
	names := plotter.XYLabels{XYs: make(plotter.XYs, n), Labels: make([]string, n)}
	figs := plotter.XYLabels{XYs: make(plotter.XYs, n), Labels: make([]string, n)}
	band := &plotter.XErrorBars{LineStyle: draw.LineStyle{Color: ink, Width: 4}, CapWidth: lay.thick * 0.7}
	top := float64(lay.height())
	for i, b := range bars {
		mid := top - float64(lay.slots[i])/2
		if lay.above {
			bottom := top - slotPad/2 - float64(len(lay.lines[i])*textLine) // of the label
			names.XYs[i] = plotter.XY{X: 0, Y: bottom}
			if f.rtl {
				names.XYs[i].X = 100
			}
			mid = bottom - labelGap - float64(lay.thick)/2
		} else {
			names.XYs[i] = plotter.XY{X: 0, Y: mid}
		}
		names.Labels[i] = strings.Join(lay.lines[i], "\n")
		figs.XYs[i], figs.Labels[i] = plotter.XY{X: 100, Y: mid}, b.figure
		for _, s := range []struct {
			value  float64
			colour color.Color
		}{{100, track}, {b.value, colour}} {
			bc, err := horizontalBars(plotter.Values{s.value}, lay.thick, s.colour)
			if err != nil {
				return err
			}
			bc.XMin = mid
			p.Add(bc)
		}
		if b.high > b.low {
			band.XYs = append(band.XYs, plotter.XY{X: b.value, Y: mid})
			band.XErrors = append(band.XErrors, struct{ Low, High float64 }{b.value - b.low, b.high - b.value})
		}
		top -= float64(lay.slots[i])
	}
	if len(band.XYs) > 0 {
		p.Add(band)
	}
	if err := addLabels(p, names, lay.above, f.rtl); err != nil {
		return err
	}
	if err := addFigures(p, figs, labelStyle, vg.Point{X: 14}); err != nil {
		return err
	}
	p.X.Min, p.X.Max = 0, 100
	p.Y.Min, p.Y.Max = 0, float64(lay.height())
	f.plot, f.plotHeight = p, lay.height()
	return nil
}

// addLabels adds the bar labels to p: above their bars, left-aligned with the
// track (right-aligned, rtl, in a right-to-left language) and standing on the
// point given; or beside them, right-aligned in the column left of the track
// and centred on the bar.
func addLabels(p *plot.Plot, names plotter.XYLabels, above, rtl bool) error {
	l, err := plotter.NewLabels(names)
	if err != nil {
		return err
	}
	for i := range l.TextStyle {
		l.TextStyle[i] = labelStyle
		if above {
			l.TextStyle[i].YAlign = draw.YBottom
			if rtl {
				l.TextStyle[i].XAlign = draw.XRight
			}
			continue
		}
		l.TextStyle[i].XAlign, l.TextStyle[i].YAlign = draw.XRight, draw.YCenter
	}
	if !above {
		l.Offset = vg.Point{X: -16}
	}
	p.Add(l)
	return nil
}
