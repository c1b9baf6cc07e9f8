package surveys

import (
	"fmt"
	"strings"
)

var scheduleCases = []problemCase{
	{name: "bad cron", edit: [2]string{`opens: "2027-01-04 09:00"`, `cron: "0 9 32 * *"`},
		want: []string{`test.yaml:10:9: schedule: bad cron "0 9 32 * *": end of range (32) above maximum (31): 32`}},
	{name: "cron with too few fields", edit: [2]string{`opens: "2027-01-04 09:00"`, `cron: "0 9 1"`},
		want: []string{"10:9"}},
	{name: "cron with time zone", edit: [2]string{`opens: "2027-01-04 09:00"`, `cron: "CRON_TZ=UTC 0 9 1 * *"`},
		want: []string{`test.yaml:10:9: schedule: cron "CRON_TZ=UTC 0 9 1 * *" sets a time zone; write local time, the zone is configured`}},
	{name: "cron every", edit: [2]string{`opens: "2027-01-04 09:00"`, `cron: "@every 720h"`},
		want: []string{"10:9"}},
	{name: "cron rounds overlap", edit: [2]string{`opens: "2027-01-04 09:00"`, `cron: "0 9 * * 1"`},
		want: []string{`test.yaml:11:13: schedule: duration 14d is longer than the 7d between rounds, rounds would overlap`}},
	{name: "both cron and opens", edit: [2]string{"schedule:\n", "schedule:\n  cron: \"0 9 1 3,9 *\"\n"},
		want: []string{`test.yaml:11:3: schedule: "cron" and "opens" both set, use one of them`}},
	{name: "neither cron nor opens", edit: [2]string{"  opens: \"2027-01-04 09:00\"\n", ""},
		want: []string{`test.yaml:10:3: schedule: needs one of "cron" (repeating rounds) or "opens" (one round)`}},
	{name: "opens without time", edit: [2]string{`"2027-01-04 09:00"`, `"2027-01-04"`},
		want: []string{`test.yaml:10:10: schedule: bad opens time "2027-01-04", want local time as "YYYY-MM-DD HH:MM"`}},
	{name: "opens day first", edit: [2]string{`"2027-01-04 09:00"`, `"04-01-2027 09:00"`},
		want: []string{"10:10"}},
	{name: "bad duration", edit: [2]string{"duration: 14d", "duration: 14 dagen"},
		want: []string{`test.yaml:11:13: schedule: bad duration "14 dagen", want a Go duration such as "72h" or whole days such as "14d"`}},
	{name: "zero duration", edit: [2]string{"duration: 14d", "duration: 0d"},
		want: []string{`test.yaml:11:13: schedule: duration must be more than 0, got "0d"`}},
	{name: "negative duration", edit: [2]string{"duration: 14d", "duration: -2h"},
		want: []string{"11:13"}},
	{name: "reminder not before duration", edit: [2]string{"[48h, 4h]", "[48h, 14d]"},
		want: []string{`test.yaml:12:20: schedule: reminder "14d" before the close must be shorter than the duration 14d`}},
	{name: "reminder longer than duration", edit: [2]string{"[48h, 4h]", "[400h]"},
		want: []string{"12:15"}},
	{name: "duplicate reminder", edit: [2]string{"[48h, 4h]", "[48h, 4h, 2d]"},
		want: []string{`test.yaml:12:24: schedule: duplicate reminder "2d", first at line 12`}},
	{name: "zero reminder", edit: [2]string{"[48h, 4h]", "[48h, 0s]"},
		want: []string{`test.yaml:12:20: schedule: reminder 2 must be more than 0, got "0s"`}},
	{name: "reminders not a list", edit: [2]string{"[48h, 4h]", "48h"},
		want: []string{`test.yaml:12:14: schedule: field "reminders" must be a list, got "48h"`}},
}

var questionCases = []problemCase{
	{name: "no questions", edit: [2]string{baseSurvey[strings.Index(baseSurvey, "questions:"):], "questions: []\n"},
		want: []string{`test.yaml:13:12: questions: no questions, a survey needs at least 1`}},
	{name: "questions empty", edit: [2]string{baseSurvey[strings.Index(baseSurvey, "questions:"):], "questions:\n"},
		want: []string{`test.yaml:13:11: questions: want a list of questions, got nothing`}},
	{name: "too many questions", add: manyQuestions(50),
		want: []string{`test.yaml:67:5: questions: too many questions: 51, max 50`}},
	{name: "duplicate question id", add: "  - id: q1\n    type: rating\n    text: Cijfer\n",
		want: []string{`test.yaml:18:9: duplicate question id "q1", first at line 14`}},
	{name: "bad question id", edit: [2]string{"id: q1", "id: Vraag 1"},
		want: []string{`test.yaml:14:9: question "Vraag 1": bad id "Vraag 1": use lowercase letters a-z, digits, "_" and "-", at most 24 characters`}},
	{name: "question id with colon", edit: [2]string{"id: q1", "id: \"q:1\""},
		want: []string{"14:9"}},
	{name: "unknown question type", edit: [2]string{"type: single", "type: likret"},
		want: []string{`test.yaml:15:11: question "q1": unknown type "likret", did you mean "likert"?; want one of single, multiple, likert, rating, open, wievandedrie`}},
	{name: "text too long", edit: [2]string{"text: Vraag", "text: " + strings.Repeat("a", 1001)},
		want: []string{`test.yaml:16:11: question "q1": text too long: 1001 characters, max 1000`}},
	{name: "empty text", edit: [2]string{"text: Vraag", "text:"},
		want: []string{`test.yaml:16:10: question "q1": field "text" is empty`}},
	{name: "optional not a boolean", edit: [2]string{"text: Vraag", "text: Vraag\n    optional: ja"},
		want: []string{`test.yaml:17:15: question "q1": field "optional" must be true or false, got "ja"`}},
	{name: "key not allowed for type", add: "  - id: q2\n    type: likert\n    text: Stelling\n    pool: [a, b, c]\n",
		want: []string{`test.yaml:21:5: question "q2": field "pool" is not allowed for a likert question`}},
	{name: "options on rating", edit: [2]string{"type: single", "type: rating"},
		want: []string{`test.yaml:17:5: question "q1": field "options" is not allowed for a rating question`}},
	{name: "question not a mapping", add: "  - Hoe gaat het?\n",
		want: []string{`test.yaml:18:5: question 2: want a mapping of fields, got "Hoe gaat het?"`}},
}

var typeCases = []problemCase{
	{name: "too few options", edit: [2]string{"[Ja, Nee]", "[Ja]"},
		want: []string{`test.yaml:17:14: question "q1": need at least 2 options, got 1`}},
	{name: "too many options", edit: [2]string{"[Ja, Nee]", manyOptions(51)},
		want: []string{"17:265"}},
	{name: "options not a list", edit: [2]string{"[Ja, Nee]", "Ja"},
		want: []string{`test.yaml:17:14: question "q1": field "options" must be a list, got "Ja"`}},
	{name: "duplicate option id", edit: [2]string{"[Ja, Nee]", "[{id: ja, label: Ja}, {id: ja, label: Nee}]"},
		want: []string{`test.yaml:17:41: question "q1": duplicate option id "ja", first at line 17`}},
	{name: "duplicate option label", edit: [2]string{"[Ja, Nee]", "[Ja, Nee, Ja]"},
		want: []string{`test.yaml:17:24: question "q1": duplicate option "Ja", first at line 17`}},
	{name: "bad option id", edit: [2]string{"[Ja, Nee]", "[{id: \"Ja!\", label: Ja}, Nee]"},
		want: []string{`test.yaml:17:20: question "q1": option 1: bad option id "Ja!": use lowercase letters a-z, digits, "_" and "-", at most 24 characters`}},
	{name: "option label missing", edit: [2]string{"[Ja, Nee]", "[{id: ja}, Nee]"},
		want: []string{`test.yaml:17:15: question "q1": option 1: missing field "label"`}},
	{name: "option label too long", edit: [2]string{"[Ja, Nee]", "[" + strings.Repeat("j", 201) + ", Nee]"},
		want: []string{`test.yaml:17:15: question "q1": option 1: label too long: 201 characters, max 200`}},
	{name: "likert labels count", add: "  - id: q3\n    type: likert\n    text: Stelling\n    labels: [Oneens, Neutraal, Eens, Zeer eens]\n",
		want: []string{`test.yaml:21:13: question "q3": likert needs exactly 5 labels, got 4`}},
	{name: "multiple min more than max", add: addMultiple("min: 3\n    max: 2"),
		want: []string{`test.yaml:21:10: question "m": min 3 is more than max 2`}},
	{name: "multiple max more than options", add: addMultiple("max: 4"),
		want: []string{`test.yaml:21:10: question "m": max 4 is more than the 3 options`}},
	{name: "multiple min more than options", add: addMultiple("min: 4"),
		want: []string{`test.yaml:21:10: question "m": min 4 is more than the 3 options`}},
	{name: "multiple negative min", add: addMultiple("min: -1"),
		want: []string{"21:10"}},
	{name: "multiple max not a number", add: addMultiple("max: drie"),
		want: []string{`test.yaml:21:10: question "m": field "max" must be a whole number, got "drie"`}},
	{name: "open max_length zero", add: addOpen("max_length: 0"),
		want: []string{`test.yaml:21:17: question "o": max_length must be between 1 and 3000, got 0`}},
	{name: "open max_length too large", add: addOpen("max_length: 5000"),
		want: []string{"21:17"}},
	{name: "open bad category", add: addOpen("category: Risico's"),
		want: []string{`test.yaml:21:15: question "o": bad category "Risico's": use lowercase letters a-z, digits, "_" and "-", at most 24 characters`}},
	{name: "wievandedrie pool too small", add: addTriad("pool: [a, b]"),
		want: []string{`test.yaml:21:11: question "w": need at least 3 options in the pool, got 2`}},
	{name: "wievandedrie pool missing", add: addTriad("triads: 2"),
		want: []string{`test.yaml:18:5: question "w": missing field "pool"`}},
	{name: "wievandedrie triads zero", add: addTriad("triads: 0\n    pool: [a, b, c]"),
		want: []string{`test.yaml:21:13: question "w": triads must be between 1 and 20, got 0`}},
	{name: "wievandedrie triads too many", add: addTriad("triads: 21\n    pool: [a, b, c]"),
		want: []string{"21:13"}},
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
		want: []string{`test.yaml:3:16: bewaartermijn "18 weken": schrijf het aantal maanden, zoals 12, "18 maanden" of "2 jaar" (hoogstens 120 maanden)`}},
	{name: "bewaartermijn zero", edit: [2]string{"title: Test\n", "title: Test\nbewaartermijn: 0\n"},
		want: []string{"3:16"}},
	{name: "bewaartermijn too long", edit: [2]string{"title: Test\n", "title: Test\nbewaartermijn: 11 jaar\n"},
		want: []string{"3:16"}},
}
