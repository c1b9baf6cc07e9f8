package charts

import (
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestAfspiegelingRIndicator: the chart of a dimension names its R-indicator
// with the margin before the R-score, in the words of results, and leaves it
// out when it is withheld.
func TestAfspiegelingRIndicator(t *testing.T) {
	round := results.RoundInfo{ID: "r", Closed: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	pop := &surveys.Population{Kernen: map[string]int{"A": 1000, "B": 3000, "C": 1000}}
	tests := []struct {
		name    string
		by      map[string]int64
		want    string
		without string
	}{
		// stats.TestRIndicatorByHand: R 0,845 (0,823–0,867); R-score 0,05/0,25.
		{"shown", map[string]int64{"A": 100, "B": 150, "C": 250}, "Afspiegeling per kern, R-indicator 0,85 (95%-marge 0,82–0,87), R-score 0,20.", ""},
		{"withheld", map[string]int64{"A": 100, "B": 3, "C": 4}, "Afspiegeling per kern, R-score niet te berekenen.", "R-indicator"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tallies := map[string]int64{}
			for g, n := range tt.by {
				tallies[surveys.FieldRespondents+":k:"+g] = n
				tallies[surveys.FieldRespondents] += n
			}
			cs, err := AfspiegelingOf(results.ComputeWith(nil, round, tallies, nil, 10, pop))
			if err != nil || len(cs) != 1 {
				t.Fatalf("got %d charts, %v, want 1", len(cs), err)
			}
			if !strings.Contains(cs[0].Alt, tt.want) || tt.without != "" && strings.Contains(cs[0].Alt, tt.without) {
				t.Errorf("alt: got %q, want %q", cs[0].Alt, tt.want)
			}
		})
	}
}
