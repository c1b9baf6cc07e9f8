package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/bot"
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
}

// buttonView is one button as shown. Pressed is "true" or "false" for a tick button
// (aria-pressed), whose label is then without the tick's glyph: the state is drawn
// by the style sheet, in every font.
type buttonView struct {
	Label, Data, Pressed string
}

func buttons(rows [][]bot.Choice) [][]buttonView {
	out := make([][]buttonView, len(rows))
	for i, row := range rows {
		out[i] = make([]buttonView, len(row))
		for j, c := range row {
			b := buttonView{Label: c.Label, Data: c.Data}
			if glyph, ok := bot.TickGlyph[c.Tick]; ok {
				b.Label = strings.TrimPrefix(c.Label, glyph)
				b.Pressed = strconv.FormatBool(c.Tick == bot.TickOn)
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

// list loads and prepares a chat's transcript; shown puts back, for this response
// only, the text of an input that the transcript keeps as a placeholder.
func (c *Channel) list(ctx context.Context, chat string, shown echo) (listView, error) {
	first, entries, raw, err := c.transcript(ctx, chat)
	if err != nil {
		return listView{}, err
	}
	csrf := c.csrfToken(chat)
	v := listView{Title: c.cfg.Title, CSRF: csrf, Len: first + len(entries), Version: version(raw)}
	if len(entries) == 0 {
		v.WelcomeNonce = newID()
		return v, nil
	}
	v.Items = make([]itemView, len(entries))
	for i, e := range entries {
		it := itemView{Inwoner: e.From == fromInwoner, Bot: c.cfg.Title, Text: e.Text, CSRF: csrf,
			Image: fileOf(e.Image, true), Document: fileOf(e.Document, false), Last: i == len(entries)-1}
		for _, a := range e.Album {
			it.Album = append(it.Album, fileOf(a, true))
		}
		if e.Withheld && shown.nonce != "" && e.Nonce == shown.nonce {
			it.Text, it.Note = shown.text, txtWithheldNote
		}
		if e.From == "" && len(e.Choices) > 0 {
			it.Rows, it.Ref, it.Nonce = buttons(e.Choices), messageRef{chat, first + i}.String(), newID()
			it.Focus = it.Last && !e.Ask
		}
		it.Hash = version([][]byte{raw[i], []byte(fmt.Sprint(first+i, it.Last, it.Note != ""))})
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

func fileOf(a *attachment, image bool) *fileView {
	if a == nil {
		return nil
	}
	f := &fileView{Name: a.Name, Alt: a.Alt, Size: humanSize(a.Size), TooLarge: a.TooLarge || len(a.Data) == 0 && a.Ref == ""}
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

// humanSize is a size as Dutch readers write it ("1,5 MB").
func humanSize(n int) string {
	switch {
	case n < 1000:
		return strconv.Itoa(n) + " bytes"
	case n < 1000*1000:
		return strconv.Itoa((n+500)/1000) + " kB"
	default:
		return strings.Replace(strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64), ".", ",", 1) + " MB"
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
	list, err := c.list(r.Context(), s.id, shown)
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
	c.render(w, http.StatusOK, "page", v)
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
		c.fail(w, r, http.StatusForbidden, txtNoSession)
		return
	}
	list, err := c.list(r.Context(), s.id, echo{})
	if err != nil {
		c.unavailable(w, r, "load web transcript", err)
		return
	}
	q := r.URL.Query()
	after, err := strconv.Atoi(q.Get("after"))
	if err == nil && after == list.Len && q.Get("v") == list.Version {
		writeJSON(w, http.StatusOK, updatesView{Len: list.Len, Version: list.Version})
		return
	}
	c.writeList(w, r, s, list, "")
}

func (c *Channel) writeList(w http.ResponseWriter, r *http.Request, s session, list listView, nonce string) {
	var buf bytes.Buffer
	if err := c.pages.ExecuteTemplate(&buf, "transcript", list); err != nil {
		c.log.Error("render transcript", "err", err)
		c.fail(w, r, http.StatusInternalServerError, txtUnavailable)
		return
	}
	v := updatesView{Len: list.Len, Version: list.Version, HTML: buf.String(), Nonce: nonce}
	if s.started {
		v.Link = c.personalLink(s.id)
	}
	writeJSON(w, http.StatusOK, v)
}
