package dashboard

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

const testSecret = "test-secret-of-at-least-16-bytes"

// harness is one dashboard on a private Redis, with a clock the test sets.
type harness struct {
	t       *testing.T
	srv     *server
	handler http.Handler
	store   *storage.Store
	catalog *surveys.Catalog
	dir     string
	now     time.Time
}

var amsterdam = mustLocation("Europe/Amsterdam")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	rs := redistest.Start(t)
	store := storage.New(rs.Client(t))
	sv, err := surveys.LoadFile("testdata/peiling.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pop, err := surveys.LoadPopulation("../examples/bevolking/dalfsen-kernen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, store: store, catalog: surveys.NewCatalog([]*surveys.Survey{sv}), dir: t.TempDir(),
		now: time.Date(2026, 12, 1, 10, 0, 0, 0, amsterdam)}
	cfg := Config{Users: []User{{"anna", "geheim"}, {"bert", "ook-geheim"}}, Secret: []byte(testSecret),
		SurveysDir: h.dir, Location: amsterdam, Threshold: 10, Population: pop}
	h.srv, err = newServer(cfg, store, roundsFor(cfg, store, h.catalog), h.catalog, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	h.srv.now = func() time.Time { return h.now }
	h.handler = h.srv.routes()
	return h
}

// roundsFor is the rounds service serve would give a dashboard with cfg.
func roundsFor(cfg Config, store *storage.Store, catalog *surveys.Catalog) *rounds.Service {
	return rounds.New(rounds.Config{Location: cfg.Location, Threshold: cfg.Threshold, Population: cfg.Population},
		store, catalog, nil, nil)
}

// do serves one request.
func (h *harness) do(r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.handler.ServeHTTP(w, r)
	return w
}

func (h *harness) get(path string, c *http.Cookie) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	if c != nil {
		r.AddCookie(c)
	}
	return h.do(r)
}

// post sends a url-encoded form, as a same-origin browser would.
func (h *harness) post(path string, c *http.Cookie, form url.Values) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	if c != nil {
		r.AddCookie(c)
	}
	return h.do(r)
}

// login logs in and returns the session cookie.
func (h *harness) login(name, password string) *http.Cookie {
	h.t.Helper()
	w := h.post("/dashboard/login", nil, url.Values{"name": {name}, "password": {password}})
	if w.Code != http.StatusSeeOther {
		h.t.Fatalf("login %s: got status %d, want %d", name, w.Code, http.StatusSeeOther)
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == cookieName && c.Value != "" {
			return c
		}
	}
	h.t.Fatalf("login %s: no session cookie", name)
	return nil
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// csrf reads the CSRF token from the overview's forms, as a browser would have it.
func (h *harness) csrf(c *http.Cookie) string {
	h.t.Helper()
	w := h.get("/dashboard/", c)
	m := csrfInput.FindStringSubmatch(w.Body.String())
	if m == nil {
		h.t.Fatalf("no csrf token on the overview (status %d)", w.Code)
	}
	return m[1]
}

// openRound creates a round of the test survey and opens it.
func (h *harness) openRound(rid string) {
	h.t.Helper()
	ctx := context.Background()
	sv, _ := h.catalog.Survey("peiling")
	r := &storage.Round{ID: rid, Survey: "peiling", Slot: "2026-12-01T09:00",
		OpensAt: h.now.Add(-time.Hour), ClosesAt: h.now.Add(14 * 24 * time.Hour), Wording: surveys.Wording(sv)}
	if _, err := h.store.CreateRound(ctx, r); err != nil {
		h.t.Fatal(err)
	}
	if ok, err := h.store.Transition(ctx, rid, storage.Scheduled, storage.Opened, h.now.Add(-time.Hour)); err != nil || !ok {
		h.t.Fatalf("open round: got %v %v, want true nil", ok, err)
	}
}

// answer records one answer as the engine would: tallies from surveys, one atomic write.
func (h *harness) answer(rid, pid, qid string, a surveys.Answer, p surveys.Profile) {
	h.t.Helper()
	sv, _ := h.catalog.Survey("peiling")
	var q surveys.Question
	for _, x := range sv.Questions {
		if x.ID == qid {
			q = x
		}
	}
	if q.ID == "" {
		h.t.Fatalf("no question %s", qid)
	}
	h.answerField(rid, pid, qid, answerValue(q, a), p)
}

// answerField records the encoded answer value to field (a question id, or
// "<qid>#<i>" for a triad) in one atomic write, as the engine does.
func (h *harness) answerField(rid, pid, field, value string, p surveys.Profile) {
	h.t.Helper()
	w := storage.AnswerWrite{Round: rid, Participant: pid, Field: field, Value: value, Kern: p.Kern, Leeftijd: p.Leeftijd, Panel: p.Panel}
	if _, err := h.store.RecordAnswer(context.Background(), w); err != nil {
		h.t.Fatal(err)
	}
}

// answerValue encodes an answer as the engine stores it.
func answerValue(q surveys.Question, a surveys.Answer) string {
	return surveys.EncodeAnswer(q, a)
}

// auditActions lists the audit log as "who: action", newest first.
func (h *harness) auditActions() []string {
	h.t.Helper()
	log, err := h.store.AuditLog(context.Background(), 100)
	if err != nil {
		h.t.Fatal(err)
	}
	out := make([]string, len(log))
	for i, e := range log {
		out[i] = e.Who + ": " + e.Action
	}
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
