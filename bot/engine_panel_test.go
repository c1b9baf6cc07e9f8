package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/panel"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestEnginePanelCode: a resident drawn by lot joins with the code of their letter
// (/start <code>, or the code typed), gets the code's kern and age group without
// being asked, and counts for the panel in the trajectory's rounds only; a used,
// unknown, mistyped or expired code is explained and the open way in offered.
func TestEnginePanelCode(t *testing.T) {
	key := []byte("panel-key-0123456789")
	h := engNewWith(t, func(c *bot.EngineConfig) {
		c.PanelCode = func(typed string) (string, string, bool) {
			code, ok := panel.NormaliseCode(typed)
			if !ok {
				return "", "", false
			}
			return panel.HashCode(key, code), code, true
		}
	}, engPeiling(engLocation(t)), &surveys.Survey{ID: "los", Title: "Losse peiling", Language: "nl",
		Questions: engPeiling(engLocation(t)).Questions[:1]})
	tr, err := surveys.ParseTrajectory("mv.traject.yaml", []byte(`id: missie-en-visie
title: "Missie en Visie Dalfsen 2040"
gemeente: Dalfsen
besluit: "De gemeenteraad stelt de Missie en Visie 2040 vast."
wie_beslist: gemeenteraad
belofte: "U hoort in elke fase wat er met uw inbreng is gedaan."
fasen:
  - {id: keuzes, naam: keuzes maken, van: 2026-11-01, tot: 2026-12-31, trede: raadplegen, verwachting: "U kiest mee.", rondes: [peiling]}
`))
	if err != nil {
		t.Fatal(err)
	}
	h.catalog.SetTrajectories([]*surveys.Trajectory{tr})
	codes := []string{panel.NewCode(), panel.NewCode(), panel.NewCode()}
	draw := storage.PanelDraw{Traject: "missie-en-visie", ID: "d1", Expires: h.now.Add(30 * 24 * time.Hour), Audit: []byte(`{}`),
		Codes: map[string]string{panel.HashCode(key, codes[0]): "Oudleusen|65+", panel.HashCode(key, codes[1]): "Hoonhorst|16-24"}}
	if _, err := h.store.SavePanel(h.ctx, draw); err != nil {
		t.Fatal(err)
	}
	expired := storage.PanelDraw{Traject: "missie-en-visie", ID: "d0", Expires: h.now.Add(-24 * time.Hour), Audit: []byte(`{}`),
		Codes: map[string]string{panel.HashCode(key, codes[2]): "Dalfsen|25-44"}}
	expired.Expires = time.Now().Add(time.Hour) // stored (SavePanel refuses the past) …
	if _, err := h.store.SavePanel(h.ctx, expired); err != nil {
		t.Fatal(err)
	}
	h.now = time.Now().Add(2 * time.Hour) // … and expired by the time it is used; the others are valid a month
	r := h.open("peiling", "peiling-2026-11")
	los := h.open("los", "los-2026-11")
	h.drain()

	a := h.user("1801", "1801")
	got := a.commandArgs("start", strings.ToLower(panel.Compact(codes[0]))) // as the t.me link sends it
	engWantText(t, got, "door loting gekozen voor ‘Missie en Visie Dalfsen 2040’")
	engWantText(t, got, "(Oudleusen, 65 jaar of ouder)")
	engWantText(t, got, "Gaat u akkoord?")
	if strings.Contains(engTexts(got), "Hoe oud bent u?") {
		t.Errorf("a panel member was asked their age: %q", engTexts(got))
	}
	got = a.press("Ja, ik doe mee")
	engWantText(t, got, "lid van het inwonerspanel van ‘Missie en Visie Dalfsen 2040’")
	if strings.Contains(engTexts(got), "In welke kern woont u?") {
		t.Errorf("a panel member was asked their kern: %q", engTexts(got))
	}
	p, err := h.store.Participant(h.ctx, a.pid())
	if err != nil || p.Panel != "missie-en-visie" || p.Kern != "Oudleusen" || p.Leeftijd != "65+" || !p.Consented() {
		t.Fatalf("participant: got %+v %v", p, err)
	}

	engWantText(t, a.command("mijngegevens"), "U doet mee met een code uit een brief van de loting (inwonerspanel van het traject missie-en-visie)")

	// the same code on another phone: used
	b := h.user("1802", "1802")
	got = b.commandArgs("start", codes[0])
	engWantText(t, got, "Deze code is al gebruikt")
	engWantText(t, got, "hoe oud bent u?") // the open way in
	// a typo (the check character catches it) and a code nobody was sent
	typo := []byte(codes[1])
	typo[0] = map[bool]byte{true: 'B', false: 'A'}[typo[0] == 'A']
	engWantText(t, b.send(string(typo)), "Deze code klopt niet")
	engWantText(t, b.send(panel.NewCode()), "Deze code kennen we niet")
	// one code in 36 has letters only: typed as printed it is a code too
	letters := panel.NewCode()
	for strings.ContainsAny(letters, "0123456789") {
		letters = panel.NewCode()
	}
	engWantText(t, b.send(letters), "Deze code kennen we niet")
	engWantText(t, b.send(codes[2]), "Deze code is verlopen")

	// a resident who takes part already joins with the code typed
	c := h.user("1803", "1803")
	c.join("25 – 44 jaar", "Dalfsen")
	h.drain()
	engWantText(t, c.send(codes[1]), "Uw woonkern is nu Hoonhorst, uw leeftijdsgroep 16 – 24 jaar")

	// the panel counts in the trajectory's round, not in the round outside it
	for _, u := range []*engUser{a, c} {
		u.command("start")
		u.press("Doe mee: Inwonerspeiling Dalfsen")
		u.press("Bewoner")
	}
	b.press("45 – 64 jaar") // b joins openly, from the start after the used code
	b.press("Ja, ik doe mee")
	b.press("Dalfsen")
	b.press("Doe mee: Inwonerspeiling Dalfsen")
	b.press("Bewoner")
	tallies := h.tallies(r.ID)
	for field, want := range map[string]int64{"respondents": 3, "panel:respondents": 2, "panel:respondents:k:Oudleusen": 1,
		"panel:respondents:j:Oudleusen:65+": 1, "panel:respondents:j:Hoonhorst:16-24": 1, "panel:q:positie:o:bewoner:j:Oudleusen:65+": 1} {
		if got := tallies[field]; got != want {
			t.Errorf("round in the trajectory, %s: got %d, want %d (tallies %v)", field, got, want, tallies)
		}
	}
	a.command("start")
	a.press("Doe mee: Losse peiling")
	a.press("Bewoner")
	for f := range h.tallies(los.ID) {
		if strings.HasPrefix(f, surveys.PanelPrefix) {
			t.Errorf("round outside the trajectory counts %s for the panel", f)
		}
	}
}

// commandArgs is a command with arguments ("/start K7QM…").
func (u *engUser) commandArgs(name, args string) []bot.Message {
	u.h.t.Helper()
	ev := u.event(bot.CommandEvent)
	ev.Command, ev.Args = name, args
	return u.h.handle(ev)
}
