package dashboard

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// stadspeiling is a recurring survey with an indicator and a reference.
const stadspeiling = `id: stadspeiling
title: "Stadspeiling"
participatiekaart: {doel: "Zien of we beter luisteren.", wie_beslist: gemeenteraad, trede: raadplegen, wat_gebeurt_er_mee: "De raad bespreekt het.", terugkoppeling: 2027-02-15}
schedule:
  cron: "0 9 1 3,9 *"
  duration: 14d
questions:
  - id: luistert
    type: likert
    text: "De gemeente luistert voldoende naar de mening van de inwoners."
  - id: cijfer
    type: rating
    text: "Welk rapportcijfer geeft u de gemeente?"
indicatoren:
  - {vraag: luistert, doel: ">= 50", jaar: 2027, eigenaar: "wethouder participatie"}
referenties:
  - {vraag: luistert, waarde: 52, bron: "waarstaatjegemeente.nl", jaar: 2025}
procesevaluatie: false
`

// eenmalig is a survey held once, without indicators: it has no trend page link.
const eenmalig = `id: eenmalig
title: "Eenmalige peiling"
participatiekaart: {doel: "Zien of we beter luisteren.", wie_beslist: gemeenteraad, trede: raadplegen, wat_gebeurt_er_mee: "De raad bespreekt het.", terugkoppeling: 2027-02-15}
schedule:
  opens: "2026-12-10 09:00"
  duration: 14d
questions:
  - {id: luistert, type: likert, text: "De gemeente luistert."}
procesevaluatie: false
`

// trendRounds loads sv and holds two closed rounds of it with 200 participants
// each, of whom 60 and then 140 agree, all giving a 7.
func (h *harness) trendRounds(yaml string) (*surveys.Survey, []string) {
	h.t.Helper()
	sv, err := surveys.Parse(h.t.Name()+".yaml", []byte(yaml))
	if err != nil {
		h.t.Fatal(err)
	}
	h.catalog.Put(sv)
	ctx := context.Background()
	var ids []string
	for k, agree := range []int{60, 140} {
		opens := time.Date(2026, time.Month(3+6*k), 1, 9, 0, 0, 0, amsterdam)
		rid := fmt.Sprintf("%s-%s", sv.ID, opens.Format("20060102-1504"))
		if _, err := h.store.CreateRound(ctx, &storage.Round{ID: rid, Survey: sv.ID, Slot: opens.Format("2006-01-02T15:04"),
			OpensAt: opens, ClosesAt: opens.Add(14 * 24 * time.Hour), Wording: surveys.Wording(sv)}); err != nil {
			h.t.Fatal(err)
		}
		if ok, err := h.store.Transition(ctx, rid, storage.Scheduled, storage.Opened, opens); err != nil || !ok {
			h.t.Fatal(ok, err)
		}
		for i := range 200 {
			l := "2"
			if i < agree {
				l = "4"
			}
			for _, a := range []struct {
				q surveys.Question
				v string
			}{{sv.Questions[0], l}, {sv.Questions[1], "7"}} {
				h.answerField(rid, fmt.Sprintf("p%d", i), a.q.ID, surveys.EncodeAnswer(a.q, surveys.Answer{Options: []string{a.v}}), surveys.Profile{})
			}
		}
		if ok, err := h.store.Transition(ctx, rid, storage.Opened, storage.Closed, opens.Add(14*24*time.Hour)); err != nil || !ok {
			h.t.Fatal(ok, err)
		}
		ids = append(ids, rid)
	}
	return sv, ids
}

// TestTrendPage: two closed rounds of a survey with an indicator: the trend page
// shows each round's figure with its margin, "gestegen" for the share that rose by
// more than chance explains and "gelijk gebleven" for the mark that stayed, the
// indicator on course, the benchmark; the downloads are for Excel and JSON; the
// overview and the round page link to it and the round page shows the indicator.
func TestTrendPage(t *testing.T) {
	h := newHarness(t)
	_, ids := h.trendRounds(stadspeiling)
	once, err := surveys.Parse("eenmalig.yaml", []byte(eenmalig))
	if err != nil {
		t.Fatal(err)
	}
	h.catalog.Put(once)
	c := h.login("anna", "geheim")

	w := h.get("/dashboard/vragenlijsten/stadspeiling/trend", c)
	page := w.Body.String()
	if w.Code != http.StatusOK {
		t.Fatalf("trend page: got %d, want 200\n%s", w.Code, page)
	}
	for _, want := range []string{
		"<h1>Trend: Stadspeiling</h1>",
		"2 rondes, oudste eerst",
		`<th scope="row" class="round">` + ids[0] + `</th><td class="datum"><time datetime="2026-03-01">1 maart 2026</time></td><td class="num">30%</td>`,
		`<td class="num">70%</td><td class="marge">63,3% tot 75,9%</td><td class="num">200</td><td>nee</td>`,
		"<strong>gestegen</strong> (&#43;40 procentpunten)", /* html/template writes + as &#43; */
		"gelijk gebleven (0,0)",
		"Vorige keer 30%, nu 70% (gestegen)",
		`<h2 id="indicatoren-kop">Indicatoren</h2>`,
		`<span class="oordeel oordeel-op-koers"><span aria-hidden="true">✓</span> op koers</span>`,
		"<dd>≥ 50% in 2027</dd>", "<dd>wethouder participatie</dd>", "Op koers als de hele 95%-marge",
		`<h2 id="vergelijking-kop">Vergelijking</h2>`, "<strong>duidelijk hoger</strong> (&#43;18 procentpunten)", "waarstaatjegemeente.nl, 2025",
		"Een verschil heet gestegen of gedaald", "Een verschil met een vergelijkingscijfer is duidelijk",
		`href="/dashboard/vragenlijsten/stadspeiling/trend.csv"`, `href="/dashboard/vragenlijsten/stadspeiling/trend.json"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("trend page: no %q", want)
		}
	}
	if got := strings.Count(page, "<caption>"); got != 3 { // two series and the comparison
		t.Errorf("trend page: got %d tables, want 3", got)
	}

	csv := h.get("/dashboard/vragenlijsten/stadspeiling/trend.csv", c)
	if csv.Code != http.StatusOK || !strings.HasPrefix(csv.Body.String(), "\ufeffvraag;optie;") || !strings.Contains(csv.Body.String(), ";70,00;") ||
		!strings.Contains(csv.Header().Get("Content-Disposition"), `filename=stadspeiling-trend.csv`) {
		t.Errorf("trend.csv: got %d %q %q", csv.Code, csv.Header().Get("Content-Disposition"), csv.Body.String()[:min(80, csv.Body.Len())])
	}
	var doc struct {
		Indicators []struct{ Verdict string } `json:"indicators"`
	}
	js := h.get("/dashboard/vragenlijsten/stadspeiling/trend.json", c)
	if err := json.Unmarshal(js.Body.Bytes(), &doc); err != nil || len(doc.Indicators) != 1 || doc.Indicators[0].Verdict != "op koers" {
		t.Errorf("trend.json: got %+v, %v", doc, err)
	}
	if got, want := h.auditActions()[0], "anna: export trend json: stadspeiling"; got != want {
		t.Errorf("audit: got %q, want %q", got, want)
	}

	overview := h.get("/dashboard/", c).Body.String()
	for _, sv := range []struct {
		id   string
		link bool
	}{{"stadspeiling", true}, {"peiling", true}, {"eenmalig", false}} {
		if got := strings.Contains(overview, `<a href="/dashboard/vragenlijsten/`+sv.id+`/trend">Trend`); got != sv.link {
			t.Errorf("overview: link to the trend of %s: got %v, want %v", sv.id, got, sv.link)
		}
	}

	round := h.get("/dashboard/rounds/"+ids[1], c).Body.String()
	line := "‘De gemeente luistert voldoende naar de mening van de inwoners.’, (zeer) mee eens: 70% (63,3%–75,9%) in ronde " + ids[1] +
		", doel ≥ 50% in 2027 (wethouder participatie): op koers (sinds de ronde ervoor gestegen)"
	for _, want := range []string{`<h2 id="indicatoren-kop">Indicatoren</h2>`, line, `<a href="/dashboard/vragenlijsten/stadspeiling/trend">`} {
		if !strings.Contains(round, want) {
			t.Errorf("round page: no %q", want)
		}
	}
}

// TestTrendPageRefused: an unknown survey is the dashboard's 404 page, and
// without a login there is no trend.
func TestTrendPageRefused(t *testing.T) {
	h := newHarness(t)
	h.trendRounds(stadspeiling)
	c := h.login("anna", "geheim")
	for _, path := range []string{"/dashboard/vragenlijsten/bestaatniet/trend", "/dashboard/vragenlijsten/bestaatniet/trend.csv",
		"/dashboard/vragenlijsten/bestaatniet/trend.json", "/dashboard/vragenlijsten/stadspeiling/trend.xlsx"} {
		w := h.get(path, c)
		if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "<h1>Niet gevonden</h1>") {
			t.Errorf("%s: got %d, want the 404 page", path, w.Code)
		}
	}
	for _, path := range []string{"/dashboard/vragenlijsten/stadspeiling/trend", "/dashboard/vragenlijsten/stadspeiling/trend.csv"} {
		w := h.get(path, nil)
		if w.Code == http.StatusOK || strings.Contains(w.Body.String(), "70%") {
			t.Errorf("%s without a login: got %d", path, w.Code)
		}
	}
}

// TestRoundPageWithoutIndicators: a round of a survey without indicators shows
// no indicator block (and computes no trend), but links a recurring survey's trend.
func TestRoundPageWithoutIndicators(t *testing.T) {
	h := newHarness(t)
	h.openRound("peiling-1")
	page := h.get("/dashboard/rounds/peiling-1", h.login("anna", "geheim")).Body.String()
	if strings.Contains(page, "indicatoren-kop") {
		t.Errorf("round page of a survey without indicators: an Indicatoren block")
	}
	if !strings.Contains(page, `<a href="/dashboard/vragenlijsten/peiling/trend">Trend van deze vragenlijst`) {
		t.Errorf("round page of a recurring survey: no link to its trend")
	}
}

// TestTrendPageLeftOut: a round that asked a question in other words is left out
// of that question's table with the reason; a round without figures is named.
func TestTrendPageLeftOut(t *testing.T) {
	h := newHarness(t)
	sv, _ := h.trendRounds(stadspeiling)
	ctx := context.Background()
	opens := time.Date(2026, 11, 1, 9, 0, 0, 0, amsterdam)
	wording := surveys.Wording(sv)
	wording["luistert"] = "anders gesteld"
	if _, err := h.store.CreateRound(ctx, &storage.Round{ID: "stadspeiling-nieuw", Survey: sv.ID, Slot: opens.Format("2006-01-02T15:04"),
		OpensAt: opens, ClosesAt: opens.Add(time.Hour), Wording: wording}); err != nil {
		t.Fatal(err)
	}
	page := h.get("/dashboard/vragenlijsten/stadspeiling/trend", h.login("anna", "geheim")).Body.String()
	for _, want := range []string{"3 rondes, oudste eerst",
		"<li>ronde stadspeiling-nieuw: de vraag was in deze ronde anders gesteld (andere tekst of andere antwoorden)",
		"Zonder cijfer: ronde stadspeiling-nieuw (nog open"} {
		if !strings.Contains(page, want) {
			t.Errorf("trend page: no %q", want)
		}
	}
	if got := strings.Count(page, "Zonder cijfer: ronde stadspeiling-nieuw"); got != 1 { // the mark, not the reworded question
		t.Errorf("trend page: got %d series without a figure in the new round, want 1", got)
	}
}
