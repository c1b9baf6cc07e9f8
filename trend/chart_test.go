package trend

import (
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/charts"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestChartOf: the chart of a series has its rounds with their dates, which
// steps are meaningful, and the target and reference of the same question and
// option, none for a question without; its alt text says the verdict.
func TestChartOf(t *testing.T) {
	sv := burgerpeiling()
	sv.Indicators = []surveys.Indicator{{Question: "luistert", AtLeast: true, Target: 50, Year: 2027, Owner: "wethouder participatie"}}
	sv.References = []surveys.Reference{{Question: "luistert", Value: 44, Source: "eerdere peiling", Year: 2019},
		{Question: "doet", Options: []string{"4"}, Value: 30, Source: "een optie, niet de stelling"}}
	mar := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	tr := Build(sv, []Round{
		round(t, sv, "r1", mar, 800, map[string]int{"luistert": 320, "doet": 135}, []int{6, 7}),
		round(t, sv, "r2", mar.AddDate(0, 6, 0), 800, map[string]int{"luistert": 400, "doet": 141}, []int{7, 8}),
	})
	luistert, doet := ChartOf(sv, tr.Series[0]), ChartOf(sv, tr.Series[1])
	if luistert.ID != "burgerpeiling luistert " || len(luistert.Points) != 2 || !luistert.Points[1].At.Equal(mar.AddDate(0, 6, 0)) {
		t.Fatalf("luistert: got %+v", luistert)
	}
	if len(luistert.Changes) != 1 || !luistert.Changes[0] {
		t.Errorf("luistert: got changes %v, want the one meaningful", luistert.Changes)
	}
	if luistert.Target == nil || *luistert.Target != 50 || luistert.TargetLabel != "doel ≥ 50% in 2027 (wethouder participatie)" {
		t.Errorf("luistert: got target %v %q, want 50 with its label", luistert.Target, luistert.TargetLabel)
	}
	if luistert.Reference == nil || *luistert.Reference != 44 || luistert.ReferenceLabel != "vergelijking 44% (eerdere peiling, 2019)" {
		t.Errorf("luistert: got reference %v %q, want 44 with its source", luistert.Reference, luistert.ReferenceLabel)
	}
	if doet.Target != nil || doet.Reference != nil {
		t.Errorf("doet: got target %v, reference %v, want none (the reference is of an option)", doet.Target, doet.Reference)
	}
	c, err := charts.Trend(luistert)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Van 40% in maart 2027 naar 50% in september 2027: gestegen."; !strings.Contains(c.Alt, want) {
		t.Errorf("got alt %q, want %q in it", c.Alt, want)
	}
	if c.Name != "trend-burgerpeiling-luistert.png" {
		t.Errorf("got name %q", c.Name)
	}
}
