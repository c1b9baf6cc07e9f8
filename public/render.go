package public

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/openbaar.css
var css []byte

// pageNames are the templates under templates/, each rendered inside layout.html.
var pageNames = []string{"list", "round", "notfound", "error"}

// pages are the parsed templates, one per page.
type pages struct{ byName map[string]*template.Template }

// page is what every template gets: the title (the page's one h1) and its data.
type page struct {
	Title string
	Data  any
}

func parsePages() (*pages, error) {
	p := &pages{byName: map[string]*template.Template{}}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse public template %s: %w", name, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// render writes a page in full or, when the template fails, a plain 500:
// nothing half-rendered reaches the browser.
func (p *pages) render(w http.ResponseWriter, status int, name string, data page, log *slog.Logger) {
	var buf bytes.Buffer
	if err := p.byName[name].ExecuteTemplate(&buf, "layout.html", data); err != nil {
		log.Error("render public page", "page", name, "err", err)
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "Interne fout", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// funcs are the template helpers.
var funcs = template.FuncMap{
	"groups": func(caption, head string, pop bool, rows []groupRow, total groupRow) groupTable {
		return groupTable{Caption: caption, Head: head, Pop: pop, Rows: rows, Total: &total}
	},
}

// groupTable is what the "groups" template draws: one dimension of the
// afspiegeling, with the population columns when Pop is set.
type groupTable struct {
	Caption, Head string
	Pop           bool
	Rows          []groupRow
	Total         *groupRow
}

// serveCSS serves the style sheet; it holds no data.
func serveCSS(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	_, _ = w.Write(css)
}
