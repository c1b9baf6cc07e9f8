package surveys

import (
	"fmt"
	"strings"
)

var scheduleCases = []problemCase{
	{name: "bad cron", edit: [2]string{`opens: "2027-01-04 09:00"`, `cron: "0 9 32 * *"`},
		want: []string{`test.yaml:10:9: schedule: cron "0 9 32 * *" klopt niet: dag "32" kan niet (1-31)`}},
	{name: "cron with too few fields", edit: [2]string{`opens: "2027-01-04 09:00"`, `cron: "0 9 1"`},
		want: []string{"10:9"}},
	{name: "cron with time zone", edit: [2]string{`opens: "2027-01-04 09:00"`, `cron: "CRON_TZ=UTC 0 9 1 * *"`},
		want: []string{`test.yaml:10:9: schedule: cron "CRON_TZ=UTC 0 9 1 * *" noemt een tijdzone`}},
	{name: "cron every", edit: [2]string{`opens: "2027-01-04 09:00"`, `cron: "@every 720h"`},
		want: []string{"10:9"}},
	{name: "cron rounds overlap", edit: [2]string{`opens: "2027-01-04 09:00"`, `cron: "0 9 * * 1"`},
		want: []string{`test.yaml:11:13: schedule: duration 14d is langer dan de 7d tussen twee rondes`}},
	{name: "both cron and opens", edit: [2]string{"schedule:\n", "schedule:\n  cron: \"0 9 1 3,9 *\"\n"},
		want: []string{`test.yaml:11:3: schedule: cron en opens staan er allebei`}},
	{name: "neither cron nor opens", edit: [2]string{"  opens: \"2027-01-04 09:00\"\n", ""},
		want: []string{`test.yaml:10:3: schedule: cron of opens ontbreekt`}},
	{name: "opens without time", edit: [2]string{`"2027-01-04 09:00"`, `"2027-01-04"`},
		want: []string{`test.yaml:10:10: schedule: de tijd "2027-01-04" bij opens klopt niet`}},
	{name: "opens day first", edit: [2]string{`"2027-01-04 09:00"`, `"04-01-2027 09:00"`},
		want: []string{"10:10"}},
	{name: "bad duration", edit: [2]string{"duration: 14d", "duration: 14 dagen"},
		want: []string{`test.yaml:11:13: schedule: duration "14 dagen" klopt niet`}},
	{name: "zero duration", edit: [2]string{"duration: 14d", "duration: 0d"},
		want: []string{`test.yaml:11:13: schedule: duration "0d" is niet langer dan 0`}},
	{name: "negative duration", edit: [2]string{"duration: 14d", "duration: -2h"},
		want: []string{"11:13"}},
	{name: "reminder not before duration", edit: [2]string{"[48h, 4h]", "[48h, 14d]"},
		want: []string{`test.yaml:12:20: schedule: herinnering "14d" vóór het sluiten is niet korter dan de duur van de ronde (14d)`}},
	{name: "reminder longer than duration", edit: [2]string{"[48h, 4h]", "[400h]"},
		want: []string{"12:15"}},
	{name: "duplicate reminder", edit: [2]string{"[48h, 4h]", "[48h, 4h, 2d]"},
		want: []string{`test.yaml:12:24: schedule: herinnering "2d" valt op hetzelfde moment als "48h" op regel 12`}},
	{name: "zero reminder", edit: [2]string{"[48h, 4h]", "[48h, 0s]"},
		want: []string{`test.yaml:12:20: schedule: herinnering 2 "0s" is niet langer dan 0`}},
	{name: "reminders not a list", edit: [2]string{"[48h, 4h]", "48h"},
		want: []string{`test.yaml:12:14: schedule: het veld reminders hoort een lijst te zijn, maar er staat "48h"`}},
}

var questionCases = []problemCase{
	{name: "no questions", edit: [2]string{baseSurvey[strings.Index(baseSurvey, "questions:"):], "questions: []\n"},
		want: []string{`test.yaml:13:12: questions: de lijst met vragen is leeg`}},
	{name: "questions empty", edit: [2]string{baseSurvey[strings.Index(baseSurvey, "questions:"):], "questions:\n"},
		want: []string{`test.yaml:13:11: questions: hier hoort een lijst met vragen, maar er staat niets`}},
	{name: "too many questions", add: manyQuestions(50),
		want: []string{`test.yaml:67:5: questions: te veel vragen: 51, hoogstens 50`}},
	{name: "duplicate question id", add: "  - id: q1\n    type: rating\n    text: Cijfer\n",
		want: []string{`test.yaml:18:9: het vraag-id "q1" staat er al, op regel 14`}},
	{name: "bad question id", edit: [2]string{"id: q1", "id: Vraag 1"},
		want: []string{`test.yaml:14:9: vraag "Vraag 1": het id "Vraag 1" is niet toegestaan`}},
	{name: "question id with colon", edit: [2]string{"id: q1", "id: \"q:1\""},
		want: []string{"14:9"}},
	{name: "unknown question type", edit: [2]string{"type: single", "type: likret"},
		want: []string{`test.yaml:15:11: vraag "q1": het type "likret" bestaat niet`}},
	{name: "text too long", edit: [2]string{"text: Vraag", "text: " + strings.Repeat("a", 1001)},
		want: []string{`test.yaml:16:11: vraag "q1": text is te lang: 1.001 tekens, hoogstens 1.000`}},
	{name: "empty text", edit: [2]string{"text: Vraag", "text:"},
		want: []string{`test.yaml:16:10: vraag "q1": het veld text is leeg`}},
	{name: "optional not a boolean", edit: [2]string{"text: Vraag", "text: Vraag\n    optional: ja"},
		want: []string{`test.yaml:17:15: vraag "q1": het veld optional hoort true of false te zijn, maar er staat "ja"`}},
	{name: "key not allowed for type", add: "  - id: q2\n    type: likert\n    text: Stelling\n    pool: [a, b, c]\n",
		want: []string{`test.yaml:21:5: vraag "q2": het veld pool hoort niet bij een vraag van type likert`}},
	{name: "options on rating", edit: [2]string{"type: single", "type: rating"},
		want: []string{`test.yaml:17:5: vraag "q1": het veld options hoort niet bij een vraag van type rating`}},
	{name: "question not a mapping", add: "  - Hoe gaat het?\n",
		want: []string{`test.yaml:18:5: vraag 2: hier horen velden (naam: waarde), maar er staat "Hoe gaat het?"`}},
}

var typeCases = []problemCase{
	{name: "too few options", edit: [2]string{"[Ja, Nee]", "[Ja]"},
		want: []string{`test.yaml:17:14: vraag "q1": te weinig keuzes: 1, minstens 2`}},
	{name: "too many options", edit: [2]string{"[Ja, Nee]", manyOptions(51)},
		want: []string{"17:265"}},
	{name: "options not a list", edit: [2]string{"[Ja, Nee]", "Ja"},
		want: []string{`test.yaml:17:14: vraag "q1": het veld options hoort een lijst te zijn, maar er staat "Ja"`}},
	{name: "duplicate option id", edit: [2]string{"[Ja, Nee]", "[{id: ja, label: Ja}, {id: ja, label: Nee}]"},
		want: []string{`test.yaml:17:41: vraag "q1": het optie-id "ja" staat er al, op regel 17`}},
	{name: "duplicate option label", edit: [2]string{"[Ja, Nee]", "[Ja, Nee, Ja]"},
		want: []string{`test.yaml:17:24: vraag "q1": de keuze "Ja" staat er al, op regel 17`}},
	{name: "bad option id", edit: [2]string{"[Ja, Nee]", "[{id: \"Ja!\", label: Ja}, Nee]"},
		want: []string{`test.yaml:17:20: vraag "q1": optie 1: het optie-id "Ja!" is niet toegestaan`}},
	{name: "option label missing", edit: [2]string{"[Ja, Nee]", "[{id: ja}, Nee]"},
		want: []string{`test.yaml:17:15: vraag "q1": optie 1: het veld label ontbreekt`}},
	{name: "option label too long", edit: [2]string{"[Ja, Nee]", "[" + strings.Repeat("j", 201) + ", Nee]"},
		want: []string{`test.yaml:17:15: vraag "q1": optie 1: label is te lang: 201 tekens, hoogstens 200`}},
	{name: "likert labels count", add: "  - id: q3\n    type: likert\n    text: Stelling\n    labels: [Oneens, Neutraal, Eens, Zeer eens]\n",
		want: []string{`test.yaml:21:13: vraag "q3": een likert heeft precies 5 labels, hier staan er 4`}},
	{name: "multiple min more than max", add: addMultiple("min: 3\n    max: 2"),
		want: []string{`test.yaml:21:10: vraag "m": min 3 is meer dan max 2`}},
	{name: "multiple max more than options", add: addMultiple("max: 4"),
		want: []string{`test.yaml:21:10: vraag "m": max 4 is meer dan de 3 keuzes`}},
	{name: "multiple min more than options", add: addMultiple("min: 4"),
		want: []string{`test.yaml:21:10: vraag "m": min 4 is meer dan de 3 keuzes`}},
	{name: "multiple negative min", add: addMultiple("min: -1"),
		want: []string{"21:10"}},
	{name: "multiple max not a number", add: addMultiple("max: drie"),
		want: []string{`test.yaml:21:10: vraag "m": het veld max hoort een heel getal te zijn, maar er staat "drie"`}},
	{name: "open max_length zero", add: addOpen("max_length: 0"),
		want: []string{`test.yaml:21:17: vraag "o": max_length ligt niet tussen 1 en 3.000: er staat 0`}},
	{name: "open max_length too large", add: addOpen("max_length: 5000"),
		want: []string{"21:17"}},
	{name: "open bad category", add: addOpen("category: Risico's"),
		want: []string{`test.yaml:21:15: vraag "o": de categorie "Risico's" is niet toegestaan`}},
	{name: "wievandedrie pool too small", add: addTriad("pool: [a, b]"),
		want: []string{`test.yaml:21:11: vraag "w": te weinig keuzes in de pool: 2, minstens 3`}},
	{name: "wievandedrie pool missing", add: addTriad("triads: 2"),
		want: []string{`test.yaml:18:5: vraag "w": het veld pool ontbreekt`}},
	{name: "wievandedrie triads zero", add: addTriad("triads: 0\n    pool: [a, b, c]"),
		want: []string{`test.yaml:21:13: vraag "w": triads ligt niet tussen 1 en 20: er staat 0`}},
	{name: "wievandedrie triads too many", add: addTriad("triads: 21\n    pool: [a, b, c]"),
		want: []string{"21:13"}},
	{name: "wievandedrie adaptief not a boolean", add: addTriad("pool: [a, b, c]\n    adaptief: ja"),
		want: []string{`test.yaml:22:15: vraag "w": het veld adaptief hoort true of false te zijn, maar er staat "ja"`}},
	{name: "adaptief on open", add: addOpen("adaptief: true"),
		want: []string{`test.yaml:21:5: vraag "o": het veld adaptief hoort niet bij een vraag van type open`}},
}

// multiple, open and triad append a question of that type (lines 18-20) with extra
// fields from line 21.
func addMultiple(extra string) string {
	return "  - id: m\n    type: multiple\n    options: [a, b, c]\n    " + extra + "\n    text: Kies\n"
}

func addOpen(extra string) string {
	return "  - id: o\n    type: open\n    text: Vertel\n    " + extra + "\n"
}

func addTriad(extra string) string {
	return "  - id: w\n    type: wievandedrie\n    text: Welke past?\n    " + extra + "\n"
}

// manyQuestions returns n rating questions, one a line.
func manyQuestions(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "  - {id: r%d, type: rating, text: Cijfer}\n", i)
	}
	return b.String()
}

// manyOptions returns a flow list of n options "o00", "o01", ….
func manyOptions(n int) string {
	opts := make([]string, n)
	for i := range opts {
		opts[i] = fmt.Sprintf("o%02d", i)
	}
	return "[" + strings.Join(opts, ", ") + "]"
}

var retentionCases = []problemCase{
	{name: "bewaartermijn in words", edit: [2]string{"title: Test\n", "title: Test\nbewaartermijn: 18 weken\n"},
		want: []string{`test.yaml:3:16: bewaartermijn "18 weken" klopt niet`}},
	{name: "bewaartermijn zero", edit: [2]string{"title: Test\n", "title: Test\nbewaartermijn: 0\n"},
		want: []string{"3:16"}},
	{name: "bewaartermijn too long", edit: [2]string{"title: Test\n", "title: Test\nbewaartermijn: 11 jaar\n"},
		want: []string{"3:16"}},
}

var publishCases = []problemCase{
	{name: "publiceren not a boolean", edit: [2]string{"title: Test\n", "title: Test\npubliceren: ja\n"},
		want: []string{`test.yaml:3:13: het veld publiceren hoort true of false te zijn, maar er staat "ja"`}},
	{name: "publiceren quoted", edit: [2]string{"title: Test\n", "title: Test\npubliceren: \"true\"\n"},
		want: []string{"3:13"}},
}
