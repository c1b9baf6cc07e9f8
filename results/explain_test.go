package results

import (
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/surveys"
)

// kernen are four kernen with inhabitants, for the explanations' tests.
func kernen() []Representation {
	return []Representation{{Group: "A", Population: 100}, {Group: "B", Population: 100},
		{Group: "C", Population: 100}, {Group: "D", Population: 100}}
}

func TestRScoreExplained(t *testing.T) {
	closed := RoundInfo{Closed: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	tests := []struct {
		name  string
		r     *Results
		line  string
		notes []string
	}{
		{"good", &Results{Threshold: 10, Round: closed, Afspiegeling: &AfspiegelingResult{RScore: 0.82}},
			"R-score 0,82: goede afspiegeling", nil},
		{"at the four-fifths rule", &Results{Threshold: 10, Round: closed, Afspiegeling: &AfspiegelingResult{RScore: RScoreGood}},
			"R-score 0,80: goede afspiegeling", nil},
		{"fair", &Results{Threshold: 10, Round: closed, Afspiegeling: &AfspiegelingResult{RScore: 0.62, Merged: []string{"Hoonhorst", "Ankum"}}},
			"R-score 0,62: redelijke afspiegeling", []string{"Samen geteld omdat ze minder dan 10 deelnemers hadden: Hoonhorst, Ankum."}},
		{"skewed", &Results{Threshold: 10, Round: closed, Afspiegeling: &AfspiegelingResult{RScore: 0.3}},
			"R-score 0,30: scheve afspiegeling", nil},
		{"unavailable, closed", &Results{Threshold: 10, Round: closed, Afspiegeling: &AfspiegelingResult{RScore: RScoreUnavailable}},
			"R-score: niet te berekenen. Daarvoor zijn per groep minstens 10 deelnemers nodig.", nil},
		{"unavailable, still open", &Results{Threshold: 5, Afspiegeling: &AfspiegelingResult{RScore: RScoreUnavailable}},
			"R-score: nog niet te berekenen. Daarvoor zijn per groep minstens 5 deelnemers nodig.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok := RScoreExplained(tt.r)
			if !ok || e.Line != tt.line || strings.Join(e.Notes, "|") != strings.Join(tt.notes, "|") {
				t.Errorf("got %q %q %v, want %q %q", e.Line, e.Notes, ok, tt.line, tt.notes)
			}
			if e.Help == "" || strings.Contains(e.Help+e.Line, "÷") {
				t.Errorf("help: got %q, want plain words", e.Help)
			}
		})
	}
	if _, ok := RScoreExplained(&Results{}); ok {
		t.Errorf("without a population: got an explanation")
	}
}

func TestWeightingExplained(t *testing.T) {
	tests := []struct {
		name string
		w    *Weighting
		want []string // Line, then the notes
	}{
		{"every kern too small: weighting changes nothing",
			&Weighting{Dimensions: []string{surveys.DimKern}, Respondents: 12, EffectiveN: 12, Converged: true,
				Merged: []string{"kern A", "kern B", "kern C", "kern D"}},
			[]string{"Gewogen naar kern van de bevolking.",
				"Kernen met minder dan 10 deelnemers wegen we niet apart: alle kernen zijn samen als één groep gewogen. Naar kern verandert de weging dus niets."}},
		{"some kernen merged, one without respondents",
			&Weighting{Dimensions: []string{surveys.DimKern}, Respondents: 40, EffectiveN: 30.4, Converged: true,
				Merged: []string{"kern B", "kern C"}, Missing: []string{"kern D"}},
			[]string{"Gewogen naar kern van de bevolking.",
				"Kernen met minder dan 10 deelnemers wegen we niet apart: 2 van de 4 kernen zijn samen als één groep gewogen.",
				"1 kern zonder deelnemers telt niet mee in de weging. De gewogen cijfers gaan dus over de andere kernen.",
				"De weging maakt de cijfers ongeveer zo nauwkeurig als een peiling met 30 deelnemers zonder weging (gewogen: 40 deelnemers)."}},
		{"two kernen dropped",
			&Weighting{Dimensions: []string{surveys.DimKern}, Respondents: 40, EffectiveN: 40, Converged: true,
				Missing: []string{"kern C", "kern D"}},
			[]string{"Gewogen naar kern van de bevolking.",
				"2 kernen zonder deelnemers tellen niet mee in de weging. De gewogen cijfers gaan dus over de andere kernen.",
				"De weging maakt de cijfers ongeveer zo nauwkeurig als een peiling met 40 deelnemers zonder weging (gewogen: 40 deelnemers)."}},
		{"raking did not converge",
			&Weighting{Dimensions: []string{surveys.DimKern}, Respondents: 40, EffectiveN: 30.4},
			[]string{"Gewogen naar kern van de bevolking.",
				"Let op: de weging kwam niet helemaal uit. De gewogen cijfers passen daardoor niet precies bij de bevolking; lees ze met extra voorzichtigheid.",
				"De weging maakt de cijfers ongeveer zo nauwkeurig als een peiling met 30 deelnemers zonder weging (gewogen: 40 deelnemers)."}},
		{"precision withheld",
			&Weighting{Dimensions: []string{surveys.DimKern}, Respondents: 40, EffectiveN: 30, EffectiveNWithheld: true, CountsWithheld: true, Converged: true},
			[]string{"Gewogen naar kern van de bevolking.", "Wie geen kern of leeftijd opgaf, is niet meegewogen."}},
		{"not weighted", &Weighting{Unavailable: "te weinig deelnemers"}, []string{"Niet gewogen: te weinig deelnemers."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Results{Threshold: 10, Weighting: tt.w, Afspiegeling: &AfspiegelingResult{Kern: kernen()}}
			e, ok := WeightingExplained(r)
			got := append([]string{e.Line}, e.Notes...)
			if !ok || strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if e.Help != WeightingHelp {
				t.Errorf("help: got %q", e.Help)
			}
			if s := WeightingLine(r); strings.Contains(s, "zo nauwkeurig als "+"12") || strings.Contains(s, "ongewogen") {
				t.Errorf("text line: got %q", s)
			}
		})
	}
}

func TestFigureTexts(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"interval", IntervalText(47.03, 75.77), "95% zeker: tussen 47% en 75,8%"},
		{"rank band", RankRow{Value: 85, Low: 75, High: 93}.Figure(), "kans gekozen uit drie 85%, onzekerheid (90%): 75–93%"},
		{"rank, too few", RankRow{RankResult: RankResult{TooFew: true}}.Figure(), "te weinig gegevens"},
		{"r-score short", RScoreShort(&Results{Afspiegeling: &AfspiegelingResult{RScore: 0.62}}), "0,62 (redelijke afspiegeling)"},
		{"r-score short, unavailable", RScoreShort(&Results{Afspiegeling: &AfspiegelingResult{RScore: RScoreUnavailable}}), "niet te berekenen"},
		{"nobody invited", ResponseHelp(0, 0, 0), "Nog niemand uitgenodigd, dus er is geen respons te berekenen. Uitnodigingen gaan naar wie zich eerder bij de bot aanmeldde."},
		{"web chat without invitations", ResponseHelp(0, 3, 0), "Nog niemand uitgenodigd, dus er is geen respons te berekenen. Uitnodigingen gaan naar wie zich eerder bij de bot aanmeldde. De 3 deelnemers kwamen zonder uitnodiging, bijvoorbeeld via de webchat."},
		{"more than invited", ResponseHelp(2, 3, 1.5), "Respons: het deel van de uitgenodigden dat de ronde afrondde (zolang nog niemand afrondde: dat meedeed). Meer dan 100%: er deden ook mensen mee zonder uitnodiging, bijvoorbeeld via de webchat."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}
