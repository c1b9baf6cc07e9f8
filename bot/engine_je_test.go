package bot_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/participatiebot/participatiebot/bot"
)

// engFormal returns the words of the u register (u, uw) in a text.
func engFormal(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		switch w {
		case "u", "U", "uw", "Uw":
			out = append(out, w)
		}
	}
	return out
}

// engOnboard takes a new resident from /start to the kern question and returns
// everything the engine sent on the way: texts and button labels.
func engOnboard(t *testing.T, je bool) (welcome, consent string, all []string) {
	t.Helper()
	h := engNewWith(t, func(c *bot.EngineConfig) {
		c.Je = je
		c.Municipality = "Dalfsen"
		c.PrivacyURL = "https://praatmee.example/privacy"
	})
	u := h.user("701", "701")
	collect := func(ms []bot.Message) string {
		for _, m := range ms {
			all = append(all, m.Text)
			for _, row := range m.Choices {
				for _, c := range row {
					all = append(all, c.Label)
				}
			}
		}
		return engTexts(ms)
	}
	welcome = collect(u.command("start"))
	consent = collect(u.press("25 – 44 jaar"))
	kern := collect(u.press("Ja, ik doe mee"))
	if !strings.Contains(kern, "In welke kern woon") {
		t.Fatalf("after consent: got %q, want the kern question", kern)
	}
	return welcome, consent, all
}

// TestEngineJeRegister checks that with AANSPREEKVORM=je (EngineConfig.Je) a new
// resident is welcomed and asked for consent with je, and that nothing the bot says
// up to the kern question addresses them with u; and that the default stays u.
func TestEngineJeRegister(t *testing.T) {
	welcome, consent, all := engOnboard(t, true)
	for _, want := range []string{"Via deze chat denk je mee over plannen voor je woonplaats", "hoe oud ben je?"} {
		if !strings.Contains(welcome, want) {
			t.Errorf("welcome: got %q, want %q in it", welcome, want)
		}
	}
	for _, want := range []string{"Voordat je meedoet: zo gaan we met je gegevens om.", "We bewaren je antwoorden onder een schuilnaam",
		"Je kunt altijd stoppen met /stop", "koppelen we je antwoorden los van jou", "Met ‘Ja’ mag Dalfsen je in deze chat uitnodigen",
		"Ga je akkoord?", "en je rechten): https://praatmee.example/privacy"} {
		if !strings.Contains(consent, want) {
			t.Errorf("consent: got %q, want %q in it", consent, want)
		}
	}
	for _, s := range all {
		if w := engFormal(s); len(w) > 0 {
			t.Errorf("je register, up to the kern question: %q says %q", s, w)
		}
	}

	// the default register is u, and the check above would see it
	welcome, consent, _ = engOnboard(t, false)
	if !strings.Contains(welcome, "hoe oud bent u?") || !strings.Contains(consent, "Gaat u akkoord?") {
		t.Errorf("u register: welcome %q, consent %q", welcome, consent)
	}
	if len(engFormal(welcome)) == 0 {
		t.Error("engFormal finds no u in the u welcome")
	}
}
