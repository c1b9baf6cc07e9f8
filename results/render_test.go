package results

import (
	"bytes"
	"github.com/participatiebot/participatiebot/lang"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/surveys"
)

func TestDutchFormatting(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"mean one decimal", dutch.Decimal(7.36, 1), "7,4"},
		{"mean whole", dutch.Decimal(7, 1), "7,0"},
		{"half rounds up", dutch.Decimal(3.35, 1), "3,4"},
		{"thousands and decimals", dutch.Decimal(1234.5, 1), "1.234,5"},
		{"negative decimal", dutch.Decimal(-0.25, 2), "-0,25"},
		{"int thousands", dutch.Int(1234567), "1.234.567"},
		{"int small", dutch.Int(999), "999"},
		{"int negative", dutch.Int(-1234), "-1.234"},
		{"percent rounds", dutch.Percent(31.666), "32%"},
		{"percent down", dutch.Percent(33.333), "33%"},
		{"percent hundred", dutch.Percent(100), "100%"},
		{"date", dutch.Date(time.Date(2027, time.February, 15, 10, 0, 0, 0, time.UTC)), "15 februari 2027"},
		{"date december", dutch.Date(time.Date(2026, time.December, 1, 0, 0, 0, 0, time.UTC)), "1 december 2026"},
		{"bar", bar(45), "█████░░░░░"},
		{"bar empty", bar(0), "░░░░░░░░░░"},
		{"bar full", bar(100), "██████████"},
		{"plural one", dutch.Plural(1, "antwoord", "antwoorden"), "1 antwoord"},
		{"plural many", dutch.Plural(1200, "antwoord", "antwoorden"), "1.200 antwoorden"},
		{"clip between words", clip("één twee drie", 8), "één…"},
		{"clip after a whole word", clip("één twee drie", 10), "één twee…"},
		{"clip a word longer than n", clip("Verkeersveiligheid", 8), "Verkeer…"},
		{"clip drops a dangling comma", clip("ziet u, de uitslag", 9), "ziet u…"},
		{"clip keeps short", clip("kort", 8), "kort"},
		{"clip joins lines", clip("a\n b", 0), "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

// resSmall is a small example for the exact text output.
func resSmall() *Results {
	s := &surveys.Survey{ID: "proef", Title: "Proefpeiling", Questions: []surveys.Question{
		{ID: "vervoer", Type: surveys.Single, Text: "Hoe komt u naar het centrum?", Options: []surveys.Option{
			{ID: "fiets", Label: "Fiets"}, {ID: "auto", Label: "Auto"}}},
		{ID: "cijfer", Type: surveys.Rating, Text: "Welk cijfer geeft u het centrum?", Options: resRatingOptions()},
		{ID: "waarden", Type: surveys.WieVanDeDrie, Text: "Wie van de drie?", Options: []surveys.Option{
			{ID: "a", Label: "Groen"}, {ID: "b", Label: "Veilig"}, {ID: "c", Label: "Samen"}}},
		{ID: "beter", Type: surveys.Open, Text: "Wat kan beter?"},
	}}
	tallies := map[string]int64{
		"respondents": 42, "completed": 38, "invited": 120,
		"q:vervoer:n": 40, "q:vervoer:o:fiets": 30, "q:vervoer:o:auto": 10,
		"q:cijfer:n": 10, "q:cijfer:o:7": 6, "q:cijfer:o:8": 4,
		"q:waarden:n": 36, "q:waarden:w:a": 22, "q:waarden:s:a": 36, "q:waarden:w:b": 14, "q:waarden:s:b": 36,
		"q:waarden:p:a:b": 22, "q:waarden:p:b:a": 14, "q:waarden:t:a:b": 36,
		"q:beter:n": 2,
	}
	open := map[string][]string{"beter": {"Meer bankjes", "Parkeren bij de kerk"}}
	round := RoundInfo{ID: "2027-03", Opened: time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC), Closed: time.Date(2027, 3, 15, 17, 0, 0, 0, time.UTC)}
	return Compute(s, round, tallies, open, 10)
}

func TestWriteTextExact(t *testing.T) {
	var b bytes.Buffer
	if err := WriteText(&b, resSmall()); err != nil {
		t.Fatal(err)
	}
	want := `Proefpeiling
Ronde 2027-03: 1 maart 2027 t/m 15 maart 2027
Respons: 42 deelnemers, 38 volledig (van 120 uitgenodigd: 32%)

1. Hoe komt u naar het centrum?
  Fiets  75% (30)  ████████░░
  Auto   25% (10)  ███░░░░░░░
  40 antwoorden

2. Welk cijfer geeft u het centrum?
  1    0% (0)  ░░░░░░░░░░
  2    0% (0)  ░░░░░░░░░░
  3    0% (0)  ░░░░░░░░░░
  4    0% (0)  ░░░░░░░░░░
  5    0% (0)  ░░░░░░░░░░
  6    0% (0)  ░░░░░░░░░░
  7   60% (6)  ██████░░░░
  8   40% (4)  ████░░░░░░
  9    0% (0)  ░░░░░░░░░░
  10   0% (0)  ░░░░░░░░░░
  Gemiddeld cijfer: 7,4
  10 antwoorden

3. Wie van de drie?
  Geen duidelijke winnaar: de verschillen tussen de twee zijn klein.
  1–2. Groen — kans gekozen uit drie 61%, onzekerheid (90%): 47–73%; gekozen in 22 van 36 keren getoond
  1–2. Veilig — kans gekozen uit drie 39%, onzekerheid (90%): 27–53%; gekozen in 14 van 36 keren getoond
  –. Samen — niet getoond
  Kans gekozen uit drie: hoe vaak iemand deze keuze kiest als die naast twee willekeurige andere uit de lijst staat. Gemiddeld is dat 33%.
  Onzekerheid (90%): de kans ligt met 90% zekerheid tussen deze twee getallen. Lopen die van twee keuzes in elkaar over, dan is hun volgorde niet zeker en delen ze een plaats, zoals 1–3.
  36 keuzes

4. Wat kan beter?
  - Meer bankjes
  - Parkeren bij de kerk
  2 antwoorden

Deelnemers per kern:
  onbekend: 42

Deelnemers per leeftijdsgroep:
  onbekend: 42
`
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestWriteTextLines(t *testing.T) {
	var b bytes.Buffer
	if err := WriteText(&b, resResults()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	want := []string{
		"Inwonerspeiling Dalfsen",
		"Ronde 2027-03: 1 maart 2027 t/m 14 maart 2027", // closes at midnight
		"Respons: 42 deelnemers, 38 volledig (van 120 uitgenodigd: 32%)",
		"1. De gemeente luistert voldoende naar de mening van de inwoners",
		"  Mee eens             30% (6)  ███░░░░░░░",
		"  Helemaal mee eens of mee eens: 50%", // the survey's own labels, as on the buttons
		"  Gemiddelde score: 3,4 (schaal 1-5)",
		"  20 antwoorden, 2 overgeslagen",
		"  Gemiddeld cijfer: 7,4",
		"4. Welke thema's vindt u belangrijk? (meer antwoorden mogelijk)",
		"  Groen    83% (10)  ████████░░",
		"  1. Groen — kans gekozen uit drie 72%, onzekerheid (90%): 57–83%; gekozen in 22 van 30 keren getoond",
		"  2–3. Veilig — kans gekozen uit drie 38%, onzekerheid (90%): 24–53%; gekozen in 9 van 26 keren getoond",
		"  2–3. Samen — kans gekozen uit drie 24%, onzekerheid (90%): 12–41%; gekozen in 5 van 22 keren getoond",
		"  –. Betaalbaar — te weinig gegevens; gekozen in 0 van 30 keren getoond", // never picked: no figure
		"  –. Sportief — niet getoond",
		"  - Het groen in de kernen",
		"    en de fietspaden",
		"  3 antwoorden, 1 overgeslagen",
		"  Hoonhorst: <10",
		"  65+: ≥10",
		"(kleine groepen tonen we niet precies, zodat niemand herkenbaar is)",
	}
	for _, w := range want {
		if !containsLine(lines, w) {
			t.Errorf("got no line %q, want it in\n%s", w, b.String())
		}
	}
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

func TestTextSummary(t *testing.T) {
	r := resResults()
	r.Questions[5].Open = []string{"een", "twee", "drie", "vier", "vijf"}
	tests := []struct {
		name      string
		open      bool
		want, not []string
	}{
		{name: "counts only", open: false,
			want: []string{"  3 antwoorden, 1 overgeslagen", "  7  60% (6)  ██████░░░░", "  Gemiddeld cijfer: 7,4"},
			not:  []string{"  - een", "  1    0% (0)  ░░░░░░░░░░", "Deelnemers per kern:"}},
		{name: "first answers", open: true,
			want: []string{"  - een", "  - drie", "  … en nog 2 antwoorden"},
			not:  []string{"  - vier"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TextSummary(r, tt.open)
			lines := strings.Split(got, "\n")
			for _, w := range tt.want {
				if !containsLine(lines, w) {
					t.Errorf("got no line %q, want it in\n%s", w, got)
				}
			}
			for _, n := range tt.not {
				if containsLine(lines, n) {
					t.Errorf("got line %q, want none", n)
				}
			}
		})
	}
}

// resHuge is a round with very long texts, emoji and right-to-left script, and
// thousands of long open answers.
func resHuge(questions int) *Results {
	long := strings.Repeat("Heel lang verhaal 🙂 مرحبا بالعالم ", 400)
	s := resSurvey()
	s.Title = long
	for i := range questions {
		q := surveys.Question{ID: "open" + string(rune('a'+i%26)) + strings.Repeat("x", i/26), Type: surveys.Open, Text: long}
		if i%3 == 1 {
			q = surveys.Question{ID: q.ID, Type: surveys.Single, Text: long, Options: []surveys.Option{{ID: "a", Label: long}, {ID: "b", Label: "🙂🙂"}}}
		}
		s.Questions = append(s.Questions, q)
	}
	open := map[string][]string{}
	for _, q := range s.Questions {
		for range 300 { // many, and each longer than any max_length allows
			open[q.ID] = append(open[q.ID], long)
		}
	}
	tallies := resTallies()
	tallies["respondents:k:"+long] = 11
	return Compute(s, resRound, tallies, open, 10)
}

func TestSummariesFitOneMessage(t *testing.T) {
	answers := map[string]surveys.Answer{"luistert": {Options: []string{"4"}}}
	for _, questions := range []int{0, 2, 60} {
		r := resHuge(questions)
		tests := []struct {
			name, got string
		}{
			{"text summary", TextSummary(r, false)},
			{"text summary with open answers", TextSummary(r, true)},
			{"personal", PersonalSummary(lang.Dutch(), r, answers, surveys.Profile{})},
			{"stuurgroep", StuurgroepSummary(r)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if n := chatLen(tt.got); n >= 4096 {
					t.Errorf("length: got %v, want under 4096", n)
				}
				if !utf8.ValidString(tt.got) {
					t.Errorf("got invalid UTF-8, want valid")
				}
			})
		}
		if !strings.HasSuffix(tests[2].got, "Op 15 februari 2027 hoort u wat er met de uitkomst is gedaan.") {
			t.Errorf("personal summary end: got %q, want the terugkoppeling", tests[2].got[len(tests[2].got)-100:])
		}
	}
}

func TestRenderOddText(t *testing.T) {
	texts := []string{"🙂👍🏽👨‍👩‍👧", "مرحبا بالعالم", "\u202eabc\u202c", "\xff\xfe ongeldig", "<script>alert(1)</script>", "", "a\r\nb"}
	for _, txt := range texts {
		t.Run(txt, func(t *testing.T) {
			s := resSurvey()
			s.Title = txt
			for i := range s.Questions {
				s.Questions[i].Text = txt
				for j := range s.Questions[i].Options {
					s.Questions[i].Options[j].Label = txt
				}
			}
			r := Compute(s, RoundInfo{ID: txt}, resTallies(), map[string][]string{"goed": {txt, txt}}, 10)
			var b bytes.Buffer
			for _, err := range []error{WriteText(&b, r), WriteJSON(&b, r), WriteCSV(&b, r)} {
				if err != nil {
					t.Errorf("got %v, want no error", err)
				}
			}
			_ = TextSummary(r, true) + PersonalSummary(lang.Dutch(), r, map[string]surveys.Answer{"goed": {Text: txt}}, surveys.Profile{Kern: txt}) + StuurgroepSummary(r)
			if txt == "<script>alert(1)</script>" && !strings.Contains(TextSummary(r, false), txt) {
				t.Errorf("got the text changed, want plain text as given")
			}
		})
	}
}
