// Package public is the public results page: for anyone, without login, on the
// web chat's address under Prefix ("/openbaar/"). It lists the closed rounds of
// the surveys that opt in (publiceren: true in the survey file) and shows each
// round's participatiekaart, results per question, afspiegeling and, once it was
// sent, the decision (terugkoppeling); with the same figures as open data in CSV
// (the Dutch-Excel dialect of results.WriteCSV) and JSON (results.WriteJSON).
//
// What it may show is decided elsewhere, once: the results come from the rounds
// service (rounds.Service.View), whose breakdown cells are already suppressed
// under the threshold by the round's one disclosure decision, exactly as in the
// dashboard, the chat and the CLI. On top of that this package leaves out every
// open answer and the themes drawn from them (see withoutOpen): their texts are
// typed by residents and their themes are not disclosure-checked. It reads no
// participant data at all.
//
// A round that is not published here (still open, of a survey that does not
// publish, unknown) answers with one and the same 404 page, so the page never
// tells that a round exists.
package public

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/participatiebot/participatiebot/results"
	"github.com/participatiebot/participatiebot/rounds"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// Prefix is the path the public pages are mounted at; every path served starts
// with it.
const Prefix = "/openbaar/"

// DefaultThreshold is the smallest group shown when Config.Threshold is 0.
const DefaultThreshold = 10

// MaxAge is how long browsers and proxies may keep a page: a published round
// changes only when its decision is sent, so a few minutes' delay is fine and
// spares the store when a link is shared widely.
const MaxAge = 5 * time.Minute

// Config configures the public pages.
type Config struct {
	// Location is the time zone dates are shown in; nil means Europe/Amsterdam.
	Location *time.Location
	// Threshold is the smallest group shown in a breakdown; 0 means
	// DefaultThreshold. It must be the rounds service's (serve builds both from
	// one configuration): the list says "minder dan" it for a round too small
	// to show.
	Threshold int
	// Population is the number of inhabitants per kern (and leeftijdsgroep) for
	// the afspiegeling; may be nil. It must be the rounds service's.
	Population *surveys.Population
}

// Validate checks the configuration.
func (c Config) Validate() error {
	if c.Threshold < 0 {
		return fmt.Errorf("public threshold: got %d, want 0 or more", c.Threshold)
	}
	return nil
}

// Rounds is what the public pages read of the round lifecycle; rounds.Service
// implements it.
type Rounds interface {
	// Archive is every round ever held with its counts, purged ones too: a
	// published result stays public after the raw answers are gone.
	Archive(ctx context.Context, now time.Time) ([]rounds.Summary, error)
	Round(ctx context.Context, rid string) (*storage.Round, error)
	View(ctx context.Context, sv *surveys.Survey, r *storage.Round) (*results.Results, error)
}

// server is the public pages' state; one per New.
type server struct {
	cfg     Config
	rounds  Rounds
	catalog *surveys.Catalog
	log     *slog.Logger
	pages   *pages
	cache   rounds.ResultsCache
	// now is the clock; tests replace it.
	now func() time.Time
}

// New returns the handler of the public pages, to be mounted at Prefix; the
// paths it serves include the prefix.
func New(cfg Config, rs Rounds, catalog *surveys.Catalog, log *slog.Logger) (http.Handler, error) {
	s, err := newServer(cfg, rs, catalog, log)
	if err != nil {
		return nil, err
	}
	return s.routes(), nil
}

func newServer(cfg Config, rs Rounds, catalog *surveys.Catalog, log *slog.Logger) (*server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if rs == nil || catalog == nil {
		return nil, errors.New("public pages: rounds and catalog are required")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Location == nil {
		loc, err := time.LoadLocation("Europe/Amsterdam")
		if err != nil {
			return nil, fmt.Errorf("public pages time zone: %w", err)
		}
		cfg.Location = loc
	}
	if cfg.Threshold == 0 {
		cfg.Threshold = DefaultThreshold
	}
	pg, err := parsePages()
	if err != nil {
		return nil, err
	}
	return &server{cfg: cfg, rounds: rs, catalog: catalog, log: log, pages: pg, now: time.Now,
		cache: rounds.ResultsCache{Rounds: 32}}, nil
}

// routes builds the router: the list, the style sheet, and per round its page
// and its downloads; anything else under Prefix is the not-found page.
func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /openbaar/{$}", s.list)
	mux.HandleFunc("GET /openbaar/openbaar.css", serveCSS)
	mux.HandleFunc("GET /openbaar/{name}", s.round)
	mux.HandleFunc("/openbaar/", s.notFound)
	return headers(mux)
}

// headers sets what every response carries: the dashboard's strict policy (no
// script at all here, only the own style sheet), no framing or sniffing, and a
// short public cache time. The not-found page gets the same headers as a page,
// so that nothing tells an unpublished round from an unknown one.
func headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; "+
			"form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(MaxAge.Seconds())))
		next.ServeHTTP(w, r)
	})
}
