package disclosure

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// cellSpec is one cell of a test table.
type cellSpec struct {
	id    string
	count int64
}

// margin adds a breakdown of the round's respondents: the Total "N" and one
// Labelled cell per group, adding up to it.
func margin(b *Builder, groups ...cellSpec) {
	var n int64
	ids := make([]string, len(groups))
	for i, g := range groups {
		n += g.count
		ids[i] = g.id
	}
	b.Cell("N", "", Total, n)
	for _, g := range groups {
		b.Cell(g.id, "k", Labelled, g.count)
	}
	b.Sum("N", ids...)
}

func hiddenIDs(d *Decision, ids ...string) []string {
	var out []string
	for _, id := range ids {
		if d.Hidden(id) {
			out = append(out, id)
		}
	}
	return out
}

func TestMarginSuppression(t *testing.T) {
	tests := []struct {
		name   string
		groups []cellSpec
		hidden []string
		labels map[string]Label
	}{
		{"nothing small", []cellSpec{{"a", 10}, {"b", 30}}, nil, nil},
		{"one small hides the next smallest", []cellSpec{{"a", 50}, {"b", 3}, {"c", 12}, {"d", 40}},
			[]string{"b", "c"}, map[string]Label{"b": Below, "c": AtLeast}},
		{"tie goes to the lower id", []cellSpec{{"z", 12}, {"b", 3}, {"c", 12}},
			[]string{"b", "c"}, nil},
		{"two small that add up to the threshold", []cellSpec{{"a", 5}, {"b", 5}, {"c", 30}}, []string{"a", "b"}, nil},
		{"two small that add up to less", []cellSpec{{"a", 1}, {"b", 1}, {"c", 30}, {"d", 20}}, []string{"a", "b", "d"}, nil},
		{"zero is shown", []cellSpec{{"a", 0}, {"b", 30}}, nil, nil},
		// 1 and 10 hidden together: "≥10" says b ≥ 10, so a = 11 − b ≤ 1 would
		// give a away; the next smallest is hidden too.
		{"a label would give the small one away", []cellSpec{{"a", 1}, {"b", 10}, {"c", 30}}, []string{"a", "b", "c"}, nil},
		{"no zero as complementary cell", []cellSpec{{"a", 3}, {"b", 0}, {"c", 40}, {"d", 20}}, []string{"a", "d"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := New(10)
			margin(b, tt.groups...)
			d := b.Decide()
			var all []string
			for _, g := range tt.groups {
				all = append(all, g.id)
			}
			if got := hiddenIDs(d, all...); !slices.Equal(got, tt.hidden) {
				t.Errorf("hidden: got %v, want %v", got, tt.hidden)
			}
			for id, want := range tt.labels {
				if got := d.Label(id); got != want {
					t.Errorf("label %s: got %v, want %v", id, got, want)
				}
			}
			if l := d.Leaks(); len(l) > 0 {
				t.Errorf("leaks: %+v", l)
			}
		})
	}
}

// TestGroupOfThirteen: one of a group of 13 answered Nee. 1/13 = 7,69% would
// give the 1 away, and so would 12/13 beside the shown 13; both are hidden, and
// the Nee column needs another hidden cell so that the overall Nee count minus
// the other kernen does not give it back.
func TestGroupOfThirteen(t *testing.T) {
	b := New(10)
	b.Cell("q:N", "", Total, 53)
	b.Cell("q:ja", "", Total, 40)
	b.Cell("q:nee", "", Total, 13)
	groups := []struct {
		kern    string
		ja, nee int64
	}{{"Hoonhorst", 12, 1}, {"Dalfsen", 28, 12}}
	var ns, jas, nees []string
	for _, g := range groups {
		n := "q:" + g.kern
		b.Cell(n, "q", Labelled, g.ja+g.nee)
		b.Cell(n+":ja", "q", Unlabelled, g.ja)
		b.Cell(n+":nee", "q", Unlabelled, g.nee)
		b.Sum(n, n+":ja", n+":nee")
		b.Needs(n+":ja", n)
		b.Needs(n+":nee", n)
		ns, jas, nees = append(ns, n), append(jas, n+":ja"), append(nees, n+":nee")
	}
	b.Sum("q:N", ns...)
	b.Sum("q:ja", jas...)
	b.Sum("q:nee", nees...)
	d := b.Decide()
	for _, id := range []string{"q:Hoonhorst:nee", "q:Hoonhorst:ja"} {
		if !d.Hidden(id) {
			t.Errorf("%s shown, want hidden", id)
		}
	}
	if _, ok := d.Shown("q:Hoonhorst"); !ok {
		t.Errorf("the group of 13 itself is hidden, want it shown (13 ≥ 10)")
	}
	if !d.Hidden("q:Dalfsen:nee") || !d.Hidden("q:Dalfsen:ja") {
		t.Errorf("Dalfsen's answers shown: 13 − Dalfsen's Nee gives Hoonhorst's 1")
	}
	if l := d.Leaks(); len(l) > 0 {
		t.Errorf("leaks: %+v", l)
	}
}

// TestPercentageGranularity: a group's percentage is its cell. Of 25, 20 and
// 5: the 5 is hidden, and the 20 with it (25 − 20 = 5).
func TestPercentageGranularity(t *testing.T) {
	tests := []struct {
		name      string
		n         int64
		counts    []int64
		wantShown []bool
	}{
		{"every cell large", 40, []int64{25, 15}, []bool{true, true}},
		{"a zero is shown", 40, []int64{40, 0}, []bool{true, true}},
		{"one small hides its complement", 25, []int64{20, 5}, []bool{false, false}},
		{"three options, two small", 30, []int64{24, 3, 3}, []bool{false, false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := New(10)
			b.Cell("n", "", Total, tt.n)
			var ids []string
			for i, c := range tt.counts {
				id := fmt.Sprintf("o%d", i)
				b.Cell(id, "q", Unlabelled, c)
				ids = append(ids, id)
			}
			b.Sum("n", ids...)
			d := b.Decide()
			for i, id := range ids {
				if _, shown := d.Shown(id); shown != tt.wantShown[i] {
					t.Errorf("%s (%d of %d): shown %v, want %v", id, tt.counts[i], tt.n, shown, tt.wantShown[i])
				}
			}
			if l := d.Leaks(); len(l) > 0 {
				t.Errorf("leaks: %+v", l)
			}
		})
	}
}

// TestTwoWays: a cell given away along two ways (its row and its column) needs
// two more hidden cells; the audit keeps going until neither way gives it.
func TestTwoWays(t *testing.T) {
	b := New(10)
	// Rows: kernen A (n 30) and B (n 40); columns: Ja (everyone 61), Nee (9).
	b.Cell("ja", "", Total, 61)
	b.Cell("nee", "", Total, 9)
	b.Cell("A", "q", Labelled, 30)
	b.Cell("B", "q", Labelled, 40)
	b.Cell("A:ja", "q", Unlabelled, 26)
	b.Cell("A:nee", "q", Unlabelled, 4)
	b.Cell("B:ja", "q", Unlabelled, 35)
	b.Cell("B:nee", "q", Unlabelled, 5)
	b.Sum("A", "A:ja", "A:nee")
	b.Sum("B", "B:ja", "B:nee")
	b.Sum("ja", "A:ja", "B:ja")
	b.Sum("nee", "A:nee", "B:nee")
	d := b.Decide()
	if l := d.Leaks(); len(l) > 0 {
		t.Fatalf("leaks: %+v", l)
	}
	for _, id := range []string{"A:nee", "B:nee", "A:ja", "B:ja"} {
		if !d.Hidden(id) {
			t.Errorf("%s shown: with the row and column totals it gives a Nee count back", id)
		}
	}
	if d.Hidden("A") || d.Hidden("B") {
		t.Errorf("the kernen's own numbers (30, 40) hidden without need")
	}
}

// TestExtend: an extension keeps what the decision showed, and reports a new
// figure that gives a hidden cell away.
func TestExtend(t *testing.T) {
	b := New(10)
	margin(b, cellSpec{"a", 30}, cellSpec{"b", 4}, cellSpec{"c", 12})
	d := b.Decide()
	if got := hiddenIDs(d, "a", "b", "c"); !slices.Equal(got, []string{"b", "c"}) {
		t.Fatalf("hidden: got %v, want [b c]", got)
	}
	// Revealing b + c again (16, already total minus a) is harmless.
	e := d.Extend()
	e.Cell("pool", "", Total, 16)
	e.Sum("pool", "b", "c")
	if got := e.Decide().Unresolved(); len(got) != 0 {
		t.Errorf("pool of the hidden groups: got leaks %+v, want none", got)
	}
	// Revealing c alone (12) gives b = 4 back; c is a Total, so nothing closes it.
	e = d.Extend()
	e.Cell("c again", "", Total, 12)
	e.Sum("c again", "c")
	got := e.Decide().Unresolved()
	if len(got) != 1 || got[0].ID != "b" || got[0].Count != 4 {
		t.Errorf("c revealed: got leaks %+v, want b", got)
	}
	if !d.Hidden("b") || !d.Hidden("c") {
		t.Errorf("the decision extended changed")
	}
}

// TestWithdraw: a breakdown whose cells the totals alone give away is withdrawn.
func TestWithdraw(t *testing.T) {
	b := New(10)
	margin(b, cellSpec{"a", 1}, cellSpec{"b", 1})
	d := b.Decide()
	if !d.Withdrawn("k") {
		t.Errorf("two groups of 1 out of 2: want the breakdown withdrawn (as hidden groups each is ≥1, so each is 1)")
	}
	if d.Label("a") != NoLabel {
		t.Errorf("a withdrawn cell carries label %v, want none", d.Label("a"))
	}
	if l := d.Leaks(); len(l) > 0 {
		t.Errorf("leaks after withdrawing: %+v", l)
	}
}

// TestUnresolved: a Total that is itself one small group is no cell to hide.
func TestUnresolved(t *testing.T) {
	b := New(10)
	b.Cell("N", "", Total, 4)
	b.Cell("a", "k", Unlabelled, 4)
	b.Sum("N", "a")
	d := b.Decide()
	if got := d.Unresolved(); len(got) != 1 || got[0].ID != "a" {
		t.Errorf("got %+v, want a unresolved", got)
	}
}

func TestBetween(t *testing.T) {
	// x + y = 10 hidden; a weighted figure 0.2x + 0.05y = 1.25 gives x = 5.
	b := New(10)
	b.Cell("t", "", Total, 10)
	b.Cell("x", "q", Unlabelled, 5)
	b.Cell("y", "q", Unlabelled, 5)
	b.Sum("t", "x", "y")
	if !b.Between(1.25, 1.25, Term{"x", 0.2}, Term{"y", 0.05}) {
		t.Fatal("the weighted figure was not added")
	}
	d := b.Decide()
	got := d.Unresolved()
	if len(got) == 0 {
		t.Errorf("got no leaks, want x and y given away by the weighted figure")
	}
	if b.Between(2, 3, Term{"x", 0.2}, Term{"y", 0.05}) {
		t.Errorf("a fact that does not hold was added")
	}
}

func TestThresholdZero(t *testing.T) {
	b := New(0)
	margin(b, cellSpec{"a", 1}, cellSpec{"b", 30})
	b.Cell("d", "k", Derived, 3)
	d := b.Decide()
	if d.Hidden("a") || d.Hidden("b") || !d.Hidden("d") {
		t.Errorf("threshold 0: got a %v b %v d %v hidden, want only the derived cell", d.Hidden("a"), d.Hidden("b"), d.Hidden("d"))
	}
}

func TestUnknownCellIsHidden(t *testing.T) {
	d := New(10).Decide()
	if !d.Hidden("nothing") || d.Label("nothing") != NoLabel {
		t.Errorf("an unknown cell must count as hidden")
	}
	if _, ok := d.Shown("nothing"); ok {
		t.Errorf("an unknown cell must not be shown")
	}
}

func TestSumThatDoesNotHold(t *testing.T) {
	b := New(10)
	b.Cell("t", "", Total, 10)
	b.Cell("x", "q", Unlabelled, 3)
	if b.Sum("t", "x") || b.Sum("missing", "x") || b.Sum("t", "missing") || b.AtMost("t", "x") {
		t.Errorf("a fact that does not hold or names an unknown cell was added")
	}
}

func TestBand(t *testing.T) {
	tests := []struct {
		n    int64
		t    int
		want int64
	}{{0, 10, 0}, {9, 10, 0}, {10, 10, 10}, {19, 10, 10}, {20, 10, 20}, {7, 0, 7}, {-3, 10, 0}, {23, 5, 20}}
	for _, tt := range tests {
		if got := Band(tt.n, tt.t); got != tt.want {
			t.Errorf("Band(%d, %d): got %d, want %d", tt.n, tt.t, got, tt.want)
		}
	}
}

func TestLeakString(t *testing.T) {
	// Leaks name the cell; nothing else is needed to find it in a test failure.
	b := New(10)
	b.Cell("N", "", Total, 3)
	b.Cell("a", "k", Unlabelled, 3)
	b.Sum("N", "a")
	if got := fmt.Sprint(b.Decide().Unresolved()); !strings.Contains(got, "a") {
		t.Errorf("got %s", got)
	}
}

// TestTwoSumsOverTheSameCells: bounds alone miss that two sums over the same
// hidden cells are equal; the attack solves the exact facts together.
func TestTwoSumsOverTheSameCells(t *testing.T) {
	b := New(10)
	margin(b, cellSpec{"a", 30}, cellSpec{"b", 12}, cellSpec{"u", 3})
	b.Cell("j1", "w", Derived, 1)
	b.Cell("j2", "w", Derived, 2)
	b.Sum("u", "j1", "j2")
	d := b.Decide()
	if l := d.Leaks(); len(l) > 0 {
		t.Fatalf("leaks before publishing: %+v", l)
	}
	e := d.Extend()
	e.Cell("excluded", "", Total, 3) // "3 zonder bekende groep niet meegewogen"
	e.Sum("excluded", "j1", "j2")
	got := e.Decide().Unresolved()
	if len(got) == 0 || got[0].ID != "u" {
		t.Errorf("got leaks %+v, want u (3) given back by the second sum", got)
	}
}
