package results

import (
	"github.com/participatiebot/participatiebot/lang"
	"strings"
	"testing"
)

// TestPersonalSummarySince: a recurring round's results tell residents how its
// main figure moved since the round before, right under the greeting.
func TestPersonalSummarySince(t *testing.T) {
	s := panelSurvey()
	tallies := panelTallies(s, []group{{p: ss("Dalfsen", "25-44"), n: 40, agree: 20, cijfer: 7}})
	r := Compute(s, RoundInfo{ID: "r"}, tallies, nil, 10)
	r.Since = "‘De gemeente luistert voldoende naar de mening van de inwoners.’, (zeer) mee eens: vorige keer 42%, nu 50% (gestegen)"
	got := PersonalSummary(lang.Dutch(), r, nil, ss("Dalfsen", "25-44"))
	if !strings.Contains(got, "Dit is de uitslag:\nSinds de vorige ronde: ‘De gemeente luistert") {
		t.Errorf("results: got\n%s", got)
	}
	r.Since = ""
	if got := PersonalSummary(lang.Dutch(), r, nil, ss("Dalfsen", "25-44")); strings.Contains(got, "Sinds de vorige ronde") {
		t.Errorf("a round without a since: got\n%s", got)
	}
}

// TestStuurgroepIndicators: the stuurgroep's message of a round lists the survey's
// indicators with their status.
func TestStuurgroepIndicators(t *testing.T) {
	s := panelSurvey()
	tallies := panelTallies(s, []group{{p: ss("Dalfsen", "25-44"), n: 40, agree: 20, cijfer: 7}})
	r := Compute(s, RoundInfo{ID: "r"}, tallies, nil, 10)
	r.Indicators = []string{"‘De gemeente luistert …’, (zeer) mee eens: 50% (35%–65%) in ronde r, doel ≥ 50% in 2027 (wethouder): aandacht"}
	if got := StuurgroepSummary(r); !strings.Contains(got, "Indicatoren:\n• ‘De gemeente luistert …’") {
		t.Errorf("stuurgroep: got\n%s", got)
	}
}
