package surveys

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/problems.golden from what the validator says now")

// tipCases are problems whose tip depends on what the file says: a value organisers
// often write, a date written day first, a typo.
var tipCases = []problemCase{
	{name: "tip wie_beslist wethouder", edit: [2]string{"wie_beslist: gemeenteraad", "wie_beslist: wethouder"}},
	{name: "tip wie_beslist raad", edit: [2]string{"wie_beslist: gemeenteraad", "wie_beslist: raad"}},
	{name: "tip trede meedenken", edit: [2]string{"trede: raadplegen", "trede: meedenken"}},
	{name: "tip trede typo", edit: [2]string{"trede: raadplegen", "trede: adviesren"}},
	{name: "tip terugkoppeling day first", edit: [2]string{"2027-02-15", "15-2-2027"}},
	{name: "tip opens date only", edit: [2]string{`"2027-01-04 09:00"`, `"2027-01-04"`}},
	{name: "tip opens day first", edit: [2]string{`"2027-01-04 09:00"`, `"04-01-2027 10:30"`}},
	{name: "tip cron hour", edit: [2]string{`opens: "2027-01-04 09:00"`, `cron: "0 25 1 * *"`}},
	{name: "tip cron weekday", edit: [2]string{`opens: "2027-01-04 09:00"`, `cron: "0 9 * * maandag"`}},
	{name: "tip cron too few fields", edit: [2]string{`opens: "2027-01-04 09:00"`, `cron: "0 9 1"`}},
	{name: "tip cron unknown word", edit: [2]string{`opens: "2027-01-04 09:00"`, `cron: "@maandelijks"`}},
	{name: "tip cron every", edit: [2]string{`opens: "2027-01-04 09:00"`, `cron: "@every 720h"`}},
	{name: "tip bad id made from it", edit: [2]string{"id: test", "id: Peiling Centrum 2027"}},
	{name: "tip question id made from it", edit: [2]string{"id: q1", "id: Vraag één"}},
	{name: "tip options on wievandedrie", add: "  - id: w\n    type: wievandedrie\n    text: Welke past?\n    options: [a, b, c]\n"},
	{name: "tip pool on single", edit: [2]string{"options: [Ja, Nee]", "pool: [Ja, Nee]"}},
	{name: "tip options on likert", add: "  - id: l\n    type: likert\n    text: Stelling\n    options: [Ja, Nee]\n"},
	{name: "tip reminders one value", edit: [2]string{"[48h, 4h]", "48h"}},
	{name: "tip empty title", edit: [2]string{"title: Test", "title: \"\""}},
	{name: "tip text not one value", edit: [2]string{"text: Vraag", "text: [Vraag]"}},
	{name: "tip unknown type typo", edit: [2]string{"type: single", "type: singel"}},
	{name: "tip unknown type", edit: [2]string{"type: single", "type: keuze"}},
	{name: "tip unknown anchor", edit: [2]string{"[Ja, Nee]", "*keuzes"}},
	{name: "tip colon in text", edit: [2]string{"text: Vraag", "text: Let op: vraag"}},
	{name: "tip label missing in option", edit: [2]string{"[Ja, Nee]", "[{id: ja}, {id: nee, label: Nee}]"}},
	{name: "tip likert label mapping", add: "  - id: l\n    type: likert\n    text: Stelling\n    labels: [a, b, c, d, {kleur: e}]\n"},
	{name: "tip bewaartermijn list", edit: [2]string{"title: Test\n", "title: Test\nbewaartermijn: [12]\n"}},
	{name: "bounds nested too deep", file: "x: " + strings.Repeat("[", limDepth) + strings.Repeat("]", limDepth) + "\n"},
	{name: "bounds alias in own anchor", file: bombHead + "questions: &l [*l]\n"},
	{name: "bounds text too long", file: strings.Replace(baseSurvey, "text: Vraag", "text: "+strings.Repeat("é", limScalarChars+1), 1)},
	{name: "bounds file too big", file: baseSurvey + "# " + strings.Repeat("x", limFileBytes) + "\n"},
	{name: "bounds alias expansion", file: bombHead + "questions: [&q {id: q, type: single, text: t, options: [&o a" +
		strings.Repeat(",*o", 99) + "]}" + strings.Repeat(",*q", 600) + "]\n"},
}

// manyUnknown is n unknown top-level fields, one a line, from line 2.
func manyUnknown(n int) string {
	var b strings.Builder
	b.WriteString("title: Test\n")
	for i := range n {
		fmt.Fprintf(&b, "x%d: 1\n", i)
	}
	return b.String()
}

// goldenCases are the problem cases of every table, one or more per kind of problem.
func goldenCases() []problemCase {
	var all []problemCase
	for _, table := range [][]problemCase{syntaxCases, fieldCases, missingFieldCases(), cardCases, scheduleCases,
		retentionCases, publishCases, questionCases, typeCases, shortCases, weetNietCases, tipCases} {
		all = append(all, table...)
	}
	return all
}

// goldenProblems is every case's problems as the organiser reads them, with the
// problems of whole directories (ids used twice) and of testdata/veel-fouten.yaml,
// and then the warnings of the warning cases (those that have any).
func goldenProblems(t *testing.T) (text string, all Problems) {
	t.Helper()
	var b strings.Builder
	add := func(name string, err error) {
		var probs Problems
		if !errors.As(err, &probs) {
			t.Fatalf("%s: got %v, want Problems", name, err)
		}
		all = append(all, probs...)
		fmt.Fprintf(&b, "== %s\n%s\n\n", name, probs.Error())
	}
	for _, c := range goldenCases() {
		_, err := Parse("test.yaml", []byte(c.text(t)))
		add(c.name, err)
	}
	// a file with more problems than are listed: the last listed, and the count
	probs := problemsOf(t, []byte(strings.Replace(baseSurvey, "title: Test\n", manyUnknown(limProblems+3), 1)))
	add("more problems than listed (the last two)", probs[len(probs)-2:])
	_, err := LoadDir("testdata/dir-bad")
	add("directory with an id twice", err)
	_, err = LoadFile("testdata/veel-fouten.yaml")
	add("testdata/veel-fouten.yaml", err)
	for _, c := range warningCases {
		s, err := Parse("test.yaml", []byte(c.text(t)))
		if err != nil {
			t.Fatalf("%s: got %v, want the survey with warnings", c.name, err)
		}
		if len(c.want) > 0 {
			add(c.name, s.Warnings)
		}
	}
	return b.String(), all
}

// TestProblemsGolden compares every message and tip of the validator with
// testdata/problems.golden; go test ./surveys -run Golden -update rewrites it after a
// change that was meant.
func TestProblemsGolden(t *testing.T) {
	got, _ := goldenProblems(t)
	const path = "testdata/problems.golden"
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./surveys -run Golden -update writes it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			g, w := "", ""
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s:%d: got\n%s\nwant\n%s\n(go test ./surveys -run Golden -update rewrites it)", path, i+1, g, w)
			}
		}
	}
}

// TestProblemsHaveTips checks that every problem tells how to fix it, except the
// line that counts the problems left out.
func TestProblemsHaveTips(t *testing.T) {
	_, all := goldenProblems(t)
	for _, p := range all {
		if p.Hint == "" && p.More == 0 {
			t.Errorf("%s: got no tip, want one", p.Error())
		}
		if p.More > 0 && p.Hint != "" {
			t.Errorf("%s: got tip %q on the count of problems left out, want none", p.Error(), p.Hint)
		}
	}
}

// english matches words that give away an English message.
var english = regexp.MustCompile(`(?i)\b(want|wanted|missing|duplicate|invalid|expected|must|not found|should|unknown|got|field|line)\b`)

// TestMessagesDutch checks that no message or tip of the validator, the population
// file or the WhatsApp warnings is English.
func TestMessagesDutch(t *testing.T) {
	_, all := goldenProblems(t)
	var texts []string
	for _, p := range all {
		texts = append(texts, p.Msg, p.Hint)
	}
	s, err := Parse("test.yaml", []byte(withQuestions(vertrouwen(""))))
	if err != nil {
		t.Fatal(err)
	}
	texts = append(texts, WhatsAppWarnings(s)...)
	for _, pop := range []string{"total: 5\nkernen:\n  A: 10\n", "total: 5\n", "kernen:\n  A: veel\n", "kernen:\n  A: {kern: -1}\n",
		"kernen: [\n", "kernen:\n  A: 1\nleeftijd:\n  oud: 3\n", "kernen:\n  A: 1\nleeftijd:\n  65+: veel\n"} {
		path := filepath.Join(t.TempDir(), "bevolking.yaml")
		if err := os.WriteFile(path, []byte(pop), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadPopulation(path); err == nil {
			t.Fatalf("population %q: got no error, want one", pop)
		} else {
			texts = append(texts, err.Error())
		}
	}
	for _, text := range texts {
		if m := english.FindString(text); m != "" {
			t.Errorf("got %q in %q, want Dutch", m, text)
		}
	}
}

// TestSyntaxTranslations checks that every YAML syntax error the table translates
// is Dutch and has a tip.
func TestSyntaxTranslations(t *testing.T) {
	for en, nl := range yamlSyntax {
		if nl[0] == "" || nl[1] == "" {
			t.Errorf("%q: got message %q and tip %q, want both", en, nl[0], nl[1])
		}
		for _, s := range nl {
			if m := english.FindString(s); m != "" {
				t.Errorf("%q: got %q in %q, want Dutch", en, m, s)
			}
		}
	}
}
