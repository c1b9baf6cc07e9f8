package surveys

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/lang"
)

// parseOK parses a survey file that must have no problems.
func parseOK(t *testing.T, file string) *Survey {
	t.Helper()
	s, err := Parse("test.yaml", []byte(file))
	if err != nil {
		t.Fatalf("got %v, want no problems", err)
	}
	return s
}

// likertQuestion is a likert question with its own labels, appended to baseSurvey.
const likertQuestion = "  - id: l\n    type: likert\n    text: Stelling\n    labels: [a, b, c, d, e]\n"

// TestTextForms reads every text residents read in both forms, a plain string and a
// mapping per language, and checks the text in the source and in English: the
// mapping's source text is the plain string's.
func TestTextForms(t *testing.T) {
	tests := []struct {
		name       string
		plain, in  [2]string // the field as a plain string, and as a mapping
		get        func(*Survey) string
		nl, en     string
		asQuestion bool // plain and in are a question appended, not an edit
	}{
		{name: "title", plain: [2]string{"title: Test", "title: Test"}, in: [2]string{"title: Test", "title: {nl: Test, en: Test EN}"},
			get: func(s *Survey) string { return s.Title }, nl: "Test", en: "Test EN"},
		{name: "doel", plain: [2]string{"doel: Waarom we het vragen", "doel: Waarom we het vragen"},
			in:  [2]string{"doel: Waarom we het vragen", "doel:\n    nl: Waarom we het vragen\n    en: Why we ask"},
			get: func(s *Survey) string { return s.Card.Doel }, nl: "Waarom we het vragen", en: "Why we ask"},
		{name: "wat_gebeurt_er_mee", plain: [2]string{"De raad besluit", "De raad besluit"},
			in:  [2]string{"wat_gebeurt_er_mee: De raad besluit", "wat_gebeurt_er_mee: {nl: De raad besluit, en: The council decides}"},
			get: func(s *Survey) string { return s.Card.WatGebeurtErMee }, nl: "De raad besluit", en: "The council decides"},
		{name: "question text", plain: [2]string{"text: Vraag", "text: Vraag"}, in: [2]string{"text: Vraag", "text: {nl: Vraag, en: Question}"},
			get: func(s *Survey) string { return s.Questions[0].Text }, nl: "Vraag", en: "Question"},
		{name: "option label alone", plain: [2]string{"[Ja, Nee]", "[Ja, Nee]"}, in: [2]string{"[Ja, Nee]", "[{nl: Ja, en: Yes}, Nee]"},
			get: func(s *Survey) string { return s.Questions[0].Options[0].Label }, nl: "Ja", en: "Yes"},
		{name: "option label field", plain: [2]string{"[Ja, Nee]", "[{id: ja, label: Ja}, Nee]"},
			in:  [2]string{"[Ja, Nee]", "[{id: ja, label: {nl: Ja, en: Yes}}, Nee]"},
			get: func(s *Survey) string { return s.Questions[0].Options[0].Label }, nl: "Ja", en: "Yes"},
		{name: "option kort", plain: [2]string{"[Ja, Nee]", "[{label: Ja graag, kort: Ja}, Nee]"},
			in:  [2]string{"[Ja, Nee]", "[{label: {nl: Ja graag, en: Yes please}, kort: {nl: Ja, en: Yes}}, Nee]"},
			get: func(s *Survey) string { return s.Questions[0].Options[0].Short }, nl: "Ja", en: "Yes"},
		{name: "likert label alone", asQuestion: true, plain: [2]string{"[a, b,", "[a, b,"}, in: [2]string{"[a, b,", "[{nl: a, en: A}, b,"},
			get: func(s *Survey) string { return s.Questions[1].Options[0].Label }, nl: "a", en: "A"},
		{name: "likert label field", asQuestion: true, plain: [2]string{"[a, b,", "[{label: a, kort: k}, b,"},
			in:  [2]string{"[a, b,", "[{label: {nl: a, en: A}, kort: k}, b,"},
			get: func(s *Survey) string { return s.Questions[1].Options[0].Label }, nl: "a", en: "A"},
		{name: "likert kort", asQuestion: true, plain: [2]string{"[a, b,", "[{label: a, kort: k}, b,"},
			in:  [2]string{"[a, b,", "[{label: {nl: a, en: A}, kort: {nl: k, en: K}}, b,"},
			get: func(s *Survey) string { return s.Questions[1].Options[0].Short }, nl: "k", en: "K"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := func(e [2]string) string {
				if tt.asQuestion {
					return baseSurvey + strings.Replace(likertQuestion, e[0], e[1], 1)
				}
				return (problemCase{edit: e}).text(t)
			}
			plain, s := parseOK(t, file(tt.plain)), parseOK(t, file(tt.in))
			if got := tt.get(plain); got != tt.nl {
				t.Errorf("plain string: got %q, want %q", got, tt.nl)
			}
			if got := tt.get(s); got != tt.nl {
				t.Errorf("mapping, source: got %q, want %q", got, tt.nl)
			}
			if got := tt.get(s.In(lang.EN)); got != tt.en {
				t.Errorf("mapping, en: got %q, want %q", got, tt.en)
			}
			if got := tt.get(plain.In(lang.EN)); got != tt.nl {
				t.Errorf("plain string, en: got %q, want the source %q", got, tt.nl)
			}
			if got, want := s.Languages(), []lang.Code{lang.NL, lang.EN}; !slices.Equal(got, want) {
				t.Errorf("languages: got %v, want %v", got, want)
			}
			if !reflect.DeepEqual(Wording(s), Wording(plain)) {
				t.Error("wording: got another for the mapping than for the plain string")
			}
		})
	}
}

// TestTextFormsIDs checks that an option written as a mapping per language gets its
// id from the source text, as the plain label does, and that ids, types and the
// schedule are those of the source in every copy.
func TestTextFormsIDs(t *testing.T) {
	s := parseOK(t, strings.Replace(baseSurvey, "[Ja, Nee]", "[{nl: Ja graag, en: Yes please}, {nl: Nee, en: \"No\"}]", 1)+likertQuestion)
	if got, want := optionIDs(s.Questions[0].Options), []string{"ja-graag", "nee"}; !slices.Equal(got, want) {
		t.Errorf("ids: got %v, want %v", got, want)
	}
	en := s.In(lang.EN)
	if en == s {
		t.Fatal("In(en): got the survey itself, want its English copy")
	}
	if en.Language != "en" || s.Language != "nl" {
		t.Errorf("Language: got %q and %q, want en and nl", en.Language, s.Language)
	}
	if got, want := optionLabels(en.Questions[0].Options), []string{"Yes please", "No"}; !slices.Equal(got, want) {
		t.Errorf("labels: got %v, want %v", got, want)
	}
	if !reflect.DeepEqual(en.Schedule, s.Schedule) || en.ID != s.ID || en.Card.Trede != s.Card.Trede || !reflect.DeepEqual(en.Warnings, s.Warnings) {
		t.Error("the copy differs from the source in more than its texts")
	}
	for i, q := range en.Questions {
		src := s.Questions[i]
		if q.ID != src.ID || q.Type != src.Type || q.Optional != src.Optional || !slices.Equal(optionIDs(q.Options), optionIDs(src.Options)) {
			t.Errorf("question %d: got %s %s %v, want %s %s %v", i, q.ID, q.Type, optionIDs(q.Options), src.ID, src.Type, optionIDs(src.Options))
		}
	}
	// The copy is made once: every call returns it.
	if s.In(lang.EN) != en || en.In(lang.EN) != en {
		t.Error("In(en) twice: got two copies, want the one made at load")
	}
}

// TestInFallback checks In for the source, an unoffered language and a text without a
// translation, and that the loader's own texts come in the language of the copy.
func TestInFallback(t *testing.T) {
	file := strings.Replace(baseSurvey, "title: Test", "title: {nl: Test, en: Test EN, ar: اختبار}", 1) +
		"  - id: l\n    type: likert\n    text: Stelling\n    weet_ik_niet: true\n"
	s := parseOK(t, file)
	if s.In(lang.NL) != s {
		t.Error("In(nl): got a copy, want the survey itself")
	}
	if s.In(lang.TR) != s || s.In("xx") != s {
		t.Error("In(a language not offered): got a copy, want the survey itself")
	}
	ar := s.In(lang.AR)
	if ar.In(lang.NL) != s || ar.In(lang.TR) != s || ar.Source() != s || s.Source() != s {
		t.Error("a copy's In(nl), In(unoffered) and Source: got another survey, want the source")
	}
	if ar.Title != "اختبار" {
		t.Errorf("title: got %q, want the Arabic", ar.Title)
	}
	if ar.Questions[0].Text != "Vraag" || ar.Card.Doel != "Waarom we het vragen" || ar.Questions[0].Options[0].Label != "Ja" {
		t.Errorf("untranslated texts: got %q, %q, %q, want the Dutch", ar.Questions[0].Text, ar.Card.Doel, ar.Questions[0].Options[0].Label)
	}
	l := ar.Questions[1]
	if got, want := optionLabels(l.Options), []string{"أعارض بشدة", "أعارض", "محايد", "أوافق", "أوافق بشدة", "لا أعرف"}; !slices.Equal(got, want) {
		t.Errorf("default likert labels: got %v, want %v", got, want)
	}
	if got, want := ar.Questions[2].Text, procesevaluatieTexts[lang.AR]; got != want {
		t.Errorf("procesevaluatie: got %q, want %q", got, want)
	}
	if got, want := optionLabels(s.Questions[1].Options), append(slices.Clone(defaultLikertLabels), "Weet ik niet"); !slices.Equal(got, want) {
		t.Errorf("source likert labels: got %v, want %v", got, want)
	}
	// The source is not changed by making the copies.
	if s.Title != "Test" || s.Questions[2].Text != procesevaluatieTexts[lang.NL] {
		t.Errorf("source: got %q, %q", s.Title, s.Questions[2].Text)
	}
	if !reflect.DeepEqual(Wording(ar), Wording(s)) {
		t.Error("Wording of a copy: got the copy's texts, want the source's")
	}
}

// TestInKortFallback: a kort without a translation falls back to the source's kort
// only where the label has none either; otherwise the button shows the translated
// label.
func TestInKortFallback(t *testing.T) {
	s := parseOK(t, strings.Replace(baseSurvey, "[Ja, Nee]", "[{label: {nl: Ja graag, en: Yes please}, kort: Ja}, {label: Nee zeker niet, kort: Nee}]", 1))
	en := s.In(lang.EN)
	if got := en.Questions[0].Options[0].ShortLabel(); got != "Yes please" {
		t.Errorf("translated label, kort without: got %q, want the English label", got)
	}
	if got := en.Questions[0].Options[1].ShortLabel(); got != "Nee" {
		t.Errorf("untranslated label and kort: got %q, want the Dutch kort", got)
	}
}

func TestInOfSurveyNotLoaded(t *testing.T) {
	s := &Survey{ID: "x", Language: "nl"}
	if s.In(lang.EN) != s || !slices.Equal(s.Languages(), []lang.Code{lang.NL}) {
		t.Errorf("a survey made in Go: got In %p and languages %v, want itself and [nl]", s.In(lang.EN), s.Languages())
	}
	var none *Survey
	if none.In(lang.EN) != nil || !slices.Equal(none.Languages(), []lang.Code{lang.NL}) {
		t.Error("nil survey: got something, want nil and [nl]")
	}
}

func TestLanguages(t *testing.T) {
	tests := []struct {
		name string
		edit [2]string
		want []lang.Code
	}{
		{"plain strings", [2]string{}, []lang.Code{lang.NL}},
		{"talen, in the order of lang.Supported", [2]string{"title: Test", "title: Test\ntalen: [uk, en, nl]"}, []lang.Code{lang.NL, lang.EN, lang.UK}},
		{"from the texts", [2]string{"text: Vraag", "text: {nl: Vraag, pl: Pytanie, tr: Soru}"}, []lang.Code{lang.NL, lang.TR, lang.PL}},
		{"talen and texts together", [2]string{"title: Test", "title: {nl: Test, ar: اختبار}\ntalen: [en]"}, []lang.Code{lang.NL, lang.EN, lang.AR}},
		{"an empty translation offers nothing", [2]string{"title: Test", "title: {nl: Test, en: \"\"}"}, []lang.Code{lang.NL}},
		{"English source", [2]string{"title: Test", "title: {en: Test, nl: Toets}\nlanguage: en"}, []lang.Code{lang.EN, lang.NL}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := parseOK(t, (problemCase{edit: tt.edit}).text(t))
			if got := s.Languages(); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			got := s.Languages()
			got[0] = "xx"
			if s.Languages()[0] == "xx" {
				t.Error("Languages: got the survey's own slice, want a copy")
			}
		})
	}
}

func TestLanguagesEnglishSource(t *testing.T) {
	s := parseOK(t, strings.Replace(baseSurvey, "title: Test", "title: {en: Test, nl: Toets}\nlanguage: en", 1))
	if s.Title != "Test" || s.In(lang.NL).Title != "Toets" || s.In(lang.EN) != s {
		t.Errorf("English source: got %q, nl %q", s.Title, s.In(lang.NL).Title)
	}
	if got := s.In(lang.NL).Questions[1].Text; got != procesevaluatieTexts[lang.NL] {
		t.Errorf("procesevaluatie in the Dutch copy: got %q", got)
	}
	if got := s.Questions[1].Text; got != procesevaluatieTexts[lang.EN] {
		t.Errorf("procesevaluatie in the English source: got %q", got)
	}
}

// translationCases are the problems of text mappings and talen.
var translationCases = []problemCase{
	{name: "translation unknown code", edit: [2]string{"title: Test", "title: {nl: Test, de: Prüfung}"},
		want: []string{`test.yaml:2:19: title: de taal "de" wordt niet ondersteund`}},
	{name: "translation code in capitals", edit: [2]string{"text: Vraag", "text: {nl: Vraag, EN: Question}"},
		want: []string{`test.yaml:16:23: vraag "q1": text: de taal "EN" wordt niet ondersteund`}},
	{name: "translation region code", edit: [2]string{"text: Vraag", "text: {nl: Vraag, en-GB: Question}"},
		want: []string{`test.yaml:16:23: vraag "q1": text: de taal "en-GB" wordt niet ondersteund`}},
	{name: "translation without the source", edit: [2]string{"doel: Waarom we het vragen", "doel: {en: Why we ask}"},
		want: []string{`test.yaml:4:9: participatiekaart: de Nederlandse tekst (nl) van doel ontbreekt`}},
	{name: "translation source empty", edit: [2]string{"text: Vraag", "text: {nl: \"\", en: Question}"},
		want: []string{`test.yaml:16:16: vraag "q1": het veld text is leeg`}},
	{name: "translation not one text", edit: [2]string{"text: Vraag", "text: {nl: Vraag, en: [Question]}"},
		want: []string{`test.yaml:16:27: vraag "q1": text (en) hoort één tekst te zijn, maar er staat een lijst`}},
	{name: "translation twice", edit: [2]string{"title: Test", "title:\n  nl: Test\n  en: Test\n  en: Toets"},
		want: []string{`test.yaml:5:3: title: de taal en staat er twee keer (eerst op regel 4)`}},
	{name: "translation too long", edit: [2]string{"title: Test", "title: {nl: Test, en: " + strings.Repeat("x", limTitle+1) + "}"},
		want: []string{`test.yaml:2:23: title (en) is te lang: 201 tekens, hoogstens 200`}},
	{name: "translation source too long", edit: [2]string{"title: Test", "title: {nl: " + strings.Repeat("x", limTitle+1) + ", en: Test}"},
		want: []string{`test.yaml:2:13: title is te lang: 201 tekens, hoogstens 200`}},
	{name: "translation option labels the same", edit: [2]string{"[Ja, Nee]", "[{nl: Ja, en: Yes}, {nl: Nee, en: Yes}]"},
		want: []string{`test.yaml:17:34: vraag "q1": optie 2: de Engelse tekst (en) "Yes" staat ook bij optie 1`}},
	{name: "translation likert labels the same", add: strings.Replace(likertQuestion, "[a, b,", "[{nl: a, en: A}, {nl: b, en: A},", 1),
		want: []string{`test.yaml:21:30: vraag "l": label 2: de Engelse tekst (en) "A" staat ook bij label 1`}},
	{name: "translation kort without the source", edit: [2]string{"[Ja, Nee]", "[{label: Ja, kort: {en: Y}}, Nee]"},
		want: []string{`test.yaml:17:33: vraag "q1": optie 1: de Nederlandse tekst (nl) van kort ontbreekt`}},
	{name: "translation kort too long", edit: [2]string{"[Ja, Nee]", "[{label: {nl: Ja, en: Yes}, kort: {nl: J, en: " + strings.Repeat("y", MaxShortLen+1) + "}}, Nee]"},
		want: []string{`test.yaml:17:60: vraag "q1": optie 1: kort is te lang: 21 tekens, hoogstens 20`}},
	{name: "talen unknown code", edit: [2]string{"title: Test", "title: Test\ntalen: [en, fr]"},
		want: []string{`test.yaml:3:13: talen: de taal "fr" wordt niet ondersteund`}},
	{name: "talen twice", edit: [2]string{"title: Test", "title: Test\ntalen: [en, ar, en]"},
		want: []string{`test.yaml:3:17: talen: de taal en staat er twee keer (eerst op regel 3)`}},
	{name: "talen not a list", edit: [2]string{"title: Test", "title: Test\ntalen: en"},
		want: []string{`test.yaml:3:8: het veld talen hoort een lijst te zijn, maar er staat "en"`}},
	{name: "talen not a code", edit: [2]string{"title: Test", "title: Test\ntalen: [{en: ja}]"},
		want: []string{`test.yaml:3:9: talen: hier hoort een taalcode, maar er staan velden (naam: waarde)`}},
}

func TestTranslationProblems(t *testing.T) {
	for _, tt := range translationCases {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("test.yaml", []byte(tt.text(t)))
			var probs Problems
			if !errors.As(err, &probs) || s != nil {
				t.Fatalf("got survey %v and %v, want problems", s != nil, err)
			}
			got := make([]string, len(probs))
			for i, p := range probs {
				got[i] = p.Error()
				if p.Hint == "" {
					t.Errorf("%s: got no tip, want one", p.Error())
				}
				for _, text := range []string{p.Msg, p.Hint} {
					if m := english.FindString(text); m != "" {
						t.Errorf("got %q in %q, want Dutch", m, text)
					}
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s\n(all: %v)", strings.Join(got, "\n"), strings.Join(tt.want, "\n"), err)
			}
		})
	}
}

// TestTranslationProblemTips pins the tips of the translation problems that depend
// on what the file says.
func TestTranslationProblemTips(t *testing.T) {
	tests := []struct {
		edit [2]string
		want string
	}{
		{[2]string{"text: Vraag", "text: {nl: Vraag, EN: Question}"},
			"Bedoelt u en? Kies nl (Nederlands), en (Engels), ar (Arabisch), tr (Turks), pl (Pools) of uk (Oekraïens)."},
		{[2]string{"text: Vraag", "text: {nl: Vraag, de: Frage}"},
			"Kies nl (Nederlands), en (Engels), ar (Arabisch), tr (Turks), pl (Pools) of uk (Oekraïens)."},
		{[2]string{"doel: Waarom we het vragen", "doel: {en: Why we ask}"},
			`Elke tekst staat er in het Nederlands, met de vertalingen erbij, bijvoorbeeld: doel: {nl: "…", en: "…"}`},
	}
	for _, tt := range tests {
		probs := problemsOf(t, []byte((problemCase{edit: tt.edit}).text(t)))
		if len(probs) != 1 || probs[0].Hint != tt.want {
			t.Errorf("%s: got %v, want one problem with the tip %q", tt.edit[1], probs, tt.want)
		}
	}
}

// TestTranslationWarnings checks the warning on each text without a translation into
// a language the survey is offered in: one per text and language, at the text.
func TestTranslationWarnings(t *testing.T) {
	file := strings.Replace(baseSurvey, "title: Test", "title: {nl: Test, en: Test EN}\ntalen: [ar]", 1)
	file = strings.Replace(file, "[Ja, Nee]", "[{nl: Ja, en: \"Yes\", ar: نعم}, {label: {nl: Nee, en: \"No\", ar: لا}, kort: N}]", 1)
	s := parseOK(t, file)
	var got []string
	for _, w := range s.Warnings {
		got = append(got, w.Error())
		if !w.Warning || w.Hint == "" {
			t.Errorf("%s: got Warning %v and tip %q, want a warning with a tip", w.Error(), w.Warning, w.Hint)
		}
		if m := english.FindString(w.Msg + " " + w.Hint); m != "" {
			t.Errorf("got %q in %q, want Dutch", m, w.Text())
		}
	}
	want := []string{
		"test.yaml:2:8: waarschuwing: de Arabische vertaling (ar) van title ontbreekt",
		"test.yaml:5:9: waarschuwing: participatiekaart: de Engelse vertaling (en) van doel ontbreekt",
		"test.yaml:5:9: waarschuwing: participatiekaart: de Arabische vertaling (ar) van doel ontbreekt",
		"test.yaml:8:23: waarschuwing: participatiekaart: de Engelse vertaling (en) van wat_gebeurt_er_mee ontbreekt",
		"test.yaml:8:23: waarschuwing: participatiekaart: de Arabische vertaling (ar) van wat_gebeurt_er_mee ontbreekt",
		`test.yaml:17:11: waarschuwing: vraag "q1": de Engelse vertaling (en) van text ontbreekt`,
		`test.yaml:17:11: waarschuwing: vraag "q1": de Arabische vertaling (ar) van text ontbreekt`,
		`test.yaml:18:88: waarschuwing: vraag "q1": optie 2: de Engelse vertaling (en) van kort ontbreekt`,
		`test.yaml:18:88: waarschuwing: vraag "q1": optie 2: de Arabische vertaling (ar) van kort ontbreekt`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if w := s.Warnings[0]; w.Hint != `Zet de Arabische vertaling bij de tekst, bijvoorbeeld: title: {nl: "Test", ar: "…"}. `+
		"Tot die er is, lezen inwoners die Arabisch kiezen hier de Nederlandse tekst." {
		t.Errorf("tip: got %q", w.Hint)
	}
	// An option that is a label alone is translated as a list item.
	item := parseOK(t, strings.Replace(baseSurvey, "text: Vraag", "text: {nl: Vraag, en: Question}", 1))
	if got, want := item.Warnings[len(item.Warnings)-1].Hint, `Zet de Engelse vertaling bij de tekst, bijvoorbeeld: - {nl: "Nee", en: "…"}. `+
		"Tot die er is, lezen inwoners die Engels kiezen hier de Nederlandse tekst."; got != want {
		t.Errorf("tip on an option alone: got %q, want %q", got, want)
	}
	// The survey works: the untranslated texts are Dutch in the copies.
	if got := s.In(lang.AR).Questions[0].Text; got != "Vraag" {
		t.Errorf("untranslated text in Arabic: got %q, want the Dutch", got)
	}
	// Without translations there is nothing to warn about.
	if plain := parseOK(t, baseSurvey); len(plain.Warnings) != 0 {
		t.Errorf("plain survey: got warnings %v, want none", plain.Warnings)
	}
}

// TestExampleTranslated checks the translated example: offered in exactly the six
// languages, no text without a translation, every text translated, and the Dutch as
// it was.
func TestExampleTranslated(t *testing.T) {
	s, err := LoadFile("../examples/burgerpeiling.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Languages(); !slices.Equal(got, lang.Supported) {
		t.Errorf("languages: got %v, want %v", got, lang.Supported)
	}
	if len(s.Warnings) != 0 {
		t.Errorf("got warnings, want every text translated:\n%s", s.Warnings.Error())
	}
	texts := func(s *Survey) []string {
		out := []string{s.Title, s.Card.Doel, s.Card.WatGebeurtErMee}
		for _, q := range s.Questions {
			out = append(out, q.Text)
			if q.Type != Rating {
				out = append(out, optionLabels(q.Options)...)
			}
		}
		return out
	}
	nl := texts(s)
	if nl[0] != "Burgerpeiling: inwoner en gemeente" {
		t.Errorf("Dutch title: got %q", nl[0])
	}
	for _, c := range lang.Supported[1:] {
		tc := texts(s.In(c))
		if len(tc) != len(nl) {
			t.Fatalf("%s: got %d texts, want %d", c, len(tc), len(nl))
		}
		for i := range tc {
			if tc[i] == nl[i] || strings.TrimSpace(tc[i]) == "" {
				t.Errorf("%s: text %d got %q, want a translation of %q", c, i, tc[i], nl[i])
			}
		}
		if !reflect.DeepEqual(Wording(s.In(c)), Wording(s)) {
			t.Errorf("%s: got another wording, want the Dutch one's", c)
		}
	}
}

// TestTranslationPositionsStable checks that turning the texts into mappings does not
// move the problems of the rest of the file: an error after them is where it was.
func TestTranslationPositionsStable(t *testing.T) {
	file := strings.Replace(baseSurvey, "text: Vraag", "text: {nl: Vraag, en: Question}", 1)
	file = strings.Replace(file, "type: single", "type: singel", 1)
	probs := problemsOf(t, []byte(file))
	if got := fmt.Sprint(probs[0].Line, ":", probs[0].Col); len(probs) != 1 || got != "15:11" {
		t.Errorf("got %v, want one problem at 15:11", probs)
	}
}

// TestTranslationWarningsCapped: a survey offered in languages it has hardly any
// translations for lists the first limProblems missing translations, then how many
// more there are.
func TestTranslationWarningsCapped(t *testing.T) {
	file := strings.Replace(baseSurvey, "title: Test", "title: Test\ntalen: [en, ar, tr, pl, uk]", 1) + manyQuestions(30)
	s := parseOK(t, file)
	if len(s.Warnings) != limProblems+1 {
		t.Fatalf("got %d warnings, want %d", len(s.Warnings), limProblems+1)
	}
	last := s.Warnings[limProblems]
	// title, doel, wat_gebeurt_er_mee, q1 with its two options, and 30 questions
	// with their texts, options and korts, each in five languages.
	if !strings.HasPrefix(last.Msg, "… en nog ") || last.More != s.Warnings.Count()-limProblems || last.Hint == "" || !last.Warning {
		t.Errorf("last warning: got %+v", last)
	}
	if !slices.IsSortedFunc(s.Warnings, func(a, b Problem) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	}) {
		t.Error("got warnings out of position order")
	}
}
