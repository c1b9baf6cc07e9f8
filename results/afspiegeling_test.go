package results

import (
	"reflect"
	"testing"
)

// TestAfspiegeling checks rates, shares and the R-score against hand figures.
//
// Dalfsen 150 of 10000 (rate .015), Lemelerveld 40 of 5000 (.008),
// Nieuwleusen 90 of 9000 (.010). Respondents 280: shares 150/280 = .535714,
// 40/280 = .142857, 90/280 = .321429. Population 24000: 10000/24000 = .416667,
// 5000/24000 = .208333, 9000/24000 = .375. R = .008/.015 = .533333.
func TestAfspiegeling(t *testing.T) {
	pop := map[string]int{"Dalfsen": 10000, "Lemelerveld": 5000, "Nieuwleusen": 9000}
	rows, r := Afspiegeling(map[string]int64{"Dalfsen": 150, "Lemelerveld": 40, "Nieuwleusen": 90}, pop, 10)
	want := []Representation{
		{"Dalfsen", 150, 10000, .015, .535714, .416667, false, false},
		{"Lemelerveld", 40, 5000, .008, .142857, .208333, false, false},
		{"Nieuwleusen", 90, 9000, .010, .321429, .375, false, false},
	}
	checkRows(t, rows, want)
	if !statsNear(r, .533333) {
		t.Errorf("R-score: got %v, want %v", r, .533333)
	}
	if got, want := UnderRepresented(rows), []string{"Lemelerveld", "Nieuwleusen", "Dalfsen"}; !reflect.DeepEqual(got, want) {
		t.Errorf("UnderRepresented: got %v, want %v", got, want)
	}
}

func checkRows(t *testing.T, rows, want []Representation) {
	t.Helper()
	if len(rows) != len(want) {
		t.Fatalf("rows: got %v, want %v", rows, want)
	}
	for i, w := range want {
		g := rows[i]
		if g.Group != w.Group || g.Respondents != w.Respondents || g.Population != w.Population ||
			g.Suppressed != w.Suppressed || g.Complementary != w.Complementary || !statsNear(g.Rate, w.Rate) || !statsNear(g.Share, w.Share) ||
			!statsNear(g.PopShare, w.PopShare) {
			t.Errorf("row %d: got %+v, want %+v", i, g, w)
		}
	}
}

func TestAfspiegelingDegenerate(t *testing.T) {
	tests := []struct {
		name      string
		by        map[string]int64
		pop       map[string]int
		threshold int
		want      []Representation
		r         float64
		under     []string
	}{
		{"empty", nil, nil, 10, nil, RScoreUnavailable, []string{}},
		{
			// A group without respondents is shown as 0 (disclosure rule 2: a
			// zero says nothing about anyone), as the dashboard always showed
			// it; nothing is hidden, and R is 0.
			"group without respondents", map[string]int64{"A": 30, "B": 20},
			map[string]int{"A": 100, "B": 100, "C": 100}, 10,
			[]Representation{
				{"A", 30, 100, .3, .6, 1.0 / 3, false, false},
				{"B", 20, 100, .2, .4, 1.0 / 3, false, false},
				{"C", 0, 100, 0, 0, 1.0 / 3, false, false},
			}, 0, []string{"C", "B", "A"},
		},
		{
			// Without a threshold the empty group is shown and gives R = 0.
			"group without respondents, no threshold", map[string]int64{"A": 30, "B": 20},
			map[string]int{"A": 100, "B": 100, "C": 100}, 0,
			[]Representation{
				{"A", 30, 100, .3, .6, 1.0 / 3, false, false},
				{"B", 20, 100, .2, .4, 1.0 / 3, false, false},
				{"C", 0, 100, 0, 0, 1.0 / 3, false, false},
			}, 0, []string{"C", "B", "A"},
		},
		{
			// A small group (5 < 10) plus complementary suppression of the
			// next smallest (12): R is not given, it would reveal 5.
			"small group", map[string]int64{"A": 50, "B": 12, "C": 5},
			map[string]int{"A": 1000, "B": 1000, "C": 100}, 10,
			[]Representation{
				{"A", 50, 1000, .05, 50.0 / 67, 1000.0 / 2100, false, false},
				{"B", 0, 1000, 0, 0, 1000.0 / 2100, true, true},
				{"C", 0, 100, 0, 0, 100.0 / 2100, true, false},
			}, RScoreUnavailable, []string{"B", "C", "A"},
		},
		{
			// Respondents outside the population (onbekend) get a row but
			// do not count in R: rates .2 and .1, R = .5.
			"unknown group", map[string]int64{"A": 20, "B": 10, UnknownGroup: 10},
			map[string]int{"A": 100, "B": 100}, 10,
			[]Representation{
				{"A", 20, 100, .2, .5, .5, false, false},
				{"B", 10, 100, .1, .25, .5, false, false},
				{UnknownGroup, 10, 0, 0, .25, 0, false, false},
			}, .5, []string{"B", "A"},
		},
		{
			"nobody answered", nil, map[string]int{"A": 100, "B": 50}, 0,
			[]Representation{
				{"A", 0, 100, 0, 0, 2.0 / 3, false, false},
				{"B", 0, 50, 0, 0, 1.0 / 3, false, false},
			}, RScoreUnavailable, []string{"A", "B"},
		},
		{
			"equal rates", map[string]int64{"A": 10, "B": 20}, map[string]int{"A": 100, "B": 200}, 10,
			[]Representation{
				{"A", 10, 100, .1, 1.0 / 3, 1.0 / 3, false, false},
				{"B", 20, 200, .1, 2.0 / 3, 2.0 / 3, false, false},
			}, 1, []string{"A", "B"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, r := Afspiegeling(tt.by, tt.pop, tt.threshold)
			checkRows(t, rows, tt.want)
			if !statsNear(r, tt.r) {
				t.Errorf("R-score: got %v, want %v", r, tt.r)
			}
			if got := UnderRepresented(rows); !reflect.DeepEqual(got, tt.under) {
				t.Errorf("UnderRepresented: got %v, want %v", got, tt.under)
			}
		})
	}
}
