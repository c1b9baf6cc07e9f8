package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/redis/go-redis/v9"
)

// TestBrowserTrajectoryPages: the round page with its lottery-drawn panel and the
// trajectory's participatieverslag in the dashboard have no axe-core violation
// and never scroll sideways at 320 px and 200%.
func TestBrowserTrajectoryPages(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in short mode")
	}
	h := newHarness(t)
	h.env["DASHBOARD_USERS"] = "anna:geheim-wachtwoord"
	h.addSurveys("testdata/traject", "mv.traject.yaml", "mv-beeld.yaml", "mv-keuze.yaml")
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: h.redis.Addr})
	defer rdb.Close()
	st := storage.New(rdb)
	codes := map[string]string{}
	strata := []string{"Dalfsen|25-44", "Dalfsen|65+", "Nieuwleusen|45-64", "Lemelerveld|16-24"}
	for i := range 120 {
		codes[fmt.Sprintf("c%03d", i)] = strata[i%len(strata)]
	}
	if _, err := st.SavePanel(ctx, storage.PanelDraw{Traject: "missie-en-visie", ID: "b", Codes: codes, Expires: time.Now().Add(time.Hour),
		Audit: []byte(`{"seed":"11","size":120,"dimensions":["kern","leeftijd"],"method":"Gestratificeerde loting met seed 11."}`)}); err != nil {
		t.Fatal(err)
	}
	h.serve()
	rid := strings.Fields(h.cli("rounds", "open", "mv-beeld"))[1]
	sv, err := surveys.LoadFile(filepath.Join(h.env["SURVEYS_DIR"], "mv-beeld.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	q := sv.Questions[0]
	for i := range 70 {
		p := surveys.Profile{Kern: "Dalfsen", Leeftijd: "45-64"} // the self-selected
		if i < 50 {
			k, a, _ := strings.Cut(strata[i%len(strata)], "|")
			p = surveys.Profile{Kern: k, Leeftijd: a, Panel: true}
		}
		if _, err := st.RecordAnswer(ctx, storage.AnswerWrite{Round: rid, Participant: fmt.Sprintf("p%d", i), Field: q.ID,
			Value: surveys.EncodeAnswer(q, surveys.Answer{Options: []string{q.Options[i%2].ID}}), Kern: p.Kern, Leeftijd: p.Leeftijd, Panel: p.Panel}); err != nil {
			t.Fatal(err)
		}
	}
	h.cli("rounds", "close", rid)
	waitState(t, st, rid, storage.Published)

	base := h.baseURL()
	axe := axeSource(t)
	org := newBrowser(t)
	do(t, org, "log in", wide, chromedp.Navigate(base+"dashboard/"),
		chromedp.WaitVisible(`#name`, chromedp.ByQuery),
		chromedp.SendKeys(`#name`, "anna", chromedp.ByQuery),
		chromedp.SendKeys(`#password`, "geheim-wachtwoord", chromedp.ByQuery),
		click(`//button[normalize-space()='Inloggen']`),
		chromedp.WaitVisible(`#trajecten-kop`, chromedp.ByQuery))
	for _, page := range []struct{ name, path, ready, shot string }{
		{"round page with its panel", "dashboard/rounds/" + rid, "#loting-kop", "dashboard-ronde-loting.png"},
		{"participatieverslag", "dashboard/trajecten/missie-en-visie", "//h2[normalize-space()='Verantwoording van de loting']", "dashboard-verslag.png"},
	} {
		by := chromedp.ByQuery
		if strings.HasPrefix(page.ready, "//") {
			by = chromedp.BySearch
		}
		do(t, org, page.name, wide, chromedp.Navigate(base+page.path), chromedp.WaitVisible(page.ready, by))
		checkAxe(t, org, axe, page.name)
		screenshot(t, org, page.shot)
		do(t, org, page.name+" narrow", narrow, chromedp.Navigate(base+page.path), chromedp.WaitVisible(page.ready, by))
		checkReflow(t, org, page.name)
		checkAxe(t, org, axe, page.name+" at 320 px")
	}
}
