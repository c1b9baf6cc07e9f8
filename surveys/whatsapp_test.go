package surveys

import (
	"slices"
	"strings"
	"testing"
)

// withQuestions is baseSurvey with its questions replaced by qs (YAML list items).
func withQuestions(qs string) string {
	return baseSurvey[:strings.Index(baseSurvey, "questions:")] + "questions:\n" + qs
}

// vertrouwen is the burgerpeiling's question on trust in how the municipality is run
// (seed 001: "51 % geeft aan hier veel tot zeer veel vertrouwen in te hebben"), as in
// examples/burgerpeiling.yaml; kort is the third option's extra field, if any.
func vertrouwen(kort string) string {
	return `  - id: vertrouwen
    type: single
    text: "Hoeveel vertrouwen heeft u in de manier waarop de gemeente bestuurd wordt?"
    options:
      - {id: zeer-veel, label: "Zeer veel vertrouwen"}
      - {id: veel, label: "Veel vertrouwen"}
      - {id: neutraal, label: "Niet veel, niet weinig vertrouwen"` + kort + `}
      - {id: weinig, label: "Weinig vertrouwen"}
      - {id: zeer-weinig, label: "Zeer weinig vertrouwen"}
`
}

func TestParseShortLabel(t *testing.T) {
	s, err := Parse("test.yaml", []byte(withQuestions(vertrouwen(`, kort: "Neutraal"`)+
		`  - id: positie
    type: single
    text: "Welke positie heeft u in het huidige proces?"
    options: ["Aan de voorkant", {label: "In de ontwerpfase", kort: ""}, {label: "Bij de uitvoering", kort: "  "}]
  - id: luistert
    type: likert
    text: "De gemeente luistert voldoende naar de mening van de inwoners."
    labels: ["Helemaal oneens", "Oneens", "Neutraal", "Eens", {label: "Helemaal eens, ook met de aanpak", kort: "Helemaal eens"}]
`)))
	if err != nil {
		t.Fatalf("got %v, want no problems", err)
	}
	opt := func(q, id string) Option {
		for _, x := range s.Questions {
			if i := slices.IndexFunc(x.Options, func(o Option) bool { return o.ID == id }); x.ID == q && i >= 0 {
				return x.Options[i]
			}
		}
		t.Fatalf("question %s: no option %s", q, id)
		return Option{}
	}
	tests := []struct {
		name              string
		o                 Option
		wantShort, wantSL string
	}{
		{"kort in a mapping", opt("vertrouwen", "neutraal"), "Neutraal", "Neutraal"},
		{"mapping without kort", opt("vertrouwen", "veel"), "", "Veel vertrouwen"},
		{"plain label", opt("positie", "aan-de-voorkant"), "", "Aan de voorkant"},
		{"empty kort", opt("positie", "in-de-ontwerpfase"), "", "In de ontwerpfase"},
		{"kort of spaces", opt("positie", "bij-de-uitvoering"), "", "Bij de uitvoering"},
		{"likert label with kort", opt("luistert", "5"), "Helemaal eens", "Helemaal eens"},
		{"likert plain label", opt("luistert", "4"), "", "Eens"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.o.Short != tt.wantShort || tt.o.ShortLabel() != tt.wantSL {
				t.Errorf("got Short %q, ShortLabel %q, want %q, %q", tt.o.Short, tt.o.ShortLabel(), tt.wantShort, tt.wantSL)
			}
		})
	}
	if got := opt("luistert", "5").Label; got != "Helemaal eens, ook met de aanpak" {
		t.Errorf("likert label: got %q, want the full label", got)
	}
}

// shortCases are the problems of kort labels; baseSurvey's options are on line 17,
// from column 14.
var shortCases = []problemCase{
	{name: "kort too long", edit: [2]string{"[Ja, Nee]", `[Ja, {label: "Nee, liever niet", kort: "Nee, liever helemaal niet"}]`},
		want: []string{`test.yaml:17:53: vraag "q1": optie 2: kort is te lang: 25 tekens, hoogstens 20`}},
	{name: "kort of 21 characters with diacritics", edit: [2]string{"[Ja, Nee]", `[Ja, {label: Nee, kort: "Nee, één keer is geen"}]`},
		want: []string{"17:38"}},
	{name: "kort not a single value", edit: [2]string{"[Ja, Nee]", `[Ja, {label: Nee, kort: [Nee]}]`},
		want: []string{`test.yaml:17:38: vraag "q1": optie 2: het veld kort hoort één waarde te zijn, maar er staat een lijst`}},
	{name: "kort is another option's label", edit: [2]string{"[Ja, Nee]", `[{label: "Ja, zeker", kort: Nee}, Nee]`},
		want: []string{`test.yaml:17:42: vraag "q1": optie 1: kort "Nee" staat ook op de knop van optie 2`}},
	{name: "two options with one kort", edit: [2]string{"[Ja, Nee]", `[{label: "Ja, zeker", kort: Ja}, {label: "Ja, misschien", kort: Ja}]`},
		want: []string{`test.yaml:17:78: vraag "q1": optie 2: kort "Ja" staat ook op de knop van optie 1`}},
	{name: "unknown option field", edit: [2]string{"[Ja, Nee]", `[Ja, {label: Nee, kot: N}]`},
		want: []string{`test.yaml:17:32: vraag "q1": optie 2: het veld "kot" bestaat niet`}},
	{name: "likert kort too long", add: "  - id: l\n    type: likert\n    text: Eens?\n" +
		`    labels: [a, b, c, d, {label: "Helemaal mee eens", kort: "Helemaal en volledig mee eens"}]` + "\n",
		want: []string{`test.yaml:21:61: vraag "l": label 5: kort is te lang: 29 tekens, hoogstens 20`}},
}

func TestWhatsAppWarnings(t *testing.T) {
	tests := []struct {
		name      string
		questions string
		want      []string
	}{
		{name: "list row: burgerpeiling vertrouwen", questions: vertrouwen(""), want: []string{
			`vraag "vertrouwen", optie "Niet veel, niet weinig vertrouwen": 33 tekens, WhatsApp toont er 24; geef een kort: label`}},
		{name: "list row with kort", questions: vertrouwen(`, kort: "Neutraal"`)},
		{name: "likert with the default labels",
			questions: "  - id: luistert\n    type: likert\n    text: \"De gemeente luistert voldoende naar de mening van de inwoners.\"\n"},
		{name: "likert with a long label",
			questions: "  - id: luistert\n    type: likert\n    text: \"De gemeente luistert voldoende naar de mening van de inwoners.\"\n" +
				`    labels: ["Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens met het voorstel"]` + "\n",
			want: []string{`vraag "luistert", optie "Helemaal mee eens met het voorstel": 34 tekens, WhatsApp toont er 24; geef een kort: label`}},
		{name: "rating 1 to 10", questions: "  - id: cijfer\n    type: rating\n    text: \"Welk rapportcijfer geeft u de gemeente?\"\n"},
		{name: "reply buttons: three options",
			questions: "  - id: vertrouwen\n    type: single\n    text: \"Hoeveel vertrouwen heeft u in het bestuur?\"\n" +
				`    options: ["Veel tot zeer veel vertrouwen", "Niet veel, niet weinig", "Weet ik niet"]` + "\n",
			want: []string{
				`vraag "vertrouwen", optie "Veel tot zeer veel vertrouwen": 29 tekens, WhatsApp toont er 20; geef een kort: label`,
				`vraag "vertrouwen", optie "Niet veel, niet weinig": 22 tekens, WhatsApp toont er 20; geef een kort: label`}},
		{name: "multiple choice: the box takes two",
			questions: "  - id: afweging\n    type: multiple\n    text: \"Welke belangen wegen voor u het zwaarst?\"\n" +
				`    options: ["Klimaat en water", "Sociaal domein en zorg", "Spelen en bewegen buiten"]` + "\n",
			want: []string{
				`vraag "afweging", optie "Spelen en bewegen buiten": 24 tekens, WhatsApp toont er 22 naast het vakje; geef een kort: label`}},
		{name: "numbered buttons are not cut",
			questions: "  - id: rol-raad\n    type: single\n    text: \"Welke rol past de raad?\"\n" +
				`    options: ["De raad gaat zelf het gesprek aan met inwoners", "Het college voert het gesprek en betrekt de raad vanaf het begin", "Weet ik niet"]` + "\n"},
		{name: "wie van de drie: per option",
			questions: "  - id: waarden\n    type: wievandedrie\n    text: \"Welke van deze drie past het best bij Dalfsen?\"\n" +
				`    pool: ["Een jongerenraad", "Gebiedsmakelaars die kerngericht werken", "Tweemaandelijkse bijeenkomsten met raad, college en MT", {label: "Altijd terugkoppeling aan inwoners", kort: "Altijd terugkoppelen"}]` + "\n",
			want: []string{`vraag "waarden", optie "Gebiedsmakelaars die kerngericht werken": 39 tekens, WhatsApp toont er 20; geef een kort: label`}},
		{name: "open question", questions: "  - id: goed\n    type: open\n    text: \"Wat gaat goed?\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("test.yaml", []byte(withQuestions(tt.questions)))
			if err != nil {
				t.Fatalf("got %v, want no problems", err)
			}
			if got := WhatsAppWarnings(s); !slices.Equal(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
