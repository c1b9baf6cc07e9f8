package charts

import (
	"cmp"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/participatiebot/participatiebot/internal/dutch"
)

// The lines of a trend chart. A step larger than chance is solid and thick, one
// that stayed the same dashed, so the difference shows without colour; the target
// is dashed in vermillion, the reference dotted in grey.
var (
	stepSolid  = draw.LineStyle{Color: okBlue, Width: 6}
	stepDashed = draw.LineStyle{Color: okBlue, Width: 4, Dashes: []vg.Length{18, 12}}
	targetLine = draw.LineStyle{Color: okVermillion, Width: 4, Dashes: []vg.Length{24, 14}}
	refLine    = draw.LineStyle{Color: inkSoft, Width: 4, Dashes: []vg.Length{4, 10}}
	axisLine   = draw.LineStyle{Color: inkSoft, Width: 2}
)

// Trend plot sizes in pixels.
const (
	pointRadius = 11
	trendCap    = 28
	yAxisRoom   = 150 // about what the y axis and its labels take from the width
)

// trendPlot is the plot of the series with its legend.
func trendPlot(s TrendSeries) (*plot.Plot, *plot.Legend, error) {
	n := len(s.Points)
	p := plot.New()
	p.BackgroundColor = color.White
	styleAxes(p)
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	p.Y.Min, p.Y.Max, p.Y.Tick.Marker = yRange(s)
	p.X.Tick.Marker = xTicks(s.Points)

	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	grid.Horizontal = draw.LineStyle{Color: track, Width: 2}
	p.Add(grid)

	legend := newLegend()
	var solid, dashed bool
	for i := 1; i < n; i++ {
		sty := stepDashed
		if s.meaningful(i) {
			sty, solid = stepSolid, true
		} else {
			dashed = true
		}
		l, err := horizontalLine(float64(i-1), s.Points[i-1].Value, float64(i), s.Points[i].Value, sty)
		if err != nil {
			return nil, nil, err
		}
		p.Add(l)
	}
	if solid {
		legend.Add(legendText("doorgetrokken: duidelijk gestegen of gedaald"), &plotter.Line{LineStyle: stepSolid})
	}
	if dashed {
		legend.Add(legendText("gestreept: gelijk gebleven (binnen het toeval)"), &plotter.Line{LineStyle: stepDashed})
	}
	for _, ref := range []struct {
		v     *float64
		label string
		sty   draw.LineStyle
	}{
		{s.Target, cmp.Or(clean(s.TargetLabel), "doel "+s.figureOf(s.Target)), targetLine},
		{s.Reference, cmp.Or(clean(s.ReferenceLabel), "vergelijking "+s.figureOf(s.Reference)), refLine},
	} {
		if ref.v == nil {
			continue
		}
		l, err := horizontalLine(p.X.Min, *ref.v, p.X.Max, *ref.v, ref.sty)
		if err != nil {
			return nil, nil, err
		}
		p.Add(l)
		legend.Add(legendText(ref.label), &plotter.Line{LineStyle: ref.sty})
	}
	if err := addPoints(p, s); err != nil {
		return nil, nil, err
	}
	if !solid && !dashed && s.Target == nil && s.Reference == nil {
		legend = nil
	}
	return p, legend, nil
}

// figureOf is the figure of v, "" for none.
func (s TrendSeries) figureOf(v *float64) string {
	if v == nil {
		return ""
	}
	return s.figure(*v)
}

// horizontalLine is the line from (x0, y0) to (x1, y1).
func horizontalLine(x0, y0, x1, y1 float64, sty draw.LineStyle) (*plotter.Line, error) {
	l, err := plotter.NewLine(plotter.XYs{{X: x0, Y: y0}, {X: x1, Y: y1}})
	if err != nil {
		return nil, err
	}
	l.LineStyle = sty
	return l, nil
}

// addPoints adds each round's interval, its point and its figure: above the
// interval, below it when the top of a percent axis leaves no room, marked ↑
// or ↓ after a meaningful step; only the last when they do not fit side by side.
func addPoints(p *plot.Plot, s TrendSeries) error {
	n := len(s.Points)
	xys := make(plotter.XYs, n)
	bars := &plotter.YErrorBars{LineStyle: draw.LineStyle{Color: okBlue, Width: 3}, CapWidth: trendCap}
	var above, below plotter.XYLabels
	texts := make([]string, n)
	widest := vg.Length(0)
	for i, pt := range s.Points {
		texts[i] = s.figure(pt.Value)
		if s.meaningful(i) {
			texts[i] = map[bool]string{true: "↑ ", false: "↓ "}[pt.Value > s.Points[i-1].Value] + texts[i]
		}
		widest = max(widest, labelStyle.Width(drawable(labelStyle, texts[i])))
	}
	all := widest+16 < (inner-yAxisRoom)/vg.Length(n)
	for i, pt := range s.Points {
		xys[i] = plotter.XY{X: float64(i), Y: pt.Value}
		low, high := math.Min(pt.Low, pt.Value), math.Max(pt.High, pt.Value)
		if high > low {
			bars.XYs = append(bars.XYs, xys[i])
			bars.YErrors = append(bars.YErrors, struct{ Low, High float64 }{pt.Value - low, high - pt.Value})
		}
		if !all && i < n-1 {
			continue
		}
		if s.labelBelow(p, high, low) {
			below.XYs = append(below.XYs, plotter.XY{X: float64(i), Y: low})
			below.Labels = append(below.Labels, texts[i])
		} else {
			above.XYs = append(above.XYs, plotter.XY{X: float64(i), Y: high})
			above.Labels = append(above.Labels, texts[i])
		}
	}
	if len(bars.XYs) > 0 {
		p.Add(bars)
	}
	sc, err := plotter.NewScatter(xys)
	if err != nil {
		return err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: okBlue, Radius: pointRadius, Shape: draw.CircleGlyph{}}
	p.Add(sc)
	for _, l := range []struct {
		labels plotter.XYLabels
		align  draw.YAlignment
		dy     vg.Length
	}{{above, draw.YBottom, 12}, {below, draw.YTop, -12}} {
		if len(l.labels.Labels) == 0 {
			continue
		}
		lab, err := plotter.NewLabels(l.labels)
		if err != nil {
			return err
		}
		for i := range lab.TextStyle {
			lab.TextStyle[i] = labelStyle
			lab.TextStyle[i].XAlign, lab.TextStyle[i].YAlign = draw.XCenter, l.align
		}
		lab.Offset = vg.Point{Y: l.dy}
		p.Add(lab)
	}
	return nil
}

// labelBelow reports whether a point's figure goes below its interval
// low..high rather than above it: when above it would leave the axis or cross
// the target or reference line, and below it would not.
func (s TrendSeries) labelBelow(p *plot.Plot, high, low float64) bool {
	// The figure takes its offset and a line of text: in units of the y axis,
	// of which the plot shows about its height less the x axis and its labels.
	unit := (p.Y.Max - p.Y.Min) / float64(trendHeight-120)
	text := unit * float64(12+labelStyle.Font.Size)
	clash := func(a, b float64) bool {
		if a < p.Y.Min || b > p.Y.Max {
			return true
		}
		for _, v := range []*float64{s.Target, s.Reference} {
			if v != nil && *v >= a-2*unit && *v <= b+2*unit {
				return true
			}
		}
		return false
	}
	return clash(high, high+text) && !clash(low-text, low)
}

// styleAxes draws both axes in grey with labels in the chart font.
func styleAxes(p *plot.Plot) {
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.LineStyle = axisLine
		a.Tick.LineStyle = axisLine
		a.Tick.Length = 10
		a.Tick.Label = labelStyle
		a.Padding = 0
	}
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	// The axis draws tick labels a descent above the tick.
	p.Y.Tick.Label.Handler = handler(-labelStyle.FontExtents().Descent)
}

// yRange is the y axis: 0–100 in steps of 25 for percentages, else the range
// of the values with a margin, in round steps, labelled in Dutch notation.
func yRange(s TrendSeries) (lo, hi float64, ticks plot.Ticker) {
	if s.Percent {
		var ts plot.ConstantTicks
		for v := 0.0; v <= 100; v += 25 {
			ts = append(ts, plot.Tick{Value: v, Label: dutch.Decimal(v, 0) + "%"})
		}
		return 0, 100, ts
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range s.values() {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	pad := math.Max((hi-lo)*0.15, 0.5)
	lo, hi = lo-pad, hi+pad
	var ts plot.ConstantTicks
	for _, t := range (plot.DefaultTicks{}).Ticks(lo, hi) {
		if t.Label == "" {
			continue // no minor ticks
		}
		t.Label = strings.TrimSuffix(dutch.Decimal(t.Value, 1), ",0")
		ts = append(ts, t)
	}
	return lo, hi, ts
}

// xTicks labels each round under its point: "mrt 2027" on one line when the
// labels fit side by side, else on two ("mrt" over "2027"), else only every
// k-th round, the last always.
func xTicks(pts []TrendPoint) plot.ConstantTicks {
	n := len(pts)
	slot := (inner - yAxisRoom) / vg.Length(n)
	labels := make([]string, n)
	wide := func(split bool) vg.Length {
		w := vg.Length(0)
		for i, pt := range pts {
			labels[i] = drawable(labelStyle, axisLabel(pt))
			if split {
				labels[i] = strings.Replace(labels[i], " ", "\n", 1)
			}
			for _, l := range strings.Split(labels[i], "\n") {
				w = max(w, labelStyle.Width(l))
			}
		}
		return w + 16
	}
	w := wide(false)
	if w > slot {
		w = wide(true)
	}
	every := max(1, int(math.Ceil(float64(w/slot))))
	ts := make(plot.ConstantTicks, n)
	for i := range pts {
		ts[i] = plot.Tick{Value: float64(i)}
		if (n-1-i)%every == 0 {
			ts[i].Label = labels[i]
		}
	}
	return ts
}
