package dashboard

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestRoundPageExplainsFigures: every figure of the round page is said in
// plain words with its judgement (package results' explanations), no
// configuration variable or formula is named, and every table scrolls in its
// own region.
func TestRoundPageExplainsFigures(t *testing.T) {
	h := newHarness(t)
	fillRound(h)
	c := h.login("anna", "geheim")
	w := h.get("/dashboard/rounds/"+rid, c)
	if w.Code != http.StatusOK {
		t.Fatalf("status: got %d", w.Code)
	}
	page := html.UnescapeString(w.Body.String())

	sv, _ := h.catalog.Survey("peiling")
	rd, err := h.store.Round(t.Context(), rid)
	if err != nil {
		t.Fatal(err)
	}
	res, err := roundsFor(h.srv.cfg, h.store, h.catalog).View(t.Context(), sv, rd)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, explain := range []func(*results.Results) (results.Explanation, bool){results.RIndicatorExplained, results.RScoreExplained, results.WeightingExplained} {
		e, ok := explain(res)
		if !ok {
			t.Fatalf("the test round has no afspiegeling or weighting")
		}
		want = append(append(want, `class="headline">`+e.Line+`</p>`, `<p class="uitleg">`+e.Help+`</p>`), e.Notes...)
	}
	want = append(want, results.IntervalHelp, "95% zeker: tussen", "Kernen met minder dan 10 deelnemers wegen we niet apart",
		"De weging maakt de cijfers ongeveer zo nauwkeurig als een peiling met",
		"Per vraag telt alleen wie de vraag beantwoordde.", "95%-marge, rekening houdend met de weging (Kish)", "Respons per kern:", `<span class="muted">95%-marge: `,
		"Voeg de leeftijdsverdeling toe aan het bevolkingsbestand", results.ResponseHelp(52, 26, 0.5))
	for _, s := range want {
		if !strings.Contains(page, s) {
			t.Errorf("round page: no %q", s)
		}
	}
	for _, jargon := range []string{"POPULATION_FILE", "DASHBOARD_USERS", "÷", "ongewogen", "95%-interval", "laagste gedeeld door hoogste respons per groep;"} {
		if strings.Contains(page, jargon) {
			t.Errorf("round page: got %q", jargon)
		}
	}
	tables := strings.Count(page, "<table")
	regions := len(regexp.MustCompile(`<div class="tabel" role="region" aria-label="[^"]+" tabindex="0">\s*<table`).FindAllString(page, -1))
	if tables == 0 || regions != tables {
		t.Errorf("tables: got %d of %d in a scrolling region", regions, tables)
	}
}

// TestRoundPageWithoutInvitations: a round nobody was invited to (the demo
// rounds, the web chat) says so instead of "0" and a dash.
func TestRoundPageWithoutInvitations(t *testing.T) {
	h := newHarness(t)
	h.openRound(rid)
	h.answer(rid, "p1", "positie", surveys.Answer{Options: []string{"voorkant"}}, surveys.Profile{Kern: "Dalfsen"})
	c := h.login("anna", "geheim")
	page := html.UnescapeString(h.get("/dashboard/rounds/"+rid, c).Body.String())
	for _, want := range []string{`data-field="invited">nog niemand</dd>`, `data-field="response_rate">niet te berekenen</dd>`,
		"Nog niemand uitgenodigd, dus er is geen respons te berekenen.", "De ene deelnemer kwam zonder uitnodiging, bijvoorbeeld via de webchat."} {
		if !strings.Contains(page, want) {
			t.Errorf("round page: no %q", want)
		}
	}
	api := h.get("/dashboard/api/rounds", c).Body.String()
	if !strings.Contains(api, `"invited_text":"nog niemand"`) || !strings.Contains(api, `"response_rate_text":"niet te berekenen"`) {
		t.Errorf("api: got %s", api)
	}
}
