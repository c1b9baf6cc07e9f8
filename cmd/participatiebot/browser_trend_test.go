package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
	"github.com/redis/go-redis/v9"
)

// TestBrowserTrendPage: the trend page of the example burgerpeiling after two
// rounds (its tables per question, the indicators with their status and the
// comparison) and the round page with its indicators have no axe-core violation
// and never scroll sideways at 320 px and 200%.
func TestBrowserTrendPage(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in short mode")
	}
	h := newHarness(t)
	h.env["DASHBOARD_USERS"] = "anna:geheim-wachtwoord"
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", "burgerpeiling.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(h.env["SURVEYS_DIR"], "burgerpeiling.yaml")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	sv, err := surveys.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: h.redis.Addr})
	defer rdb.Close()
	ids := browserTrendRounds(t, storage.New(rdb), sv)
	h.serve()

	base := h.baseURL()
	axe := axeSource(t)
	org := newBrowser(t)
	do(t, org, "log in", wide, chromedp.Navigate(base+"dashboard/"),
		chromedp.WaitVisible(`#name`, chromedp.ByQuery),
		chromedp.SendKeys(`#name`, "anna", chromedp.ByQuery),
		chromedp.SendKeys(`#password`, "geheim-wachtwoord", chromedp.ByQuery),
		click(`//button[normalize-space()='Inloggen']`),
		click(`//a[@href='/dashboard/vragenlijsten/burgerpeiling/trend']`),
		chromedp.WaitVisible(`#indicatoren-kop`, chromedp.ByQuery))
	for _, page := range []struct{ name, path, ready, shot string }{
		{"trend page", "dashboard/vragenlijsten/burgerpeiling/trend", "#vergelijking-kop", "dashboard-trend.png"},
		{"round page with its indicators", "dashboard/rounds/" + ids[1], "#indicatoren-kop", "dashboard-ronde-indicatoren.png"},
	} {
		do(t, org, page.name, wide, chromedp.Navigate(base+page.path), chromedp.WaitVisible(page.ready, chromedp.ByQuery))
		checkAxe(t, org, axe, page.name)
		screenshot(t, org, page.shot)
		do(t, org, page.name+" narrow", narrow, chromedp.Navigate(base+page.path), chromedp.WaitVisible(page.ready, chromedp.ByQuery))
		checkReflow(t, org, page.name)
		checkAxe(t, org, axe, page.name+" at 320 px")
		screenshot(t, org, strings.TrimSuffix(page.shot, ".png")+"-320px-200pct.png")
	}
}

// browserTrendRounds holds two closed rounds of the burgerpeiling, half a year apart,
// with 200 participants each: "luistert" rises from 30% to 70% (zeer) mee eens,
// (zeer) veel vertrouwen goes from 44% to 48%, the mark from 6 to 7. It returns
// the rounds' ids, oldest first.
func browserTrendRounds(t *testing.T, st *storage.Store, sv *surveys.Survey) []string {
	t.Helper()
	ctx := context.Background()
	q := map[string]surveys.Question{}
	for _, x := range sv.Questions {
		q[x.ID] = x
	}
	var ids []string
	for k, agree := range []int{60, 140} {
		opens := time.Date(2026, time.Month(3+6*k), 1, 9, 0, 0, 0, time.UTC)
		rid := "burgerpeiling-" + opens.Format("20060102-1504")
		if _, err := st.CreateRound(ctx, &storage.Round{ID: rid, Survey: sv.ID, Slot: opens.Format("2006-01-02T15:04"), OpensAt: opens,
			ClosesAt: opens.Add(14 * 24 * time.Hour), Wording: surveys.Wording(sv)}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Transition(ctx, rid, storage.Scheduled, storage.Opened, opens); err != nil {
			t.Fatal(err)
		}
		for i := range 200 {
			l := "2"
			if i < agree {
				l = "4"
			}
			trust := "neutraal"
			if i < 88+8*k {
				trust = []string{"zeer-veel", "veel"}[i%2]
			}
			for _, a := range []struct{ q, v string }{{"luistert", l}, {"vertrouwen", trust}, {"cijfer", fmt.Sprint(6 + k)}} {
				if _, err := st.RecordAnswer(ctx, storage.AnswerWrite{Round: rid, Participant: fmt.Sprintf("p%d", i), Field: a.q,
					Value: surveys.EncodeAnswer(q[a.q], surveys.Answer{Options: []string{a.v}})}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := st.Transition(ctx, rid, storage.Opened, storage.Closed, opens.Add(14*24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rid)
	}
	return ids
}
