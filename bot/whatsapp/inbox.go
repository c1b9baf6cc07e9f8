package whatsapp

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/storage"
)

// The webhook (developers.facebook.com/documentation/business-messaging/whatsapp/webhooks):
// Meta posts each notification to the callback URL, signed, and posts it again,
// less and less often for up to 7 days, until it gets a 200; it wants the 200 fast.
// So a replica that gets a delivery only checks its signature and stores what it
// carries, sealed, in the inbox in Redis (storage.QueueInbox) before it answers;
// every replica's Run takes the inbox's deliveries and hands them to the engine, and
// acknowledges each once it was handled. A replica that dies holding deliveries
// leaves them to the others (storage.ClaimInbox). A delivery Meta sends twice is
// stored twice and handled once: the engine knows an update by the message id.

// maxWebhookBody bounds a delivery: a notification carries at most a few messages
// of at most 4096 characters each.
const maxWebhookBody = 4 << 20

// payloadOpen is the payload of the quick-reply button of the templates that tell
// a resident something waits for them (window.go): pressing it opens the window, and
// what waited is sent.
const payloadOpen = "wa:open"

// envelope is one inbox item: a resident's message or a status.
type envelope struct {
	M *Inbound `json:"m,omitempty"`
	S *Status  `json:"s,omitempty"`
}

// WebhookHandler serves Meta's webhook at WebhookPath: the GET verification of the
// subscription, and the POSTed notifications, refused with 401 unless signed with
// the app secret, answered 200 once stored, 503 when Redis cannot store them (Meta
// then delivers them again).
func (c *Channel) WebhookHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
			c.verifySubscription(w, r)
		case http.MethodPost:
			c.receive(w, r)
		default:
			w.Header().Set("Allow", "GET, POST")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	})
}

// verifySubscription answers Meta's check when the webhook is subscribed: with
// hub.mode=subscribe and the verify token, the challenge echoed; else 403.
func (c *Channel) verifySubscription(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	token := q.Get("hub.verify_token")
	if q.Get("hub.mode") != "subscribe" || subtle.ConstantTimeCompare([]byte(token), []byte(c.cfg.VerifyToken)) != 1 {
		c.log.Warn("whatsapp webhook: verification refused (wrong mode or verify token)", "mode", q.Get("hub.mode"))
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	c.log.Info("whatsapp webhook verified by Meta")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, q.Get("hub.challenge"))
}

func (c *Channel) receive(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		status := http.StatusBadRequest
		if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
			status = http.StatusRequestEntityTooLarge
		}
		http.Error(w, "unreadable body", status)
		return
	}
	// the signature before anything reads the body
	if !Verify(c.cfg.AppSecret, body, r.Header.Get(SignatureHeader)) {
		c.refuse(r)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	ins, sts, err := Parse(body)
	if err != nil {
		// signed by Meta, so sending it again would not help: say so and take it
		c.log.Warn("whatsapp webhook: notification not understood, passed over", "err", err)
		w.WriteHeader(http.StatusOK)
		return
	}
	items := make([][]byte, 0, len(ins)+len(sts))
	for i := range ins {
		items = append(items, c.sealItem(envelope{M: &ins[i]}))
	}
	for i := range sts {
		items = append(items, c.sealItem(envelope{S: &sts[i]}))
	}
	if err := c.store.QueueInbox(r.Context(), c.Name(), items); err != nil {
		c.log.Error("whatsapp webhook: store the delivery, Meta will send it again", "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (c *Channel) sealItem(e envelope) []byte {
	data, err := json.Marshal(e)
	if err != nil {
		panic(fmt.Sprintf("whatsapp: encode inbox item: %v", err)) // plain strings and times
	}
	return c.seal.seal("inbox", data)
}

// refuse counts a delivery without a valid signature and logs the 1st, 2nd, 4th, 8th
// … of them, so that a flood cannot flood the log; what was sent is never logged.
func (c *Channel) refuse(r *http.Request) {
	if n, log := c.refused.Add(); log {
		c.log.Warn("whatsapp webhook: delivery without a valid signature refused",
			"refused", n, "remote", r.RemoteAddr, "has_signature", r.Header.Get(SignatureHeader) != "")
	}
}

// WebhookRefused is the number of deliveries refused for their signature.
func (c *Channel) WebhookRefused() int64 { return c.refused.Count() }

// runInbox reads the inbox and hands each item to a worker chosen by the resident,
// so that one resident's messages are handled one after the other, in the order
// they were stored, on this replica.
func (c *Channel) runInbox(ctx context.Context, h bot.Handler) error {
	queues := make([]chan storage.InboxItem, c.cfg.Workers)
	var wg sync.WaitGroup
	for i := range queues {
		queues[i] = make(chan storage.InboxItem, 8)
		wg.Add(1)
		go func(q chan storage.InboxItem) {
			defer wg.Done()
			for it := range q {
				c.process(ctx, h, it)
			}
		}(queues[i])
	}
	defer func() {
		for _, q := range queues {
			close(q)
		}
		wg.Wait()
	}()
	dispatch := func(items []storage.InboxItem) {
		for _, it := range items {
			select {
			case queues[c.shard(it)%uint32(len(queues))] <- it:
			case <-ctx.Done():
				return
			}
		}
	}
	var feeders sync.WaitGroup
	defer feeders.Wait() // after the workers: the feeders end with ctx
	claimed := make(chan []storage.InboxItem)
	feeders.Add(2)
	go func() {
		defer feeders.Done()
		t := time.NewTicker(c.cfg.ClaimAfter / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			items, err := c.store.ClaimInbox(ctx, c.Name(), c.cfg.Replica, c.cfg.ClaimAfter, 64)
			if err != nil {
				if ctx.Err() == nil {
					c.log.Warn("whatsapp: claim deliveries left by others", "err", err)
				}
				continue
			}
			if len(items) > 0 {
				c.log.Info("whatsapp: deliveries taken over", "count", len(items))
				select {
				case claimed <- items:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	read := make(chan []storage.InboxItem)
	go func() {
		defer feeders.Done()
		for failures := 0; ctx.Err() == nil; {
			// a blocking read does not end with ctx: a short block keeps a stop quick
			items, err := c.store.ReadInbox(ctx, c.Name(), c.cfg.Replica, 64, 500*time.Millisecond)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				failures++
				c.log.Warn("whatsapp: read the inbox", "err", err)
				sleep(ctx, min(time.Duration(failures)*200*time.Millisecond, 5*time.Second))
				continue
			}
			failures = 0
			if len(items) > 0 {
				select {
				case read <- items:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case items := <-read:
			dispatch(items)
		case items := <-claimed:
			dispatch(items)
		}
	}
}

// shard picks the worker of an item: by its sealed bytes' resident when it opens,
// else any.
func (c *Channel) shard(it storage.InboxItem) uint32 {
	e, err := c.openItem(it)
	if err != nil {
		return 0
	}
	from := ""
	switch {
	case e.M != nil:
		from = e.M.From
	case e.S != nil:
		from = e.S.Recipient
	}
	f := fnv.New32a()
	f.Write([]byte(from))
	return f.Sum32()
}

func (c *Channel) openItem(it storage.InboxItem) (envelope, error) {
	var e envelope
	data, err := c.seal.open("inbox", it.Data)
	if err != nil {
		return e, err
	}
	if err := json.Unmarshal(data, &e); err != nil {
		return e, fmt.Errorf("decode: %w", err)
	}
	return e, nil
}

// process handles one inbox item and acknowledges it, unless it should be tried
// again (the engine wants the update again: ClaimInbox brings it back).
func (c *Channel) process(ctx context.Context, h bot.Handler, it storage.InboxItem) {
	e, err := c.openItem(it)
	switch {
	case err != nil:
		// sealed with another key (PSEUDONYM_KEY changed) or damaged: it can never be read
		c.log.Error("whatsapp: inbox item unreadable, dropped", "id", it.ID, "err", err)
	case e.S != nil:
		err = c.status(ctx, *e.S)
	case e.M != nil:
		err = c.inbound(ctx, h, *e.M)
	}
	if err != nil && ctx.Err() == nil && !errors.Is(err, errSealed) {
		c.log.Warn("whatsapp: delivery not handled, tried again later", "id", it.ID, "err", c.redact(err))
		return
	}
	if ctx.Err() != nil {
		return
	}
	if err := c.store.AckInbox(ctx, c.Name(), it.ID); err != nil {
		c.log.Warn("whatsapp: acknowledge delivery (it is handled again, once)", "id", it.ID, "err", err)
	}
}

// windowMargin is taken off the 24 hours, so that a message queued just before
// the window closes is not sent after.
const windowMargin = 10 * time.Minute

// window is the customer service window's length.
const window = 24 * time.Hour

// inbound handles a resident's message: their window opens, what waited for them is
// queued, and the message goes to the engine.
func (c *Channel) inbound(ctx context.Context, h bot.Handler, in Inbound) error {
	at := in.At
	if at.IsZero() || at.After(c.cfg.Now()) {
		at = c.cfg.Now()
	}
	chat := c.chatKey(in.From)
	if until := at.Add(window - windowMargin); until.After(c.cfg.Now()) {
		if err := c.store.OpenWindow(ctx, chat, until); err != nil {
			return err
		}
	}
	released, err := c.release(ctx, chat)
	if err != nil {
		return err
	}
	ev, ok := event(in)
	if !ok && quiet[in.Type] {
		return nil
	}
	if !ok {
		m := bot.Message{To: bot.Address{Channel: c.Name(), ChatID: in.From}, Text: txtUseButtons}
		return c.cfg.Requeue(ctx, m, "wa:other:"+in.ID)
	}
	if ev.Kind == bot.ChoiceEvent && ev.Data == payloadOpen {
		if released > 0 {
			return nil // the button did what it says: what waited is on its way
		}
		// nothing waits any more (sent after an earlier message): where they stand
		ev.Kind, ev.Data, ev.Command = bot.CommandEvent, "", "status"
	}
	return h.Handle(ctx, ev)
}

// quiet are the message types that need no answer: a reaction (👍 on a question),
// a system message (the resident changed their number).
var quiet = map[string]bool{"reaction": true, "system": true}

// txtUseButtons answers a message the conversation cannot take (a photo, a voice
// message, a sticker).
const txtUseButtons = "Sorry, dit soort bericht kan ik niet lezen. Gebruik de knoppen of typ uw antwoord. Stuur ‘hulp’ voor uitleg."

// event maps a resident's message: a text that is one of the words below is that
// command (WhatsApp has no slash commands), a button or list row pressed is a choice
// with its id, a template's quick-reply button a choice with its payload; other
// types (images, audio, stickers, locations) are no event.
func event(in Inbound) (bot.Event, bool) {
	ev := bot.Event{Channel: "whatsapp", UpdateID: in.ID, UserID: in.From, ChatID: in.From, At: in.At, Lang: numberLang(in.From)}
	switch in.Type {
	case "text":
		if cmd, ok := bot.CommandWord(in.Text); ok {
			ev.Kind, ev.Command = bot.CommandEvent, cmd
		} else {
			ev.Kind, ev.Text = bot.TextEvent, in.Text
		}
	case "interactive", "button":
		ev.Kind, ev.Data, ev.MessageRef = bot.ChoiceEvent, in.Reply, in.Context
	default:
		return ev, false
	}
	return ev, true
}

// status records what became of a sent message; a failure that says the resident
// cannot be reached marks them so, and one that says the window closed closes it.
func (c *Channel) status(ctx context.Context, st Status) error {
	if err := c.store.RecordStatus(ctx, st.ID, st.Status); err != nil {
		return err
	}
	if st.Status != "failed" {
		return nil
	}
	for _, e := range st.Errors {
		c.log.Warn("whatsapp: message failed", "code", e.Code, "title", e.Title)
		switch e.Code {
		case codeUndeliverable:
			if c.cfg.Gone != nil && st.Recipient != "" {
				if err := c.cfg.Gone(ctx, st.Recipient); err != nil {
					return err
				}
			}
		case codeOutsideWindow:
			if st.Recipient != "" {
				if err := c.store.CloseWindow(ctx, c.chatKey(st.Recipient)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
