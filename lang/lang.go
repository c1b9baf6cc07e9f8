// Package lang knows the languages residents can read the bot in, and prints the
// engine's texts in them from message catalogues (locales/*.yaml, with go-i18n's
// CLDR plural rules). Dutch is the source: every other catalogue translates the
// Dutch one, key by key, and a text missing in a language falls back to Dutch.
//
// Dutch comes in two registers: u (the default) and je (AANSPREEKVORM=je, and always
// for a resident under 16). The je texts are the catalogue locales/je/*.nl.yaml;
// a key it lacks is read from the u catalogue.
//
// Organisers, the dashboard and the stuurgroep read Dutch only; operators' logs stay
// English.
package lang

import (
	"strings"

	"golang.org/x/text/language"
)

// Code is a language residents can choose: a BCP 47 base language ("nl", "ar").
type Code string

// The languages of the engine's catalogues.
const (
	NL Code = "nl" // Nederlands, the source
	EN Code = "en" // English
	AR Code = "ar" // العربية, right to left
	TR Code = "tr" // Türkçe
	PL Code = "pl" // Polski
	UK Code = "uk" // Українська
)

// Supported lists the languages in the order residents are offered them: Dutch first.
var Supported = []Code{NL, EN, AR, TR, PL, UK}

var names = map[Code]string{
	NL: "Nederlands", EN: "English", AR: "العربية", TR: "Türkçe", PL: "Polski", UK: "Українська",
}

// Name is the language's name in itself ("Türkçe"), as a resident looks for it.
func (c Code) Name() string { return names[c] }

var dutchNames = map[Code]string{
	NL: "Nederlands", EN: "Engels", AR: "Arabisch", TR: "Turks", PL: "Pools", UK: "Oekraïens",
}

// DutchName is the language's name in Dutch ("Turks"), for the dashboard and the
// stuurgroep; the code itself for a language not supported.
func (c Code) DutchName() string {
	if n, ok := dutchNames[c]; ok {
		return n
	}
	return string(c)
}

// RTL reports whether the language is written right to left.
func (c Code) RTL() bool { return c == AR }

// Tag is the language tag of c.
func (c Code) Tag() language.Tag { return language.Make(string(c)) }

// Parse reads a language code or tag ("en", "en-GB", "pt_BR", "UK") as one of the
// supported languages; false when it names none of them.
func Parse(s string) (Code, bool) {
	s = strings.ToLower(strings.TrimSpace(strings.ReplaceAll(s, "_", "-")))
	if i := strings.IndexByte(s, '-'); i >= 0 {
		s = s[:i]
	}
	c := Code(s)
	_, ok := names[c]
	return c, ok
}

// Or is c when it is a supported language, and Dutch otherwise (also for "").
func (c Code) Or() Code {
	if _, ok := names[c]; ok {
		return c
	}
	return NL
}

var matcher = language.NewMatcher(tags())

func tags() []language.Tag {
	out := make([]language.Tag, len(Supported))
	for i, c := range Supported {
		out[i] = c.Tag()
	}
	return out
}

// Match picks the supported language a platform's hint asks for best: an
// Accept-Language header ("ar-EG,ar;q=0.9,en;q=0.8"), Telegram's language_code or
// Discord's locale ("en-US"). It is Dutch when the hint names no supported
// language, or a language only vaguely related to one.
func Match(hint string) Code {
	if hint = strings.TrimSpace(hint); hint == "" {
		return NL
	}
	if c, ok := Parse(hint); ok && !strings.ContainsAny(hint, ",;") {
		return c
	}
	want, _, err := language.ParseAcceptLanguage(hint)
	if err != nil || len(want) == 0 {
		return NL
	}
	_, i, conf := matcher.Match(want...)
	if conf < language.High {
		return NL
	}
	return Supported[i]
}
