// Package dashboard is the web dashboard for organisers and the stuurgroep: every
// survey and round with its state, next transition and live response counts, the
// results with charts and the afspiegeling, and the organisers' actions (open or
// close a round, load a survey file, export results). It is behind a login from
// the environment; every action is written to the audit log with who did it.
//
// Security in short: a session is an HMAC-signed cookie (HttpOnly, SameSite=Strict,
// 12 hours); every POST carries a CSRF token derived from the session and is refused
// when the browser says it comes from another site; pages are html/template with a
// strict Content-Security-Policy (no inline script or style); results reach the page
// only through results.Results, whose breakdown cells are already suppressed under
// the threshold.
package dashboard

import (
	"errors"
	"fmt"
	"github.com/participatiebot/participatiebot/rounds"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/participatiebot/participatiebot/storage"
	"github.com/participatiebot/participatiebot/surveys"
)

// Prefix is the path the dashboard is mounted at; every path it serves starts with it.
const Prefix = "/dashboard/"

// DefaultThreshold is the smallest breakdown group shown when Config.Threshold is 0.
const DefaultThreshold = 10

// User is an organiser who may log in.
type User struct{ Name, Password string }

// Config configures the dashboard.
type Config struct {
	// Users may log in. None: the dashboard is off and every path answers 503 with
	// a page that says how to turn it on; nothing is public by default.
	Users []User
	// Secret signs the session cookie and the CSRF tokens; at least 16 bytes.
	Secret []byte
	// ExportKey makes the export pseudonyms of raw answers (rounds.Service.RawAnswers);
	// the CLI uses the same key, so ids agree between the two.
	ExportKey []byte
	// SurveysDir is where an uploaded, valid survey file is saved. Empty: uploading is off.
	SurveysDir string
	// Location is the time zone times are shown in; nil means Europe/Amsterdam.
	Location *time.Location
	// Threshold is the smallest group shown in a breakdown; 0 means DefaultThreshold.
	Threshold int
	// Population is the number of inhabitants per kern for the afspiegeling; may be nil.
	Population *surveys.Population
	// SecureCookies marks the session cookie Secure (set it when served over HTTPS).
	SecureCookies bool
	// AuditRetention is how long organiser actions stay in the audit log and failed
	// logins in the security log; 0 means storage.DefaultAuditRetention (two years).
	AuditRetention time.Duration
	// OneTime, when there are no Users, turns the dashboard on with one login
	// link that works once (NewOneTimeLogin) for OneTimeUser; ignored with Users.
	// Only for a dashboard on a loopback address (serve checks).
	OneTime *OneTimeLogin
}

// MinSecret is the shortest Config.Secret accepted.
const MinSecret = 16

// Validate checks the configuration; a configuration without users is valid (the
// dashboard is off).
func (c Config) Validate() error {
	if len(c.Users) == 0 {
		return nil
	}
	if len(c.Secret) < MinSecret {
		return fmt.Errorf("dashboard secret: got %d bytes, want at least %d", len(c.Secret), MinSecret)
	}
	seen := map[string]bool{}
	for i, u := range c.Users {
		if err := checkUser(u); err != nil {
			return fmt.Errorf("dashboard user %d: %w", i+1, err)
		}
		if seen[u.Name] {
			return fmt.Errorf("dashboard user %d: duplicate name %q", i+1, u.Name)
		}
		seen[u.Name] = true
	}
	if c.Threshold < 0 {
		return fmt.Errorf("dashboard threshold: got %d, want 0 or more", c.Threshold)
	}
	if c.AuditRetention < 0 || (c.AuditRetention > 0 && c.AuditRetention < 24*time.Hour) {
		return fmt.Errorf("dashboard audit retention: got %v, want 0 (the default) or at least a day", c.AuditRetention)
	}
	return nil
}

// ParseUsers reads the DASHBOARD_USERS form "anna:geheim,bert:ook-geheim": entries
// separated by commas or newlines (so a DASHBOARD_USERS_FILE may hold one per line),
// the name before the first ':' and the password after it. A password therefore
// cannot hold a comma or a newline. Empty input gives no users. Errors never quote
// a password.
func ParseUsers(s string) ([]User, error) {
	var users []User
	seen := map[string]bool{}
	entries := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' })
	for i, e := range entries {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		name, pw, ok := strings.Cut(e, ":")
		u := User{Name: strings.TrimSpace(name), Password: pw}
		if !ok {
			return nil, fmt.Errorf("dashboard users: entry %d: want name:password", i+1)
		}
		if err := checkUser(u); err != nil {
			return nil, fmt.Errorf("dashboard users: entry %d: %w", i+1, err)
		}
		if seen[u.Name] {
			return nil, fmt.Errorf("dashboard users: entry %d: duplicate name %q", i+1, u.Name)
		}
		seen[u.Name] = true
		users = append(users, u)
	}
	return users, nil
}

func checkUser(u User) error {
	switch {
	case u.Name == "":
		return errors.New("empty name")
	case u.Password == "":
		return fmt.Errorf("user %q: empty password", u.Name)
	case strings.ContainsFunc(u.Name, func(r rune) bool { return r < ' ' || r == 0x7f }):
		return errors.New("name holds a control character")
	}
	return nil
}

// server is the dashboard's state; one per New.
type server struct {
	cfg     Config
	store   Store
	rounds  Rounds
	catalog *surveys.Catalog
	log     *slog.Logger
	pages   *pages
	// now is the clock; tests replace it.
	now func() time.Time
	// auditMigrated is set once the audit LIST of earlier versions has been moved.
	auditMigrated atomic.Bool
	resultsCache  rounds.ResultsCache
}

// New returns the dashboard's handler, to be mounted at Prefix ("/dashboard/"); the
// paths it serves include the prefix. Without users it returns a handler that says
// the dashboard is off.
// The rounds service must compute results with the same Threshold and Population
// as cfg (serve builds both from one configuration).
func New(cfg Config, store Store, rounds Rounds, catalog *surveys.Catalog, log *slog.Logger) (http.Handler, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(cfg.Users) == 0 && cfg.OneTime != nil {
		cfg.Users = []User{oneTimeUser()}
		if err := cfg.Validate(); err != nil {
			return nil, err
		}
		s, err := newServer(cfg, store, rounds, catalog, log)
		if err != nil {
			return nil, err
		}
		log.Info("dashboard on with a one-time login link (DASHBOARD_USERS is not set)", "path", Prefix)
		return s.routes(), nil
	}
	if len(cfg.Users) == 0 {
		pg, err := parsePages(log)
		if err != nil {
			return nil, err
		}
		log.Info("dashboard off: DASHBOARD_USERS is not set")
		return offHandler(pg), nil
	}
	s, err := newServer(cfg, store, rounds, catalog, log)
	if err != nil {
		return nil, err
	}
	log.Info("dashboard on", "path", Prefix, "users", len(cfg.Users), "uploads", cfg.SurveysDir != "")
	return s.routes(), nil
}

// newServer checks the configuration of a dashboard with users and fills in defaults.
func newServer(cfg Config, store Store, rounds Rounds, catalog *surveys.Catalog, log *slog.Logger) (*server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(cfg.Users) == 0 {
		return nil, errors.New("dashboard: no users")
	}
	if store == nil || rounds == nil || catalog == nil {
		return nil, errors.New("dashboard: store, rounds and catalog are required")
	}
	if cfg.Location == nil {
		loc, err := time.LoadLocation("Europe/Amsterdam")
		if err != nil {
			return nil, fmt.Errorf("dashboard time zone: %w", err)
		}
		cfg.Location = loc
	}
	if cfg.Threshold == 0 {
		cfg.Threshold = DefaultThreshold
	}
	if cfg.AuditRetention == 0 {
		cfg.AuditRetention = storage.DefaultAuditRetention
	}
	pg, err := parsePages(log)
	if err != nil {
		return nil, err
	}
	return &server{cfg: cfg, store: store, rounds: rounds, catalog: catalog, log: log, pages: pg, now: time.Now}, nil
}

// routes builds the router. Login and the static files are public; every other path
// goes through requireSession, and every POST through checkCSRF.
func (s *server) routes() http.Handler {
	private := http.NewServeMux()
	private.HandleFunc("GET /dashboard/{$}", s.overview)
	private.HandleFunc("GET /dashboard/api/rounds", s.apiRounds)
	private.HandleFunc("GET /dashboard/audit", s.auditPage)
	private.HandleFunc("GET /dashboard/rounds/{id}", s.round)
	private.HandleFunc("GET /dashboard/rounds/{id}/export.csv", s.exportCSV)
	private.HandleFunc("GET /dashboard/rounds/{id}/export.json", s.exportJSON)
	private.HandleFunc("GET /dashboard/rounds/{id}/export.xlsx", s.exportXLSX)
	private.HandleFunc("POST /dashboard/rounds/open", s.openRound)
	private.HandleFunc("POST /dashboard/rounds/{id}/close", s.closeRound)
	private.HandleFunc("POST /dashboard/rounds/{id}/decide", s.decideRound)
	private.HandleFunc("GET /dashboard/rounds/{id}/antwoorden.csv", s.exportRawCSV)
	private.HandleFunc("GET /dashboard/rounds/{id}/antwoorden-publicatie.csv", s.exportPublicationCSV)
	private.HandleFunc("GET /dashboard/trajecten/{id}", s.verslagPage)
	private.HandleFunc("GET /dashboard/trajecten/{id}/{file}", s.verslagFile)
	private.HandleFunc("GET /dashboard/vragenlijsten/{id}/trend", s.trendPage)
	private.HandleFunc("GET /dashboard/vragenlijsten/{id}/trend.csv", s.trendCSV)
	private.HandleFunc("GET /dashboard/vragenlijsten/{id}/trend.json", s.trendJSON)
	private.HandleFunc("POST /dashboard/surveys", s.upload)
	private.HandleFunc("POST /dashboard/logout", s.logout)
	private.Handle("/dashboard/", s.notFound())

	mux := http.NewServeMux()
	mux.HandleFunc("GET /dashboard/login", s.loginForm)
	mux.Handle("POST /dashboard/login", s.sameOrigin(http.HandlerFunc(s.login)))
	mux.Handle("GET /dashboard/static/", staticHandler(s.notFound()))
	mux.Handle("/dashboard/", s.requireSession(s.sameOrigin(s.checkCSRF(private))))
	return securityHeaders(mux)
}

// securityHeaders sets the headers every response carries: no framing, no sniffing,
// no referrer to other sites, no caching of pages with results, and a policy that
// allows only the dashboard's own script and style.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "+
			"img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		if !strings.HasPrefix(r.URL.Path, Prefix+"static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// offHandler answers every path with the page that says the dashboard is off.
func offHandler(pg *pages) http.Handler {
	return securityHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, Prefix+"static/") {
			staticHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				pg.render(w, http.StatusNotFound, "error", page{Title: errorTitles[http.StatusNotFound],
					Error: msgNotFound, Data: http.StatusNotFound})
			})).ServeHTTP(w, r)
			return
		}
		pg.render(w, http.StatusServiceUnavailable, "off", page{Title: "Dashboard staat uit"})
	}))
}

// msgNotFound is the text of the not-found page.
const msgNotFound = "Deze pagina bestaat niet."

// notFound answers with the dashboard's not-found page.
func (s *server) notFound() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, http.StatusNotFound, msgNotFound)
	})
}
