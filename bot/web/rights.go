package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/lang"
)

// The resident's rights on the web: /mijngegevens shows everything held about them (the
// engine's bot.MyData and this chat's transcript) and offers it as a JSON file;
// /vergeetmij erases it after a confirmation; /privacy is the privacy statement.

// Privacy is what the privacy statement says about the municipality and its choices.
type Privacy struct {
	// Municipality is the controller, e.g. "Gemeente Dalfsen" (default "de gemeente").
	Municipality string
	// Contact is where residents reach the privacy officer: an e-mail address, phone
	// number or web page.
	Contact string
	// Threshold is the smallest group any result shows.
	Threshold int
	// Channels are the chat apps offered besides the web chat ("Telegram", "Discord").
	Channels []string
}

// webLine is one message of the transcript as the data page and file show it.
type webLine struct {
	From string `json:"van"`
	Text string `json:"tekst"`
}

// dataView is the data page.
type dataView struct {
	Title      string
	Data       *bot.MyData
	Consents   []string // "Toestemming gegeven op 10 november 2026 om 10:00 (versie 2026-11)"
	Transcript []webLine
}

func (c *Channel) consentLines(p *lang.Printer, d *bot.MyData) []string {
	if d == nil {
		return nil
	}
	out := make([]string, 0, len(d.Consents))
	for _, ce := range d.Consents {
		t := ce.Time.In(c.cfg.Location)
		date, clock := t.Format("02-01-2006"), t.Format("15:04")
		if ce.Given {
			out = append(out, p.T("web.data.consent_given", "Date", date, "Time", clock, "Version", ce.Version))
		} else {
			out = append(out, p.T("web.data.consent_withdrawn", "Date", date, "Time", clock))
		}
	}
	return out
}

// residentData collects what is held about the chat's resident: the engine's part
// (nil when there is none) and the transcript, with the chat's language.
func (c *Channel) residentData(r *http.Request, id string) (*bot.MyData, []webLine, lang.Code, error) {
	ctx := r.Context()
	var d *bot.MyData
	if h := c.handler.Load(); h != nil {
		if rights, ok := h.h.(bot.Rights); ok {
			var err error
			if d, err = rights.DataOf(ctx, c.Name(), id); err != nil {
				return nil, nil, "", err
			}
		}
	}
	_, entries, _, err := c.transcript(ctx, id)
	if err != nil {
		return nil, nil, "", err
	}
	l := c.chatLang(r, id, entries)
	p := c.printer(l)
	lines := make([]webLine, 0, len(entries))
	for _, e := range entries {
		from := "bot"
		if e.From != "" {
			from = "u"
		}
		text := e.Text
		if e.Withheld {
			text = p.T(idWithheld)
		}
		if e.Document != nil && text == "" {
			text = p.T("web.data.file", "Name", e.Document.Name)
		}
		lines = append(lines, webLine{From: from, Text: text})
	}
	return d, lines, l, nil
}

// myData serves GET /mijngegevens.
func (c *Channel) myData(w http.ResponseWriter, r *http.Request) {
	s, ok, err := c.session(r.Context(), r)
	if err != nil {
		c.unavailable(w, r, "check web session", err)
		return
	}
	if !ok || !s.started {
		l := c.requestLang(r, false)
		p := c.printer(l)
		c.render(w, l, http.StatusOK, "notice", notice{Title: c.cfg.Title, Heading: p.T("web.data.title"), Message: p.T(idNothingStored)})
		return
	}
	d, lines, l, err := c.residentData(r, s.id)
	if err != nil {
		c.unavailable(w, r, "collect resident data", err)
		return
	}
	c.render(w, l, http.StatusOK, "gegevens", dataView{Title: c.cfg.Title, Data: d, Consents: c.consentLines(c.printer(l), d), Transcript: lines})
}

// myDataJSON serves GET /mijngegevens.json: the same as a file.
func (c *Channel) myDataJSON(w http.ResponseWriter, r *http.Request) {
	s, ok, err := c.session(r.Context(), r)
	if err != nil {
		c.unavailable(w, r, "check web session", err)
		return
	}
	if !ok || !s.started {
		c.fail(w, r, http.StatusNotFound, idNothingStored)
		return
	}
	d, lines, _, err := c.residentData(r, s.id)
	if err != nil {
		c.unavailable(w, r, "collect resident data", err)
		return
	}
	doc := struct {
		Data       *bot.MyData `json:"gegevens"`
		Transcript []webLine   `json:"webgesprek"`
	}{d, lines}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		c.unavailable(w, r, "encode resident data", err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="mijn-gegevens.json"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}

// forgetForm serves GET /vergeetmij: what erasing does, and the form that does it.
func (c *Channel) forgetForm(w http.ResponseWriter, r *http.Request) {
	s, ok, err := c.session(r.Context(), r)
	if err != nil {
		c.unavailable(w, r, "check web session", err)
		return
	}
	if !ok || !s.started {
		l := c.requestLang(r, false)
		p := c.printer(l)
		c.render(w, l, http.StatusOK, "notice", notice{Title: c.cfg.Title, Heading: p.T("web.forget.title"), Message: p.T(idNothingStored)})
		return
	}
	c.render(w, c.requestLang(r, true), http.StatusOK, "vergeetmij", struct{ Title, CSRF string }{c.cfg.Title, c.csrfToken(s.id)})
}

// forget serves POST /vergeetmij: the engine erases the resident (and has this chat
// forget itself); a visitor who never took part has only the chat to forget.
func (c *Channel) forget(w http.ResponseWriter, r *http.Request) {
	form, s, ok := c.readForm(w, r, true)
	if !ok {
		return
	}
	if !c.checkCSRF(s.id, form.Get("csrf")) {
		c.fail(w, r, http.StatusForbidden, idCSRF)
		return
	}
	h := c.handler.Load()
	if h == nil {
		c.fail(w, r, http.StatusServiceUnavailable, idUnavailable)
		return
	}
	rights, isRights := h.h.(bot.Rights)
	if !isRights {
		c.unavailable(w, r, "erase resident", errors.New("the handler cannot erase residents"))
		return
	}
	unlock := c.chats.lock(s.id)
	defer unlock()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), handleTimeout)
	defer cancel()
	l := c.requestLang(r, true) // before the chat is gone
	if err := rights.EraseUser(ctx, c.Name(), s.id); err != nil {
		c.unavailable(w, r, "erase resident", err)
		return
	}
	if err := c.store.WebForget(ctx, s.id); err != nil {
		c.unavailable(w, r, "forget web chat", err)
		return
	}
	c.clearCookie(w)
	p := c.printer(l)
	c.render(w, l, http.StatusOK, "notice", notice{Title: c.cfg.Title, Heading: p.T("web.forget.done_heading"), Message: p.T(idForgotten),
		Back: p.T("web.new_chat")})
}

// privacy serves GET /privacy, the privacy statement.
func (c *Channel) privacy(w http.ResponseWriter, r *http.Request) {
	l := c.requestLang(r, true)
	p := c.cfg.Privacy
	if p.Municipality == "" {
		p.Municipality = c.printer(l).T("web.privacy.municipality")
	}
	if p.Threshold <= 0 {
		p.Threshold = 10
	}
	c.render(w, l, http.StatusOK, "privacy", struct {
		Title string
		Privacy
	}{c.cfg.Title, p})
}
