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

// TestMoveText: a move as figures reads as trend.Trend.Since's line, for each kind
// of figure, in the resident's language (Dutch here).
func TestMoveText(t *testing.T) {
	for _, tt := range []struct {
		m    Move
		want string
	}{
		{Move{Question: "Luistert de gemeente voldoende?", Measure: MoveOption, Label: "Ja", Before: 20, Now: 80, Percent: true, Change: MoveUp},
			"Sinds de vorige ronde: ‘Luistert de gemeente voldoende?’, koos ‘Ja’: vorige keer 20%, nu 80% (gestegen)."},
		{Move{Question: "Welk cijfer?", Measure: MoveMean, Before: 6.84, Now: 7, Change: MoveSame},
			"Sinds de vorige ronde: ‘Welk cijfer?’, gemiddeld cijfer: vorige keer 6,8, nu 7,0 (gelijk gebleven)."},
		{Move{Question: "Luistert de gemeente?", Measure: MoveAgree, Before: 42.5, Now: 37, Percent: true, Change: MoveDown},
			"Sinds de vorige ronde: ‘Luistert de gemeente?’, (zeer) mee eens: vorige keer 42,5%, nu 37% (gedaald)."},
		{Move{Question: "Wie van de drie?", Measure: MoveChance, Label: "Groen", Before: 40, Now: 41, Percent: true, Change: MoveSame},
			"Sinds de vorige ronde: ‘Wie van de drie?’, kans gekozen: ‘Groen’: vorige keer 40%, nu 41% (gelijk gebleven)."},
	} {
		if got := tt.m.Text(lang.Dutch()); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

// TestPersonalSummaryInEveryLanguage: the message is whole in every language
// (a text missing from the catalogues would print as its id in brackets), and
// the move since the last round is read in the resident's language.
func TestPersonalSummaryInEveryLanguage(t *testing.T) {
	s := panelSurvey()
	tallies := panelTallies(s, []group{{p: ss("Dalfsen", "25-44"), n: 40, agree: 20, cijfer: 7}})
	r := Compute(s, RoundInfo{ID: "r"}, tallies, nil, 10)
	r.SinceMove = &Move{Question: "Luistert de gemeente?", Measure: MoveAgree, Before: 42, Now: 50, Percent: true, Change: MoveUp}
	few := Compute(s, RoundInfo{ID: "r"}, panelTallies(s, []group{{p: ss("Dalfsen", "25-44"), n: 4, agree: 2, cijfer: 7}}), nil, 10)
	for _, c := range lang.Supported {
		pr := lang.For(c, false)
		for _, got := range []string{PersonalSummary(pr, r, nil, ss("Dalfsen", "25-44")), PersonalSummary(pr, few, nil, ss("Dalfsen", "25-44")),
			DecisionMessage(pr, "Titel", "Besluit")} {
			if strings.Contains(got, "[result.") {
				t.Errorf("%s: a text is missing:\n%s", c, got)
			}
		}
	}
	if got := PersonalSummary(lang.Dutch(), r, nil, ss("Dalfsen", "25-44")); !strings.Contains(got, "Dit is de uitslag:\nSinds de vorige ronde: ‘Luistert de gemeente?’, (zeer) mee eens: vorige keer 42%, nu 50% (gestegen).") {
		t.Errorf("the move: got\n%s", got)
	}
}
