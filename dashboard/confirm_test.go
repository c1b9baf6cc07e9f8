package dashboard

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

var (
	residentPreview = regexp.MustCompile(`(?s)<div class="bericht" id="voorbeeld-deelnemers" dir="auto">(.*?)</div>`)
	textarea        = regexp.MustCompile(`(?s)<textarea id="besluit"([^>]*)>(.*?)</textarea>`)
)

// preview is the text of the message to the participants on a confirm page.
func preview(t *testing.T, page string) string {
	t.Helper()
	m := residentPreview.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no preview of the message to the participants in\n%s", page)
	}
	return html.UnescapeString(m[1])
}

// confirmForm checks that a confirm page has the "Ja, versturen" form to path,
// with the session's CSRF token and the confirmation field.
func confirmForm(t *testing.T, page, path, csrf string) {
	t.Helper()
	form := regexp.MustCompile(`(?s)<form method="post" action="` + regexp.QuoteMeta(path) + `" class="inline">(.*?)</form>`).FindStringSubmatch(page)
	if form == nil {
		t.Fatalf("no form posting to %s", path)
	}
	for _, want := range []string{`name="csrf" value="` + csrf + `"`, `name="bevestig" value="ja">Ja, versturen</button>`} {
		if !strings.Contains(form[1], want) {
			t.Errorf("confirm form: no %q in %s", want, form[1])
		}
	}
}

// TestCloseNeedsConfirmation: "Sluiten en uitslag versturen" first shows the
// results message as the bot renders it and how many get it, and closes
// nothing; only the second POST, with the confirmation and the CSRF token,
// closes the round.
func TestCloseNeedsConfirmation(t *testing.T) {
	h := newHarness(t)
	fillRound(h)
	c := h.login("anna", "geheim")
	token := h.csrf(c)
	path := "/dashboard/rounds/" + rid + "/close"

	w := h.post(path, c, url.Values{"csrf": {token}})
	if w.Code != http.StatusOK {
		t.Fatalf("first POST: got %d, want %d", w.Code, http.StatusOK)
	}
	page := w.Body.String()
	if r, err := h.store.Round(t.Context(), rid); err != nil || r.State != storage.Opened {
		t.Fatalf("after the first POST: got state %v (%v), want %v", r.State, err, storage.Opened)
	}
	for _, want := range []string{"Dit gaat naar 26 deelnemers.", "Het bericht aan de stuurgroep", "Stuurgroep — uitslag",
		"Een voorbeeld: het bericht voor een deelnemer", `href="/dashboard/rounds/` + rid + `">Terug`} {
		if !strings.Contains(page, want) {
			t.Errorf("confirm page: no %q", want)
		}
	}
	confirmForm(t, page, path, token)

	// The preview is the bot's message, for an example participant who gave
	// the most chosen answers, from the results as they stand.
	sv, _ := h.catalog.Survey("peiling")
	rd, err := h.store.Round(t.Context(), rid)
	if err != nil {
		t.Fatal(err)
	}
	rd.State, rd.ClosedAt = storage.Closed, h.now
	res, err := roundsFor(h.srv.cfg, h.store, h.catalog).Results(t.Context(), sv, rd)
	if err != nil {
		t.Fatal(err)
	}
	got := preview(t, page)
	if want := results.PersonalSummary(lang.Dutch(), res, exampleAnswers(res), surveys.Profile{}); got != want {
		t.Errorf("preview:\ngot  %q\nwant %q", got, want)
	}
	for _, want := range []string{"Bedankt voor uw deelname aan", "Uw keuze: Aan de voorkant"} {
		if !strings.Contains(got, want) {
			t.Errorf("preview: no %q in\n%s", want, got)
		}
	}

	if w := h.post(path, c, url.Values{"bevestig": {"ja"}}); w.Code != http.StatusForbidden {
		t.Errorf("confirmation without CSRF token: got %d, want %d", w.Code, http.StatusForbidden)
	}
	if w := h.post(path, c, url.Values{"csrf": {token}, "bevestig": {"ja"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("confirmed: got %d, want %d", w.Code, http.StatusSeeOther)
	}
	if r, err := h.store.Round(t.Context(), rid); err != nil || r.State != storage.Closed {
		t.Errorf("after the confirmation: got state %v (%v), want %v", r.State, err, storage.Closed)
	}
	if got := h.auditActions(); !slices.Contains(got, "anna: ronde gesloten, uitslag wordt verstuurd: "+rid) {
		t.Errorf("audit: got %v", got)
	}
	if w := h.post(path, c, url.Values{"csrf": {token}}); w.Code != http.StatusConflict {
		t.Errorf("preview of a closed round: got %d, want %d", w.Code, http.StatusConflict)
	}
}

// TestCloseConfirmationTooFew: a round under the threshold previews the
// message without numbers that its participants will get.
func TestCloseConfirmationTooFew(t *testing.T) {
	h := newHarness(t)
	h.openRound(rid)
	h.answer(rid, "p1", "positie", surveys.Answer{Options: []string{"voorkant"}}, surveys.Profile{Kern: "Dalfsen"})
	c := h.login("anna", "geheim")
	page := h.post("/dashboard/rounds/"+rid+"/close", c, url.Values{"csrf": {h.csrf(c)}}).Body.String()
	got := preview(t, page)
	if !strings.Contains(got, "Te weinig deelnemers om de uitslag te tonen") || strings.Contains(page, "Een voorbeeld:") ||
		!strings.Contains(page, "Dit gaat naar 1 deelnemer.") {
		t.Errorf("too few: got preview %q", got)
	}
}

// TestDecideNeedsConfirmation: "Besluit versturen" first shows the decision
// exactly as the bot sends it (results.DecisionMessage, line ends and white
// space as stored) and stores nothing; "Terug" keeps the text in the form; the
// confirmation stores it.
func TestDecideNeedsConfirmation(t *testing.T) {
	h := newHarness(t)
	fillRound(h)
	for _, step := range [][2]storage.State{{storage.Opened, storage.Closed}, {storage.Closed, storage.Published}} {
		if _, err := h.store.Transition(t.Context(), rid, step[0], step[1], h.now); err != nil {
			t.Fatal(err)
		}
	}
	c := h.login("anna", "geheim")
	token := h.csrf(c)
	path := "/dashboard/rounds/" + rid + "/decide"
	typed := "  De raad besloot op 10 december:\r\n\r\n- de ingang komt aan de voorkant <b>(62%)</b>.\r\n"
	stored := "De raad besloot op 10 december:\n\n- de ingang komt aan de voorkant <b>(62%)</b>."

	w := h.post(path, c, url.Values{"csrf": {token}, "besluit": {typed}})
	if w.Code != http.StatusOK {
		t.Fatalf("first POST: got %d, want %d", w.Code, http.StatusOK)
	}
	page := w.Body.String()
	if r, err := h.store.Round(t.Context(), rid); err != nil || r.Decision != "" {
		t.Fatalf("after the first POST: got decision %q (%v), want none", r.Decision, err)
	}
	sv, _ := h.catalog.Survey("peiling")
	if got, want := preview(t, page), results.DecisionMessage(lang.Dutch(), sv.Title, stored); got != want {
		t.Errorf("preview:\ngot  %q\nwant %q", got, want)
	}
	if strings.Contains(page, "<b>(62%)</b>") {
		t.Errorf("the decision reached the page unescaped")
	}
	if !strings.Contains(page, "Dit gaat naar 26 deelnemers.") {
		t.Errorf("confirm page does not say how many get it")
	}
	confirmForm(t, page, path, token)

	back := h.post(path, c, url.Values{"csrf": {token}, "besluit": {typed}, "terug": {"1"}})
	m := textarea.FindStringSubmatch(back.Body.String())
	if back.Code != http.StatusOK || m == nil || html.UnescapeString(m[2]) != typed {
		t.Errorf("Terug: got %d and a form with %q, want the round page with the text as typed", back.Code, m)
	}
	if r, _ := h.store.Round(t.Context(), rid); r.Decision != "" {
		t.Fatalf("after Terug: got decision %q, want none", r.Decision)
	}

	if w := h.post(path, c, url.Values{"csrf": {token}, "besluit": {typed}, "bevestig": {"ja"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("confirmed: got %d, want %d", w.Code, http.StatusSeeOther)
	}
	if r, err := h.store.Round(t.Context(), rid); err != nil || r.Decision != stored {
		t.Errorf("after the confirmation: got decision %q (%v), want %q", r.Decision, err, stored)
	}
	if w := h.post(path, c, url.Values{"csrf": {token}, "besluit": {"Nog een"}}); w.Code != http.StatusConflict {
		t.Errorf("preview once decided: got %d, want %d", w.Code, http.StatusConflict)
	}
}

// TestDecisionFieldEmpty: the decision field holds no text to send by mistake,
// only a placeholder.
func TestDecisionFieldEmpty(t *testing.T) {
	h := newHarness(t)
	h.openRound(rid)
	for _, step := range [][2]storage.State{{storage.Opened, storage.Closed}, {storage.Closed, storage.Published}} {
		if _, err := h.store.Transition(t.Context(), rid, step[0], step[1], h.now); err != nil {
			t.Fatal(err)
		}
	}
	c := h.login("anna", "geheim")
	m := textarea.FindStringSubmatch(h.get("/dashboard/rounds/"+rid, c).Body.String())
	if m == nil {
		t.Fatal("no decision field")
	}
	if m[2] != "" {
		t.Errorf("decision field: got text %q, want it empty", m[2])
	}
	if !strings.Contains(m[1], `placeholder="Bijvoorbeeld: De gemeenteraad heeft op 12 maart besloten …"`) {
		t.Errorf("decision field: no placeholder in %s", m[1])
	}
}
