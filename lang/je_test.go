package lang

import (
	"sort"
	"strings"
	"testing"
)

// uWords are the words of the u register: a je text holds none of them.
var uWords = map[string]bool{"u": true, "uw": true, "U": true, "Uw": true, "UW": true}

// formal reports the u-register words of a text, outside its placeholders and
// commands.
func formal(s string) []string {
	var out []string
	for _, w := range strings.Fields(words(s)) {
		if uWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// TestJeNoU checks that no je text still addresses the resident with u or uw, and
// that every Dutch text that does has a je text, so that AANSPREEKVORM=je never
// mixes the two registers.
func TestJeNoU(t *testing.T) {
	u, je := readCatalogues(t)
	if len(je) == 0 {
		t.Fatal("no je catalogues")
	}
	for area, c := range je {
		for id, forms := range c {
			for f, text := range forms {
				if w := formal(text); len(w) > 0 {
					t.Errorf("je/%s.nl: %s[%s] still says %q: %q", area, id, f, w, text)
				}
			}
		}
	}
	var areas []string
	for area := range u {
		areas = append(areas, area)
	}
	sort.Strings(areas)
	for _, area := range areas {
		for id, forms := range u[area][NL] {
			for f, text := range forms {
				if len(formal(text)) > 0 && je[area][id] == nil {
					t.Errorf("%s.nl: %s[%s] says u but je/%s.nl.yaml has no je text for it: %q", area, id, f, area, text)
				}
			}
		}
	}
}

// TestJePrinter checks that the je printer prints the je text, plural forms too, and
// the u text for a key the je catalogue leaves out; and that the u printer is not
// touched by the je catalogue.
func TestJePrinter(t *testing.T) {
	je, u := For(NL, true), For(NL, false)
	if !je.Je() || u.Je() {
		t.Fatalf("Je(): je printer %v, u printer %v", je.Je(), u.Je())
	}
	for _, c := range []struct{ got, want string }{
		{je.T("welcome_back"), "Welkom terug! Je doet al mee."},
		{u.T("welcome_back"), "Welkom terug! U doet al mee."},
		{je.T("age_question"), "Hoe oud ben je?"},
		{je.T("consent_question"), "Ga je akkoord?"},
		{je.T("round.not_optional"), "Deze vraag kun je niet overslaan."},
		{je.T("result.your_mark", "Cijfer", 8), "Jouw cijfer: 8"},
		{je.T("web.you"), "Jij"},
		{je.N("round_list", 1, "Intro", "Bedankt!"), "Bedankt! Er staat 1 vragenronde voor je klaar."},
		{je.N("round_list", 2, "Intro", "Bedankt!"), "Bedankt! Er staan 2 vragenrondes voor je klaar. Kies er een; de andere kun je daarna doen."},
		// no je text: the u catalogue's
		{je.T("age_16_24"), "16 – 24 jaar"},
		{je.T("consent_yes_button"), u.T("consent_yes_button")},
		{je.T("kern_chosen", "Kern", "Dalfsen"), "Woonkern: Dalfsen ✔"},
		{je.N("status_answered", 3, "Beantwoord", 2), "2 van 3 vragen beantwoord"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if w := formal(je.T("consent", "Drempel", 10, "OptIn", je.T("optin_chat", "Gemeente", "Dalfsen"), "Versie", "2026-01")); len(w) > 0 {
		t.Errorf("je consent says %q", w)
	}
	// a language without a je register ignores it
	if For(EN, true).Je() {
		t.Error("English has no je register")
	}
}
