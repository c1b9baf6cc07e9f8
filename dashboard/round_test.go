package dashboard

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

const rid = "peiling-20261201-0900"

// fillRound opens the round and lets residents answer: 12 from Dalfsen, 11 from
// Nieuwleusen and 3 from Hoonhorst.
func fillRound(h *harness) {
	h.openRound(rid)
	n := 0
	for _, g := range []struct {
		kern string
		n    int
	}{{"Dalfsen", 12}, {"Nieuwleusen", 11}, {"Hoonhorst", 3}} {
		for i := range g.n {
			n++
			pid := fmt.Sprintf("p%02d", n)
			p := surveys.Profile{Kern: g.kern, Leeftijd: []string{"25-44", "45-64"}[i%2]}
			h.answer(rid, pid, "positie", surveys.Answer{Options: []string{"voorkant"}}, p)
			h.answer(rid, pid, "luistert", surveys.Answer{Options: []string{fmt.Sprint(1 + n%5)}}, p)
			h.answer(rid, pid, "cijfer", surveys.Answer{Options: []string{"7"}}, p)
			h.answer(rid, pid, "kansen", surveys.Answer{Options: []string{"koppel", "wijk"}}, p)
			h.answer(rid, pid, "waarden", surveys.Answer{Winner: "denktank", Losers: []string{"jongerenraad", "makelaars"}}, p)
		}
	}
	h.answer(rid, "p01", "beter", surveys.Answer{Text: "Meer terugkoppeling over besluiten."}, surveys.Profile{Kern: "Dalfsen"})
	if err := h.store.AddInvited(h.t.Context(), rid, 52); err != nil {
		h.t.Fatal(err)
	}
}

// row is the table row whose header cell is label.
func row(t *testing.T, page, label string) string {
	t.Helper()
	re := regexp.MustCompile(`(?s)<th scope="row" class="text">` + regexp.QuoteMeta(label) + `</th>(.*?)</tr>`)
	m := re.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no row %q", label)
	}
	return m[1]
}

func cells(s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<td class="num">([^<]*)</td>`).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestRoundPageSuppressesSmallCells(t *testing.T) {
	h := newHarness(t)
	fillRound(h)
	c := h.login("anna", "geheim")
	w := h.get("/dashboard/rounds/"+rid, c)
	if w.Code != http.StatusOK {
		t.Fatalf("status: got %v, want %v", w.Code, http.StatusOK)
	}
	page := w.Body.String()
	tests := []struct {
		name, kern string
		want       []string // deelnemers, aandeel, inwoners, aandeel inwoners, respons
	}{
		{"small kern", "Hoonhorst", []string{"&lt;10", "–", "1.604", "5,4%", "–"}},
		{"hidden so the small one cannot be recomputed", "Nieuwleusen", []string{"≥10", "–", "9.566", "32,2%", "–"}},
		{"large enough", "Dalfsen", []string{"12", "46,2%", "11.144", "37,5%", "0,11%"}},
		{"nobody answered", "Ankum", []string{"0", "0%", "808", "2,7%", "0%"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cells(row(t, page, tt.kern))
			if strings.Join(got, " | ") != strings.Join(tt.want, " | ") {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	if hoon := row(t, page, "Hoonhorst"); strings.Contains(hoon, ">3<") {
		t.Errorf("Hoonhorst row shows its count: %s", hoon)
	}
	for _, want := range []string{
		"Groepen met minder dan 10 deelnemers", "Voor leeftijdsgroepen zijn er geen bevolkingscijfers",
		"R-indicator", "R-score", "95% zeker: tussen",
		"Gemeentemagazine Dalfsen 2024", "Meer terugkoppeling over besluiten.",
		"Waarom we het vragen", "raadplegen", "Een denktank van inwoners en raad",
		`<rect class="l1"`, ">Kans gekozen uit drie</th>", "Gemiddeld rapportcijfer: 7",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("round page does not contain %q", want)
		}
	}
}

// closeRound closes the round as the scheduler does.
func closeRound(h *harness) {
	h.t.Helper()
	if _, err := h.store.Transition(h.t.Context(), rid, storage.Opened, storage.Closed, h.now); err != nil {
		h.t.Fatal(err)
	}
}

func TestExports(t *testing.T) {
	h := newHarness(t)
	fillRound(h)
	closeRound(h) // while open, exports are the banded tussenstand (TestLiveExports)
	c := h.login("anna", "geheim")
	tests := []struct {
		ext, contentType string
		check            func(t *testing.T, body []byte)
	}{
		{"csv", "text/csv; charset=utf-8", func(t *testing.T, body []byte) {
			rows := readDutchCSV(t, body)
			if len(rows) < 10 || rows[0][0] != "ronde" || rows[1][0] != rid {
				t.Errorf("got %d rows starting %v, want a header and rows of %s", len(rows), rows[0], rid)
			}
		}},
		{"json", "application/json; charset=utf-8", func(t *testing.T, body []byte) {
			var res results.Results
			if err := json.Unmarshal(body, &res); err != nil {
				t.Fatal(err)
			}
			if res.Round.ID != rid || res.Respondents != 26 {
				t.Errorf("got round %v with %d respondents, want %v with 26", res.Round.ID, res.Respondents, rid)
			}
			for _, cell := range res.ByKern {
				if cell.Suppressed && cell.Count != 0 {
					t.Errorf("suppressed cell %s exported with count %d", cell.Group, cell.Count)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.ext, func(t *testing.T) {
			w := h.get("/dashboard/rounds/"+rid+"/export."+tt.ext, c)
			if w.Code != http.StatusOK {
				t.Fatalf("status: got %v, want %v", w.Code, http.StatusOK)
			}
			if got := w.Header().Get("Content-Type"); got != tt.contentType {
				t.Errorf("content type: got %v, want %v", got, tt.contentType)
			}
			want := `attachment; filename=` + rid + `-uitslag.` + tt.ext
			if got := w.Header().Get("Content-Disposition"); got != want {
				t.Errorf("disposition: got %v, want %v", got, want)
			}
			tt.check(t, w.Body.Bytes())
			if !slices.Contains(h.auditActions(), "anna: export "+tt.ext+": "+rid) {
				t.Errorf("audit: got %v, want the export", h.auditActions())
			}
		})
	}
}

func TestAPICountMoves(t *testing.T) {
	h := newHarness(t)
	h.openRound(rid)
	c := h.login("anna", "geheim")
	counts := func() apiRound {
		t.Helper()
		w := h.get("/dashboard/api/rounds", c)
		if w.Code != http.StatusOK {
			t.Fatalf("status: got %v, want %v", w.Code, http.StatusOK)
		}
		var list []apiRound
		if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 {
			t.Fatalf("rounds: got %d, want 1", len(list))
		}
		return list[0]
	}
	if err := h.store.AddInvited(t.Context(), rid, 4); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name            string
		act             func()
		wantRespondents int64
		wantRate        string
	}{
		{"nobody yet", func() {}, 0, "0%"},
		{"a first answer", func() {
			h.answer(rid, "p1", "positie", surveys.Answer{Options: []string{"geen"}}, surveys.Profile{})
		}, 1, "25%"},
		{"the same resident again", func() {
			h.answer(rid, "p1", "cijfer", surveys.Answer{Options: []string{"8"}}, surveys.Profile{})
		}, 1, "25%"},
		{"a second resident", func() {
			h.answer(rid, "p2", "positie", surveys.Answer{Options: []string{"voorkant"}}, surveys.Profile{Kern: "Ankum"})
		}, 2, "50%"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.act()
			got := counts()
			if got.Respondents != s.wantRespondents || got.ResponseRateText != s.wantRate {
				t.Errorf("got %d (%s), want %d (%s)", got.Respondents, got.ResponseRateText, s.wantRespondents, s.wantRate)
			}
			if got.ID != rid || got.State != "open" || got.Invited != 4 {
				t.Errorf("got %+v, want round %s open with 4 invited", got, rid)
			}
		})
	}
	// the page carries the cells the script updates
	page := h.get("/dashboard/", c).Body.String()
	for _, f := range []string{"respondents", "completed", "invited", "response_rate", "state_label"} {
		if !strings.Contains(page, `data-round="`+rid+`" data-field="`+f+`"`) {
			t.Errorf("overview has no live cell %s", f)
		}
	}
}

// TestLiveExports: while the round is open the downloads are the banded
// tussenstand, with nothing per question or group, the raw answers wait for
// close, and the page says its exact figures are for the organiser only.
func TestLiveExports(t *testing.T) {
	h := newHarness(t)
	fillRound(h)
	c := h.login("anna", "geheim")
	w := h.get("/dashboard/rounds/"+rid+"/export.json", c)
	if w.Code != http.StatusOK {
		t.Fatalf("json: got %d", w.Code)
	}
	var res results.Results
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if !res.Live || res.Respondents != 20 || res.Band != 10 || len(res.ByKern) != 0 {
		t.Errorf("got live %v, %d respondents (band %d), %d kernen; want live, 20 (26 rounded down to tens), no kernen",
			res.Live, res.Respondents, res.Band, len(res.ByKern))
	}
	for _, q := range res.Questions {
		if q.N != 0 || len(q.Options) != 0 || len(q.ByKern) != 0 || len(q.Open) != 0 || len(q.Ranking) != 0 {
			t.Errorf("question %s: got figures %+v in a live export", q.ID, q)
		}
	}
	if !slices.Contains(h.auditActions(), "anna: export json (tussenstand): "+rid) {
		t.Errorf("audit: got %v", h.auditActions())
	}
	for _, path := range []string{"antwoorden.csv", "antwoorden-publicatie.csv"} {
		w := h.get("/dashboard/rounds/"+rid+"/"+path, c)
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "beschikbaar zodra de ronde gesloten is") {
			t.Errorf("%s while open: got %d, want 409 saying it waits for close", path, w.Code)
		}
	}
	page := h.get("/dashboard/rounds/"+rid, c).Body.String()
	for _, want := range []string{"Tussenstand, alleen voor organisatoren: niet delen.", "beschikbaar zodra de ronde gesloten is"} {
		if !strings.Contains(page, want) {
			t.Errorf("round page: no %q", want)
		}
	}
	if strings.Contains(page, "antwoorden-publicatie.csv") {
		t.Errorf("round page links the publication file while the round is open")
	}
}

// TestTooFewRoundPage: a round with fewer respondents than the threshold shows
// the organiser its counts under a warning, and offers no downloads.
func TestTooFewRoundPage(t *testing.T) {
	h := newHarness(t)
	h.openRound(rid)
	for i := range 8 {
		h.answer(rid, fmt.Sprintf("p%d", i), "positie", surveys.Answer{Options: []string{"voorkant"}}, surveys.Profile{Kern: "Dalfsen"})
	}
	closeRound(h)
	c := h.login("anna", "geheim")
	page := h.get("/dashboard/rounds/"+rid, c).Body.String()
	for _, want := range []string{"Niet delen: deze ronde heeft minder dan 10 deelnemers.", `data-field="respondents">8<`, "Geen uitslag om te downloaden"} {
		if !strings.Contains(page, want) {
			t.Errorf("round page: no %q", want)
		}
	}
	for _, path := range []string{"export.csv", "export.json", "antwoorden-publicatie.csv"} {
		if w := h.get("/dashboard/rounds/"+rid+"/"+path, c); w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "minder dan 10 deelnemers") {
			t.Errorf("%s: got %d, want 409 saying the round is too small", path, w.Code)
		}
	}
	// The raw answers for the municipality's own analysis stay available.
	if w := h.get("/dashboard/rounds/"+rid+"/antwoorden.csv", c); w.Code != http.StatusOK {
		t.Errorf("antwoorden.csv: got %d, want 200", w.Code)
	}
}
