package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/bot"
)

const (
	// maxBody bounds a form post; a typed message of maxText runes fits, mostly.
	maxBody = 16 << 10
	// maxText is the longest typed message; the engine enforces each question's own
	// maximum length and says so in the conversation.
	maxText = 4000
	// handleTimeout bounds the engine's handling of one post, which goes on when the
	// browser goes away, so an answer is never recorded half.
	handleTimeout = 30 * time.Second
)

// sameOrigin rejects cross-site posts: Sec-Fetch-Site, when the browser sends it, must
// say the request came from this site or from the user; an Origin, when present, must
// be this host. Together with the SameSite=Lax cookie and the CSRF token.
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return false
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host == "" || !strings.EqualFold(u.Host, r.Host) {
			return false
		}
	}
	return true
}

// readForm checks a post (origin, size, participant, CSRF token) and returns its
// fields and the participant, or writes the refusal.
func (c *Channel) readForm(w http.ResponseWriter, r *http.Request) (url.Values, string, bool) {
	if !sameOrigin(r) {
		c.fail(w, r, http.StatusForbidden, txtCrossSite)
		return nil, "", false
	}
	if r.ContentLength > maxBody {
		c.fail(w, r, http.StatusRequestEntityTooLarge, txtTooLarge)
		return nil, "", false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
			c.fail(w, r, http.StatusRequestEntityTooLarge, txtTooLarge)
		} else {
			c.fail(w, r, http.StatusBadRequest, txtBadForm)
		}
		return nil, "", false
	}
	id, ok := c.participant(r)
	if !ok || !c.checkCSRF(id, r.PostForm.Get("csrf")) {
		c.fail(w, r, http.StatusForbidden, txtCSRF)
		return nil, "", false
	}
	return r.PostForm, id, true
}

// send serves POST /send: a typed text or command, or a pressed button. The resident's
// input is shown in the transcript, the event handed to the engine, and the answer
// awaited for a while, so the page the browser comes back to already holds it.
func (c *Channel) send(w http.ResponseWriter, r *http.Request) {
	form, id, ok := c.readForm(w, r)
	if !ok {
		return
	}
	nonce := form.Get("nonce")
	if !validID(nonce) {
		c.fail(w, r, http.StatusBadRequest, txtBadForm)
		return
	}
	h := c.handler.Load()
	if h == nil {
		c.fail(w, r, http.StatusServiceUnavailable, txtUnavailable)
		return
	}
	ev, typed, code := input(form, id, nonce)
	switch {
	case code != 0:
		msg := txtBadForm
		if code == http.StatusRequestEntityTooLarge {
			msg = txtTooLarge
		}
		c.fail(w, r, code, msg)
		return
	case ev.Kind == 0: // nothing typed
		c.done(w, r, id)
		return
	}

	unlock := c.chats.lock(id)
	defer unlock()
	ctx := r.Context()
	repeated, err := c.echoed(ctx, id, nonce)
	if err == nil && !repeated {
		if ev.Kind == bot.ChoiceEvent {
			ref, _ := parseRef(ev.MessageRef)
			if typed, ok = c.buttonLabel(ctx, ref, ev.Data); !ok {
				// not (or no longer) a button of that message: show the chat as it is
				c.done(w, r, id)
				return
			}
		}
		err = c.appendEcho(ctx, id, nonce, typed)
	}
	if err != nil {
		c.log.Error("store web input", "err", err)
		c.fail(w, r, http.StatusServiceUnavailable, txtUnavailable)
		return
	}
	before := c.snapshot(ctx, id, ev.MessageRef)
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handleTimeout)
	defer cancel()
	if err := h.h.Handle(hctx, ev); err != nil {
		// the resident posts the same form again (same nonce) and the engine retries
		c.log.Error("handle web event", "err", err)
		c.fail(w, r, http.StatusServiceUnavailable, txtUnavailable)
		return
	}
	if !repeated {
		c.awaitReply(ctx, id, ev.MessageRef, before)
	}
	c.done(w, r, id)
}

// input turns a posted form into an event: a pressed button (data and ref), a command
// or a text. It returns the typed text, normalised, and an HTTP status when the form
// is refused; an event of Kind 0 when nothing was typed.
func input(form url.Values, id, nonce string) (ev bot.Event, typed string, code int) {
	ev = bot.Event{Channel: "web", UpdateID: nonce, UserID: id, ChatID: id}
	if form.Has("data") {
		ref, ok := parseRef(form.Get("ref"))
		if !ok || ref.chat != id || form.Get("data") == "" {
			return ev, "", http.StatusBadRequest
		}
		ev.Kind, ev.Data, ev.MessageRef = bot.ChoiceEvent, form.Get("data"), ref.String()
		return ev, "", 0
	}
	typed = strings.ReplaceAll(strings.ToValidUTF8(form.Get("text"), "\uFFFD"), "\r\n", "\n")
	typed = strings.TrimSpace(typed)
	switch {
	case utf8.RuneCountInString(typed) > maxText:
		return ev, "", http.StatusRequestEntityTooLarge
	case typed == "":
		return ev, "", 0
	}
	if cmd, args, ok := command(typed); ok {
		ev.Kind, ev.Command, ev.Args = bot.CommandEvent, cmd, args
	} else {
		ev.Kind, ev.Text = bot.TextEvent, typed
	}
	return ev, typed, 0
}

// done ends a post: back to the newest message for a form, the transcript for chat.js.
func (c *Channel) done(w http.ResponseWriter, r *http.Request, id string) {
	if !wantsJSON(r) {
		http.Redirect(w, r, "/#laatste", http.StatusSeeOther)
		return
	}
	list, err := c.list(r.Context(), id)
	if err != nil {
		c.log.Error("load web transcript", "err", err)
		c.fail(w, r, http.StatusServiceUnavailable, txtUnavailable)
		return
	}
	c.writeList(w, r, list, newID())
}

// command splits a typed "/start args" as Telegram does; "/" followed by anything
// but a command word is plain text.
func command(text string) (cmd, args string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	word, rest := text[1:], ""
	if i := strings.IndexFunc(word, unicode.IsSpace); i >= 0 {
		word, rest = word[:i], word[i:]
	}
	word, _, _ = strings.Cut(word, "@") // "/start@participatiebot", as in group chats
	if word == "" || strings.ContainsFunc(word, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_')
	}) {
		return "", "", false
	}
	return strings.ToLower(word), strings.TrimSpace(rest), true
}

// buttonLabel finds the label of the button with data on the referenced message.
func (c *Channel) buttonLabel(ctx context.Context, ref messageRef, data string) (string, bool) {
	raw, err := c.store.WebMessage(ctx, ref.chat, ref.id)
	if err != nil {
		return "", false
	}
	var e entry
	if json.Unmarshal(raw, &e) != nil || e.From != "" {
		return "", false
	}
	for _, row := range e.Choices {
		for _, ch := range row {
			if ch.Data == data {
				return ch.Label, true
			}
		}
	}
	return "", false
}
