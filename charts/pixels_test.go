package charts

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"testing"
)

// Pixel helpers for the structural tests: they decode a chart and find the
// bars by their exact fill colour (bar interiors are not anti-aliased).

// decode decodes a chart's PNG into RGBA pixels.
func decode(t *testing.T, c Chart) *image.RGBA {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(c.PNG))
	if err != nil {
		t.Fatalf("decode %s: %v", c.Name, err)
	}
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	return rgba
}

func is(img *image.RGBA, x, y int, c color.RGBA) bool {
	return img.RGBAAt(x, y) == c
}

// dark is text or an error bar: every channel below 0x60.
func dark(img *image.RGBA, x, y int) bool {
	c := img.RGBAAt(x, y)
	return c.R < 0x60 && c.G < 0x60 && c.B < 0x60
}

// run is a horizontal band of consecutive rows that hold a colour.
type run struct {
	y0, y1     int // rows y0..y1-1
	minX, maxX int // the leftmost and rightmost pixel of the colour
	pixels     int // pixels of the colour in the band
}

func (r run) mid() int { return (r.y0 + r.y1) / 2 }

// runs finds the bands of rows with at least minWidth pixels of c right of
// fromX, top to bottom: the bars of one colour.
func runs(img *image.RGBA, c color.RGBA, fromX, minWidth int) []run {
	b := img.Bounds()
	var out []run
	var cur *run
	for y := b.Min.Y; y < b.Max.Y; y++ {
		n, lo, hi := 0, b.Max.X, -1
		for x := max(fromX, b.Min.X); x < b.Max.X; x++ {
			if is(img, x, y, c) {
				n++
				lo, hi = min(lo, x), max(hi, x)
			}
		}
		if n < minWidth {
			cur = nil
			continue
		}
		if cur == nil {
			out = append(out, run{y0: y, minX: lo, maxX: hi})
			cur = &out[len(out)-1]
		}
		cur.y1 = y + 1
		cur.minX, cur.maxX = min(cur.minX, lo), max(cur.maxX, hi)
		cur.pixels += n
	}
	return out
}

// count is the number of pixels of colour c in rectangle r.
func count(img *image.RGBA, c color.RGBA, r image.Rectangle) int {
	n := 0
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if is(img, x, y, c) {
				n++
			}
		}
	}
	return n
}

// darkIn is the number of dark pixels in rectangle r.
func darkIn(img *image.RGBA, r image.Rectangle) int {
	n := 0
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if dark(img, x, y) {
				n++
			}
		}
	}
	return n
}

// near reports whether got is within tol (relative) of want.
func near(got, want, tol float64) bool {
	return got >= want*(1-tol) && got <= want*(1+tol)
}

// row is one bar's row of pixels: where the bar starts, where its colour
// ends and where the light track behind it ends.
type row struct{ start, barEnd, trackEnd int }

// barRow walks the row y of bar b from its left end: over the bar colour c,
// then over the track.
func barRow(img *image.RGBA, b run, c color.RGBA, y int) row {
	x := b.minX
	for x < img.Bounds().Max.X && is(img, x, y, c) {
		x++
	}
	r := row{start: b.minX, barEnd: x}
	for x < img.Bounds().Max.X && !is(img, x, y, track) && x < r.barEnd+3 {
		x++ // the anti-aliased edge
	}
	for x < img.Bounds().Max.X && is(img, x, y, track) {
		x++
	}
	r.trackEnd = x
	return r
}

// labelPixels is the number of dark pixels of bar i's label: in the band
// between the bar above (for the first bar, its label's last line, clear of the
// subtitle) and bar i, or in the column left of its track, which starts at x
// start.
func labelPixels(img *image.RGBA, bars []run, i, start int) int {
	b := bars[i]
	top := b.y0 - labelGap - textLine
	if i > 0 {
		top = bars[i-1].y1 + 2
	}
	above := darkIn(img, image.Rect(margin, top, width-margin, b.y0-2))
	return above + darkIn(img, image.Rect(margin, b.y0-10, start-8, b.y1+10))
}
