package results

import (
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/surveys"
)

// TestByTaal: the respondents per language come from the language counters, Dutch
// as the rest; a small group is hidden, with a second one so that it cannot be
// recomputed from the total; a round where everyone read Dutch shows none.
func TestByTaal(t *testing.T) {
	tallies := map[string]int64{
		surveys.FieldRespondents: 40, surveys.FieldRespondents + ":l:ar": 3, surveys.FieldRespondents + ":l:en": 12,
		surveys.FieldRespondents + ":j::": 40,
	}
	r := Compute(nil, RoundInfo{ID: "r"}, tallies, nil, 10)
	got := map[string]Cell{}
	var order []string
	for _, c := range r.ByTaal {
		got[c.Group] = c
		order = append(order, c.Group)
	}
	if strings.Join(order, ",") != "nl,en,ar" {
		t.Errorf("languages in order %v, want nl, en, ar", order)
	}
	if c := got["ar"]; !c.Suppressed || c.Count != 0 {
		t.Errorf("ar (3 of 40): %+v, want suppressed", c)
	}
	hidden := 0
	for _, c := range r.ByTaal {
		if c.Suppressed {
			hidden++
		}
	}
	if hidden < 2 {
		t.Errorf("%d cells hidden, want the small one and one more: %+v", hidden, r.ByTaal)
	}
	if c := got["nl"]; !c.Suppressed && c.Count != 25 {
		t.Errorf("nl: %+v, want 25 (40 - 3 - 12)", c)
	}
	var b strings.Builder
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{b.String(), StuurgroepSummary(r)} {
		if !strings.Contains(text, "Deelnemers per taal:") || !strings.Contains(text, "Arabisch: <10") {
			t.Errorf("no respondents per language in:\n%s", text)
		}
	}
	dutch := Compute(nil, RoundInfo{ID: "r"}, map[string]int64{surveys.FieldRespondents: 40, surveys.FieldRespondents + ":j::": 40}, nil, 10)
	if dutch.ByTaal != nil {
		t.Errorf("a Dutch-only round has languages: %+v", dutch.ByTaal)
	}
}
