package dashboard

import (
	"strconv"

	"github.com/participatiebot/participatiebot/trend"
)

// sparkline is a series drawn small: a bar per round with its margin as a line.
// It only repeats the table beside it, so the page hides it from screen readers.
type sparkline struct {
	Bars []sparkBar
}

// sparkBar is one round's bar in a viewBox of 100 × 40; the strings are SVG
// numbers (a decimal point).
type sparkBar struct {
	X, Y, Width, Height string
	// Mid is the bar's centre, Low and High the margin's ends (as y).
	Mid, Low, High string
}

const sparkHeight = 40.0

// newSparkline scales a series' figures: shares to 0..100, a mean mark to 0..10
// (or its highest margin, should a scale go further).
func newSparkline(s trend.Series) sparkline {
	top := 100.0
	if !s.Percent {
		top = 10
		for _, f := range s.Figures {
			top = max(top, f.High)
		}
	}
	n := len(s.Figures)
	if n == 0 {
		return sparkline{}
	}
	slot := 100 / float64(max(n, 4)) // a single round is not one bar across the width
	y := func(v float64) float64 { return sparkHeight - sparkHeight*min(max(v, 0), top)/top }
	var sp sparkline
	for i, f := range s.Figures {
		x := float64(i) * slot
		sp.Bars = append(sp.Bars, sparkBar{X: svgNum(x + slot*.2), Width: svgNum(slot * .6),
			Y: svgNum(y(f.Value)), Height: svgNum(sparkHeight - y(f.Value)),
			Mid: svgNum(x + slot/2), Low: svgNum(y(f.Low)), High: svgNum(y(f.High))})
	}
	return sp
}

func svgNum(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }
