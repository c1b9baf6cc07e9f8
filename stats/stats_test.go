package stats

import (
	"math"
	"strings"
	"testing"
)

const statsTol = 1e-4

func statsNear(a, b float64) bool { return math.Abs(a-b) <= statsTol }

// TestWilson checks the Wilson score interval against values computed by hand
// from centre = (p + z²/2n)/(1 + z²/n) and half = z·√(p(1−p)/n + z²/4n²)/(1 + z²/n),
// z = 1.96, z² = 3.8416:
//
//	45/100: p=.45, 1+z²/n=1.038416, centre=(.45+.019208)/1.038416=.451850,
//	        half=1.96·√(.002475+.00009604)/1.038416=1.96·.050706/1.038416=.095707
//	        → (.356144, .547556)
//	0/10:   d=1.38416, centre=(0+.19208)/1.38416=.138770, half=1.96·√(.009604)/1.38416
//	        =1.96·.098000/1.38416=.138770 → (0, .277540)
//	10/10:  by symmetry with 0/10 → (.722460, 1)
//	1/2:    d=2.9208, centre=.5, half=1.96·√(.125+.2401)/2.9208=1.96·.604235/2.9208=.405471
//	        → (.094529, .905471)
//	5/20:   d=1.19208, centre=(.25+.09604)/1.19208=.290283, half=1.96·√(.009375+.002401)
//	        /1.19208=1.96·.108517/1.19208=.178423 → (.111860, .468705)
//	620/1000: d=1.0038416, centre=(.62+.0019208)/1.0038416=.619548, half=1.96·√(.0002356
//	        +.00000096)/1.0038416=1.96·.015382/1.0038416=.030034 → (.589510, .649571)
func TestWilson(t *testing.T) {
	tests := []struct {
		s, n   int64
		lo, hi float64
	}{
		{45, 100, 0.356144, 0.547556},
		{0, 10, 0, 0.277540},
		{10, 10, 0.722460, 1},
		{1, 2, 0.094529, 0.905471},
		{5, 20, 0.111860, 0.468705},
		{620, 1000, 0.589510, 0.649571},
		{0, 0, 0, 1},
	}
	for _, tt := range tests {
		lo, hi := Wilson(tt.s, tt.n, 1.96)
		if !statsNear(lo, tt.lo) || !statsNear(hi, tt.hi) {
			t.Errorf("Wilson(%d, %d): got %v, want %v", tt.s, tt.n, [2]float64{lo, hi}, [2]float64{tt.lo, tt.hi})
		}
		if lo < 0 || hi > 1 || lo > hi {
			t.Errorf("Wilson(%d, %d): got %v, want a range inside [0, 1]", tt.s, tt.n, [2]float64{lo, hi})
		}
	}
	// Exact edges, not ±1e-17.
	if lo, _ := Wilson(0, 10, 1.96); lo != 0 {
		t.Errorf("Wilson(0, 10) lo: got %v, want %v", lo, 0)
	}
	if _, hi := Wilson(10, 10, 1.96); hi != 1 {
		t.Errorf("Wilson(10, 10) hi: got %v, want %v", hi, 1)
	}
}

// cellRespondents builds respondents from counts per (kern, leeftijd) cell.
func cellRespondents(cells []rakeCell) []map[string]string {
	var rs []map[string]string
	for _, c := range cells {
		for range c.n {
			rs = append(rs, map[string]string{"kern": c.kern, "leeftijd": c.leeftijd})
		}
	}
	return rs
}

// rakeCell is a number of respondents in one (kern, leeftijd) cell.
type rakeCell struct {
	kern, leeftijd string
	n              int
}

// sample2x2 is the 2×2 reference sample: 30 A-jong, 20 A-oud, 10 B-jong,
// 40 B-oud (kern A 50, B 50; jong 40, oud 60).
var sample2x2 = []rakeCell{{"A", "jong", 30}, {"A", "oud", 20}, {"B", "jong", 10}, {"B", "oud", 40}}

// TestRake checks raking against weights computed by hand.
//
// 2×2, margins kern A .6/B .4, leeftijd jong .5/oud .5 (targets per 100: A 60,
// B 40, jong 50, oud 50). IPF keeps the cross-product ratio of the sample,
// (30·40)/(20·10) = 6, so the fixed point is the table with those margins and
// that ratio: with x the A-jong cell, A-oud = 60−x, B-jong = 50−x,
// B-oud = x−10 and x(x−10) = 6(60−x)(50−x), i.e. x² − 130x + 3600 = 0, x = 40.
// Fitted table 40/20/10/30, so the weights are A-jong 40/30 = 1.333333,
// A-oud 20/20 = 1, B-jong 10/10 = 1, B-oud 30/40 = 0.75 (mean (40+20+10+30)/100 = 1).
// Kish: Σw = 100, Σw² = 30·16/9 + 20 + 10 + 40·.5625 = 105.8333, ESS = 94.4882.
//
// One pass by hand (maxIter 1): kern A ×60/50 = 1.2, B ×40/50 = .8 gives
// 36/24/8/32; then jong (44) ×50/44, oud (56) ×50/56 gives weights
// 1.2·50/44 = 1.363636, 1.2·50/56 = 1.071429, .8·50/44 = .909091,
// .8·50/56 = .714286, and kern is then off (A = 62.34), so not converged.
//
// The same sample against kern .5/.5, leeftijd .4/.6 already matches: weights 1.
//
// One dimension is post-stratification: 30 jong and 70 oud against .4/.6 gives
// jong .4/.3 = 1.333333, oud .6/.7 = .857143.
func TestRake(t *testing.T) {
	kern := func(a, b float64) Margin { return Margin{"kern", map[string]float64{"A": a, "B": b}} }
	leeftijd := func(j, o float64) Margin { return Margin{"leeftijd", map[string]float64{"jong": j, "oud": o}} }
	tests := []struct {
		name      string
		cells     []rakeCell
		margins   []Margin
		maxIter   int
		want      map[string]float64 // weight per "kern/leeftijd"
		converged bool
		ess       float64
	}{
		{"2x2 fixed point", sample2x2, []Margin{kern(.6, .4), leeftijd(.5, .5)}, 0,
			map[string]float64{"A/jong": 4.0 / 3, "A/oud": 1, "B/jong": 1, "B/oud": .75}, true, 94.4882},
		{"2x2 one pass", sample2x2, []Margin{kern(.6, .4), leeftijd(.5, .5)}, 1,
			map[string]float64{"A/jong": 1.363636, "A/oud": 1.071429, "B/jong": .909091, "B/oud": .714286}, false, 0},
		{"2x2 already matching", sample2x2, []Margin{kern(.5, .5), leeftijd(.4, .6)}, 0,
			map[string]float64{"A/jong": 1, "A/oud": 1, "B/jong": 1, "B/oud": 1}, true, 100},
		{"post-stratification", []rakeCell{{"A", "jong", 30}, {"A", "oud", 70}}, []Margin{leeftijd(.4, .6)}, 0,
			map[string]float64{"A/jong": 4.0 / 3, "A/oud": .6 / .7}, true, 0},
		{"no margins", sample2x2, nil, 0,
			map[string]float64{"A/jong": 1, "A/oud": 1, "B/jong": 1, "B/oud": 1}, true, 100},
		{"share 0 group", sample2x2, []Margin{kern(1, 0)}, 0,
			map[string]float64{"A/jong": 2, "A/oud": 2, "B/jong": 0, "B/oud": 0}, true, 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := cellRespondents(tt.cells)
			w, conv, err := Rake(rs, tt.margins, tt.maxIter, 1e-10)
			if err != nil {
				t.Fatalf("Rake: got error %v, want none", err)
			}
			if conv != tt.converged {
				t.Errorf("converged: got %v, want %v", conv, tt.converged)
			}
			if len(w) != len(rs) {
				t.Fatalf("len(weights): got %v, want %v", len(w), len(rs))
			}
			sum := 0.0
			for i, r := range rs {
				key := r["kern"] + "/" + r["leeftijd"]
				if !statsNear(w[i], tt.want[key]) {
					t.Errorf("weight %s: got %v, want %v", key, w[i], tt.want[key])
				}
				sum += w[i]
			}
			if !statsNear(sum/float64(len(w)), 1) {
				t.Errorf("mean weight: got %v, want %v", sum/float64(len(w)), 1)
			}
			if tt.ess != 0 && !statsNear(EffectiveSampleSize(w), tt.ess) {
				t.Errorf("effective sample size: got %v, want %v", EffectiveSampleSize(w), tt.ess)
			}
		})
	}
}

// TestRakeMatchesMargins checks on an irregular 3×3 sample that the raked
// weighted shares equal every margin.
func TestRakeMatchesMargins(t *testing.T) {
	cells := []rakeCell{
		{"Dalfsen", "18-34", 12}, {"Dalfsen", "35-64", 55}, {"Dalfsen", "65+", 40},
		{"Nieuwleusen", "18-34", 5}, {"Nieuwleusen", "35-64", 30}, {"Nieuwleusen", "65+", 33},
		{"Lemelerveld", "18-34", 3}, {"Lemelerveld", "35-64", 20}, {"Lemelerveld", "65+", 9},
	}
	margins := []Margin{
		{"kern", map[string]float64{"Dalfsen": .45, "Nieuwleusen": .35, "Lemelerveld": .20}},
		{"leeftijd", map[string]float64{"18-34": .25, "35-64": .45, "65+": .30}},
	}
	rs := cellRespondents(cells)
	w, conv, err := Rake(rs, margins, 100, 1e-9)
	if err != nil || !conv {
		t.Fatalf("Rake: got converged %v, error %v, want converged without error", conv, err)
	}
	for _, m := range margins {
		totals := map[string]float64{}
		for i, r := range rs {
			totals[r[m.Dimension]] += w[i]
		}
		for g, share := range m.Shares {
			if got := totals[g] / float64(len(rs)); !statsNear(got, share) {
				t.Errorf("%s %s weighted share: got %v, want %v", m.Dimension, g, got, share)
			}
		}
	}
	if ess := EffectiveSampleSize(w); ess <= 0 || ess >= float64(len(rs)) {
		t.Errorf("effective sample size: got %v, want between 0 and %v", ess, len(rs))
	}
}

func TestRakeErrors(t *testing.T) {
	rs := cellRespondents(sample2x2)
	tests := []struct {
		name    string
		rs      []map[string]string
		margins []Margin
		want    string
	}{
		{"shares sum to 0.9", rs, []Margin{{"kern", map[string]float64{"A": .5, "B": .4}}}, "sum to"},
		{"shares sum to 1.1", rs, []Margin{{"kern", map[string]float64{"A": .6, "B": .5}}}, "sum to"},
		{"negative share", rs, []Margin{{"kern", map[string]float64{"A": 1.5, "B": -.5}}}, "share"},
		{"group without respondents", rs, []Margin{{"kern", map[string]float64{"A": .4, "B": .4, "C": .2}}}, `"C"`},
		{"empty sample", nil, []Margin{{"kern", map[string]float64{"A": .5, "B": .5}}}, "no respondents"},
		{"respondent group not in margin", rs, []Margin{{"kern", map[string]float64{"A": 1}}}, "not in the margin"},
		{"respondent without dimension", rs, []Margin{{"wijk", map[string]float64{"X": 1}}}, "has no wijk"},
		{"dimension twice", rs, []Margin{{"kern", map[string]float64{"A": .5, "B": .5}}, {"kern", map[string]float64{"A": .5, "B": .5}}}, "twice"},
	}
	for _, tt := range tests {
		w, conv, err := Rake(tt.rs, tt.margins, 0, 0)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got error %v, want one containing %q", tt.name, err, tt.want)
		}
		if w != nil || conv {
			t.Errorf("%s: got weights %v converged %v, want nil, false", tt.name, w, conv)
		}
	}
	// No respondents and no margins is not an error.
	if w, conv, err := Rake(nil, nil, 0, 0); err != nil || !conv || len(w) != 0 {
		t.Errorf("Rake(nil, nil): got %v, %v, %v, want [], true, nil", w, conv, err)
	}
}

func TestEffectiveSampleSize(t *testing.T) {
	tests := []struct {
		w    []float64
		want float64
	}{
		{nil, 0},
		{[]float64{0, 0}, 0},
		{[]float64{1, 1, 1, 1}, 4},
		{[]float64{2, 2}, 2},
		{[]float64{1, 3}, 16.0 / 10},              // (1+3)² / (1+9)
		{[]float64{.5, .5, 1.5, 1.5}, 16.0 / 5.0}, // 4² / (.25+.25+2.25+2.25)
	}
	for _, tt := range tests {
		if got := EffectiveSampleSize(tt.w); !statsNear(got, tt.want) {
			t.Errorf("EffectiveSampleSize(%v): got %v, want %v", tt.w, got, tt.want)
		}
	}
}
