package charts

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The parts the charts are built from, all plot library types.

// newBarPlot is a plot with the names as labels on the left, bottom to top,
// and no axis lines: every bar carries its own figure.
func newBarPlot(names []string) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = color.White
	p.HideX()
	p.Y.Tick.Label = labelStyle
	p.Y.Tick.Label.XAlign = draw.XRight
	p.Y.Tick.Label.YAlign = draw.YCenter
	// The axis draws tick labels a descent above the tick.
	p.Y.Tick.Label.Handler = handler(-labelStyle.FontExtents().Descent)
	if len(names) > 0 {
		p.NominalY(names...)
	}
	p.X.Padding = 0
	p.Y.Padding = 12
	return p
}

// horizontalBars is a horizontal bar chart without outline.
func horizontalBars(vals plotter.Values, thick vg.Length, c color.Color) (*plotter.BarChart, error) {
	b, err := plotter.NewBarChart(vals, thick)
	if err != nil {
		return nil, err
	}
	b.Horizontal = true
	b.Color = c
	b.LineStyle.Width = 0
	return b, nil
}

// addFigures adds the texts of figs to p in style sty, each vertically
// centred on its point plus offset; nothing when there are none.
func addFigures(p *plot.Plot, figs plotter.XYLabels, sty text.Style, offset vg.Point) error {
	if len(figs.Labels) == 0 {
		return nil
	}
	l, err := plotter.NewLabels(figs)
	if err != nil {
		return err
	}
	for i := range l.TextStyle {
		l.TextStyle[i] = sty
		l.TextStyle[i].YAlign = draw.YCenter
	}
	l.Offset = offset
	p.Add(l)
	return nil
}

// swatch is a legend thumbnail: a block of colour c.
type swatch color.RGBA

// Thumbnail fills the thumbnail's canvas.
func (s swatch) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(color.RGBA(s), c.ClipPolygonY([]vg.Point{c.Min, {X: c.Min.X, Y: c.Max.Y}, c.Max, {X: c.Max.X, Y: c.Min.Y}}))
}
