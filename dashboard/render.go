package dashboard

import (
	"bytes"
	"embed"
	"fmt"
	"github.com/participatiebot/participatiebot/internal/dutch"
	"github.com/participatiebot/participatiebot/results"
	"html/template"
	"io/fs"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageNames are the templates under templates/, each rendered inside layout.html.
var pageNames = []string{"login", "off", "error", "overview", "round", "confirm", "audit", "verslag", "trend"}

// pages are the parsed templates, one per page.
type pages struct {
	byName map[string]*template.Template
	log    *slog.Logger
}

// page is what every template gets: the layout's fields and the page's own Data.
type page struct {
	Title string
	// User is the logged-in organiser ("" on the login page); CSRF the token for
	// the forms of this session.
	User, CSRF string
	// Flash is a confirmation, Error a message shown at the top of the page.
	Flash, Error string
	Data         any
}

func parsePages(log *slog.Logger) (*pages, error) {
	p := &pages{byName: map[string]*template.Template{}, log: log}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/charts.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse dashboard template %s: %w", name, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// render writes a page in full or, when the template fails, a plain 500: nothing
// half-rendered reaches the browser.
func (p *pages) render(w http.ResponseWriter, status int, name string, data page) {
	var buf bytes.Buffer
	if err := p.byName[name].ExecuteTemplate(&buf, "layout.html", data); err != nil {
		p.log.Error("render dashboard page", "page", name, "err", err)
		http.Error(w, "Interne fout", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// page starts the page data for a request: the user and the CSRF token of its session.
func (s *server) page(r *http.Request, title string) page {
	p := page{Title: title}
	if ss, ok := sessionFrom(r.Context()); ok {
		p.User, p.CSRF = ss.user, s.csrfToken(ss)
	}
	return p
}

func (s *server) render(w http.ResponseWriter, status int, name string, p page) {
	s.pages.render(w, status, name, p)
}

// errorPage answers with a short page that explains what went wrong.
func (s *server) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	p := s.page(r, http.StatusText(status))
	p.Title = errorTitles[status]
	if p.Title == "" {
		p.Title = "Er ging iets mis"
	}
	p.Error = msg
	p.Data = status
	s.render(w, status, "error", p)
}

var errorTitles = map[int]string{
	http.StatusBadRequest:            "Ongeldig verzoek",
	http.StatusUnauthorized:          "Niet ingelogd",
	http.StatusForbidden:             "Geweigerd",
	http.StatusNotFound:              "Niet gevonden",
	http.StatusConflict:              "Niet mogelijk",
	http.StatusRequestEntityTooLarge: "Bestand te groot",
	http.StatusTooManyRequests:       "Te veel pogingen",
	http.StatusInternalServerError:   "Er ging iets mis",
}

// serverError logs err and shows a page without its details.
func (s *server) serverError(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.log.Error("dashboard: "+what, "path", r.URL.Path, "err", err)
	s.errorPage(w, r, http.StatusInternalServerError,
		"Er ging iets mis bij het ophalen of opslaan van de gegevens. Probeer het later opnieuw.")
}

// staticHandler serves the style sheet and script. They hold no data, so they are
// public: the login page needs them too. Only files are served: a folder (or a name
// ending in '/') gets notFound, never a listing.
func staticHandler(notFound http.Handler) http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embed directive guarantees the directory
	}
	return http.StripPrefix(Prefix+"static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Path
		if !fs.ValidPath(name) || name == "." {
			notFound.ServeHTTP(w, r)
			return
		}
		info, err := fs.Stat(sub, name)
		if err != nil || !info.Mode().IsRegular() {
			notFound.ServeHTTP(w, r)
			return
		}
		http.ServeFileFS(w, r, sub, name)
	}))
}

// funcs are the template helpers; they format numbers and times the Dutch way.
var funcs = template.FuncMap{
	"int":          dutchInt,
	"pct":          dutchPercent,
	"rate":         func(f float64) string { return dutchPercent(100 * f) },
	"decimal":      func(f float64) string { return dutchDecimal(f, 1) },
	"svgnum":       svgNumber,
	"percentOf":    func(f float64) float64 { return 100 * f },
	"datetime":     func(t time.Time) string { return t.Format(time.RFC3339) },
	"closeArgs":    func(id, title, csrf string) closeArgs { return closeArgs{ID: id, Title: title, CSRF: csrf} },
	"intervalHelp": func() string { return results.IntervalHelp },
	"rankHelp":     func() string { return results.RankHelp },
	"rankBandHelp": func() string { return results.RankBandHelp },
	"rankHelpOf":   func(v results.RankView) string { return strings.Join(results.Help(v.Rows), " ") },
	"rankName":     func() string { return results.RankName },
	"rankTitle":    func() string { return results.RankTitle },
	"rankBand":     func() string { return results.RankBandTitle },
	"tooFew":       func() string { return results.TooFewText },
	"panelHelp":    func() string { return results.PanelHelp },
	"ageText":      results.AgeText,
	"weight":       func(f float64) string { return dutchDecimal(f, 2) },
}

// closeArgs are what the "closeform" template needs.
type closeArgs struct{ ID, Title, CSRF string }

// dutchInt writes 12345 as "12.345".
func dutchInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// dutchDecimal writes f with a decimal comma and at most prec decimals ("12,5", "3").
func dutchDecimal(f float64, prec int) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "–"
	}
	s := strconv.FormatFloat(f, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return strings.Replace(s, ".", ",", 1)
}

// dutchPercent writes a percentage 0..100 as "12,5%".
func dutchPercent(p float64) string { return dutchDecimal(p, 1) + "%" }

// svgNumber is a length in a 0..100 viewBox: a decimal point, clamped to 0..100.
func svgNumber(p float64) string {
	if math.IsNaN(p) || p < 0 {
		p = 0
	}
	if p > 100 {
		p = 100
	}
	return strconv.FormatFloat(p, 'f', 2, 64)
}

// dutchTime writes a time in loc as "1 maart 2027, 09:00"; the zero time as "–".
func dutchTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "–"
	}
	return dutch.DateTime(t.In(loc))
}

// dutchDate writes a date as "15 februari 2027"; the zero time as "–".
func dutchDate(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return dutch.Date(t)
}

// dutchDuration writes a duration as "14 dagen", "4 uur" or "90 minuten".
func dutchDuration(d time.Duration) string {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		n := int64(d / (24 * time.Hour))
		if n == 1 {
			return "1 dag"
		}
		return dutchInt(n) + " dagen"
	case d >= time.Hour && d%time.Hour == 0:
		return dutchInt(int64(d/time.Hour)) + " uur"
	case d%time.Minute == 0:
		n := int64(d / time.Minute)
		if n == 1 {
			return "1 minuut"
		}
		return dutchInt(n) + " minuten"
	}
	return d.String()
}
