package public

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/storage"
)

func TestPublicRoundShowsFigures(t *testing.T) {
	h := newHarness(t)
	rid := h.round("burgerpeiling", 1, dalfsen, storage.Published)
	w := h.get("/openbaar/" + rid)
	if w.Code != http.StatusOK {
		t.Fatalf("got status %d, want 200:\n%s", w.Code, w.Body)
	}
	body := w.Body.String()
	for _, want := range []string{
		"<h1>Uitslag: Burgerpeiling: inwoner en gemeente</h1>",
		`<dt>Deelnemers</dt><dd>39</dd>`,
		"We willen weten hoe u de gemeente ervaart", // the participatiekaart's doel
		"<dt>Wie beslist</dt><dd>gemeenteraad</dd>",
		"raadplegen (trede 2 van 5",
		"15 februari 2027",                       // the promised terugkoppeling
		"(helemaal) mee eens, 95% zeker: tussen", // the interval in words
		"Gemiddeld rapportcijfer",
		`<th scope="row" class="text">Dalfsen</th>`,
		"De antwoorden op deze open vraag tonen we hier niet.",
		`href="/openbaar/` + rid + `.csv"`, `href="/openbaar/` + rid + `.json"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page: no %q", want)
		}
	}
	if n := strings.Count(body, "<h1"); n != 1 {
		t.Errorf("got %d h1, want 1", n)
	}
	if got := w.Header().Get("Cache-Control"); got != "public, max-age=300" {
		t.Errorf("Cache-Control: got %q, want public, max-age=300", got)
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("Content-Security-Policy: got %q, want default-src 'none' and no script", csp)
	}
	if strings.Contains(body, "<script") {
		t.Errorf("the page has a script; it needs none")
	}
}

// kernRow is the count shown in the afspiegeling row of a kern.
var kernCount = func(kern string) *regexp.Regexp {
	return regexp.MustCompile(`<th scope="row" class="text">` + kern + `</th>\s*<td class="num">([^<]*)</td>\s*<td class="num">([^<]*)</td>`)
}

func TestPublicSmallKernHidden(t *testing.T) {
	h := newHarness(t)
	rid := h.round("burgerpeiling", 1, dalfsen, storage.Published)
	page := h.get("/openbaar/" + rid).Body.String()
	m := kernCount("Lemelerveld").FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("page: no row for Lemelerveld")
	}
	if m[1] != "&lt;10" || m[2] != "–" {
		t.Errorf("Lemelerveld: got count %q share %q, want &lt;10 and –", m[1], m[2])
	}
	// 7 of 39 is 17,9%; 7 of Lemelerveld's 4.798 inhabitants 0,15%: neither may show
	for _, leak := range []string{"17,9%", "0,15%", secretText} {
		if strings.Contains(page, leak) {
			t.Errorf("page shows %q", leak)
		}
	}

	csvBody := h.get("/openbaar/" + rid + ".csv").Body.String()
	for _, leak := range []string{"Lemelerveld", secretText} {
		if strings.Contains(csvBody, leak) {
			t.Errorf("CSV holds %q", leak)
		}
	}

	raw := h.get("/openbaar/" + rid + ".json").Body.Bytes()
	if bytes.Contains(raw, []byte(secretText)) {
		t.Errorf("JSON holds the open answers")
	}
	var doc struct {
		ByKern []struct {
			Group      string `json:"group"`
			Count      int64  `json:"count"`
			Suppressed bool   `json:"suppressed"`
		} `json:"by_kern"`
		Afspiegeling struct {
			Kern []struct {
				Group       string
				Respondents int64
				Rate, Share float64
				Suppressed  bool
			}
		} `json:"afspiegeling"`
		Questions []struct {
			ID     string `json:"id"`
			ByKern []struct {
				Kern       string             `json:"kern"`
				N          int64              `json:"n"`
				Suppressed bool               `json:"suppressed"`
				Percent    map[string]float64 `json:"percent"`
			} `json:"by_kern"`
		} `json:"questions"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("JSON: %v", err)
	}
	seen := 0
	for _, c := range doc.ByKern {
		if c.Group == "Lemelerveld" {
			seen++
			if !c.Suppressed || c.Count != 0 {
				t.Errorf("JSON by_kern Lemelerveld: got count %d suppressed %v, want 0 and true", c.Count, c.Suppressed)
			}
		}
	}
	for _, r := range doc.Afspiegeling.Kern {
		if r.Group == "Lemelerveld" {
			seen++
			if !r.Suppressed || r.Respondents != 0 || r.Rate != 0 || r.Share != 0 {
				t.Errorf("JSON afspiegeling Lemelerveld: got %+v, want suppressed with zeros", r)
			}
		}
	}
	for _, q := range doc.Questions {
		for _, k := range q.ByKern {
			if k.Kern == "Lemelerveld" && (!k.Suppressed || k.N != 0 || k.Percent != nil) {
				t.Errorf("JSON question %s by_kern Lemelerveld: got %+v, want suppressed", q.ID, k)
			}
		}
	}
	if seen != 2 {
		t.Errorf("JSON: Lemelerveld in %d of by_kern and afspiegeling, want both (hidden)", seen)
	}
}

func TestPublicNotFoundIsTheSame(t *testing.T) {
	h := newHarness(t)
	open := h.round("burgerpeiling", 1, dalfsen, storage.Opened)
	closing := h.round("burgerpeiling", 2, dalfsen, storage.Closed) // results still being sent
	intern := h.round("intern", 1, dalfsen, storage.Published)
	want := h.get("/openbaar/bestaat-niet")
	if want.Code != http.StatusNotFound || !strings.Contains(want.Body.String(), "Deze uitslag is er (nog) niet") {
		t.Fatalf("unknown round: got %d\n%s\nwant 404 with the friendly page", want.Code, want.Body)
	}
	for _, rid := range []string{open, closing, intern, "bestaat-niet"} {
		for _, suffix := range []string{"", ".csv", ".json"} {
			w := h.get("/openbaar/" + rid + suffix)
			if w.Code != want.Code || w.Body.String() != want.Body.String() {
				t.Errorf("%s%s: got %d, want the same 404 as an unknown round", rid, suffix, w.Code)
			}
			for _, k := range []string{"Content-Type", "Cache-Control", "Content-Security-Policy"} {
				if w.Header().Get(k) != want.Header().Get(k) {
					t.Errorf("%s%s: header %s %q, want %q", rid, suffix, k, w.Header().Get(k), want.Header().Get(k))
				}
			}
		}
	}
	list := h.get("/openbaar/").Body.String()
	for _, rid := range []string{open, closing, intern} {
		if strings.Contains(list, rid) {
			t.Errorf("the list names %s", rid)
		}
	}
}

func TestPublicList(t *testing.T) {
	h := newHarness(t)
	older := h.round("burgerpeiling", 1, dalfsen, storage.Decided)
	newer := h.round("burgerpeiling", 10, dalfsen, storage.Published)
	small := h.round("burgerpeiling", 12, []group{{"Dalfsen", "45-64", 4}}, storage.Published)
	h.round("intern", 11, dalfsen, storage.Published)
	w := h.get("/openbaar/")
	if w.Code != http.StatusOK {
		t.Fatalf("got status %d, want 200", w.Code)
	}
	body := w.Body.String()
	iSmall, iNewer, iOlder := strings.Index(body, small), strings.Index(body, newer), strings.Index(body, older)
	if iSmall < 0 || iNewer < 0 || iOlder < 0 || !(iSmall < iNewer && iNewer < iOlder) {
		t.Errorf("list: got positions %d %d %d of the three rounds, want newest first", iSmall, iNewer, iOlder)
	}
	for _, want := range []string{"39 deelnemers", "minder dan 10 deelnemers", "Open van 1 maart 2027 tot 8 maart 2027", "besluit genomen", "besluit volgt"} {
		if !strings.Contains(body, want) {
			t.Errorf("list: no %q", want)
		}
	}
	if strings.Contains(body, "Interne peiling") {
		t.Errorf("list shows the survey that does not publish")
	}
	// a round with too few participants shows no figures at all
	page := h.get("/openbaar/" + small).Body.String()
	if !strings.Contains(page, "Te weinig deelnemers") || strings.Contains(page, "Uitslag per vraag") {
		t.Errorf("small round: want the too-few message and no results")
	}
}

func TestPublicDecision(t *testing.T) {
	h := newHarness(t)
	rid := h.round("burgerpeiling", 1, dalfsen, storage.Published)
	const text = "De raad besloot de inwoners vaker te laten meedenken."
	before := h.get("/openbaar/" + rid).Body.String()
	if !strings.Contains(before, "Het besluit is nog niet genomen.") || strings.Contains(before, text) {
		t.Errorf("before the decision: want it awaited")
	}
	h.decide(rid, text)
	after := h.get("/openbaar/" + rid).Body.String()
	for _, want := range []string{text, "Teruggekoppeld op 3 april 2027"} {
		if !strings.Contains(after, want) {
			t.Errorf("after the decision: no %q", want)
		}
	}
}

func TestPublicCSVForDutchExcel(t *testing.T) {
	h := newHarness(t)
	rid := h.round("burgerpeiling", 1, dalfsen, storage.Published)
	w := h.get("/openbaar/" + rid + ".csv")
	if w.Code != http.StatusOK {
		t.Fatalf("got status %d, want 200", w.Code)
	}
	if ct := w.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type: got %q", ct)
	}
	if cd := w.Header().Get("Content-Disposition"); cd != `attachment; filename="`+rid+`.csv"` {
		t.Errorf("Content-Disposition: got %q", cd)
	}
	body, bom := strings.CutPrefix(w.Body.String(), "\ufeff")
	if !bom {
		t.Fatalf("CSV: no byte order mark")
	}
	r := csv.NewReader(strings.NewReader(body))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV with ';': %v", err)
	}
	if rows[0][0] != "ronde" || rows[0][1] != "vraag" {
		t.Errorf("CSV header: got %v, want the Dutch columns", rows[0])
	}
	if !strings.Contains(body, ",") || !strings.Contains(body, "\r\n") {
		t.Errorf("CSV: want decimal commas and CRLF line ends")
	}
	for _, row := range rows[1:] {
		if row[1] == "verbeteren" && row[9] != "" {
			t.Errorf("CSV: an open answer %q", row[9])
		}
	}
	j := h.get("/openbaar/" + rid + ".json")
	var doc map[string]any
	if err := json.Unmarshal(j.Body.Bytes(), &doc); err != nil || doc["respondents"] != float64(39) {
		t.Errorf("JSON: got %v %v, want 39 respondents", err, doc["respondents"])
	}
}
