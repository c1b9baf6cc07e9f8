package surveys

import (
	"slices"
	"strings"
	"testing"
)

// likert is a likert question for baseSurvey's questions (from line 18), with extra
// lines (labels, weet_ik_niet) on line 21 on.
func likert(id, text, extra string) string {
	return "  - id: " + id + "\n    type: likert\n    text: \"" + text + "\"\n" + extra
}

// openQuestion is an open question for baseSurvey's questions.
func openQuestion(id, text string) string {
	return "  - id: " + id + "\n    type: open\n    text: \"" + text + "\"\n"
}

// weetNietCases are the problems of weet_ik_niet: on a type that has no such field,
// not true or false, and a point's kort that is the text of the Weet ik niet button.
var weetNietCases = []problemCase{
	{name: "weet_ik_niet on single", edit: [2]string{"options: [Ja, Nee]", "options: [Ja, Nee]\n    weet_ik_niet: true"},
		want: []string{`test.yaml:18:5: vraag "q1": het veld weet_ik_niet hoort niet bij een vraag van type single`}},
	{name: "weet_ik_niet on rating", add: "  - id: r\n    type: rating\n    text: Cijfer\n    weet_ik_niet: true\n",
		want: []string{`test.yaml:21:5: vraag "r": het veld weet_ik_niet hoort niet bij een vraag van type rating`}},
	{name: "weet_ik_niet not a boolean", add: likert("l", "Stelling", "    weet_ik_niet: ja\n"),
		want: []string{`test.yaml:21:19: vraag "l": het veld weet_ik_niet hoort true of false te zijn, maar er staat "ja"`}},
	{name: "weet_ik_niet and a kort of that text", add: likert("l", "Stelling",
		"    labels: [a, b, {label: c, kort: Weet ik niet}, d, e]\n    weet_ik_niet: true\n"),
		want: []string{`test.yaml:21:37: vraag "l": label 3: kort "Weet ik niet" staat ook op de knop van label 6`}},
}

// warningCases are valid files that validate warns about, with the warnings as
// "file:line:col: waarschuwing: message"; a case without want has no warnings.
var warningCases = []problemCase{
	{name: "warning likert labels from agree to disagree", add: likert("l", "De gemeente luistert.",
		`    labels: ["Helemaal mee eens", "Mee eens", "Neutraal", "Mee oneens", "Helemaal mee oneens"]`+"\n"),
		want: []string{`test.yaml:21:13: waarschuwing: vraag "l": de labels lopen van eens naar oneens: eerst "Helemaal mee eens", als laatste "Helemaal mee oneens"`}},
	{name: "warning likert labels ending with oneens", add: likert("l", "De gemeente luistert.",
		`    labels: ["Heel erg", "Tamelijk", "Neutraal", "Een beetje oneens", "Oneens"]`+"\n"),
		want: []string{`test.yaml:21:13: waarschuwing: vraag "l": de labels lopen van eens naar oneens: eerst "Heel erg", als laatste "Oneens"`}},
	{name: "likert labels from disagree to agree", add: likert("l", "De gemeente luistert.",
		`    labels: ["Helemaal oneens", "Oneens", "Neutraal", "Eens", "Helemaal eens"]`+"\n")},
	{name: "likert default labels with weet ik niet", add: likert("l", "De gemeente luistert.", "    weet_ik_niet: true\n")},
	{name: "warning children: you and the playground", add: openQuestion("speeltuin", "Wat vind jij van de speeltuin bij je school?"),
		want: []string{`test.yaml:20:11: waarschuwing: vraag "speeltuin" lijkt zich tot kinderen te richten: "jij" en "speeltuin"`}},
	{name: "warning children: how old are you", add: openQuestion("leeftijd", "Hoe oud ben je?"),
		want: []string{`test.yaml:20:11: waarschuwing: vraag "leeftijd" lijkt zich tot kinderen te richten: "hoe oud ben je"`}},
	{name: "warning children: the title names them", edit: [2]string{"title: Test", "title: Kinderraad Dalfsen"},
		add:  openQuestion("veranderen", "Wat wil je veranderen in Dalfsen?") + openQuestion("mooi", "Wat vind jij mooi?"),
		want: []string{`test.yaml:20:11: waarschuwing: vraag "veranderen" lijkt zich tot kinderen te richten: "je" en "kinderraad" (en nog 1 tekst)`}},
	{name: "warning children: the participatiekaart", edit: [2]string{"doel: Waarom we het vragen", "doel: We willen weten wat jij en je klas van het plein vinden"},
		want: []string{`test.yaml:4:9: waarschuwing: participatiekaart: doel lijkt zich tot kinderen te richten: "jij" en "klas"`}},
	{name: "children: asked of parents", add: openQuestion("mist", "Wat mist uw kind in de speeltuin?")},
	{name: "children: je to adults", add: openQuestion("gemeentehuis", "Wat vind je van het nieuwe gemeentehuis en de burgemeester?")},
	{name: "children: how old are you, formally", add: openQuestion("leeftijd", "Hoe oud bent u?")},
}

// TestWarnings checks that each warning case loads, with exactly its warnings.
func TestWarnings(t *testing.T) {
	for _, tt := range warningCases {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("test.yaml", []byte(tt.text(t)))
			if err != nil {
				t.Fatalf("got %v, want the survey (a warning is no problem)", err)
			}
			var got []string
			for _, w := range s.Warnings {
				if !w.Warning || w.Hint == "" {
					t.Errorf("%s: got Warning %v and tip %q, want a warning with a tip", w.Error(), w.Warning, w.Hint)
				}
				got = append(got, w.Error())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestWarningChildrenTip checks the tip on a survey that speaks to children.
func TestWarningChildrenTip(t *testing.T) {
	s, err := Parse("test.yaml", []byte(baseSurvey+openQuestion("leeftijd", "Hoe oud ben jij?")))
	if err != nil || len(s.Warnings) != 1 {
		t.Fatalf("got %v, %v, want one warning", s, err)
	}
	const want = "Inwoners jonger dan 16 kunnen niet meedoen via de bot. Richt de vragen aan ouders (‘Wat mist uw kind …’) of organiseer kinderparticipatie op een andere manier."
	if got := s.Warnings[0].Hint; got != want {
		t.Errorf("got tip %q, want %q", got, want)
	}
	if got := s.Warnings[0].Text(); !strings.HasSuffix(got, "\n"+TipPrefix+want) {
		t.Errorf("got %q, want the tip on the next line", got)
	}
}

// TestLoadWeetIkNiet checks that weet_ik_niet: true adds "Weet ik niet" (id weetniet)
// after the five points of a likert question, with the default labels or the file's,
// in the survey's language; that false or leaving it out adds nothing; and that it
// is an option as any other for storage and the tallies.
func TestLoadWeetIkNiet(t *testing.T) {
	five := []string{"1", "2", "3", "4", "5"}
	tests := []struct {
		name       string
		file       string
		wantIDs    []string
		wantLabels []string
	}{
		{"default labels", baseSurvey + likert("l", "Stelling", "    weet_ik_niet: true\n"),
			append(five, WeetNietID), append(slices.Clone(defaultLikertLabels), "Weet ik niet")},
		{"own labels", baseSurvey + likert("l", "Stelling", "    labels: [Oneens, b, c, d, Eens]\n    weet_ik_niet: true\n"),
			append(five, WeetNietID), []string{"Oneens", "b", "c", "d", "Eens", "Weet ik niet"}},
		{"in English", strings.Replace(baseSurvey, "title: Test", "title: Test\nlanguage: en", 1) + likert("l", "Statement", "    weet_ik_niet: true\n"),
			append(five, WeetNietID), append(slices.Clone(defaultLikertLabels), "Don't know")},
		{"false", baseSurvey + likert("l", "Stelling", "    weet_ik_niet: false\n"), five, defaultLikertLabels},
		{"left out", baseSurvey + likert("l", "Stelling", ""), five, defaultLikertLabels},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("test.yaml", []byte(tt.file))
			if err != nil {
				t.Fatalf("got %v, want no problems", err)
			}
			q := s.Questions[1]
			if got := optionIDs(q.Options); !slices.Equal(got, tt.wantIDs) {
				t.Errorf("ids: got %v, want %v", got, tt.wantIDs)
			}
			if got := optionLabels(q.Options); !slices.Equal(got, tt.wantLabels) {
				t.Errorf("labels: got %v, want %v", got, tt.wantLabels)
			}
		})
	}

	s, err := Parse("test.yaml", []byte(baseSurvey+likert("l", "Stelling", "    weet_ik_niet: true\n")))
	if err != nil {
		t.Fatal(err)
	}
	q := s.Questions[1]
	a := Answer{Options: []string{WeetNietID}}
	if got, err := DecodeAnswer(EncodeAnswer(q, a)); err != nil || !slices.Equal(got.Options, a.Options) {
		t.Errorf("stored answer: got %+v, %v, want %+v", got, err, a)
	}
	fields := TallyFields(q, a, Profile{Kern: "Dalfsen"})
	if !slices.Contains(fields, "q:l:o:weetniet") {
		t.Errorf("tallies: got %v, want q:l:o:weetniet among them", fields)
	}
}
