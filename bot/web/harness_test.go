package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
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
}

func (f *fakeEngine) Handle(ctx context.Context, ev bot.Event) error {
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
}

// newHarness runs a channel on a private Redis with the fake engine as its handler.
func newHarness(t *testing.T) *harness {
	t.Helper()
	srv := redistest.Start(t)
	store := storage.New(srv.Client(t))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ch, err := New(Config{Secret: []byte("0123456789abcdef-test-secret"), Title: "Gemeente Dalfsen", ReplyWait: 500 * time.Millisecond}, store, log)
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
	return &harness{t: t, ch: ch, eng: eng, store: store}
}

// client is one browser: it keeps the cookie it was given.
type client struct {
	h      *harness
	cookie string // the signed id; empty: none
	header http.Header
}

func (h *harness) client() *client { return &client{h: h} }

// resident is a browser that has been to the page once.
func (h *harness) resident() (*client, string) {
	c := h.client()
	c.get("/")
	id, ok := h.ch.verify(c.cookie)
	if !ok {
		h.t.Fatalf("no valid cookie after GET /: %q", c.cookie)
	}
	return c, id
}

func (c *client) do(req *http.Request) *httptest.ResponseRecorder {
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
	raw, err := h.store.WebTranscript(context.Background(), chat, 0)
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
