package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/participatiebot/participatiebot/lang"
)

// The web chat speaks the chat's language (chatLang): the language of the latest
// message the engine sent to the chat (bot.Message.Lang, kept with each message in
// the transcript, entry.Lang), else the language the resident chose with ?taal= on
// the chat page, else the browser's Accept-Language, else Dutch. The engine reads the
// same hint from every inbound event (Event.Lang, langHint): the ?taal= choice, else
// Accept-Language.
//
// The ?taal= choice is remembered for the chat in a cookie signed for the chat's id
// (langCookie), so it needs nothing in storage, also before the first post, when the
// chat is not stored yet: it counts only with the session cookie of that chat, and
// dies with it (a personal link opening another chat, /stop, /vergeetmij).

const (
	langCookie  = "pb_taal"
	purposeLang = "lang"
	// maxLangHint bounds the Accept-Language passed on to the engine as a hint.
	maxLangHint = 200
	// langTail is how many of a chat's newest messages are read for its language
	// where the page does not load the whole transcript (error pages).
	langTail = 20
)

// latestLang is the language of the latest message the engine sent among entries;
// false when there is none.
func latestLang(entries []entry) (lang.Code, bool) {
	for i := len(entries) - 1; i >= 0; i-- {
		if entries[i].From == "" {
			return lang.Code(entries[i].Lang).Or(), true
		}
	}
	return "", false
}

// chosenLang is the language asked for with ?taal= on this request, else the one
// remembered for chat.
func (c *Channel) chosenLang(r *http.Request, chat string) (lang.Code, bool) {
	if l, ok := lang.Parse(r.URL.Query().Get("taal")); ok && r.URL.Query().Get("taal") != "" {
		return l, true
	}
	if chat == "" {
		return "", false
	}
	ck, err := r.Cookie(langCookie)
	if err != nil {
		return "", false
	}
	code, sig, ok := strings.Cut(ck.Value, ".")
	l, valid := lang.Parse(code)
	if !ok || !valid || string(l) != code || sig != c.mac(purposeLang, chat+"|"+code) {
		return "", false
	}
	return l, true
}

// rememberLang keeps the ?taal= of a chat page request for chat.
func (c *Channel) rememberLang(w http.ResponseWriter, r *http.Request, chat string) {
	l, ok := lang.Parse(r.URL.Query().Get("taal"))
	if !ok || r.URL.Query().Get("taal") == "" {
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: langCookie, Value: string(l) + "." + c.mac(purposeLang, chat+"|"+string(l)), Path: "/",
		MaxAge: int(cookieMaxAge.Seconds()), HttpOnly: true,
		Secure: c.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// chatLang is the language of chat's pages: of the latest message the engine sent
// (entries, the chat's transcript), else chosenLang, else the browser's.
func (c *Channel) chatLang(r *http.Request, chat string, entries []entry) lang.Code {
	if l, ok := latestLang(entries); ok {
		return l
	}
	if l, ok := c.chosenLang(r, chat); ok {
		return l
	}
	return lang.Match(r.Header.Get("Accept-Language"))
}

// requestLang is chatLang for a request whose transcript is not at hand (an error, a
// notice): the chat is the cookie's, and its newest messages are read only when
// storage may be asked (not when it just failed).
func (c *Channel) requestLang(r *http.Request, askStorage bool) lang.Code {
	var chat string
	if ck, err := r.Cookie(cookieName); err == nil {
		if id, _, _, ok := c.parseCookie(ck.Value); ok {
			chat = id
		}
	}
	var entries []entry
	if chat != "" && askStorage {
		entries = c.tail(r.Context(), chat)
	}
	return c.chatLang(r, chat, entries)
}

// tail is the chat's newest messages, decoded; nil when storage cannot say.
func (c *Channel) tail(ctx context.Context, chat string) []entry {
	n, err := c.store.WebLen(ctx, chat)
	if err != nil || n == 0 {
		return nil
	}
	_, raw, err := c.store.WebTranscript(ctx, chat, n-langTail)
	if err != nil {
		return nil
	}
	out := make([]entry, 0, len(raw))
	for _, b := range raw {
		var e entry
		if json.Unmarshal(b, &e) == nil {
			out = append(out, e)
		}
	}
	return out
}

// langHint is the Event.Lang of a post from chat: the resident's ?taal= choice, else
// the browser's Accept-Language (bounded; the engine matches it, lang.Match).
func (c *Channel) langHint(r *http.Request, chat string) string {
	if l, ok := c.chosenLang(r, chat); ok {
		return string(l)
	}
	h := strings.TrimSpace(r.Header.Get("Accept-Language"))
	if len(h) > maxLangHint {
		return string(lang.Match(h))
	}
	return h
}

// dir is the writing direction of a language, for a dir attribute.
func dir(l lang.Code) string {
	if l.RTL() {
		return "rtl"
	}
	return "ltr"
}

// printer prints the channel's texts in language l, in the je register when the
// deployment addresses residents with je (Config.Je).
func (c *Channel) printer(l lang.Code) *lang.Printer { return lang.For(l, c.cfg.Je) }

// pageFuncs are the template functions of the pages in language l (in the je register
// when je is set): t prints a text of the catalogue, h one that holds markup (its
// values escaped).
func pageFuncs(l lang.Code, je bool) template.FuncMap {
	p := lang.For(l, je)
	return template.FuncMap{
		"t":    p.T,
		"lang": func() string { return string(l) },
		"rtl":  l.RTL,
		"h": func(id string, kv ...any) template.HTML {
			esc := make([]any, len(kv))
			for i, v := range kv {
				if i%2 == 1 {
					v = template.HTMLEscapeString(fmt.Sprint(v))
				}
				esc[i] = v
			}
			return template.HTML(p.T(id, esc...)) // trusted: our own catalogue, values escaped
		},
	}
}
