package whatsapp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/participatiebot/participatiebot/bot"
)

// The customer service window (developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages#customer-service-windows):
// for 24 hours after a resident's last message the bot may send them anything;
// outside it only an approved template, which does not open the window: the
// resident's answer to it does. Each resident's window is kept in Redis (the
// inbox opens it, storage.OpenWindow); a 131047 closes it.
//
// Outside the window an invitation or a reminder goes as its template, whose
// "Doe mee" carries the invitation's own button data, so that pressing it starts
// the round as the invitation's button would. Anything else (results with their
// charts, the decision, a reply) is held for the resident in Redis, sealed, and the
// resident is told of it once with the template of its kind, whose button opens
// the window; whatever they send next releases what was held, through the outbox
// (Config.Requeue), in the order it was held. Nothing is lost when no template is
// configured: the messages wait until the resident writes.

// releasing is how long, after held messages were released, a new message for the
// resident waits behind them: their sending may take a while (retries), but one the
// outbox gave up on must not hold up the resident's messages for good.
const releasing = 10 * time.Minute

// toldFor is how long one "something waits for you" template covers a resident's
// held messages before another may be sent.
const toldFor = 24 * time.Hour

// outside sends m to a resident outside their window: as a template, or held.
func (c *Channel) outside(ctx context.Context, chat string, m bot.Message) error {
	kind := ""
	if m.Notice != nil {
		kind = m.Notice.Kind
	}
	if kind == bot.NoticeInvite || kind == bot.NoticeReminder {
		tpl, ok := c.templateFor(kind, m.Lang)
		if data := firstChoice(m); ok && data != "" {
			wamid, err := c.sendTemplate(ctx, m.To.ChatID, tpl, c.params(kind, m.Notice), data)
			if err == nil {
				c.markSent(ctx, m, wamid)
			}
			return err
		}
	}
	id, data := heldID(m)
	if err := c.keep(ctx, chat, id, data); err != nil {
		return err
	}
	return c.tell(ctx, chat, m.To.ChatID, kind, m.Lang, m.Notice)
}

// firstChoice is the data of m's first button, "" without one.
func firstChoice(m bot.Message) string {
	for _, row := range m.Choices {
		for _, ch := range row {
			return ch.Data
		}
	}
	return ""
}

// heldID is the id a message is held under, and what is held of it: the message
// without the data of its shared attachments (the outbox loaded them to send; they
// stay in the blob store), so that the same message held twice (the outbox trying
// Send again), or sent after its release, is known as the same.
func heldID(m bot.Message) (string, []byte) {
	strip := func(f *bot.File) *bot.File {
		if f == nil || f.Ref == "" {
			return f
		}
		g := *f
		g.Data = nil
		return &g
	}
	m.Image, m.Document = strip(m.Image), strip(m.Document)
	if len(m.Album) > 0 {
		album := make([]bot.File, len(m.Album))
		for i := range m.Album {
			album[i] = *strip(&m.Album[i])
		}
		m.Album = album
	}
	data, err := json.Marshal(m)
	if err != nil {
		panic(fmt.Sprintf("whatsapp: encode message: %v", err)) // strings, bytes and plain structs
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:12]), data
}

// keep holds a message for the resident; held twice, it is kept once.
func (c *Channel) keep(ctx context.Context, chat, id string, data []byte) error {
	return c.store.Hold(ctx, chat, id, c.seal.seal("held:"+chat, data), c.cfg.Now())
}

// tell sends the resident, once while messages wait, the template saying so: of the
// held message's kind, or the general one ("bericht"). Without either the messages
// wait silently. A template the platform refuses for good (not approved, paused)
// leaves the message held, not buried.
func (c *Channel) tell(ctx context.Context, chat, to, kind, code string, n *bot.Notice) error {
	tpl, ok := c.templateFor(kind, code)
	if !ok || kind == bot.NoticeInvite || kind == bot.NoticeReminder {
		kind = KindMessage
		tpl, ok = c.templateFor(kind, code)
	}
	if !ok {
		c.log.Info("whatsapp: message held for a resident outside the window, no template to tell them")
		return nil
	}
	first, err := c.store.Tell(ctx, chat, toldFor)
	if err != nil || !first {
		return err
	}
	wamid, err := c.sendTemplate(ctx, to, tpl, c.params(kind, n), payloadOpen)
	switch {
	case err == nil:
		if n != nil {
			c.markSent(ctx, bot.Message{Notice: &bot.Notice{Round: n.Round, Kind: kind}}, wamid)
		}
		return nil
	case errors.Is(err, bot.ErrRecipientGone):
		return err
	case errors.Is(err, bot.ErrPermanent):
		c.log.Error("whatsapp: template refused; the message waits until the resident writes",
			"template", tpl.Name, "err", err)
		return nil
	}
	if uerr := c.store.Untell(ctx, chat); uerr != nil {
		return errors.Join(err, uerr)
	}
	return err // the outbox tries again: held once, told once
}

// params are a template's body parameters, in the order docs/whatsapp-templates.md
// gives them: the municipality, the round's title, when it closes.
func (c *Channel) params(kind string, n *bot.Notice) []string {
	out := []string{c.cfg.Municipality}
	if kind == KindMessage || n == nil {
		return out
	}
	out = append(out, n.Title)
	if kind == bot.NoticeInvite || kind == bot.NoticeReminder {
		out = append(out, n.Closes)
	}
	return out
}

// sendTemplate sends an approved template with its body parameters and the payload
// of its quick-reply button.
func (c *Channel) sendTemplate(ctx context.Context, to string, tpl Template, params []string, payload string) (string, error) {
	body := make([]any, len(params))
	for i, p := range params {
		body[i] = map[string]any{"type": "text", "text": p}
	}
	components := []any{
		map[string]any{"type": "body", "parameters": body},
		map[string]any{"type": "button", "sub_type": "quick_reply", "index": "0",
			"parameters": []any{map[string]any{"type": "payload", "payload": payload}}},
	}
	return c.post(ctx, newRequest(to, "template", map[string]any{"name": tpl.Name,
		"language": map[string]any{"code": tpl.Language}, "components": components}))
}

// release queues what is held for chat, now that its window is open, in the order
// it was held, and says how many messages that was. A message stays held until it
// is sent (Send unholds it), so that what comes for the resident meanwhile waits
// behind it; released again (the resident writes once more), the outbox's dedupe
// key queues it once.
func (c *Channel) release(ctx context.Context, chat string) (int, error) {
	held, err := c.store.Held(ctx, chat)
	if err != nil || len(held) == 0 {
		return 0, err
	}
	// first: from now on what comes for the resident waits behind these
	if err := c.store.MarkReleased(ctx, chat, releasing); err != nil {
		return 0, err
	}
	for _, h := range held {
		data, err := c.seal.open("held:"+chat, h.Data)
		if err != nil {
			c.log.Error("whatsapp: held message unreadable, dropped", "err", err)
			if uerr := c.store.Unhold(ctx, chat, h.ID); uerr != nil {
				return 0, uerr
			}
			continue
		}
		var m bot.Message
		if err := json.Unmarshal(data, &m); err != nil {
			c.log.Error("whatsapp: held message undecodable, dropped", "err", err)
			continue
		}
		// the time it was first held makes the same text held again later a message of its own
		if err := c.cfg.Requeue(ctx, m, "wa:held:"+chat+":"+h.ID+":"+strconv.FormatInt(h.At, 36)); err != nil {
			return 0, err
		}
	}
	if err := c.store.Untell(ctx, chat); err != nil { // what comes next may be told again
		return 0, err
	}
	return len(held), nil
}
