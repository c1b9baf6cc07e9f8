package lang

import "testing"

func TestMatch(t *testing.T) {
	for hint, want := range map[string]Code{
		"":                           NL,
		"nl":                         NL,
		"en":                         EN,
		"en-US":                      EN,
		"pt-BR":                      NL,
		"de":                         NL,
		"ar-EG,ar;q=0.9,en;q=0.8":    AR,
		"fr-FR,fr;q=0.9,uk;q=0.7":    UK,
		"tr-TR":                      TR,
		"pl":                         PL,
		"uk":                         UK,
		"ru-RU,ru;q=0.9":             NL,
		"nl-BE,nl;q=0.9,en-GB;q=0.8": NL,
		"x;;;":                       NL,
	} {
		if got := Match(hint); got != want {
			t.Errorf("Match(%q) = %s, want %s", hint, got, want)
		}
	}
}

func TestParse(t *testing.T) {
	for s, want := range map[string]Code{"EN": EN, "en_GB": EN, " ar ": AR} {
		if got, ok := Parse(s); !ok || got != want {
			t.Errorf("Parse(%q) = %s, %v", s, got, ok)
		}
	}
	if _, ok := Parse("de"); ok {
		t.Error("de is not offered")
	}
	if !AR.RTL() || EN.RTL() {
		t.Error("only Arabic is right to left")
	}
}
