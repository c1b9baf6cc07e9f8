package web

import (
	"net/http"
)

// The personal link "/?p=<signed id>" brings a participant back to their conversation
// on any device: it sets the cookie and redirects to the chat. Opening someone else's
// link over an ongoing conversation asks first (POST /link), so a link planted on
// another site cannot silently swap the conversation a resident is in.

// link serves GET /link: with ?p= it uses the link, without it shows the participant's
// own personal link.
func (c *Channel) link(w http.ResponseWriter, r *http.Request) {
	if p := r.URL.Query().Get("p"); p != "" {
		c.useLink(w, r, p)
		return
	}
	id, ok := c.participant(r)
	if !ok {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	c.render(w, http.StatusOK, "notice", notice{Title: c.cfg.Title, Heading: "Uw persoonlijke link",
		Message: txtYourLink, Link: c.personalLink(r, id)})
}

func (c *Channel) useLink(w http.ResponseWriter, r *http.Request, p string) {
	id, ok := c.verify(p)
	if !ok {
		c.fail(w, r, http.StatusForbidden, txtBadLink)
		return
	}
	if cur, ok := c.participant(r); ok && cur != id {
		n, err := c.store.WebLen(r.Context(), cur)
		if err != nil || n > 0 {
			c.render(w, http.StatusOK, "notice", notice{Title: c.cfg.Title, Heading: "Ander gesprek openen?",
				Message: txtSwitchLink, Switch: &switchForm{CSRF: c.csrfToken(cur), P: p}})
			return
		}
	}
	c.setCookie(w, id)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// switchLink serves POST /link, the confirmed switch to another personal link.
func (c *Channel) switchLink(w http.ResponseWriter, r *http.Request) {
	form, _, ok := c.readForm(w, r)
	if !ok {
		return
	}
	id, ok := c.verify(form.Get("p"))
	if !ok {
		c.fail(w, r, http.StatusForbidden, txtBadLink)
		return
	}
	c.setCookie(w, id)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
