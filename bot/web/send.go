package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/lang"
	"github.com/participatiebot/participatiebot/storage"
)

// maxAttachment is the largest image or document kept in a transcript; a larger one
// is shown as "(bijlage te groot)". Attachments live inline in the transcript as
// data: URLs, so this also bounds the page size.
const maxAttachment = 2 << 20

// fromInwoner marks a transcript entry as the resident's own input.
const fromInwoner = "inwoner"

// entry is one message of a transcript as stored (JSON in a Redis LIST).
type entry struct {
	// From is "inwoner" for what the resident typed or pressed, empty for the bot.
	From     string         `json:"from,omitempty"`
	Text     string         `json:"text,omitempty"`
	Choices  [][]bot.Choice `json:"choices,omitempty"`
	Image    *attachment    `json:"image,omitempty"`
	Document *attachment    `json:"document,omitempty"`
	// Album is images shown together in one bubble (bot.Message.Album).
	Album []*attachment `json:"album,omitempty"`
	// Nonce is the form nonce of a resident's input, so a form posted twice is shown once.
	Nonce string `json:"nonce,omitempty"`
	// Ask marks a message that asks for a typed answer (bot.Message.Ask): the page
	// focuses the text field under it.
	Ask bool `json:"ask,omitempty"`
	// Withheld marks the placeholder for what a resident typed before taking part:
	// Text is ours (txtWithheld), theirs was not kept.
	Withheld bool `json:"withheld,omitempty"`
	// Lang is the language of a message of the bot (bot.Message.Lang), "" for Dutch:
	// the newest one sets the language of the chat's pages (chatLang).
	Lang string `json:"lang,omitempty"`
}

// attachment is an image or document, its bytes base64 in the JSON.
type attachment struct {
	Name string `json:"name"`
	Alt  string `json:"alt,omitempty"`
	// Type is the sniffed media type; only raster images are shown inline.
	Type     string `json:"type,omitempty"`
	Size     int    `json:"size"`
	Data     []byte `json:"data,omitempty"`
	TooLarge bool   `json:"too_large,omitempty"`
	// Ref names an attachment shared by many chats (a results chart), kept once in
	// storage and served from /bijlage/<ref> instead of living in every transcript.
	Ref string `json:"ref,omitempty"`
}

// inlineImageTypes are shown as <img>; anything else (SVG can carry script) is offered
// as a download.
var inlineImageTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

func newAttachment(f *bot.File) *attachment {
	if f == nil {
		return nil
	}
	a := &attachment{Name: f.Name, Alt: f.Alt, Size: len(f.Data)}
	a.Type, _, _ = strings.Cut(http.DetectContentType(f.Data), ";")
	if validRef(f.Ref) && inlineImageTypes[a.Type] {
		a.Ref = f.Ref
		return a
	}
	if len(f.Data) > maxAttachment {
		a.TooLarge = true
		return a
	}
	a.Data = f.Data
	return a
}

// Send writes a message into the chat's transcript, where the page and its poller pick
// it up. An edit replaces the earlier message; when that is gone (expired, or a ref
// from another chat) the message is appended instead, as on other platforms. A
// message to a chat that is gone (never started, expired, forgotten) is dropped.
func (c *Channel) Send(ctx context.Context, m bot.Message) error {
	chat := m.To.ChatID
	if !validID(chat) {
		return fmt.Errorf("web: chat id of %d characters: %w", len(chat), bot.ErrPermanent)
	}
	for _, row := range m.Choices {
		for _, ch := range row {
			if ch.Data == "" || len(ch.Data) > c.Limits().MaxChoiceData {
				return fmt.Errorf("web: button data of %d bytes (max %d): %w", len(ch.Data), c.Limits().MaxChoiceData, bot.ErrPermanent)
			}
		}
	}
	if len(m.Album) > 0 {
		if err := bot.CheckAlbum(m); err != nil {
			return fmt.Errorf("web: %w", err)
		}
		e := entry{Lang: msgLang(m)}
		for i := range m.Album {
			e.Album = append(e.Album, newAttachment(&m.Album[i]))
		}
		return c.append(ctx, chat, e)
	}
	limits := c.Limits()
	e := entry{Text: m.Text, Choices: m.Choices, Image: newAttachment(m.Image), Document: newAttachment(m.Document), Ask: m.Ask != nil,
		Lang: msgLang(m)}
	if e.Image != nil && e.Document == nil && !e.Image.TooLarge && !inlineImageTypes[e.Image.Type] {
		e.Image, e.Document = nil, e.Image // not a picture a browser may show: offer it
	}
	if e.Image != nil || e.Document != nil {
		e.Text = limits.ClipCaption(e.Text)
	}
	// every message keeps its buttons (page.go), so an edit replaces the message in
	// place, also with newer messages below it: where the resident tapped
	if ref, ok := parseRef(m.EditRef); ok && ref.chat == chat {
		edited := e
		edited.Text = limits.ClipText(e.Text)
		data, err := json.Marshal(edited)
		if err != nil {
			return fmt.Errorf("web: encode message: %w", bot.ErrPermanent)
		}
		err = c.store.WebEdit(ctx, chat, ref.id, data)
		switch {
		case err == nil:
			return nil
		case !errors.Is(err, storage.ErrNotFound):
			return fmt.Errorf("web: %w", err)
		}
		// the message is gone: say it anew
	}
	parts := limits.SplitText(e.Text)
	for i, part := range parts {
		p := entry{Text: part, Lang: e.Lang}
		if i == len(parts)-1 { // the buttons and attachments go with the last bubble
			p.Choices, p.Image, p.Document, p.Ask = e.Choices, e.Image, e.Document, e.Ask
		}
		if err := c.append(ctx, chat, p); err != nil {
			return err
		}
	}
	return nil
}

// msgLang is the language m is written in as the transcript keeps it: a supported
// language's code, "" for Dutch (also when m names none, or one we do not know).
func msgLang(m bot.Message) string {
	if l, ok := lang.Parse(m.Lang); ok && l != lang.NL {
		return string(l)
	}
	return ""
}

// append adds e to the chat's transcript.
func (c *Channel) append(ctx context.Context, chat string, e entry) error {
	data, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("web: encode message: %w", bot.ErrPermanent)
	}
	_, err = c.store.WebAppend(ctx, chat, data)
	switch {
	case errors.Is(err, storage.ErrWebGone):
		// never started, expired, or forgotten (/stop, /vergeetmij): nobody will ever
		// read it. Not ErrRecipientGone: the outbox would keep the message, chat id and
		// all, among the dead, and mark inactive a participant who was just erased.
		c.log.Info("web chat gone, message dropped")
		return nil
	case err != nil:
		return fmt.Errorf("web: %w", err)
	}
	return nil
}

// messageRef points at one message of one chat: "<chat>:<id>", the Event.MessageRef
// of a pressed button and the Message.EditRef of the engine's edit.
type messageRef struct {
	chat string
	id   int
}

func (r messageRef) String() string { return r.chat + ":" + strconv.Itoa(r.id) }

// parseRef reads what messageRef.String writes, and nothing else: the id in decimal
// without sign or leading zeros, at most 9 digits.
func parseRef(s string) (messageRef, bool) {
	chat, n, ok := strings.Cut(s, ":")
	if !ok || !validID(chat) || n == "" || len(n) > 9 || n[0] == '0' && n != "0" ||
		strings.ContainsFunc(n, func(r rune) bool { return r < '0' || r > '9' }) {
		return messageRef{}, false
	}
	id, err := strconv.Atoi(n)
	if err != nil {
		return messageRef{}, false
	}
	return messageRef{chat: chat, id: id}, true
}

// transcript loads and decodes a chat's messages, returning the raw JSON alongside
// and the id of the first (older ones may have been trimmed). A message that does
// not decode is shown empty rather than breaking the page.
func (c *Channel) transcript(ctx context.Context, chat string) (int, []entry, [][]byte, error) {
	first, raw, err := c.store.WebTranscript(ctx, chat, 0)
	if err != nil {
		return 0, nil, nil, err
	}
	entries := make([]entry, len(raw))
	for i, b := range raw {
		if err := json.Unmarshal(b, &entries[i]); err != nil {
			c.log.Warn("undecodable web message", "id", first+i, "err", err)
		}
	}
	return first, entries, raw, nil
}
