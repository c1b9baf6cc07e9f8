package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/panel"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/redis/go-redis/v9"
)

// TestPanelCodeEndToEnd: a resident drawn by lot joins with the code of their letter
// through the real Telegram client and the fake Telegram (/start <code> as the t.me
// link sends it), with the kern and leeftijd of the code; the same code from
// someone else is refused as used; the panel member's answers in a round of the
// trajectory count for the panel. The web chat's ?code= joins the same way, and no
// code is kept anywhere in Redis.
func TestPanelCodeEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	h := newHarness(t)
	h.addSurveys("../../examples", "goed-goan.traject.yaml", "goed-goan-wie-van-de-drie.yaml")
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: h.redis.Addr})
	defer rdb.Close()
	st := storage.New(rdb)

	// a draw as participatiebot loting stores it: hashes under the panel subkey
	key := subkey([]byte(h.env["PSEUDONYM_KEY"]), "panel")
	tgCode, webCode := panel.NewCode(), panel.NewCode()
	saved, err := st.SavePanel(ctx, storage.PanelDraw{Traject: "goed-goan", ID: "1-test",
		Codes:   map[string]string{panel.HashCode(key, tgCode): "Nieuwleusen|25-44", panel.HashCode(key, webCode): "Lemelerveld|65+"},
		Expires: time.Now().Add(30 * 24 * time.Hour), Audit: []byte(`{}`)})
	if err != nil || !saved {
		t.Fatalf("save draw: got %v, %v", saved, err)
	}
	h.serve()

	// /start <code> as the letter's t.me link sends it, then "Ja, ik doe mee"
	a := h.resident(8801)
	h.tg.SendText(a.uid, "/start "+panel.Compact(tgCode))
	if _, err := a.step("U bent door loting gekozen", "Ja, ik doe mee"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.await("Bedankt, u doet mee als lid van het inwonerspanel"); err != nil {
		t.Fatal(err)
	}
	checkPanelMember(t, st, panel.HashCode(key, tgCode), "Nieuwleusen", "25-44")

	// the same code from someone else
	b := h.resident(8802)
	h.tg.SendText(b.uid, "/start "+tgCode)
	if _, err := b.await("Deze code is al gebruikt"); err != nil {
		t.Fatal(err)
	}

	// the panel member answers a round of the trajectory
	rid := strings.Fields(h.cli("rounds", "open", "goed-goan-wie-van-de-drie"))[1]
	if _, err := a.step("Er staat een nieuwe vragenronde", "Doe mee"); err != nil {
		t.Fatal(err)
	}
	for k := 1; k <= 5; k++ {
		m, err := a.await(fmt.Sprintf("Vraag 1 van 4 · keuze %d van 5", k))
		if err != nil {
			t.Fatal(err)
		}
		if err := a.press(m, m.Keyboard[0][0].Text); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range [][2]string{{"Vraag 2 van 4", "5"}, {"Vraag 3 van 4", "Overslaan"}, {"Vraag 4 van 4", "8"}} {
		if _, err := a.step(s[0], s[1]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.await("Klaar, bedankt!"); err != nil {
		t.Fatal(err)
	}
	tallies, err := st.Tallies(ctx, rid)
	if err != nil {
		t.Fatal(err)
	}
	if got := tallies["panel:respondents"]; got != 1 {
		t.Errorf("panel:respondents: got %d, want 1 (tallies %v)", got, tallies)
	}
	if got := tallies["respondents"]; got != 1 {
		t.Errorf("respondents: got %d, want 1", got)
	}

	// the web chat: the letter's link <PUBLIC_URL>?code=<code>, without JavaScript
	w := newWebClient(t, h.baseURL())
	w.get("/?code=" + webCode)
	w.press("Beginnen")
	if !strings.Contains(w.page, "U bent door loting gekozen") {
		t.Fatalf("web chat after Beginnen with a code: no panel welcome in\n%s", w.page)
	}
	w.press("Ja, ik doe mee")
	checkPanelMember(t, st, panel.HashCode(key, webCode), "Lemelerveld", "65+")

	if found := redistest.Find(t, rdb, tgCode, panel.Compact(tgCode), webCode, panel.Compact(webCode)); len(found) > 0 {
		t.Errorf("Redis holds an invitation code:\n%s", strings.Join(found, "\n"))
	}
	for _, c := range []string{tgCode, panel.Compact(tgCode), webCode} {
		if strings.Contains(h.logs.String(), c) {
			t.Errorf("the log holds the code %s", c)
		}
	}
}

// checkPanelMember checks that the code with hash was used by a participant with the
// kern and leeftijd of its stratum, in the panel of goed-goan.
func checkPanelMember(t *testing.T, st *storage.Store, hash, kern, leeftijd string) {
	t.Helper()
	pc, err := st.PanelCodeOf(context.Background(), hash)
	if err != nil || pc.Participant == "" {
		t.Fatalf("code: got %+v (%v), want it used", pc, err)
	}
	p, err := st.Participant(context.Background(), pc.Participant)
	if err != nil {
		t.Fatal(err)
	}
	if p.Kern != kern || p.Leeftijd != leeftijd || p.Panel != "goed-goan" || !p.Consented() {
		t.Errorf("participant: got kern %q, leeftijd %q, panel %q, consent %q; want %s, %s, goed-goan and consent",
			p.Kern, p.Leeftijd, p.Panel, p.ConsentVersion, kern, leeftijd)
	}
}
