package charts

import (
	"image"
	"math"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot/vg"
)

// burgerpeilingTrend is the Likert statement luistert of examples/burgerpeiling.yaml
// over three rounds, 42% → 47% → 58%, the last step meaningful, with its target.
func burgerpeilingTrend() TrendSeries {
	target := 50.0
	at := func(y int, m time.Month) time.Time { return time.Date(y, m, 1, 9, 0, 0, 0, time.UTC) }
	return TrendSeries{
		ID:      "burgerpeiling luistert",
		Title:   "De gemeente luistert voldoende naar de mening van de inwoners.",
		Measure: "(zeer) mee eens",
		Percent: true,
		Points: []TrendPoint{
			{At: at(2027, time.March), Round: "burgerpeiling-20270301-0900", Value: 42, Low: 37.1, High: 47.1},
			{At: at(2027, time.September), Round: "burgerpeiling-20270901-0900", Value: 47, Low: 42.3, High: 51.8},
			{At: at(2028, time.March), Round: "burgerpeiling-20280301-0900", Value: 58, Low: 53.4, High: 62.5},
		},
		Changes:     []bool{false, true},
		Target:      &target,
		TargetLabel: "doel ≥ 50% in 2027 (wethouder participatie)",
	}
}

// TestTrendAlt: the alt text states every round's figure with its interval and
// every step with its verdict, then the target and the reference.
func TestTrendAlt(t *testing.T) {
	ref := 44.0
	down := burgerpeilingTrend()
	down.Points = append(down.Points, TrendPoint{At: time.Date(2028, time.September, 1, 0, 0, 0, 0, time.UTC), Value: 49.5, Low: 45, High: 54, Weighted: true})
	down.Changes = append(down.Changes, true)
	down.Reference, down.ReferenceLabel = &ref, "eerdere peiling 44% (2019)"
	tests := []struct {
		name  string
		s     TrendSeries
		wants []string
	}{
		{"burgerpeiling", burgerpeilingTrend(), []string{
			"Lijndiagram: De gemeente luistert voldoende naar de mening van de inwoners.",
			"maart 2027: 42% (95%-marge 37,1%–47,1%)",
			"Van 42% in maart 2027 naar 47% in september 2027: gelijk gebleven.",
			"Van 47% in september 2027 naar 58% in maart 2028: gestegen.",
			"Doel ≥ 50% in 2027 (wethouder participatie).",
		}},
		{"down, weighted, reference", down, []string{
			"september 2028: 49,5% (95%-marge 45%–54%), gewogen",
			"Van 58% in maart 2028 naar 49,5% in september 2028: gedaald.",
			"gewogen waar de ronde gewogen is",
			"Eerdere peiling 44% (2019).",
		}},
		{"mean without dates", TrendSeries{ID: "cijfer", Title: "Rapportcijfer", Measure: "gemiddeld cijfer", Points: []TrendPoint{
			{Round: "r1", Value: 6.4, Low: 6.2, High: 6.6}, {Round: "r2", Value: 6.5, Low: 6.3, High: 6.7}}}, []string{
			"ronde r1: 6,4 (95%-marge 6,2–6,6)", "Van 6,4 in ronde r1 naar 6,5 in ronde r2: gelijk gebleven.",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Trend(tt.s)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range tt.wants {
				if !strings.Contains(c.Alt, want) {
					t.Errorf("got alt %q, want %q in it", c.Alt, want)
				}
			}
			if img := decode(t, c); img.Bounds().Dx() != width || img.Bounds().Dy() > maxHeight {
				t.Errorf("got %v, want %d wide and at most %d high", img.Bounds(), width, maxHeight)
			}
		})
	}
}

// TestTrendTarget: the chart is drawn (the series in blue) and the target is a
// vermillion line at its height: the x axis is 0%, and the lines of targets 25,
// 50 and 75 lie at equal steps above it.
func TestTrendTarget(t *testing.T) {
	rows := map[float64]int{}
	for _, target := range []float64{25, 50, 75} {
		s := burgerpeilingTrend()
		s.Target = &target
		c, err := Trend(s)
		if err != nil {
			t.Fatal(err)
		}
		if c.Name != "trend-burgerpeiling-luistert.png" {
			t.Errorf("got name %q, want trend-burgerpeiling-luistert.png", c.Name)
		}
		img := decode(t, c)
		if n := count(img, okBlue, img.Bounds()); n < 3000 {
			t.Errorf("target %v: got %d blue pixels, want the series drawn", target, n)
		}
		lines := runs(img, okVermillion, 0, 300)
		if len(lines) != 1 {
			t.Fatalf("target %v: got %d vermillion lines %+v, want 1", target, len(lines), lines)
		}
		if l := lines[0]; l.maxX-l.minX < 600 || l.y1-l.y0 > 6 {
			t.Errorf("target %v: got a line from x %d to %d, %d rows, want across the plot and thin", target, l.minX, l.maxX, l.y1-l.y0)
		}
		rows[target] = lines[0].mid()
		if target == 50 {
			rows[0] = xAxis(img)
			if rows[0] < 0 {
				t.Fatal("got no x axis")
			}
		}
	}
	step := float64(rows[0] - rows[25])
	if step < 100 {
		t.Fatalf("got rows %v, want 25%% at least 100 px above the axis", rows)
	}
	for _, v := range []float64{50, 75} {
		if got, want := float64(rows[0]-rows[v]), step*v/25; math.Abs(got-want) > 3 {
			t.Errorf("target %v: got %.0f px above the axis, want %.0f (rows %v)", v, got, want, rows)
		}
	}
}

// TestTrendRounds: many rounds still fit at phone width: every point drawn, the
// round labels thinned to every k-th with the last always labelled; no rounds
// and values that are no number are errors.
func TestTrendRounds(t *testing.T) {
	s := TrendSeries{ID: "x", Title: "Vraag", Percent: true}
	for i := range 14 {
		v := 40 + float64(i)
		s.Points = append(s.Points, TrendPoint{At: time.Date(2020+i/2, time.Month(3+6*(i%2)), 1, 0, 0, 0, 0, time.UTC), Value: v, Low: v - 4, High: v + 4})
	}
	ticks := xTicks(s.Points)
	labelled := 0
	for _, tk := range ticks {
		if tk.Label != "" {
			labelled++
			for _, l := range strings.Split(tk.Label, "\n") {
				if w := labelStyle.Width(l); w > (inner-yAxisRoom)/vg.Length(len(ticks))*vg.Length(len(ticks)/labelled+1) {
					t.Errorf("got label %q %.0f px wide", l, w)
				}
			}
		}
	}
	if labelled == 0 || labelled == len(ticks) || ticks[len(ticks)-1].Label == "" {
		t.Errorf("got %d of %d rounds labelled, the last %q; want some, the last among them", labelled, len(ticks), ticks[len(ticks)-1].Label)
	}
	if _, err := Trend(s); err != nil {
		t.Errorf("14 rounds: %v", err)
	}
	nan := s
	nan.Points = []TrendPoint{{Value: math.NaN()}}
	for name, bad := range map[string]TrendSeries{"none": {ID: "x"}, "NaN": nan} {
		if _, err := Trend(bad); err == nil {
			t.Errorf("%s: got no error, want one", name)
		}
	}
}

// xAxis is the middle row of the lowest band of rows with a grey line across
// most of the width, -1 without one: the x axis, anti-aliased over two or
// three rows.
func xAxis(img *image.RGBA) int {
	lo, hi := -1, -1
	for y := img.Bounds().Max.Y - 1; y >= 0; y-- {
		n := 0
		for x := range img.Bounds().Max.X {
			if c := img.RGBAAt(x, y); c.R == c.G && c.G == c.B && c.R < 0xA0 {
				n++
			}
		}
		switch {
		case n >= 600 && hi < 0:
			hi, lo = y, y
		case n >= 600:
			lo = y
		case hi >= 0:
			return (lo + hi) / 2
		}
	}
	return -1
}
