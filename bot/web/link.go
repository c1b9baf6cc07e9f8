package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The personal link "<PUBLIC_URL>/?p=<signed id and expiry>" brings a participant
// back to their conversation on any device. It is built from the configured public
// URL, never from the request's Host, so a forged Host header cannot make the page
// hand out a link to another site.
//
// Opening a link never switches the browser's identity by itself: GET only shows
// "Dit is een persoonlijke link … Wilt u dit gesprek openen?" with a form, and only
// that form's POST, same-origin and with a token bound to the browser's current
// session and to the link, switches. A link planted on another site, or opened by a
// visitor who has no conversation yet, therefore never silently makes that visitor
// someone else (who could then read their typed answers). A link names one id and
// carries its own expiry (Config.LinkTTL); it counts only while the chat is stored,
// so it dies at /stop, at erasure and when the chat expires.

// linkState is what checking a personal link found.
type linkState int

const (
	linkOK linkState = iota
	linkBad
	linkExpired
	linkGone
)

// personalLink is the absolute link that brings a participant back to their chat.
func (c *Channel) personalLink(id string) string {
	exp := c.now().Add(c.cfg.LinkTTL).Unix()
	return c.cfg.PublicURL + "/?p=" + c.sign(purposeLink, id+"."+strconv.FormatInt(exp, 10))
}

// parseLink checks a link's signature, shape and expiry.
func (c *Channel) parseLink(p string) (string, linkState) {
	payload, ok := c.open(purposeLink, p)
	if !ok {
		return "", linkBad
	}
	id, exp, ok := strings.Cut(payload, ".")
	unix, err := strconv.ParseInt(exp, 10, 64)
	if !ok || err != nil || !validID(id) {
		return "", linkBad
	}
	if !c.now().Before(time.Unix(unix, 0)) {
		return "", linkExpired
	}
	return id, linkOK
}

// checkLink is parseLink plus: the chat is still stored.
func (c *Channel) checkLink(ctx context.Context, p string) (string, linkState, error) {
	id, st := c.parseLink(p)
	if st != linkOK {
		return "", st, nil
	}
	exists, err := c.store.WebExists(ctx, id)
	if err != nil {
		return "", linkBad, err
	}
	if !exists {
		return "", linkGone, nil
	}
	return id, linkOK, nil
}

// refuseLink answers a link that does not count.
func (c *Channel) refuseLink(w http.ResponseWriter, r *http.Request, st linkState) {
	switch st {
	case linkExpired:
		c.fail(w, r, http.StatusForbidden, idLinkExpired)
	case linkGone:
		c.fail(w, r, http.StatusForbidden, idLinkGone)
	default:
		c.fail(w, r, http.StatusForbidden, idBadLink)
	}
}

// link serves GET /link: with ?p= it offers to open the link, without it shows the
// participant's own personal link.
func (c *Channel) link(w http.ResponseWriter, r *http.Request) {
	if p := r.URL.Query().Get("p"); p != "" {
		c.useLink(w, r, p)
		return
	}
	s, ok, err := c.session(r.Context(), r)
	if err != nil {
		c.unavailable(w, r, "check web session", err)
		return
	}
	if !ok || !s.started {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	c.setCookie(w, s)
	l := c.requestLang(r, true)
	p := c.printer(l)
	c.render(w, l, http.StatusOK, "notice", notice{Title: c.cfg.Title, Heading: p.T("web.link.heading"),
		Message: p.T(idYourLink), Link: c.personalLink(s.id)})
}

// useLink serves a personal link opened in the browser (GET /?p= or /link?p=): it
// asks before switching, and switches nothing itself.
func (c *Channel) useLink(w http.ResponseWriter, r *http.Request, p string) {
	ctx := r.Context()
	id, st, err := c.checkLink(ctx, p)
	if err != nil {
		c.unavailable(w, r, "check personal link", err)
		return
	}
	if st != linkOK {
		c.refuseLink(w, r, st)
		return
	}
	cur, ok, err := c.session(ctx, r)
	if err != nil {
		c.unavailable(w, r, "check web session", err)
		return
	}
	if !ok {
		cur = c.newSession() // the confirmation is bound to this browser
	}
	c.setCookie(w, cur)
	if cur.id == id { // the browser's own conversation: nothing to switch
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	l := c.requestLang(r, true)
	pr := c.printer(l)
	msg := pr.T(idOpenLink)
	if cur.started {
		msg += " " + pr.T(idOpenLinkOver)
	}
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		msg = pr.T(idOpenLinkCrossSite) + " " + msg
	}
	c.render(w, l, http.StatusOK, "notice", notice{Title: c.cfg.Title, Heading: pr.T("web.link.open_heading"),
		Message: msg, Switch: &switchForm{CSRF: c.switchToken(cur.id, p), P: p}})
}

// switchLink serves POST /link, the confirmed switch to a personal link: same-origin
// proven (not merely not refuted), from the browser that was asked, with the token of
// that question.
func (c *Channel) switchLink(w http.ResponseWriter, r *http.Request) {
	form, cur, ok := c.readForm(w, r, true)
	if !ok {
		return
	}
	p := form.Get("p")
	if !c.checkSwitch(cur.id, p, form.Get("csrf")) {
		c.fail(w, r, http.StatusForbidden, idCSRF)
		return
	}
	id, st, err := c.checkLink(r.Context(), p)
	if err != nil {
		c.unavailable(w, r, "check personal link", err)
		return
	}
	if st != linkOK {
		c.refuseLink(w, r, st)
		return
	}
	c.setCookie(w, session{id: id, started: true})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
