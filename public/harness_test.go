package public

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// harness is the public pages on a private Redis, with the burgerpeiling
// example (publiceren: true) and a copy of it that does not publish ("intern").
type harness struct {
	t       *testing.T
	store   *storage.Store
	catalog *surveys.Catalog
	rounds  *rounds.Service
	srv     *server
	handler http.Handler
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

// testThreshold is the disclosure threshold of the tests, the default.
const testThreshold = 10

func newHarness(t *testing.T) *harness {
	t.Helper()
	rs := redistest.Start(t)
	store := storage.New(rs.Client(t))
	pub, err := surveys.LoadFile("../examples/burgerpeiling.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !pub.Publiceren {
		t.Fatalf("examples/burgerpeiling.yaml: got publiceren false, want true")
	}
	intern := *pub
	intern.ID, intern.Title, intern.Publiceren = "intern", "Interne peiling", false
	pop, err := surveys.LoadPopulation("../examples/bevolking/dalfsen-kernen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, store: store, catalog: surveys.NewCatalog([]*surveys.Survey{pub, &intern}),
		now: time.Date(2027, 3, 20, 10, 0, 0, 0, amsterdam)}
	h.rounds = rounds.New(rounds.Config{Location: amsterdam, Threshold: testThreshold, Population: pop}, store, h.catalog, nil, nil)
	h.srv, err = newServer(Config{Location: amsterdam, Threshold: testThreshold, Population: pop}, h.rounds, h.catalog,
		slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	h.srv.now = func() time.Time { return h.now }
	h.handler = h.srv.routes()
	return h
}

func (h *harness) get(path string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.handler.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w
}

// group is how many respondents come from one kern and leeftijdsgroep.
type group struct {
	kern, leeftijd string
	n              int
}

// dalfsen is a round of 39: 20 from Dalfsen, 12 from Nieuwleusen and 7 from
// Lemelerveld, a kern under the threshold.
var dalfsen = []group{{"Dalfsen", "45-64", 20}, {"Nieuwleusen", "65+", 12}, {"Lemelerveld", "65+", 7}}

// secretText is what the open answers say; it must never reach a public page.
const secretText = "Mijn buurman Jansen op nummer 12"

// round creates a round of survey sid that opened on day (in March 2027),
// records the groups' answers to every question as the engine would, and
// moves it to state: Opened, Closed, Published or Decided.
func (h *harness) round(sid string, day int, groups []group, state storage.State) string {
	h.t.Helper()
	ctx := context.Background()
	sv, ok := h.catalog.Survey(sid)
	if !ok {
		h.t.Fatalf("no survey %s", sid)
	}
	opens := time.Date(2027, 3, day, 9, 0, 0, 0, amsterdam)
	rid := fmt.Sprintf("%s-2027-03-%02d", sid, day)
	r := &storage.Round{ID: rid, Survey: sid, Slot: opens.Format("2006-01-02T15:04"), OpensAt: opens, ClosesAt: opens.Add(7 * 24 * time.Hour)}
	if _, err := h.store.CreateRound(ctx, r); err != nil {
		h.t.Fatal(err)
	}
	h.transition(rid, storage.Scheduled, storage.Opened, opens)
	i := 0
	for _, g := range groups {
		for range g.n {
			pid := fmt.Sprintf("p%03d", i)
			h.answerAll(sv, rid, pid, i, surveys.Profile{Kern: g.kern, Leeftijd: g.leeftijd})
			if _, err := h.store.Complete(ctx, rid, pid); err != nil {
				h.t.Fatal(err)
			}
			i++
		}
	}
	closed := r.ClosesAt
	if state != storage.Opened {
		h.transition(rid, storage.Opened, storage.Closed, closed)
	}
	if state == storage.Published || state == storage.Decided {
		h.transition(rid, storage.Closed, storage.Published, closed.Add(time.Minute))
	}
	if state == storage.Decided {
		h.decide(rid, "De gemeenteraad besloot op 2 april 2027 het inwonerspanel te houden.")
	}
	return rid
}

// answerAll records participant pid's answers to every question of sv: the
// second option for one in three, the last but one for the others; the open
// answer secretText.
func (h *harness) answerAll(sv *surveys.Survey, rid, pid string, i int, p surveys.Profile) {
	h.t.Helper()
	for _, q := range sv.Questions {
		field, a := q.ID, surveys.Answer{}
		switch q.Type {
		case surveys.Open:
			a.Text = secretText
		case surveys.WieVanDeDrie:
			field = q.ID + "#0"
			a.Winner, a.Losers = q.Options[i%3].ID, []string{q.Options[(i+1)%3].ID, q.Options[(i+2)%3].ID}
		default:
			// two options, one in three and two in three: no share equals a kern's
			idx := len(q.Options) - 2
			if i%3 == 0 {
				idx = 1
			}
			a.Options = []string{q.Options[idx].ID}
		}
		w := storage.AnswerWrite{Round: rid, Participant: pid, Field: field, Value: surveys.EncodeAnswer(q, a), Kern: p.Kern, Leeftijd: p.Leeftijd}
		if _, err := h.store.RecordAnswer(context.Background(), w); err != nil {
			h.t.Fatal(err)
		}
	}
}

func (h *harness) transition(rid string, from, to storage.State, at time.Time) {
	h.t.Helper()
	if ok, err := h.store.Transition(context.Background(), rid, from, to, at); err != nil || !ok {
		h.t.Fatalf("round %s %s -> %s: got %v %v, want true nil", rid, from, to, ok, err)
	}
}

// decide gives the decision and marks it sent, as the scheduler does once every
// participant has it.
func (h *harness) decide(rid, text string) {
	h.t.Helper()
	if err := h.rounds.Decide(context.Background(), rid, text, time.Date(2027, 4, 2, 20, 0, 0, 0, amsterdam)); err != nil {
		h.t.Fatal(err)
	}
	h.transition(rid, storage.Published, storage.Decided, time.Date(2027, 4, 3, 9, 0, 0, 0, amsterdam))
}
