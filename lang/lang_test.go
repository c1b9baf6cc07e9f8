package lang

import (
	"testing"
	"time"
)

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

func TestMoment(t *testing.T) {
	at := time.Date(2026, 12, 15, 17, 0, 0, 0, time.UTC)
	for c, want := range map[Code]string{
		NL: "dinsdag 15 december om 17:00",
		EN: "Tuesday 15 December at 17:00",
		PL: "wtorek, 15 grudnia, godz. 17:00",
	} {
		if got := For(c, false).Moment(at); got != want {
			t.Errorf("%s: Moment = %q, want %q", c, got, want)
		}
	}
	if got := Dutch().Date(at); got != "15 december 2026" {
		t.Errorf("Date = %q", got)
	}
	if got := For("xx", true).T("no.such.text"); got != "[no.such.text]" {
		t.Errorf("missing text = %q", got)
	}
}

func TestNumbers(t *testing.T) {
	nl, en, tr := Dutch(), For(EN, false), For(TR, false)
	for _, c := range []struct{ got, want string }{
		{nl.Decimal(1234.56, 1), "1.234,6"}, {en.Decimal(1234.56, 1), "1234.6"}, {tr.Decimal(62.5, 1), "62,5"},
		{nl.Percent(31.6), "32%"}, {tr.Percent(31.6), "%32"}, {nl.Int(1200), "1.200"},
		{nl.And([]string{"a", "b", "c"}), "a, b en c"}, {en.And([]string{"a", "b"}), "a and b"}, {en.And([]string{"a"}), "a"},
		{For(EN, false).N("test_n", 1), "[test_n]"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
