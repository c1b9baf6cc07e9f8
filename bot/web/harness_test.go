package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
)

// fakeEngine records events and, like the engine, answers through Channel.Send:
// /start asks a question with buttons, a pressed button edits that question and asks
// the next, a text is acknowledged.
type fakeEngine struct {
	mu     sync.Mutex
	ch     *Channel
	events []bot.Event
	// reply overrides the answers when set.
	reply func(ev bot.Event) []bot.Message
	// consent is who consented, by user id; the command "/ikdoemee" consents, as the
	// engine's consent button does.
	consent map[string]bool
}

var _ bot.ConsentChecker = (*fakeEngine)(nil)

func (f *fakeEngine) Consented(ctx context.Context, channel, userID string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return channel == "web" && f.consent[userID], nil
}

func (f *fakeEngine) setConsent(id string, yes bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.consent == nil {
		f.consent = map[string]bool{}
	}
	f.consent[id] = yes
}

func (f *fakeEngine) Handle(ctx context.Context, ev bot.Event) error {
	if ev.Command == "ikdoemee" {
		f.setConsent(ev.UserID, true)
	}
	f.mu.Lock()
	f.events = append(f.events, ev)
	reply := f.reply
	f.mu.Unlock()
	var msgs []bot.Message
	switch {
	case reply != nil:
		msgs = reply(ev)
	case ev.Kind == bot.CommandEvent:
		msgs = []bot.Message{{Text: "Vraag 1\nWoont u in Dalfsen?", Choices: [][]bot.Choice{{{Label: "Ja", Data: "q1:ja"}, {Label: "Nee", Data: "q1:nee"}}}}}
	case ev.Kind == bot.ChoiceEvent:
		msgs = []bot.Message{
			{Text: "Vraag 1\nWoont u in Dalfsen?\n✔ " + ev.Data, EditRef: ev.MessageRef},
			{Text: "Vraag 2", Choices: [][]bot.Choice{{{Label: "Eens", Data: "q2:eens"}, {Label: "Oneens", Data: "q2:oneens"}}}},
		}
	default:
		msgs = []bot.Message{{Text: "Ontvangen."}}
	}
	for _, m := range msgs {
		m.To = bot.Address{Channel: "web", ChatID: ev.ChatID}
		if err := f.ch.Send(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func (f *fakeEngine) seen() []bot.Event {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bot.Event(nil), f.events...)
}

type harness struct {
	t     *testing.T
	ch    *Channel
	eng   *fakeEngine
	store *storage.Store
	clock *clock
	addrs atomic.Int32 // gives every client its own remote address
}

// clock is the channel's clock; tests move it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// publicURL is the harness's PUBLIC_URL; requests come with Host example.com.
const publicURL = "https://praatmee.example.nl"

// newHarness runs a channel on a private Redis with the fake engine as its handler.
func newHarness(t *testing.T, opts ...func(*Config)) *harness {
	t.Helper()
	srv := redistest.Start(t)
	store := storage.New(srv.Client(t))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	clk := &clock{t: time.Now()}
	cfg := Config{Secret: []byte("0123456789abcdef-test-secret"), Title: "Gemeente Dalfsen", ReplyWait: 500 * time.Millisecond,
		PublicURL: publicURL, Now: clk.now}
	for _, o := range opts {
		o(&cfg)
	}
	ch, err := New(cfg, store, log)
	if err != nil {
		t.Fatal(err)
	}
	eng := &fakeEngine{ch: ch}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = ch.Run(ctx, eng); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	for ch.handler.Load() == nil {
		runtime.Gosched()
	}
	return &harness{t: t, ch: ch, eng: eng, store: store, clock: clk}
}

// client is one browser: it keeps the cookie it was given.
type client struct {
	h      *harness
	cookie string // the signed id; empty: none
	header http.Header
	addr   string // RemoteAddr
}

func (h *harness) client() *client {
	n := h.addrs.Add(1)
	return &client{h: h, addr: fmt.Sprintf("192.0.2.%d:%d", n%250+1, 1000+n)}
}

// resident is a browser that has been to the page once and whose chat is stored, as
// after a first post.
func (h *harness) resident() (*client, string) {
	c := h.client()
	c.get("/")
	id := h.idOf(c.cookie)
	h.start(id)
	return c, id
}

// idOf is the id in a cookie, which must be valid.
func (h *harness) idOf(cookie string) string {
	h.t.Helper()
	id, _, _, ok := h.ch.parseCookie(cookie)
	if !ok {
		h.t.Fatalf("cookie %q: got no valid signed id, want one", cookie)
	}
	return id
}

// start stores a chat, as its first post does.
func (h *harness) start(chat string) {
	h.t.Helper()
	if _, err := h.store.WebStart(context.Background(), chat, h.clock.now()); err != nil {
		h.t.Fatal(err)
	}
}

func (c *client) do(req *http.Request) *httptest.ResponseRecorder {
	req.RemoteAddr = c.addr
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: cookieName, Value: c.cookie})
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	c.h.ch.Handler().ServeHTTP(rec, req)
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == cookieName {
			c.cookie = ck.Value
			if ck.MaxAge < 0 {
				c.cookie = ""
			}
		}
	}
	return rec
}

func (c *client) get(path string) *httptest.ResponseRecorder {
	return c.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// post sends a form the way a browser on this site does.
func (c *client) post(path string, form url.Values, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://example.com")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	return c.do(req)
}

// form is a valid form for participant id.
func (h *harness) form(id string, kv ...string) url.Values {
	f := url.Values{"csrf": {h.ch.csrfToken(id)}, "nonce": {newID()}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

// transcript is a chat's stored messages, decoded.
func (h *harness) transcript(chat string) []entry {
	h.t.Helper()
	_, raw, err := h.store.WebTranscript(context.Background(), chat, 0)
	if err != nil {
		h.t.Fatal(err)
	}
	out := make([]entry, len(raw))
	for i, b := range raw {
		if err := json.Unmarshal(b, &out[i]); err != nil {
			h.t.Fatal(err)
		}
	}
	return out
}

func (h *harness) send(chat string, m bot.Message) {
	h.t.Helper()
	m.To = bot.Address{Channel: "web", ChatID: chat}
	if err := h.ch.Send(context.Background(), m); err != nil {
		h.t.Fatal(err)
	}
}
