package dashboard

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// TestDecideByForm: once the results went out, an organiser gives the decision on
// the round page; it is stored once, refused when empty or given twice, and the
// scheduler is woken to send it (see the scheduler's decide tests for the sending).
func TestDecideByForm(t *testing.T) {
	h := newHarness(t)
	const rid = "peiling-20261201-0900"
	h.openRound(rid)
	c := h.login("anna", "geheim")
	if page := h.get("/dashboard/rounds/"+rid, c).Body.String(); strings.Contains(page, "/decide") {
		t.Errorf("open round: got a decision form, want none before the results went out")
	}
	now := time.Now()
	for _, step := range [][2]storage.State{{storage.Opened, storage.Closed}, {storage.Closed, storage.Published}} {
		if _, err := h.store.Transition(t.Context(), rid, step[0], step[1], now); err != nil {
			t.Fatal(err)
		}
	}
	page := h.get("/dashboard/rounds/"+rid, c).Body.String()
	if !strings.Contains(page, `action="/dashboard/rounds/`+rid+`/decide"`) {
		t.Fatalf("published round: no decision form")
	}
	besluit := "De raad besloot op 10 december de nieuwe ingang aan de voorkant te maken, zoals 62% van u koos."
	tests := []struct {
		name, text, csrf string
		want             int
		body             string
	}{
		{"without csrf", besluit, "", http.StatusForbidden, ""},
		{"empty", "   \n ", "ok", http.StatusUnprocessableEntity, "het besluit is leeg"},
		{"too long", strings.Repeat("x", 3501), "ok", http.StatusUnprocessableEntity, "maximaal 3500"},
		{"stored", besluit, "ok", http.StatusSeeOther, ""},
		{"the same text again (a double submit)", besluit, "ok", http.StatusSeeOther, ""},
		{"twice", "Nog een besluit", "ok", http.StatusConflict, "het besluit is al gegeven"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"besluit": {tt.text}}
			if tt.csrf != "" {
				form.Set("csrf", h.csrf(c))
			}
			// an invalid text is refused at the preview; a valid one is stored
			// (or refused) when confirmed (TestDecideNeedsConfirmation)
			if tt.want != http.StatusUnprocessableEntity {
				form.Set("bevestig", "ja")
			}
			w := h.post("/dashboard/rounds/"+rid+"/decide", c, form)
			if w.Code != tt.want || !strings.Contains(w.Body.String(), tt.body) {
				t.Errorf("got %d, want %d with %q", w.Code, tt.want, tt.body)
			}
		})
	}
	r, err := h.store.Round(t.Context(), rid)
	if err != nil {
		t.Fatal(err)
	}
	if r.Decision != besluit {
		t.Errorf("decision: got %q, want %q", r.Decision, besluit)
	}
	if got := h.auditActions(); !slices.Contains(got, "anna: besluit opgeslagen, terugkoppeling wordt verstuurd: "+rid) {
		t.Errorf("audit: got %v", got)
	}
	if page := h.get("/dashboard/rounds/"+rid, c).Body.String(); strings.Contains(page, "/decide\"") || !strings.Contains(page, "zoals 62% van u koos") {
		t.Errorf("after the decision: want the decision shown and no form")
	}
}

// TestRawExports: the raw answers download holds every answer under an export id,
// the publication download no open texts.
func TestRawExports(t *testing.T) {
	h := newHarness(t)
	const rid = "peiling-20261201-0900"
	h.openRound(rid)
	for i := range 12 {
		pid := "p" + string(rune('a'+i))
		h.answer(rid, pid, "positie", surveys.Answer{Options: []string{"voorkant"}}, surveys.Profile{Kern: "Dalfsen", Leeftijd: "25-44"})
		h.answer(rid, pid, "beter", surveys.Answer{Text: "Samen met de dorpsraad"}, surveys.Profile{Kern: "Dalfsen", Leeftijd: "25-44"})
	}
	// the raw answers wait for close (TestLiveExports)
	if _, err := h.store.Transition(t.Context(), rid, storage.Opened, storage.Closed, time.Now()); err != nil {
		t.Fatal(err)
	}
	c := h.login("anna", "geheim")
	for _, tt := range []struct {
		path     string
		wantText bool
	}{{"antwoorden.csv", true}, {"antwoorden-publicatie.csv", false}} {
		w := h.get("/dashboard/rounds/"+rid+"/"+tt.path, c)
		if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") {
			t.Fatalf("%s: got %d %s", tt.path, w.Code, w.Header().Get("Content-Type"))
		}
		rows := readDutchCSV(t, w.Body.Bytes())
		if len(rows) != 1+24 {
			t.Fatalf("%s: got %d rows; want 24 answers", tt.path, len(rows))
		}
		body := strings.Join(slices.Concat(rows...), ",")
		if strings.Contains(body, "dorpsraad") != tt.wantText || strings.Contains(body, ",pa,") {
			t.Errorf("%s: open text shown %v, want %v (or a storage pseudonym leaked)", tt.path, !tt.wantText, tt.wantText)
		}
	}
	if got := h.auditActions(); !slices.Contains(got, "anna: export antwoorden voor publicatie: "+rid) {
		t.Errorf("audit: got %v", got)
	}
	if w := h.get("/dashboard/rounds/"+rid+"/antwoorden.csv", nil); w.Code == http.StatusOK {
		t.Errorf("without login: got 200")
	}
}
