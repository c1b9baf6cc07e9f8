package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"

	"github.com/participatiebot/participatiebot/lang"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// contentSecurityPolicy allows our own script and styles and data: images (attachments
// are inline); nothing inline, nothing from elsewhere, no framing.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// loadAssets parses the templates and fingerprints the static files, so their links
// change when they do and browsers may cache them.
func (c *Channel) loadAssets() error {
	c.static = map[string]string{}
	err := fs.WalkDir(staticFiles, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFiles.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		c.static[strings.TrimPrefix(path, "static/")] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return fmt.Errorf("web: read static files: %w", err)
	}
	static := func(name string) (string, error) {
		v, ok := c.static[name]
		if !ok {
			return "", fmt.Errorf("no static file %q", name)
		}
		return "/static/" + name + "?v=" + v, nil
	}
	// the pages once per language, each printing from its catalogue
	c.pages = map[lang.Code]*template.Template{}
	for _, l := range lang.Supported {
		funcs := pageFuncs(l, c.cfg.Je)
		funcs["static"] = static
		if c.pages[l], err = template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/*.html"); err != nil {
			return fmt.Errorf("web: parse templates: %w", err)
		}
	}
	return nil
}

func (c *Channel) serveStatic(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Path
	if _, ok := c.static[name]; !ok {
		c.fail(w, r, http.StatusNotFound, idNotFound)
		return
	}
	if r.URL.Query().Get("v") == c.static[name] {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	http.ServeFileFS(w, r, staticFiles, "static/"+name)
}

// securityHeaders apply to every response of the chat.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", contentSecurityPolicy)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		// the personal link is in the address bar for a moment: never pass it to
		// another site. Not "no-referrer": browsers then send "Origin: null" with our
		// own form posts, which sameOrigin refuses.
		hd.Set("Referrer-Policy", "same-origin")
		h.ServeHTTP(w, r)
	})
}

// render executes a template in language l into a buffer first, so a failure gives a
// clean error instead of half a page. Pages hold the CSRF token and the personal link:
// no caching.
func (c *Channel) render(w http.ResponseWriter, l lang.Code, status int, name string, data any) {
	var buf bytes.Buffer
	if err := c.pages[l.Or()].ExecuteTemplate(&buf, name, data); err != nil {
		c.log.Error("render page", "template", name, "err", err)
		http.Error(w, c.printer(l).T("web.render_error"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// wantsJSON reports whether the request comes from chat.js rather than a plain form.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// notice is the data of the notice page: an error, the personal link, or the question
// whether to switch to another personal link.
type notice struct {
	Title, Heading, Message string
	Link                    string
	Switch                  *switchForm
	Back                    string // the label of the link back to the chat, when not the usual one
}

type switchForm struct{ CSRF, P string }

// fail answers with an explanation, the catalogue's text id in the chat's language
// (requestLang): a page for a form post, JSON for chat.js.
func (c *Channel) fail(w http.ResponseWriter, r *http.Request, status int, id string) {
	c.failText(w, r, status, func(p *lang.Printer) string { return p.T(id) })
}

// failText is fail with a text made by msg.
func (c *Channel) failText(w http.ResponseWriter, r *http.Request, status int, msg func(*lang.Printer) string) {
	l := c.requestLang(r, status != http.StatusServiceUnavailable)
	p := c.printer(l)
	if wantsJSON(r) {
		writeJSON(w, status, map[string]string{"error": msg(p)})
		return
	}
	heading := p.T("web.error.heading")
	if status == http.StatusNotFound {
		heading = p.T("web.not_found.heading")
	}
	c.render(w, l, status, "notice", notice{Title: c.cfg.Title, Heading: heading, Message: msg(p)})
}

// unavailable answers a request that failed on our side (storage, the engine) with
// "try again later", and logs what was being done.
func (c *Channel) unavailable(w http.ResponseWriter, r *http.Request, doing string, err error) {
	c.log.Error(doing, "err", err)
	c.fail(w, r, http.StatusServiceUnavailable, idUnavailable)
}
