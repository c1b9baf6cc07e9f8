package surveys

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// baseSurvey is a valid survey file; the problem cases edit it. Line numbers: id 1,
// title 2, participatiekaart 3 (doel 4 … terugkoppeling 8), schedule 9 (opens 10,
// duration 11, reminders 12), questions 13, question q1 14-17 (options on 17);
// questions appended with add start on line 18.
const baseSurvey = `id: test
title: Test
participatiekaart:
  doel: Waarom we het vragen
  wie_beslist: gemeenteraad
  trede: raadplegen
  wat_gebeurt_er_mee: De raad besluit
  terugkoppeling: 2027-02-15
schedule:
  opens: "2027-01-04 09:00"
  duration: 14d
  reminders: [48h, 4h]
questions:
  - id: q1
    type: single
    text: Vraag
    options: [Ja, Nee]
`

// problemCase is a survey file with its expected problems. A want entry with the
// file name compares the whole "file:line:col: message", one without only "line:col".
type problemCase struct {
	name string
	file string // the whole file, or "" to use edit
	edit [2]string
	add  string // appended to the questions
	want []string
}

func (c problemCase) text(t *testing.T) string {
	if c.file != "" {
		return c.file
	}
	if c.edit[0] != "" && !strings.Contains(baseSurvey, c.edit[0]) {
		t.Fatalf("edit %q: not found in the base survey", c.edit[0])
	}
	return strings.Replace(baseSurvey, c.edit[0], c.edit[1], 1) + c.add
}

func TestParseValidBase(t *testing.T) {
	if _, err := Parse("test.yaml", []byte(baseSurvey)); err != nil {
		t.Fatalf("got %v, want no problems", err)
	}
}

func TestParseProblems(t *testing.T) {
	var tests []problemCase
	tests = append(tests, syntaxCases...)
	tests = append(tests, fieldCases...)
	tests = append(tests, missingFieldCases()...)
	tests = append(tests, cardCases...)
	tests = append(tests, scheduleCases...)
	tests = append(tests, retentionCases...)
	tests = append(tests, publishCases...)
	tests = append(tests, questionCases...)
	tests = append(tests, typeCases...)
	tests = append(tests, shortCases...)
	tests = append(tests, weetNietCases...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("test.yaml", []byte(tt.text(t)))
			if err == nil {
				t.Fatalf("got no problems, want %v", tt.want)
			}
			if s != nil {
				t.Errorf("got survey %q with problems, want nil", s.ID)
			}
			var probs Problems
			if !errors.As(err, &probs) {
				t.Fatalf("got error %T, want Problems", err)
			}
			got := make([]string, len(probs))
			for i, p := range probs {
				if strings.HasPrefix(tt.want[min(i, len(tt.want)-1)], "test.yaml:") {
					got[i] = p.Error()
				} else {
					got[i] = fmt.Sprintf("%d:%d", p.Line, p.Col)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%v\nwant\n%v\n(all: %v)", strings.Join(got, "\n"), strings.Join(tt.want, "\n"), err)
			}
		})
	}
}

var syntaxCases = []problemCase{
	{name: "yaml syntax unclosed list", edit: [2]string{"[48h, 4h]", "[48h, 4h"},
		want: []string{`test.yaml:12:1: de YAML klopt niet: een lijst tussen [ en ] is niet afgesloten`}},
	{name: "yaml syntax tab", edit: [2]string{"  trede:", "\ttrede:"},
		want: []string{`test.yaml:5:1: de YAML klopt niet: hier staat een tab waar spaties horen`}},
	{name: "yaml syntax bad indent", edit: [2]string{"    text: Vraag", "   text: Vraag"},
		want: []string{"14:1"}},
	{name: "empty file", file: "# nog leeg\n",
		want: []string{`test.yaml:1:1: het bestand is leeg`}},
	{name: "second document", add: "---\nid: nog-een\n",
		want: []string{`test.yaml:18:1: hier begint een tweede vragenlijst (na ---)`}},
	{name: "not a mapping", file: "- id: test\n",
		want: []string{`test.yaml:1:1: hier horen velden (naam: waarde), maar er staat een lijst`}},
}

var fieldCases = []problemCase{
	{name: "unknown key with did-you-mean", edit: [2]string{"options:", "optoins:"},
		want: []string{
			`test.yaml:14:5: vraag "q1": het veld options ontbreekt`,
			`test.yaml:17:5: vraag "q1": het veld "optoins" bestaat niet`,
		}},
	{name: "unknown top-level key with did-you-mean", edit: [2]string{"title:", "titel:"},
		want: []string{
			`test.yaml:1:1: het veld title ontbreekt`,
			`test.yaml:2:1: het veld "titel" bestaat niet`,
		}},
	{name: "unknown key without suggestion", edit: [2]string{"  trede:", "  kleur: rood\n  trede:"},
		want: []string{`test.yaml:6:3: participatiekaart: het veld "kleur" bestaat niet`}},
	{name: "repeated key", edit: [2]string{"title: Test", "title: Test\ntitle: Nog eens"},
		want: []string{`test.yaml:3:1: het veld title staat er twee keer (eerst op regel 2)`}},
	{name: "bad id", edit: [2]string{"id: test", "id: Test Peiling"},
		want: []string{`test.yaml:1:5: het id "Test Peiling" is niet toegestaan`}},
	{name: "id too long", edit: [2]string{"id: test", "id: " + strings.Repeat("a", 41)},
		want: []string{"1:5"}},
	{name: "empty id", edit: [2]string{"id: test", "id: \"\""},
		want: []string{`test.yaml:1:5: het veld id is leeg`}},
	{name: "bad language", edit: [2]string{"title: Test", "title: Test\nlanguage: de"},
		want: []string{`test.yaml:3:11: de taal "de" wordt niet ondersteund`}},
	{name: "title too long", edit: [2]string{"title: Test", "title: " + strings.Repeat("x", 201)},
		want: []string{`test.yaml:2:8: title is te lang: 201 tekens, hoogstens 200`}},
}

// missingFieldCases removes each required field in turn.
func missingFieldCases() []problemCase {
	var cases []problemCase
	top := map[string]string{
		"title":             "title: Test\n",
		"participatiekaart": baseSurvey[strings.Index(baseSurvey, "participatiekaart:"):strings.Index(baseSurvey, "schedule:")],
		"schedule":          baseSurvey[strings.Index(baseSurvey, "schedule:"):strings.Index(baseSurvey, "questions:")],
		"questions":         baseSurvey[strings.Index(baseSurvey, "questions:"):],
	}
	for _, f := range []string{"title", "participatiekaart", "schedule", "questions"} {
		cases = append(cases, problemCase{name: "missing " + f, edit: [2]string{top[f], ""},
			want: []string{fmt.Sprintf("test.yaml:1:1: het veld %s ontbreekt", f)}})
	}
	for _, f := range yamlCardKeys {
		line := baseSurvey[strings.Index(baseSurvey, "  "+f+":"):]
		line = line[:strings.Index(line, "\n")+1]
		cases = append(cases, problemCase{name: "participatiekaart missing " + f, edit: [2]string{line, ""},
			want: []string{fmt.Sprintf("test.yaml:4:3: participatiekaart: het veld %s ontbreekt", f)}})
	}
	cases = append(cases,
		problemCase{name: "question missing id", edit: [2]string{"  - id: q1\n    type", "  - type"},
			want: []string{`test.yaml:14:5: vraag 1: het veld id ontbreekt`}},
		problemCase{name: "question missing type", edit: [2]string{"    type: single\n", ""},
			want: []string{`test.yaml:14:5: vraag "q1": het veld type ontbreekt`}},
		problemCase{name: "question missing text", edit: [2]string{"    text: Vraag\n", ""},
			want: []string{`test.yaml:14:5: vraag "q1": het veld text ontbreekt`}},
		problemCase{name: "schedule missing duration", edit: [2]string{"  duration: 14d\n  reminders: [48h, 4h]\n", ""},
			want: []string{`test.yaml:10:3: schedule: het veld duration ontbreekt`}},
	)
	return cases
}

var cardCases = []problemCase{
	{name: "bad wie_beslist", edit: [2]string{"wie_beslist: gemeenteraad", "wie_beslist: raad"},
		want: []string{`test.yaml:5:16: participatiekaart: wie_beslist "raad" bestaat niet`}},
	{name: "bad wie_beslist typo", edit: [2]string{"wie_beslist: gemeenteraad", "wie_beslist: colege"},
		want: []string{`test.yaml:5:16: participatiekaart: wie_beslist "colege" bestaat niet`}},
	{name: "bad trede", edit: [2]string{"trede: raadplegen", "trede: meedenken"},
		want: []string{`test.yaml:6:10: participatiekaart: trede "meedenken" bestaat niet`}},
	{name: "bad terugkoppeling date", edit: [2]string{"2027-02-15", "15-02-2027"},
		want: []string{`test.yaml:8:19: participatiekaart: de datum van terugkoppeling "15-02-2027" klopt niet`}},
	{name: "impossible terugkoppeling date", edit: [2]string{"2027-02-15", "2027-02-30"},
		want: []string{"8:19"}},
	{name: "terugkoppeling before close", edit: [2]string{"2027-02-15", "2027-01-10"},
		want: []string{`test.yaml:8:19: participatiekaart: terugkoppeling 2027-01-10 is vóór het sluiten van de ronde op 2027-01-18`}},
	{name: "card is a list", edit: [2]string{"participatiekaart:\n", "participatiekaart: [x]\nkaart:\n"},
		want: []string{`test.yaml:3:20: participatiekaart: hier horen velden (naam: waarde), maar er staat een lijst`, "4:1"}},
}

func TestLoadBewaartermijn(t *testing.T) {
	tests := []struct {
		line string
		want int
	}{
		{"", 0}, {"bewaartermijn: 6\n", 6}, {"bewaartermijn: 1 maand\n", 1}, {"bewaartermijn: \"18 maanden\"\n", 18},
		{"bewaartermijn: 2 jaar\n", 24},
	}
	for _, tt := range tests {
		s, err := Parse("test.yaml", []byte(strings.Replace(baseSurvey, "title: Test\n", "title: Test\n"+tt.line, 1)))
		if err != nil {
			t.Fatalf("%q: %v", tt.line, err)
		}
		if s.Bewaartermijn != tt.want {
			t.Errorf("%q: got %d months, want %d", tt.line, s.Bewaartermijn, tt.want)
		}
	}
}

func TestLoadPubliceren(t *testing.T) {
	tests := []struct {
		name, line string
		want       bool
	}{
		{"default off", "", false},
		{"on", "publiceren: true\n", true},
		{"off", "publiceren: false\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("test.yaml", []byte(strings.Replace(baseSurvey, "title: Test\n", "title: Test\n"+tt.line, 1)))
			if err != nil {
				t.Fatalf("got %v, want no problems", err)
			}
			if s.Publiceren != tt.want {
				t.Errorf("got Publiceren %v, want %v", s.Publiceren, tt.want)
			}
		})
	}
}
