package charts

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// The canvas is drawn at 72 dpi, so one point is one pixel and the sizes
// below are pixels.
const (
	dpi = 72
	// width is the width of every chart: Telegram shows photos up to 1280
	// pixels and scales them to the screen, so 1080 stays sharp on a phone
	// (https://core.telegram.org/bots/api#sendphoto: width plus height at
	// most 10000, ratio at most 20).
	width  = 1080
	margin = 40
	inner  = width - 2*margin
	// maxHeight is the height a chart aims to stay under; bars get thinner
	// first, and only a question with more than about 35 options goes over.
	maxHeight = 2400

	// Text sizes: on a phone the chart is shown about 390 pixels wide, 0,36 of its
	// width, so text of 42 pixels reads as 15 and a title of 54 as 19,5, the sizes
	// of a phone's own text (TestPhoneLegible).
	titleSize = 54
	textSize  = 42
	titleLine = 66 // line height of the title
	textLine  = 52 // line height of the other text
	gap       = 24

	// labelWidth is the widest a label beside its bar may be, so that the bars
	// and their figures keep more than half the width.
	labelWidth = 420
	maxTitle   = 4 // lines
)

var (
	sans     = font.Font{Typeface: "Liberation", Variant: "Sans"}
	sansBold = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}
)

// style is text in the chart font, left and top aligned.
func style(size vg.Length, bold bool, c color.Color) text.Style {
	f := sans
	if bold {
		f = sansBold
	}
	return text.Style{
		Color:   c,
		Font:    font.From(f, size),
		XAlign:  draw.XLeft,
		YAlign:  draw.YTop,
		Handler: handler(0),
	}
}

// handler is the text handler of every chart text, moved up by dy.
func handler(dy vg.Length) text.Handler {
	return lineHandler{Plain: text.Plain{Fonts: font.DefaultCache}, dy: dy}
}

var (
	titleStyle    = style(titleSize, true, ink)
	subtitleStyle = style(textSize, false, inkSoft)
	labelStyle    = style(textSize, false, ink)
)

// frame is the layout of every chart: title and subtitle on top, then the
// plot, with an optional legend above or below it.
type frame struct {
	name            string
	title, subtitle []string
	plot            *plot.Plot
	plotHeight      vg.Length
	legend          *plot.Legend
	legendAbove     bool
	// rtl right-aligns title and subtitle, for a right-to-left language.
	rtl bool
}

// legendHeight is the height the legend takes, 0 without one.
func (f *frame) legendHeight() vg.Length {
	if f.legend == nil {
		return 0
	}
	return f.legend.Rectangle(draw.Canvas{}).Size().Y + gap
}

// height is the height of the whole chart.
func (f *frame) height() vg.Length {
	h := vg.Length(2*margin) + vg.Length(len(f.title)*titleLine)
	if len(f.subtitle) > 0 {
		h += vg.Length(len(f.subtitle)*textLine) + gap/2
	}
	return h + gap + f.plotHeight + f.legendHeight()
}

// png draws the frame.
func (f *frame) png() ([]byte, error) {
	img := vgimg.NewWith(vgimg.UseWH(width, f.height()), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	f.draw(draw.New(img))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, renderError(f.name, err)
	}
	return buf.Bytes(), nil
}

// draw draws the frame on dc, which is width by f.height() large.
func (f *frame) draw(dc draw.Canvas) {
	h := f.height()
	y := h - margin
	x, title, subtitle := vg.Length(margin), titleStyle, subtitleStyle
	if f.rtl {
		x, title.XAlign, subtitle.XAlign = width-margin, draw.XRight, draw.XRight
	}
	for _, l := range f.title {
		dc.FillText(title, vg.Point{X: x, Y: y}, l)
		y -= titleLine
	}
	if len(f.subtitle) > 0 {
		y -= gap / 2
		for _, l := range f.subtitle {
			dc.FillText(subtitle, vg.Point{X: x, Y: y}, l)
			y -= textLine
		}
	}
	y -= gap
	if f.legend != nil && f.legendAbove {
		f.legend.Draw(region(dc, y, f.legendHeight()-gap))
		y -= f.legendHeight()
	}
	f.plot.Draw(region(dc, y, f.plotHeight))
	y -= f.plotHeight
	if f.legend != nil && !f.legendAbove {
		y -= gap
		f.legend.Draw(region(dc, y, f.legendHeight()-gap))
	}
}

// region is the full-width band of dc between the margins whose top is at y.
func region(dc draw.Canvas, top, height vg.Length) draw.Canvas {
	return draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: margin, Y: top - height},
		Max: vg.Point{X: width - margin, Y: top},
	}}
}

// newLegend is a legend in the chart font, one entry a line, swatches left.
func newLegend() *plot.Legend {
	l := plot.NewLegend()
	sty := labelStyle
	sty.YAlign = draw.YBottom
	// The legend draws an entry's text half a descent above the bottom of its
	// swatch; move it to the swatch's middle.
	swatch := sty.Rectangle("X").Max.Y
	sty.Handler = handler((swatch - sty.FontExtents().Descent - textSize*lineSpacing) / 2)
	l.TextStyle = sty
	l.Top, l.Left = true, true
	l.ThumbnailWidth = 52
	l.Padding = 16
	return &l
}

// lineHandler draws text in the fonts and with the metrics of the plain
// handler, a line with right-to-left text shaped and in visual order
// (shape.go), but places the lines itself: lineSpacing times the font size
// apart, each centred on its capital height, so that a label set at the
// centre of a bar looks centred and wrapped labels do not touch.
type lineHandler struct {
	text.Plain
	// dy is added to the y of every text: the plot's axis and legend put
	// their text a little off the point they mean.
	dy vg.Length
}

// Line height and capital height (of Liberation Sans) relative to the font size.
const (
	lineSpacing = 1.2
	capHeight   = 0.69
)

// Draw draws txt, one or more lines, aligned at pt as sty says.
func (h lineHandler) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	recordText(c, txt)
	if txt == "" || sty.Rotation != 0 {
		h.Plain.Draw(c, txt, sty, pt)
		return
	}
	lines := h.Lines(txt)
	face := h.Fonts.Lookup(sty.Font, sty.Font.Size)
	step := sty.Font.Size * lineSpacing
	// The block is step·len(lines) high; its bottom is at y + height·YAlign
	// (YTop −1, YCenter −½, YBottom 0).
	top := pt.Y + h.dy + step*vg.Length(len(lines))*(1+vg.Length(sty.YAlign))
	c.SetColor(sty.Color)
	for i, l := range lines {
		base := top - step*vg.Length(i) - (step+sty.Font.Size*capHeight)/2
		if sl := shaped(l, sty.Font); sl != nil {
			sl.draw(c, vg.Point{X: pt.X + vg.Length(sty.XAlign)*sl.width, Y: base})
			continue
		}
		x := pt.X + vg.Length(sty.XAlign)*face.Width(l)
		c.FillString(face, vg.Point{X: x, Y: base}, l)
	}
}

// Box is the plain handler's box of one line of text, but as wide as the
// shaped line for text in a right-to-left script (shape.go).
func (h lineHandler) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	width, height, depth = h.Plain.Box(txt, fnt)
	if sl := shaped(txt, fnt); sl != nil {
		width = sl.width
	}
	return width, height, depth
}

// textRecorder is a canvas that is told every text drawn on it, as written,
// before it is shaped: the tests' way to read what a chart says.
type textRecorder interface {
	vg.Canvas
	drewText(txt string)
}

// recordText tells c, or the canvas it draws on, that it gets txt.
func recordText(c vg.Canvas, txt string) {
	for c != nil {
		switch cc := c.(type) {
		case textRecorder:
			cc.drewText(txt)
			return
		case *draw.Canvas:
			c = cc.Canvas
		case draw.Canvas:
			c = cc.Canvas
		default:
			return
		}
	}
}

var errNoData = errors.New("nothing to draw")

// panicked is the error for a panic r recovered while rendering chart name:
// the plot library panics on some bad input deep in its text and font code,
// and a chart is never worth a crash.
func panicked(name string, r any) error {
	return renderError(name, fmt.Errorf("panic: %v", r))
}
