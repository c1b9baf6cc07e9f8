package results

import (
	"maps"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/surveys"
)

// BenchmarkComputePanel is the panel of a burgerpeiling-sized round (ten likert
// and rating questions) drawn over 7 kernen × 4 age groups: its cost is in the
// strata and the options, not in the respondents (the tallies are counters).
func BenchmarkComputePanel(b *testing.B) {
	kernen := []string{"Dalfsen", "Nieuwleusen", "Lemelerveld", "Hoonhorst", "Oudleusen", "Ankum", "Welsum"}
	ages := []string{"16-24", "25-44", "45-64", "65+"}
	s := panelSurvey()
	for i := range 7 { // ten questions in all
		q := s.Questions[i%2]
		q.ID = q.ID + itoa(i+1)
		s.Questions = append(s.Questions, q)
	}
	invited := map[string]int64{}
	var groups []group
	for k, kern := range kernen {
		for a, age := range ages {
			invited[PanelStratum(kern, age)] = int64(40 + 10*k + a)
			groups = append(groups, group{p: pm(kern, age), n: 12 + 3*k + a, agree: 5 + k, cijfer: 6 + a%3})
			groups = append(groups, group{p: ss(kern, age), n: 20 + 2*a, agree: 12, cijfer: 7})
		}
	}
	tallies := map[string]int64{}
	for _, g := range groups {
		one := panelTallies(s, []group{{p: g.p, n: 1, agree: min(g.agree, 1), cijfer: g.cijfer}})
		for k, v := range one {
			tallies[k] += v * int64(g.n)
		}
	}
	// the copies are answered as their originals
	for _, q := range s.Questions[3:] {
		orig := strings.TrimRight(q.ID, "0123456789")
		for k, v := range maps.Clone(tallies) {
			for _, pre := range []string{"q:", surveys.PanelPrefix + "q:"} {
				if rest, ok := strings.CutPrefix(k, pre+orig+":"); ok {
					tallies[pre+q.ID+":"+rest] = v
				}
			}
		}
	}
	r := Compute(s, RoundInfo{ID: "r"}, tallies, nil, 10)
	p := ComputePanel(r, tallies, "t", invited)
	if p == nil || len(p.Strata) != 28 || p.Hidden {
		b.Fatalf("panel: %+v", p)
	}
	shown := 0
	for _, q := range p.Questions {
		if !q.Hidden {
			shown++
		}
	}
	for b.Loop() {
		ComputePanel(r, tallies, "t", invited)
	}
	b.ReportMetric(float64(shown), "questions-compared")
}
