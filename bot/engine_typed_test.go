package bot_test

import (
	"strings"
	"testing"
)

// Typing works wherever a tap does: labels and their obvious variants, numbers and
// number words on a rating, 1–3 on wie van de drie, "klaar" on multiple choice, and
// command words; a text that fits nothing gets the reason and the question again.
func TestEngineTypedAnswers(t *testing.T) {
	h := engNew(t)
	r := h.open("peiling", "peiling-2026-11")
	u := h.user("4141", "4141")
	u.join("25 – 44 jaar", "Dalfsen")
	u.press("Doe mee")

	engWantStep(t, u, "Vraag 1 van 8")
	u.send("vereniging!")
	engWantStep(t, u, "Vraag 2 van 8")
	if a := u.answer(r.ID, "positie"); len(a.Options) != 1 || a.Options[0] != "vereniging" {
		t.Errorf("typed single choice: got %+v, want vereniging", a)
	}
	u.send("Meer groen")
	if !strings.Contains(u.lastText(), "Gekozen (1 van max. 2): Meer groen") {
		t.Errorf("typed tick: got %q, want Meer groen ticked", u.lastText())
	}
	u.send("Klaar")
	engWantStep(t, u, "Vraag 3 van 8")
	// back to the answered question: typing a ticked option unticks it (the selection
	// comes from the stored answer, not only the session)
	u.send("vorige")
	engWantStep(t, u, "Vraag 2 van 8")
	u.send("Veiliger verkeer")
	u.send("meer groen")
	if !strings.Contains(u.lastText(), "Gekozen (1 van max. 2): Veiliger verkeer.") {
		t.Errorf("typed untick: got %q, want only Veiliger verkeer ticked", u.lastText())
	}
	u.send("Meer groen")
	u.send("Veiliger verkeer")
	u.send("klaar")
	engWantStep(t, u, "Vraag 3 van 8")
	u.send("helemaal MEE eens")
	engWantStep(t, u, "Vraag 4 van 8")

	// a rating: what does not fit is refused with the reason and the question again
	before := h.tallies(r.ID)
	got := u.send("elf")
	engWantText(t, got, "Typ een cijfer van 1 tot 10")
	engWantStep(t, u, "Vraag 4 van 8")
	if after := h.tallies(r.ID); after["q:cijfer:n"] != before["q:cijfer:n"] {
		t.Errorf("a misfit was counted: %v", after)
	}
	u.send("zeven")
	engWantStep(t, u, "Vraag 5 van 8")
	u.send("Korte lijnen met de gemeente")
	u.send("overslaan")
	engWantStep(t, u, "Vraag 7 van 8 · keuze 1 van 2")
	u.send("2")
	engWantStep(t, u, "Vraag 7 van 8 · keuze 2 van 2")
	u.send("vorige")
	engWantStep(t, u, "Vraag 7 van 8 · keuze 1 van 2")
	u.send("3")
	u.send("1")
	engWantStep(t, u, "Vraag 8 van 8")
	got = u.send("tevreden")
	engWantText(t, got, "Klaar, bedankt!")

	for field, want := range map[string]string{"luistert": "5", "cijfer": "7", "tevreden": "ja"} {
		if a := u.answer(r.ID, field); len(a.Options) != 1 || a.Options[0] != want {
			t.Errorf("typed %s: got %+v, want option %s", field, a, want)
		}
	}
	if a := u.answer(r.ID, "beter"); !a.Skipped {
		t.Errorf("typed overslaan: got %+v, want skipped", a)
	}
	for _, f := range []string{"waarden#0", "waarden#1"} {
		if a := u.answer(r.ID, f); a.Winner == "" || len(a.Losers) != 2 {
			t.Errorf("typed wie van de drie %s: got %+v", f, a)
		}
	}
	engWantCounts(t, h.tallies(r.ID), map[string]int64{"completed": 1, "q:cijfer:n": 1, "q:cijfer:o:7": 1, "q:waarden:n": 2})
}

func TestEngineCommandWords(t *testing.T) {
	h := engNew(t)
	h.open("peiling", "peiling-2026-11")
	u := h.user("4242", "4242")
	engWantText(t, u.send("Hoe werkt dit?"), "Zo werkt de participatiebot")
	u.join("25 – 44 jaar", "Dalfsen")
	engWantText(t, u.send("ik wil stoppen"), "Wilt u zich afmelden?")
	engWantText(t, u.send("Status"), "U doet mee sinds")
	engWantText(t, u.send("hulp"), "Zo werkt de participatiebot")
}
