package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/lang"
)

// pageView is the chat page.
type pageView struct {
	Title      string
	CSRF       string
	Nonce      string // of the text form
	Link       string // the personal link, once the chat is stored
	FocusInput bool
	// Prefill is put in the text field: "/start <code>" for a letter's link (?code=)
	// opened in a chat that has begun, so the resident sends it with one press.
	Prefill string
	List    listView
}

// listView is the transcript, rendered alone for /updates and chat.js.
type listView struct {
	Title        string
	CSRF         string
	Len          int
	Version      string
	Items        []itemView
	WelcomeNonce string // of the "Beginnen" form, when there are no messages yet
	// Code is the invitation code of a lottery letter's link (?code=): "Beginnen"
	// then sends "/start <code>".
	Code string
	// Lang is the chat's language, in which the page is printed (chatLang).
	Lang lang.Code
}

type itemView struct {
	Inwoner         bool
	Bot             string // the bot's name, for the sender line
	Text            string
	Note            string // under an input shown once but not kept
	Image, Document *fileView
	Album           []*fileView // images shown together, each with its caption
	// Rows are the buttons. Every message keeps its buttons, as on Telegram: the
	// engine edits a question once answered, and answers a button that is no longer
	// current politely; so a new invitation never takes the buttons of the question
	// being answered.
	Rows  [][]buttonView
	CSRF  string
	Ref   string
	Nonce string
	Last  bool
	// Focus autofocuses the message itself (the newest, with buttons): a screen
	// reader reads the question, and Enter answers nothing until the resident picked
	// a button with Tab. A message that asks for typing (Ask) focuses the text field.
	Focus bool
	Hash  string // changes when the item's HTML would, for chat.js
	// Lang and Dir are the language and direction of a message of the bot written in
	// another language than the page's (before the resident chose another); "" when
	// it is the page's.
	Lang, Dir string
}

// buttonView is one button as shown. Pressed is "true" or "false" for a tick button
// (aria-pressed), whose label is then without the tick's glyph: the state is drawn
// by the style sheet, in every font. Back marks a button back to the previous
// question ("◀ Vorige"), whose arrow the style sheet draws too, pointing the way the
// page reads back (to the right in Arabic).
type buttonView struct {
	Label, Data, Pressed string
	Back                 bool
}

// backArrow starts the label of a button back to the previous question.
const backArrow = "◀"

func buttons(rows [][]bot.Choice) [][]buttonView {
	out := make([][]buttonView, len(rows))
	for i, row := range rows {
		out[i] = make([]buttonView, len(row))
		for j, c := range row {
			b := buttonView{Label: c.Label, Data: c.Data}
			if glyph, ok := bot.TickGlyph[c.Tick]; ok {
				b.Label = strings.TrimPrefix(c.Label, glyph)
				b.Pressed = strconv.FormatBool(c.Tick == bot.TickOn)
			} else if rest, ok := strings.CutPrefix(c.Label, backArrow); ok && strings.TrimSpace(rest) != "" {
				b.Label, b.Back = strings.TrimSpace(rest), true
			}
			out[i][j] = b
		}
	}
	return out
}

type fileView struct {
	Name, Alt, Size string
	URL             template.URL
	TooLarge        bool
}

// list loads and prepares a chat's transcript in the chat's language; shown puts
// back, for this response only, the text of an input that the transcript keeps as a
// placeholder.
func (c *Channel) list(r *http.Request, chat string, shown echo) (listView, error) {
	first, entries, raw, err := c.transcript(r.Context(), chat)
	if err != nil {
		return listView{}, err
	}
	csrf := c.csrfToken(chat)
	l := c.chatLang(r, chat, entries)
	p := c.printer(l)
	v := listView{Title: c.cfg.Title, CSRF: csrf, Len: first + len(entries), Version: version(raw), Lang: l}
	if len(entries) == 0 {
		v.WelcomeNonce = newID()
		return v, nil
	}
	v.Items = make([]itemView, len(entries))
	for i, e := range entries {
		it := itemView{Inwoner: e.From == fromInwoner, Bot: c.cfg.Title, Text: e.Text, CSRF: csrf,
			Image: fileOf(p, e.Image, true), Document: fileOf(p, e.Document, false), Last: i == len(entries)-1}
		for _, a := range e.Album {
			it.Album = append(it.Album, fileOf(p, a, true))
		}
		if e.Withheld {
			it.Text = p.T(idWithheld)
			if shown.nonce != "" && e.Nonce == shown.nonce {
				it.Text, it.Note = shown.text, p.T(idWithheldNote)
			}
		}
		if ml := lang.Code(e.Lang).Or(); e.From == "" && ml != l {
			it.Lang, it.Dir = string(ml), dir(ml)
		}
		if e.From == "" && len(e.Choices) > 0 {
			it.Rows, it.Ref, it.Nonce = buttons(e.Choices), messageRef{chat, first + i}.String(), newID()
			it.Focus = it.Last && !e.Ask
		}
		state := fmt.Sprint(first+i, it.Last, it.Note != "")
		if l != lang.NL { // the page's language changes how the item is printed
			state += " " + string(l)
		}
		it.Hash = version([][]byte{raw[i], []byte(state)})
		v.Items[i] = it
	}
	return v, nil
}

// version is a short digest of messages, for telling whether anything changed.
func version(msgs [][]byte) string {
	h := sha256.New()
	for _, m := range msgs {
		fmt.Fprintf(h, "%d:", len(m))
		h.Write(m)
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

func fileOf(p *lang.Printer, a *attachment, image bool) *fileView {
	if a == nil {
		return nil
	}
	f := &fileView{Name: a.Name, Alt: a.Alt, Size: humanSize(p, a.Size), TooLarge: a.TooLarge || len(a.Data) == 0 && a.Ref == ""}
	if f.TooLarge {
		return f
	}
	if a.Ref != "" && image { // a shared image: validRef and the type were checked on the way in
		f.URL = template.URL("bijlage/" + a.Ref)
		return f
	}
	typ := "application/octet-stream" // a download, never opened as a page
	if image && inlineImageTypes[a.Type] {
		typ = a.Type
	}
	// trusted: our own prefix, a whitelisted type and base64, never text from outside
	f.URL = template.URL("data:" + typ + ";base64," + base64.StdEncoding.EncodeToString(a.Data))
	return f
}

// humanSize is a size as the printer's readers write it ("1,5 MB" in Dutch).
func humanSize(p *lang.Printer, n int) string {
	switch {
	case n < 1000:
		return p.T("web.size_bytes", "N", p.Int(n))
	case n < 1000*1000:
		return p.T("web.size_kb", "N", p.Int((n+500)/1000))
	default:
		return p.T("web.size_mb", "N", p.Decimal(float64(n)/1e6, 1))
	}
}

// page serves the chat. A visitor without a valid cookie gets a new identity; a
// personal link (?p=) is handled by useLink.
func (c *Channel) page(w http.ResponseWriter, r *http.Request) {
	if p := r.URL.Query().Get("p"); p != "" {
		c.useLink(w, r, p)
		return
	}
	s, ok, err := c.session(r.Context(), r)
	if err != nil {
		c.unavailable(w, r, "check web session", err)
		return
	}
	if !ok {
		s = c.newSession()
	}
	c.renderPage(w, r, s, echo{}, letterCode(r.URL.Query().Get("code")))
}

// maxCodeParam bounds the ?code= of a letter's link: a code is 14 characters with
// its dashes; what is longer is no code.
const maxCodeParam = 32

// letterCode is the ?code= of a lottery letter's link when it may be a code (letters,
// digits and dashes, at most maxCodeParam), else "": anything else is dropped
// without a word, and the engine checks the code itself.
func letterCode(v string) string {
	if v == "" || len(v) > maxCodeParam || strings.ContainsFunc(v, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-')
	}) {
		return ""
	}
	return v
}

// renderPage writes the chat page of session s; code is a letter's invitation code,
// sent with "Beginnen" or put in the text field.
func (c *Channel) renderPage(w http.ResponseWriter, r *http.Request, s session, shown echo, code string) {
	c.setCookie(w, s)
	c.rememberLang(w, r, s.id)
	list, err := c.list(r, s.id, shown)
	if err != nil {
		c.unavailable(w, r, "load web transcript", err)
		return
	}
	v := pageView{Title: c.cfg.Title, CSRF: c.csrfToken(s.id), Nonce: newID(), List: list}
	if code != "" && len(list.Items) == 0 {
		v.List.Code = code
	} else if code != "" {
		v.Prefill = "/start " + code
	}
	if s.started {
		v.Link = c.personalLink(s.id)
	}
	v.FocusInput = len(list.Items) > 0 && !list.Items[len(list.Items)-1].Focus
	c.render(w, list.Lang, http.StatusOK, "page", v)
}

// updatesView is what /updates and a post from chat.js return: the transcript's length
// and version, its HTML when it changed, and a fresh nonce for the text form.
type updatesView struct {
	Len     int    `json:"len"`
	Version string `json:"v"`
	HTML    string `json:"html,omitempty"`
	Nonce   string `json:"nonce,omitempty"`
	// Link is the personal link, for the page of a visitor whose chat started since
	// the page was loaded.
	Link string `json:"link,omitempty"`
	// Lang is the chat's language when it is not Dutch, and RTL whether it is written
	// right to left: chat.js gives the page that language and direction.
	Lang string `json:"lang,omitempty"`
	RTL  bool   `json:"rtl,omitempty"`
}

// updates answers chat.js's poll: GET /updates?after=<len>&v=<version> gives the HTML
// of the transcript when it grew or changed since.
func (c *Channel) updates(w http.ResponseWriter, r *http.Request) {
	s, ok, err := c.session(r.Context(), r)
	if err != nil {
		c.unavailable(w, r, "check web session", err)
		return
	}
	if !ok {
		c.fail(w, r, http.StatusForbidden, idNoSession)
		return
	}
	list, err := c.list(r, s.id, echo{})
	if err != nil {
		c.unavailable(w, r, "load web transcript", err)
		return
	}
	q := r.URL.Query()
	after, err := strconv.Atoi(q.Get("after"))
	if err == nil && after == list.Len && q.Get("v") == list.Version {
		writeJSON(w, http.StatusOK, updatesView{Len: list.Len, Version: list.Version, Lang: jsonLang(list.Lang), RTL: list.Lang.RTL()})
		return
	}
	c.writeList(w, r, s, list, "")
}

func (c *Channel) writeList(w http.ResponseWriter, r *http.Request, s session, list listView, nonce string) {
	var buf bytes.Buffer
	if err := c.pages[list.Lang.Or()].ExecuteTemplate(&buf, "transcript", list); err != nil {
		c.log.Error("render transcript", "err", err)
		c.fail(w, r, http.StatusInternalServerError, idUnavailable)
		return
	}
	v := updatesView{Len: list.Len, Version: list.Version, HTML: buf.String(), Nonce: nonce, Lang: jsonLang(list.Lang), RTL: list.Lang.RTL()}
	if s.started {
		v.Link = c.personalLink(s.id)
	}
	writeJSON(w, http.StatusOK, v)
}

// jsonLang is the chat's language for chat.js: "" for Dutch.
func jsonLang(l lang.Code) string {
	if l.Or() == lang.NL {
		return ""
	}
	return string(l)
}
