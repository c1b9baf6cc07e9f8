package bot_test

import (
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/lang"
)

// engLangOf is the language a message says it is written in.
func engLangOf(m bot.Message) lang.Code { return lang.Code(m.Lang).Or() }

// TestLanguagePreselectedFromThePlatform: a resident whose app is in English gets the
// welcome in English, with a way to choose another language, and keeps English
// after consenting: it is stored with the profile.
func TestLanguagePreselectedFromThePlatform(t *testing.T) {
	h := engNew(t)
	u := h.user("501", "501")
	u.lang = "en-GB"
	out := u.command("start")
	en := lang.For(lang.EN, false)
	if len(out) != 1 || engLangOf(out[0]) != lang.EN || out[0].Text != en.T("welcome", "Gemeente", en.T("municipality_default")) {
		t.Fatalf("welcome: got %q (lang %q), want the English welcome", engTexts(out), out[0].Lang)
	}
	if got := u.lastChoices(); !strings.HasPrefix(got[len(got)-1], "🌐 "+en.T("lang.other")) {
		t.Errorf("the welcome's last button is %q, want the language choice", got[len(got)-1])
	}
	u.press(en.T("age_25_44"))
	u.press(en.T("consent_yes_button"))
	if p := u.participant(); p.Lang != "en" {
		t.Errorf("stored language %q, want en", p.Lang)
	}
	// a later event without the hint (another device) keeps the stored language
	u.lang = ""
	if out := u.command("help"); engLangOf(out[0]) != lang.EN || out[0].Text != en.T("help") {
		t.Errorf("help: got %q in %q, want it in English", out[0].Text, out[0].Lang)
	}
}

// TestLanguageChosenBeforeConsent: a resident taps the language button before
// consenting; nothing is stored, the choice travels in the buttons and is stored
// with the consent. A Dutch resident's profile stores no language at all.
func TestLanguageChosenBeforeConsent(t *testing.T) {
	h := engNew(t)
	u := h.user("502", "502")
	u.command("start")
	nl := lang.Dutch()
	out := u.press("🌐 " + nl.T("lang.other") + " · Language")
	if len(out) != 1 || out[0].Text != nl.T("lang.ask") || len(u.lastChoices()) != len(lang.Supported) {
		t.Fatalf("language choice: got %q %v", engTexts(out), u.lastChoices())
	}
	if _, err := h.store.Participant(h.ctx, u.pid()); err == nil {
		t.Fatal("a participant was stored before consent")
	}
	out = u.press("العربية")
	ar := lang.For(lang.AR, false)
	if len(out) != 1 || engLangOf(out[0]) != lang.AR || out[0].Text != ar.T("welcome", "Gemeente", ar.T("municipality_default")) {
		t.Fatalf("welcome after choosing Arabic: got %q (%q)", engTexts(out), out[0].Lang)
	}
	for _, row := range out[0].Choices[:len(out[0].Choices)-1] {
		if d := row[0].Data; !strings.HasSuffix(d, ":ar") {
			t.Errorf("age button %q does not carry the language", d)
		}
	}
	if _, err := h.store.Participant(h.ctx, u.pid()); err == nil {
		t.Fatal("a participant was stored before consent")
	}
	u.press(ar.T("age_45_64"))
	out = u.press(ar.T("consent_yes_button"))
	if p := u.participant(); p.Lang != "ar" || p.Leeftijd == "" {
		t.Errorf("stored language %q, age %q; want ar and the age group", p.Lang, p.Leeftijd)
	}
	for _, m := range out {
		if engLangOf(m) != lang.AR {
			t.Errorf("after consent: message %q in %q, want Arabic", m.Text, m.Lang)
		}
	}
	// /taal later: back to Dutch, which is stored as no language
	u.command("taal")
	out = u.press("Nederlands")
	if p := u.participant(); p.Lang != "" {
		t.Errorf("after choosing Dutch the stored language is %q, want none", p.Lang)
	}
	if !strings.Contains(engTexts(out), nl.T("lang.set", "Taal", "Nederlands")) || engLangOf(out[0]) != lang.NL {
		t.Errorf("after choosing Dutch: %q", engTexts(out))
	}
	// a typed word does it too, the word of any language, whichever the bot speaks now
	for _, w := range []string{"Language", "taal", "dil", "język", "мова", "لغة"} {
		if out := u.send(w); len(out) != 1 || out[0].Text != nl.T("lang.ask") {
			t.Errorf("typed %q: got %q", w, engTexts(out))
		}
	}
}

// TestLanguageForgedData: language data the engine never produced is refused and
// changes nothing.
func TestLanguageForgedData(t *testing.T) {
	h := engNew(t)
	u := h.user("503", "503")
	u.join("45 – 64 jaar", engKernen[0])
	for _, data := range []string{"lang:de", "lang:EN", "lang:en:1", "age:1:xx", "ok:1:ar"} {
		u.pressData(data, "")
	}
	if p := u.participant(); p.Lang != "" {
		t.Errorf("forged data changed the stored language to %q", p.Lang)
	}
}
