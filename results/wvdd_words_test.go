package results

import (
	"strings"
	"testing"
)

// rr is a shown option with its score and band (0..1).
func rr(label string, score, lo, hi float64) RankResult {
	return RankResult{ID: strings.ToLower(label), Label: label, Wins: 1, Shown: 2, Score: score, ScoreLow: lo, ScoreHigh: hi}
}

func TestRanked(t *testing.T) {
	tests := []struct {
		name    string
		rank    []RankResult
		want    []string // "label place value band"
		verdict string
	}{
		{"clear winner", []RankResult{rr("A", .85, .80, .90), rr("B", .50, .40, .60), rr("C", .20, .10, .30)},
			[]string{"A 1 85% 80–90%", "B 2 50% 40–60%", "C 3 20% 10–30%"}, ""},
		{"top overlaps the second", []RankResult{rr("Groen", .851, .749, .934), rr("Samen", .620, .483, .752),
			rr("Veilig", .526, .389, .670), rr("Betaalbaar", .003, .002, .004)},
			[]string{"Groen 1–2 85% 75–93%", "Samen 1–3 62% 48–75%", "Veilig 2–3 53% 39–67%", "Betaalbaar 4 0% 0–0%"},
			"Geen duidelijke winnaar: de verschillen tussen de eerste twee zijn klein."},
		// bands that touch in the whole numbers shown overlap, as a reader sees them
		{"touching bands", []RankResult{rr("Groen", .611, .500001, .734), rr("Veilig", .389, .266, .499999)},
			[]string{"Groen 1–2 61% 50–73%", "Veilig 1–2 39% 27–50%"}, "Geen duidelijke winnaar: de verschillen tussen de twee zijn klein."},
		// the order is by the figure shown, equal figures by label, whatever the decimals
		{"equal figures by label", []RankResult{rr("Zwembad", .671, .671, .671), rr("Bieb", .669, .669, .669), rr("Markt", .2, .2, .2)},
			[]string{"Bieb 1–2 67% 67–67%", "Zwembad 1–2 67% 67–67%", "Markt 3 20% 20–20%"},
			"Geen duidelijke winnaar: de verschillen tussen de eerste twee zijn klein."},
		{"all close", []RankResult{rr("A", .6, .3, .8), rr("B", .55, .3, .8), rr("C", .5, .3, .8), rr("D", .35, .2, .6)},
			[]string{"A 1–4 60% 30–80%", "B 1–4 55% 30–80%", "C 1–4 50% 30–80%", "D 1–4 35% 20–60%"},
			"Geen duidelijke winnaar: de verschillen tussen alle vier zijn klein."},
		{"never shown last, by label", []RankResult{rr("B", .7, .6, .8), {ID: "z", Label: "Z", NotShown: true},
			{ID: "y", Label: "Y", NotShown: true}, rr("A", .3, .2, .4)},
			[]string{"B 1 70% 60–80%", "A 2 30% 20–40%", "Y – 0% 0–0%", "Z – 0% 0–0%"}, ""},
		// too little data: no figure, no place, after those with one, by how often chosen
		{"too few", []RankResult{{ID: "x", Label: "X", Wins: 1, Shown: 1, TooFew: true, Reason: ReasonFewShown},
			rr("A", .41, .36, .46), {ID: "z", Label: "Z", NotShown: true},
			{ID: "y", Label: "Y", Wins: 0, Shown: 40, TooFew: true, Reason: ReasonNeverWon}, rr("B", .25, .2, .3)},
			[]string{"A 1 41% 36–46%", "B 2 25% 20–30%", "X – 0% 0–0%", "Y – 0% 0–0%", "Z – 0% 0–0%"}, ""},
		{"one option", []RankResult{rr("A", .5, .5, .5)}, []string{"A 1 50% 50–50%"}, ""},
		{"empty", nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Ranked(tt.rank)
			var got []string
			for _, r := range v.Rows {
				got = append(got, r.Label+" "+r.Place()+" "+r.ValueText()+" "+r.BandText())
			}
			if strings.Join(got, "; ") != strings.Join(tt.want, "; ") {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if v.Verdict != tt.verdict {
				t.Errorf("verdict: got %q, want %q", v.Verdict, tt.verdict)
			}
		})
	}
}

func TestRankRowWords(t *testing.T) {
	shared := RankRow{RankResult: RankResult{Label: "Groen", Wins: 22, Shown: 36}, Value: 69, Low: 47, High: 89, First: 1, Last: 3}
	own := RankRow{RankResult: RankResult{Label: "Groen", Wins: 1234, Shown: 2000}, Value: 85, Low: 75, High: 93, First: 1, Last: 1}
	tests := []struct{ name, got, want string }{
		{"shared place", shared.Line("Groen", false), "1–3. Groen — kans gekozen uit drie 69%, onzekerheid (90%): 47–89%"},
		{"own place, with the count", own.Line("Groen", true),
			"1. Groen — kans gekozen uit drie 85%, onzekerheid (90%): 75–93%; gekozen in 1.234 van 2.000 keren getoond"},
		{"too few, always with the count", RankRow{RankResult: RankResult{Label: "Sportief", Wins: 1, Shown: 1, TooFew: true}}.Line("Sportief", false),
			"–. Sportief — te weinig gegevens; gekozen in 1 van 1 keren getoond"},
		{"never shown", RankRow{RankResult: RankResult{NotShown: true}}.Line("Sportief", true), "–. Sportief — niet getoond"},
		{"help", RankHelp, "Kans gekozen uit drie: hoe vaak iemand deze keuze kiest als die naast twee willekeurige " +
			"andere uit de lijst staat. Gemiddeld is dat 33%."},
		{"too few", RankTooFewHelp, "Te weinig gegevens: minder dan tien keer getoond, of altijd of nooit gekozen. " +
			"Dan is er geen betrouwbare kans en geen plaats."},
		{"band names its level", RankBandName, "onzekerheid (90%)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}
