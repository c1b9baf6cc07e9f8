package dashboard

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// hostile are texts a survey author or a resident might send.
var hostile = []struct{ name, text, escaped string }{
	{"script", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
	{"attribute breakout", `"><img src=x onerror=alert(1)>`, "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"},
	{"very long", strings.Repeat("lang", 2500), strings.Repeat("lang", 2500)},
	{"emoji", "Meer bankjes 🪑🌳 graag 👍🏽", "Meer bankjes 🪑🌳 graag 👍🏽"},
	{"right to left", "مرحبا بالجميع", "مرحبا بالجميع"},
}

func hostileSurvey() *surveys.Survey {
	all := make([]string, len(hostile))
	for i, x := range hostile {
		all[i] = x.text
	}
	text := strings.Join(all, " ")
	opts := []surveys.Option{{ID: "a", Label: hostile[0].text}, {ID: "b", Label: hostile[1].text}, {ID: "c", Label: hostile[2].text}}
	return &surveys.Survey{
		ID: "vijandig", Title: text, Language: "nl",
		Card: surveys.Card{Doel: text, WieBeslist: hostile[1].text, Trede: surveys.Trede(hostile[0].text),
			WatGebeurtErMee: text, Terugkoppeling: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
		Schedule: surveys.Schedule{Opens: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), Duration: 24 * time.Hour},
		Questions: []surveys.Question{
			{ID: "keuze", Type: surveys.Single, Text: text, Options: opts},
			{ID: "stelling", Type: surveys.Likert, Text: text, Options: []surveys.Option{
				{ID: "1", Label: hostile[0].text}, {ID: "2", Label: hostile[1].text}, {ID: "3", Label: hostile[3].text},
				{ID: "4", Label: hostile[4].text}, {ID: "5", Label: hostile[2].text}}},
			{ID: "waarden", Type: surveys.WieVanDeDrie, Text: text, Triads: 1, Options: opts},
			{ID: "open", Type: surveys.Open, Text: text, MaxLength: 20000, Category: "kansen"},
		},
	}
}

func TestHostileTextEscaped(t *testing.T) {
	h := newHarness(t)
	sv := hostileSurvey()
	h.catalog.Put(sv)
	const hid = "vijandig-20261201-0900"
	if _, err := h.store.CreateRound(t.Context(), &storage.Round{ID: hid, Survey: sv.ID, Slot: "2026-12-01T09:00",
		OpensAt: h.now, ClosesAt: h.now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.Transition(t.Context(), hid, storage.Scheduled, storage.Opened, h.now); err != nil {
		t.Fatal(err)
	}
	// residents answer with hostile text, and one lives in a kern with a hostile name
	for i, x := range hostile {
		p := surveys.Profile{Kern: "<script>alert(1)</script>", Leeftijd: `"><img src=x onerror=alert(1)>`}
		pid := "p" + string(rune('a'+i))
		write := func(q surveys.Question, a surveys.Answer) {
			w := storage.AnswerWrite{Round: hid, Participant: pid, Field: q.ID, Value: answerValue(q, a),
				Kern: p.Kern, Leeftijd: p.Leeftijd}
			if _, err := h.store.RecordAnswer(t.Context(), w); err != nil {
				t.Fatal(err)
			}
		}
		write(sv.Questions[0], surveys.Answer{Options: []string{"a"}})
		write(sv.Questions[1], surveys.Answer{Options: []string{"1"}})
		write(sv.Questions[3], surveys.Answer{Text: x.text})
	}
	c := h.login("anna", "geheim")
	// a refused upload with a hostile file name and hostile content lands in the audit log
	bad := "id: \"<script>alert(1)</script>\"\ntitle: \"\\\"><img src=x onerror=alert(1)>\"\n"
	if w := h.upload(c, h.csrf(c), `"><img src=x onerror=alert(1)>.yaml`, bad, false); w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("hostile upload: got %v, want %v", w.Code, http.StatusUnprocessableEntity)
	} else {
		checkEscaped(t, "upload problems", w.Body.String(), nil)
	}
	pages := []string{"/dashboard/", "/dashboard/rounds/" + hid, "/dashboard/audit",
		"/dashboard/login?terug=" + url.QueryEscape(`/dashboard/"><script>alert(1)</script>`)}
	for _, path := range pages {
		t.Run(path, func(t *testing.T) {
			w := h.get(path, c)
			if path == pages[3] {
				w = h.get(path, nil)
			}
			if w.Code != http.StatusOK {
				t.Fatalf("status: got %v, want %v", w.Code, http.StatusOK)
			}
			var want []string
			if path != pages[3] && path != pages[2] {
				for _, x := range hostile {
					want = append(want, x.escaped)
				}
			}
			checkEscaped(t, path, w.Body.String(), want)
		})
	}
	w := h.get("/dashboard/rounds/"+hid+"/export.json", c)
	if w.Header().Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Errorf("json export: got %v / %v, want nosniff and application/json",
			w.Header().Get("X-Content-Type-Options"), w.Header().Get("Content-Type"))
	}
}

// checkEscaped fails when a page holds a raw hostile tag, and when it misses one of
// the escaped texts it should show.
func checkEscaped(t *testing.T, where, body string, want []string) {
	t.Helper()
	for _, raw := range []string{"<script>alert", "<img src=x", "onerror=alert(1)>"} {
		if strings.Contains(body, raw) {
			t.Errorf("%s: raw %q in the page", where, raw)
		}
	}
	for _, s := range want {
		if !strings.Contains(body, s) {
			t.Errorf("%s: missing the escaped text %.60q", where, s)
		}
	}
}
