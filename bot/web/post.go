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
	"github.com/participatiebot/participatiebot/storage"
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
// say the request came from this site or from the user; an Origin (or, without one, a
// Referer), when present, must be this site: the request's Host, which a browser
// sets itself, or the configured public URL's host. strict also wants proof, one of
// these headers saying "this site", where a missing header would do otherwise.
// Together with the SameSite=Lax cookie and the CSRF token.
func (c *Channel) sameOrigin(r *http.Request, strict bool) bool {
	proof := false
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin":
		proof = true
	case "", "none":
	default:
		return false
	}
	from := r.Header.Get("Origin")
	if from == "" {
		from = r.Header.Get("Referer")
	}
	if from != "" {
		u, err := url.Parse(from)
		if err != nil || u.Host == "" || !strings.EqualFold(u.Host, r.Host) && !strings.EqualFold(u.Host, c.publicHost()) {
			return false
		}
		proof = true
	}
	return proof || !strict
}

func (c *Channel) publicHost() string {
	u, err := url.Parse(c.cfg.PublicURL)
	if err != nil {
		return ""
	}
	return u.Host
}

// readForm checks a post (origin, rate limits, size, participant) and returns its
// fields and the participant, or writes the refusal. The caller checks the form's
// token, which differs per form.
func (c *Channel) readForm(w http.ResponseWriter, r *http.Request, strict bool) (url.Values, session, bool) {
	if !c.sameOrigin(r, strict) {
		c.fail(w, r, http.StatusForbidden, idCrossSite)
		return nil, session{}, false
	}
	if !c.allowAddress(w, r) {
		return nil, session{}, false
	}
	if r.ContentLength > maxBody {
		c.fail(w, r, http.StatusRequestEntityTooLarge, idTooLarge)
		return nil, session{}, false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
			c.fail(w, r, http.StatusRequestEntityTooLarge, idTooLarge)
		} else {
			c.fail(w, r, http.StatusBadRequest, idBadForm)
		}
		return nil, session{}, false
	}
	s, ok, err := c.session(r.Context(), r)
	if err != nil {
		c.unavailable(w, r, "check web session", err)
		return nil, session{}, false
	}
	if !ok {
		c.fail(w, r, http.StatusForbidden, idCSRF)
		return nil, session{}, false
	}
	if !c.allowChat(w, r, s.id) {
		return nil, session{}, false
	}
	return r.PostForm, s, true
}

// send serves POST /send: a typed text or command, or a pressed button. The resident's
// input is shown in the transcript, the event handed to the engine, and the answer
// awaited for a while, so the page the browser comes back to already holds it.
// A new visitor's first post stores the chat. What a resident types is stored only
// once they take part; before, the transcript keeps a placeholder and only this
// response shows the text.
func (c *Channel) send(w http.ResponseWriter, r *http.Request) {
	form, s, ok := c.readForm(w, r, false)
	if !ok {
		return
	}
	id := s.id
	if !c.checkCSRF(id, form.Get("csrf")) {
		c.fail(w, r, http.StatusForbidden, idCSRF)
		return
	}
	nonce := form.Get("nonce")
	if !validID(nonce) {
		c.fail(w, r, http.StatusBadRequest, idBadForm)
		return
	}
	h := c.handler.Load()
	if h == nil {
		c.fail(w, r, http.StatusServiceUnavailable, idUnavailable)
		return
	}
	ev, typed, code := input(form, id, nonce)
	ev.Lang = c.langHint(r, id)
	switch {
	case code != 0:
		msg := idBadForm
		if code == http.StatusRequestEntityTooLarge {
			msg = idTooLarge
		}
		c.fail(w, r, code, msg)
		return
	case ev.Kind == 0: // nothing typed
		c.done(w, r, s, echo{})
		return
	}

	unlock := c.chats.lock(id)
	defer unlock()
	ctx := r.Context()
	if !s.started {
		if _, err := c.store.WebStart(ctx, id, c.now()); err != nil {
			c.unavailable(w, r, "start web chat", err)
			return
		}
		s.started = true
		c.setCookie(w, s)
	}
	var shown echo
	stored, withheld := typed, false
	switch {
	case ev.Kind == bot.ChoiceEvent: // the label is ours: looked up below
	case ev.Kind == bot.CommandEvent && ev.Command == "start" && form.Has("welkom"):
		// the welcome's button, also with a letter's code: shown as it says, in the
		// language the page was in
		stored = c.printer(c.requestLang(r, true)).T(idBegin)
	case c.consented(ctx, h.h, id): // kept as typed
		if ev.Kind == bot.CommandEvent && ev.Command == "start" && ev.Args != "" {
			stored = "/start" // but a letter's code is a key to the panel: never kept
		}
	case ev.Kind == bot.CommandEvent && ev.Args == "" && knownCommands[ev.Command]:
		stored = "/" + ev.Command // our word; whatever followed an "@" is not kept
	default:
		shown = echo{nonce: nonce, text: typed}
		stored, withheld = txtWithheld, true
	}
	repeated, err := c.echoed(ctx, id, nonce)
	if err == nil && !repeated {
		if ev.Kind == bot.ChoiceEvent {
			ref, _ := parseRef(ev.MessageRef)
			ch, ok := c.button(ctx, ref, ev.Data)
			if !ok {
				// not (or no longer) a button of that message: show the chat as it is
				c.done(w, r, s, echo{})
				return
			}
			stored = ch.Label
			if ch.Tick != "" {
				stored = "" // a tick changes the question in place: no bubble for it
			}
		}
		if stored != "" {
			err = c.appendEcho(ctx, id, nonce, stored, withheld)
		}
	}
	if errors.Is(err, storage.ErrWebGone) {
		c.gone(w, r)
		return
	}
	if err != nil {
		c.unavailable(w, r, "store web input", err)
		return
	}
	before := c.snapshot(ctx, id, ev.MessageRef)
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handleTimeout)
	defer cancel()
	if err := h.h.Handle(hctx, ev); err != nil {
		// the resident posts the same form again (same nonce) and the engine retries
		c.unavailable(w, r, "handle web event", err)
		return
	}
	// the event may have been the consent, a withdrawal, or the end of the chat
	switch err := c.store.WebKeep(hctx, id, c.consented(hctx, h.h, id)); {
	case errors.Is(err, storage.ErrWebGone):
		c.gone(w, r)
		return
	case err != nil:
		c.log.Error("set web chat retention", "err", err)
	}
	if !repeated {
		c.awaitReply(ctx, id, ev.MessageRef, before)
	}
	c.done(w, r, s, shown)
}

// knownCommands are the engine's commands: typed alone, they are our words, not the
// resident's, and are kept in the transcript also before consent.
var knownCommands = map[string]bool{"start": true, "deelnemen": true, "help": true, "hulp": true,
	"stop": true, "stoppen": true, "status": true, "mijngegevens": true, "vergeetmij": true, "taal": true}

// consented asks the engine whether the participant takes part. Not knowing (no
// ConsentChecker, an error) counts as no: then nothing typed is stored.
func (c *Channel) consented(ctx context.Context, h bot.Handler, id string) bool {
	cc, ok := h.(bot.ConsentChecker)
	if !ok {
		return false
	}
	yes, err := cc.Consented(ctx, "web", id)
	if err != nil {
		c.log.Error("check consent", "err", err)
		return false
	}
	return yes
}

// input turns a posted form into an event: a pressed button (data and ref), a command
// or a text. It returns the typed text, normalised, and an HTTP status when the form
// is refused; an event of Kind 0 when nothing was typed.
func input(form url.Values, id, nonce string) (ev bot.Event, typed string, code int) {
	ev = bot.Event{Channel: "web", UpdateID: nonce, UserID: id, ChatID: id}
	if form.Has("data") {
		ref, ok := parseRef(form.Get("ref"))
		data := form.Get("data")
		if !ok || ref.chat != id || data == "" || len(data) > DefaultLimits.MaxChoiceData || !utf8.ValidString(data) {
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
// An input that was shown but not stored (shown) is answered with the page itself,
// the only place its text appears.
func (c *Channel) done(w http.ResponseWriter, r *http.Request, s session, shown echo) {
	if !wantsJSON(r) {
		if shown.nonce != "" {
			c.renderPage(w, r, s, shown, "")
			return
		}
		http.Redirect(w, r, "/#laatste", http.StatusSeeOther)
		return
	}
	list, err := c.list(r, s.id, shown)
	if err != nil {
		c.unavailable(w, r, "load web transcript", err)
		return
	}
	c.writeList(w, r, s, list, newID())
}

// gone answers a post whose chat was forgotten while it was handled (/stop,
// /vergeetmij): the cookie goes, and the resident learns that the chat ended.
func (c *Channel) gone(w http.ResponseWriter, r *http.Request) {
	c.clearCookie(w)
	if wantsJSON(r) {
		writeJSON(w, http.StatusGone, map[string]string{"error": c.printer(c.requestLang(r, false)).T(idChatGone)})
		return
	}
	l := c.requestLang(r, false)
	p := c.printer(l)
	c.render(w, l, http.StatusOK, "notice", notice{Title: c.cfg.Title, Heading: p.T("web.gone.heading"),
		Message: p.T(idChatGone), Back: p.T("web.new_chat")})
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

// button finds the button with data on the referenced message.
func (c *Channel) button(ctx context.Context, ref messageRef, data string) (bot.Choice, bool) {
	raw, err := c.store.WebMessage(ctx, ref.chat, ref.id)
	if err != nil {
		return bot.Choice{}, false
	}
	var e entry
	if json.Unmarshal(raw, &e) != nil || e.From != "" {
		return bot.Choice{}, false
	}
	for _, row := range e.Choices {
		for _, ch := range row {
			if ch.Data == data {
				return ch, true
			}
		}
	}
	return bot.Choice{}, false
}
