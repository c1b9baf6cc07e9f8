package results

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/surveys"
)

// afspiegelingOf is the afspiegeling of a closed round with these respondents
// per kern (and per leeftijdsgroep), at threshold 10.
func afspiegelingOf(byKern, byAge map[string]int64, pop *surveys.Population) *Results {
	tallies := map[string]int64{}
	for g, n := range byKern {
		tallies[surveys.FieldRespondents+":k:"+g] = n
		tallies[surveys.FieldRespondents] += n
	}
	for g, n := range byAge {
		tallies[surveys.FieldRespondents+":a:"+g] = n
	}
	return ComputeWith(nil, RoundInfo{ID: "r", Closed: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}, tallies, nil, 10, pop)
}

func TestRIndicatorOfRound(t *testing.T) {
	// The example of stats.TestRIndicatorByHand: A 100 of 1000, B 150 of
	// 3000, C 250 of 1000 give R 0,845 (0,823–0,867).
	pop := &surveys.Population{Kernen: map[string]int{"A": 1000, "B": 3000, "C": 1000}}
	r := afspiegelingOf(map[string]int64{"A": 100, "B": 150, "C": 250}, nil, pop)
	a := r.Afspiegeling
	if a.RIndicator == nil || math.Abs(a.RIndicator.R-0.8450652) > 5e-7 || len(a.RIndicators) != 1 {
		t.Fatalf("r-indicator: got %+v, want 0,845 for kern", a.RIndicator)
	}
	e, ok := RIndicatorExplained(r)
	want := []string{"R-indicator 0,85 (95%-marge 0,82–0,87): goede afspiegeling",
		"Respons per kern: A 10%, B 5%, C 25%."}
	if got := append([]string{e.Line}, e.Notes...); !ok || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if RIndicatorShort(r) != "0,85 (goede afspiegeling)" {
		t.Errorf("short: got %q", RIndicatorShort(r))
	}

	// Two dimensions: the lower one is the headline, both are named, and a
	// low response rate comes with its warning.
	pop = &surveys.Population{Kernen: map[string]int{"A": 1000, "B": 1000}, Leeftijd: map[string]int{"16-24": 1000, "65+": 1000}}
	r = afspiegelingOf(map[string]int64{"A": 40, "B": 60}, map[string]int64{"16-24": 10, "65+": 90}, pop)
	a = r.Afspiegeling
	if len(a.RIndicators) != 2 || a.RIndicator.Dimension != surveys.DimLeeftijd {
		t.Fatalf("r-indicators: got %+v, headline %+v, want leeftijd the lower", a.RIndicators, a.RIndicator)
	}
	e, _ = RIndicatorExplained(r)
	text := strings.Join(append([]string{e.Line}, e.Notes...), "\n")
	for _, want := range []string{"Naar kern 0,98 (95%-marge", "naar leeftijdsgroep 0,92 (95%-marge", "het laagste cijfer telt",
		"Respons per leeftijdsgroep: 16 – 24 jaar 1%, 65 jaar of ouder 9%.", "Bij een lage respons (hier 5% van de inwoners)",
		// S = 0,04 (0,92 = 1 − 2S) over a mean of 0,05: 80% of the mean
		"die wijkt gemiddeld 80% af van de gemiddelde respons"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
}

// TestRIndicatorWithheld: the R-indicator follows the R-score's disclosure
// rule: a hidden group that cannot be taken together withholds it, one that
// can is merged.
func TestRIndicatorWithheld(t *testing.T) {
	pop := &surveys.Population{Kernen: map[string]int{"A": 1000, "B": 1000, "C": 100}}
	// B (12) and C (5) hidden, together 17: merged, as the R-score's.
	r := afspiegelingOf(map[string]int64{"A": 50, "B": 12, "C": 5}, nil, pop)
	a := r.Afspiegeling
	if a.RScore == RScoreUnavailable || a.RIndicator == nil || strings.Join(a.RIndicator.Merged, ",") != "B,C" {
		t.Fatalf("merged: got R-score %v, r-indicator %+v, want both with B and C merged", a.RScore, a.RIndicator)
	}
	// B (3) and C (4) together still under the threshold: the R-score is
	// withheld and so is the R-indicator, in every text.
	r = afspiegelingOf(map[string]int64{"A": 50, "B": 3, "C": 4}, nil, pop)
	a = r.Afspiegeling
	if a.RScore != RScoreUnavailable || a.RIndicator != nil || a.RIndicators != nil {
		t.Fatalf("withheld: got R-score %v, r-indicator %+v %+v, want none", a.RScore, a.RIndicator, a.RIndicators)
	}
	e, _ := RIndicatorExplained(r)
	if e.Line != "R-indicator: niet te berekenen (te kleine groepen). Daarvoor zijn per groep minstens 10 deelnemers nodig." {
		t.Errorf("line: got %q", e.Line)
	}
	text := strings.Join(e.Notes, "\n") + RIndicatorShort(r)
	if strings.Contains(text, "C 4") || strings.Contains(text, "C 0") || !strings.Contains(text, "C niet te tonen") {
		t.Errorf("the hidden kern's rate: got %q, want it not shown", text)
	}
	if RIndicatorShort(r) != "niet te berekenen" {
		t.Errorf("short: got %q", RIndicatorShort(r))
	}
}
