package charts

import (
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

// A row hidden only to protect a small one is labelled "(≥10)", not "(<10)".
func TestAfspiegelingComplementaryLabel(t *testing.T) {
	rows, r := results.Afspiegeling(map[string]int64{"Dalfsen": 40, "Oudleusen": 17, "Ankum": 4},
		map[string]int{"Dalfsen": 11144, "Oudleusen": 1783, "Ankum": 808}, 10)
	c, err := Afspiegeling("kern", rows, r, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Ankum (<10)", "Oudleusen (≥10)"} {
		if !strings.Contains(c.Alt, want) {
			t.Errorf("alt text: no %q in %s", want, c.Alt)
		}
	}
	if strings.Contains(c.Alt, "Oudleusen (<10)") {
		t.Errorf("alt text calls Oudleusen small: %s", c.Alt)
	}
}

// A round with fewer respondents than the threshold, or a live tussenstand,
// has no afspiegeling charts: a chart is its numbers drawn.
func TestAfspiegelingOfTooFewOrLive(t *testing.T) {
	pop := &surveys.Population{Kernen: map[string]int{"Dalfsen": 11144, "Nieuwleusen": 9566}}
	tallies := map[string]int64{"respondents": 8, "respondents:k:Dalfsen": 5, "respondents:k:Nieuwleusen": 3}
	small := results.ComputeWith(nil, results.RoundInfo{ID: "r"}, tallies, nil, 10, pop)
	tallies = map[string]int64{"respondents": 40, "respondents:k:Dalfsen": 25, "respondents:k:Nieuwleusen": 15}
	large := results.ComputeWith(nil, results.RoundInfo{ID: "r"}, tallies, nil, 10, pop)
	for name, res := range map[string]*results.Results{"too few": small, "live": results.Live(large)} {
		got, err := AfspiegelingOf(res)
		if err != nil || len(got) != 0 {
			t.Errorf("%s: got %d charts (%v), want none", name, len(got), err)
		}
	}
	if got, err := AfspiegelingOf(large); err != nil || len(got) != 1 {
		t.Errorf("closed round of 40: got %d charts (%v), want 1", len(got), err)
	}
}
