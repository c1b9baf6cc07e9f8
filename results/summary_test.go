package results

import (
	"github.com/participatiebot/participatiebot/lang"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/surveys"
)

func TestPersonalSummaryExact(t *testing.T) {
	answers := map[string]surveys.Answer{
		"luistert":  {Options: []string{"4"}},
		"cijfer":    {Options: []string{"8"}},
		"vervoer":   {Skipped: true},
		"thema":     {Options: []string{"groen", "verkeer"}},
		"waarden#0": {Winner: "b", Losers: []string{"a", "c"}},
		"waarden#1": {Winner: "b", Losers: []string{"d", "a"}},
		"waarden#2": {Winner: "a", Losers: []string{"b", "c"}},
		"goed":      {Text: "Mijn eigen antwoord"},
	}
	want := `Bedankt voor uw deelname aan Inwonerspeiling Dalfsen. Dit is de uitslag:

1. De gemeente luistert voldoende naar de mening van de inwoners
  Helemaal mee oneens: 10% (2)
  Mee oneens: 15% (3)
  Neutraal: 25% (5)
  Mee eens: 30% (6)
  Helemaal mee eens: 20% (4)
  Helemaal mee eens of mee eens: 50%
  Uw keuze: Mee eens — 30% van alle deelnemers koos dit

2. Welk cijfer geeft u de gemeente?
  Gemiddeld cijfer: 7,4; middelste cijfer: 7 (10 antwoorden)
  Uw cijfer: 8

3. Hoe komt u naar het centrum?
  Fiets: 50% (9)
  Auto: 33% (6)
  Bus: 17% (3)
  U sloeg deze vraag over.

4. Welke thema's vindt u belangrijk?
  Groen: 83% (10)
  Verkeer: 33% (4)
  Uw keuzes: Groen (83%), Verkeer (33%)

5. Wie van de drie past het best bij Dalfsen?
  1. Groen — kans gekozen uit drie 72%, onzekerheid (90%): 57–83%
  2–3. Veilig — kans gekozen uit drie 38%, onzekerheid (90%): 24–53%
  2–3. Samen — kans gekozen uit drie 24%, onzekerheid (90%): 12–41%
  Kans gekozen uit drie: hoe vaak iemand deze keuze kiest als die naast twee willekeurige andere uit de lijst staat. Gemiddeld is dat 33%.
  Onzekerheid (90%): de kans ligt met 90% zekerheid tussen deze twee getallen. Lopen die van twee keuzes in elkaar over, dan is hun volgorde niet zeker en delen ze een plaats, zoals 1–3.
  Uw favoriet: Veilig

6. Wat gaat goed?
  U gaf een antwoord; in totaal 3 antwoorden.

In Dalfsen deden te weinig mensen mee om hun antwoorden apart te tonen.

Wat er nu gebeurt: de raad gebruikt het (besluit: gemeenteraad)
Op 15 februari 2027 hoort u wat er met de uitkomst is gedaan.`
	if got := PersonalSummary(lang.Dutch(), resResults(), answers, surveys.Profile{Kern: "Dalfsen"}); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestPersonalSummaryChoices(t *testing.T) {
	tests := []struct {
		name      string
		kern      string
		answers   map[string]surveys.Answer
		want, not []string
	}{
		{name: "no answers",
			want: []string{"  U heeft deze vraag niet beantwoord.", "  U maakte hier geen keuze.", "  In totaal 3 antwoorden."},
			not:  []string{"Uw keuze", "Uw favoriet", "De bibliotheek", "Snelle reactie op meldingen"}},
		{name: "single choice", answers: map[string]surveys.Answer{"vervoer": {Options: []string{"bus"}}},
			want: []string{"  Uw keuze: Bus — 17% van alle deelnemers koos dit"}},
		// 25% in Dalfsen would be 3 of its 12: a cell under 10, so it is not
		// shown (disclosure rule 3).
		{name: "single choice, with the kern", kern: "Dalfsen", answers: map[string]surveys.Answer{"vervoer": {Options: []string{"bus"}}},
			want: []string{"  Uw keuze: Bus — 17% van alle deelnemers koos dit",
				"Voor Dalfsen tonen we de antwoorden niet apart, zodat niemand herkenbaar is."},
			not: []string{"25% in Dalfsen", "(voor Dalfsen"}},
		{name: "kern suppressed", kern: "Dalfsen", answers: map[string]surveys.Answer{"luistert": {Options: []string{"1"}}},
			want: []string{"  Uw keuze: Helemaal mee oneens — 10% van alle deelnemers koos dit",
				"In Dalfsen deden te weinig mensen mee om hun antwoorden apart te tonen."},
			not: []string{"in Dalfsen koos", "(in Dalfsen"}},
		{name: "kern nobody else answered from", kern: "Ankum", answers: map[string]surveys.Answer{"vervoer": {Options: []string{"fiets"}}},
			want: []string{"  Uw keuze: Fiets — 50% van alle deelnemers koos dit"}},
		{name: "likert", answers: map[string]surveys.Answer{"luistert": {Options: []string{"1"}}},
			want: []string{"  Uw keuze: Helemaal mee oneens — 10% van alle deelnemers koos dit"}},
		{name: "next steps from the participatiekaart",
			want: []string{"Wat er nu gebeurt: de raad gebruikt het (besluit: gemeenteraad)", "Op 15 februari 2027 hoort u wat er met de uitkomst is gedaan."}},
		{name: "favourite tie goes to the better ranked", answers: map[string]surveys.Answer{
			"waarden#0": {Winner: "d"}, "waarden#1": {Winner: "a"}, "waarden#2": {Winner: "d"}, "waarden#3": {Winner: "a"}},
			want: []string{"  Uw favoriet: Groen"}},
		{name: "favourite ignores other questions' keys", answers: map[string]surveys.Answer{
			"waarden#0": {Winner: "c"}, "waardenx#0": {Winner: "a"}, "waardenx#1": {Winner: "a"}},
			want: []string{"  Uw favoriet: Samen"}},
		{name: "empty open answer is no answer", answers: map[string]surveys.Answer{"goed": {Text: "  "}},
			want: []string{"  In totaal 3 antwoorden."}, not: []string{"U gaf een antwoord"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PersonalSummary(lang.Dutch(), resResults(), tt.answers, surveys.Profile{Kern: tt.kern})
			lines := strings.Split(got, "\n")
			for _, w := range tt.want {
				if !containsLine(lines, w) {
					t.Errorf("got no line %q, want it in\n%s", w, got)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("got %q, want it absent", n)
				}
			}
		})
	}
}

func TestPersonalSummaryWithoutTerugkoppeling(t *testing.T) {
	s := resSurvey()
	s.Card.Terugkoppeling = s.Card.Terugkoppeling.AddDate(0, 7, 0) // 15 september 2027
	got := PersonalSummary(lang.Dutch(), Compute(s, resRound, resTallies(), nil, 10), nil, surveys.Profile{})
	if want := "Op 15 september 2027 hoort u wat er met de uitkomst is gedaan."; !strings.HasSuffix(got, want) {
		t.Errorf("got %q, want it to end in %q", got[len(got)-80:], want)
	}
	got = PersonalSummary(lang.Dutch(), Compute(nil, resRound, nil, nil, 10), nil, surveys.Profile{})
	if want := "Bedankt voor uw deelname aan Uitslag. Dit is de uitslag:\n\nU hoort later wat er met de uitkomst is gedaan."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestStuurgroepSummary(t *testing.T) {
	got := StuurgroepSummary(resResults())
	want := `Stuurgroep — uitslag Inwonerspeiling Dalfsen
Ronde 2027-03: 1 maart 2027 t/m 14 maart 2027
Respons: 42 deelnemers, 38 volledig (van 120 uitgenodigd: 32%)

Deelnemers per kern:
  Dalfsen: 20
  Hoonhorst: <10
  Nieuwleusen: 12
  onbekend: <10
Deelnemers per leeftijdsgroep:
  18-34: <10
  35-64: 25
  65+: ≥10
(kleine groepen tonen we niet precies, zodat niemand herkenbaar is)

Uitkomsten:
1. De gemeente luistert voldoende naar de mening van de inwoners
   50% helemaal mee eens of mee eens, gemiddelde 3,4; 20 antwoorden, 2 overgeslagen
2. Welk cijfer geeft u de gemeente?
   gemiddeld cijfer 7,4; 10 antwoorden
3. Hoe komt u naar het centrum?
   meest gekozen: Fiets (50%); 18 antwoorden
4. Welke thema's vindt u belangrijk?
   meest gekozen: Groen (83%); 12 antwoorden
5. Wie van de drie past het best bij Dalfsen?
   1. Groen — kans gekozen uit drie 72%, onzekerheid (90%): 57–83%
   2–3. Veilig — kans gekozen uit drie 38%, onzekerheid (90%): 24–53%
   2–3. Samen — kans gekozen uit drie 24%, onzekerheid (90%): 12–41%
   36 keuzes
6. Wat gaat goed?
   3 open antwoorden (wat gaat goed), 1 overgeslagen

Kans gekozen uit drie: hoe vaak iemand deze keuze kiest als die naast twee willekeurige andere uit de lijst staat. Gemiddeld is dat 33%.
Onzekerheid (90%): de kans ligt met 90% zekerheid tussen deze twee getallen. Lopen die van twee keuzes in elkaar over, dan is hun volgorde niet zeker en delen ze een plaats, zoals 1–3.`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	for _, secret := range []string{"Hoonhorst: 4", "onbekend: 6", "18-34: 5", "65+: 12", "De bibliotheek"} {
		if strings.Contains(got, secret) {
			t.Errorf("got %q, want it hidden", secret)
		}
	}
}

func TestStuurgroepTopOptions(t *testing.T) {
	tests := []struct {
		name string
		opts []OptionResult
		want string
	}{
		{"one top", []OptionResult{{Label: "A", Count: 3, Percent: 60}, {Label: "B", Count: 2, Percent: 40}}, "meest gekozen: A (60%)"},
		{"shared top", []OptionResult{{Label: "A", Count: 2, Percent: 40}, {Label: "B", Count: 1, Percent: 20}, {Label: "C", Count: 2, Percent: 40}}, "meest gekozen: A, C (40%)"},
		{"nothing chosen", []OptionResult{{Label: "A"}, {Label: "B"}}, "nog geen keuzes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := topOptions(tt.opts); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
