package web

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/bottest"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/internal/testlog"
	"github.com/participatiebot/participatiebot/storage"
)

// conformanceSecret signs the web chat's cookies and links: it must never leak.
const conformanceSecret = "conformance-secret-0123456789abcdef"

// conformance is the suite's view of the web chat. The web chat's platform is
// its own store: its requests are the transcript writes that reach Redis
// (recorded by a client hook), its failures those of Redis.
type conformance struct {
	h    *harness
	srv  *redistest.Server
	c    *client
	chat string
	logs *testlog.Buffer
	tap  *transcriptTap
}

func newConformance(t *testing.T) bottest.Harness {
	t.Helper()
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	tap := &transcriptTap{}
	rdb.AddHook(tap)
	store := storage.New(rdb)
	logs := &testlog.Buffer{}
	clk := &clock{t: time.Now()}
	ch, err := New(Config{Secret: []byte(conformanceSecret), Title: "Gemeente Dalfsen", ReplyWait: 200 * time.Millisecond,
		PublicURL: publicURL, Now: clk.now}, store, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, ch: ch, store: store, clock: clk}
	c, id := h.resident()
	// a question with buttons, for the presses of the inbound cases: message 0
	h.send(id, bot.Message{Text: "Woont u in Dalfsen?", Choices: [][]bot.Choice{{{Label: "Ja", Data: "q1:ja"}, {Label: "Nee", Data: "q1:nee"}}}})
	tap.reset()
	return &conformance{h: h, srv: srv, c: c, chat: id, logs: logs, tap: tap}
}

func (w *conformance) Channel() bot.Channel { return w.h.ch }

func (w *conformance) Start(t *testing.T, hd bot.Handler) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = w.h.ch.Run(ctx, hd); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	for w.h.ch.handler.Load() == nil {
		runtime.Gosched()
	}
}

func (w *conformance) Chat() string { return w.chat }

// Deliver posts payload, the fields of a form ("text=%2Fstart", "data=q1:ja&ref={chat}:0"),
// as the resident's browser does, with a valid CSRF token and nonce.
func (w *conformance) Deliver(t *testing.T, payload string) {
	t.Helper()
	fields, err := url.ParseQuery(strings.ReplaceAll(payload, "{chat}", w.chat))
	if err != nil {
		t.Fatal(err)
	}
	form := w.h.form(w.chat)
	for k, v := range fields {
		form[k] = v
	}
	w.c.post("/send", form)
}

// Fail stops Redis: the web chat has no other platform to fail.
func (w *conformance) Fail(t *testing.T, f bottest.Failure) {
	if !f.Network {
		t.Fatalf("the web chat has no status %d to fail with", f.Status)
	}
	w.srv.Stop()
}

func (w *conformance) Requests() []bottest.Request { return w.tap.requests() }

func (w *conformance) Texts(chat string) []string {
	var out []string
	for _, e := range w.h.transcript(chat) {
		if e.From == "" {
			out = append(out, e.Text)
		}
	}
	return out
}

// Violations: the web chat's store refuses nothing; what breaks its own limits is
// found by the suite's length checks.
func (w *conformance) Violations() []string { return nil }
func (w *conformance) Secrets() []string    { return []string{conformanceSecret} }
func (w *conformance) Logs() string         { return w.logs.String() }

// transcriptTap records the transcript writes of a Redis client: the append and
// edit scripts of storage (KEYS a transcript "…:t" and its state "…:s"; ARGV the
// message and four limits for an append, the id and the message for an edit), as
// "append" and "edit" with the message's top-level fields.
type transcriptTap struct {
	mu  sync.Mutex
	got []bottest.Request
}

func (tp *transcriptTap) reset() {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	tp.got = nil
}

func (tp *transcriptTap) requests() []bottest.Request {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	return append([]bottest.Request(nil), tp.got...)
}

func (tp *transcriptTap) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) { return next(ctx, network, addr) }
}

func (tp *transcriptTap) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, c := range cmds {
			tp.record(c)
		}
		return next(ctx, cmds)
	}
}

func (tp *transcriptTap) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, c redis.Cmder) error {
		tp.record(c)
		return next(ctx, c)
	}
}

func (tp *transcriptTap) record(c redis.Cmder) {
	args := c.Args()
	name := strings.ToLower(fmt.Sprint(args[0]))
	if (name != "evalsha" && name != "eval") || len(args) < 5 || fmt.Sprint(args[2]) != "2" ||
		!strings.HasSuffix(fmt.Sprint(args[3]), ":t") || !strings.HasSuffix(fmt.Sprint(args[4]), ":s") {
		return
	}
	argv := args[5:]
	var call string
	var msg any
	switch len(argv) {
	case 5:
		call, msg = "append", argv[0]
	case 2:
		call, msg = "edit", argv[1]
	default:
		return
	}
	raw, _ := msg.([]byte)
	if s, ok := msg.(string); ok {
		raw = []byte(s)
	}
	var body map[string]json.RawMessage
	if json.Unmarshal(raw, &body) != nil {
		return
	}
	fields := map[string]string{}
	for k, v := range body {
		var s string
		if json.Unmarshal(v, &s) == nil {
			fields[k] = s
		} else {
			fields[k] = string(v)
		}
	}
	tp.mu.Lock()
	defer tp.mu.Unlock()
	if name == "eval" && len(tp.got) > 0 && sameRequest(tp.got[len(tp.got)-1], call, fields) {
		return // go-redis tried EVALSHA first and runs the script again after NOSCRIPT
	}
	tp.got = append(tp.got, bottest.Request{Call: call, Fields: fields})
}

func sameRequest(r bottest.Request, call string, fields map[string]string) bool {
	if r.Call != call || len(r.Fields) != len(fields) {
		return false
	}
	for k, v := range fields {
		if r.Fields[k] != v {
			return false
		}
	}
	return true
}

func TestConformance(t *testing.T) {
	png := bottest.PNG(4, 3)
	event := func(ev bot.Event) *bot.Event {
		ev.Channel, ev.UserID, ev.ChatID = "web", bottest.Any, bottest.Any
		return &ev
	}
	bottest.Run(t, bottest.Suite{
		New: newConformance,
		Inbound: []bottest.Inbound{
			{Name: "start", Payload: "text=%2Fstart", Want: event(bot.Event{Kind: bot.CommandEvent, Command: "start"})},
			{Name: "command with argument", Payload: "text=%2Fstart+kern-noord", Want: event(bot.Event{Kind: bot.CommandEvent, Command: "start", Args: "kern-noord"})},
			{Name: "text", Payload: "text=Meer+groen+in+de+wijk+%F0%9F%8C%B3", Want: event(bot.Event{Kind: bot.TextEvent, Text: "Meer groen in de wijk 🌳"})},
			{Name: "button", Payload: "data=q1%3Aja&ref={chat}%3A0", Want: event(bot.Event{Kind: bot.ChoiceEvent, Data: "q1:ja", MessageRef: bottest.Any})},
			{Name: "nothing typed", Payload: "text=+++"},
			{Name: "no button of that message", Payload: "data=q9%3Aja&ref={chat}%3A0"},
			{Name: "button of another chat", Payload: "data=q1%3Aja&ref=" + strings.Repeat("a", 22) + "%3A0"},
		},
		Probe: bottest.Inbound{Payload: "text=%2Fhelp", Want: event(bot.Event{Kind: bot.CommandEvent, Command: "help"})},
		Outbound: []bottest.Outbound{
			{Name: "text", Message: bot.Message{Text: "Hallo <b>Anna</b>"},
				Want: []bottest.Request{{Call: "append", Fields: map[string]string{"text": "Hallo <b>Anna</b>", "choices": bottest.Absent}}}},
			{Name: "buttons", Message: bot.Message{Text: "Doet u mee?", Choices: [][]bot.Choice{{{Label: "Ja", Data: "c:ja"}}}},
				Want: []bottest.Request{{Call: "append", Fields: map[string]string{"text": "Doet u mee?", "choices": `[[{"label":"Ja","data":"c:ja"}]]`}}}},
			{Name: "edit", Message: bot.Message{Text: "Woont u in Dalfsen? ✔ Ja", EditRef: "{last}"},
				Last: func(h bottest.Harness) string { return h.Chat() + ":0" },
				Want: []bottest.Request{{Call: "edit", Fields: map[string]string{"text": "Woont u in Dalfsen? ✔ Ja"}}}},
			{Name: "image", Message: bot.Message{Text: "Kaart", Image: &bot.File{Name: "kaart.png", Data: png, Alt: "Kaart van het plein"}},
				Want: []bottest.Request{{Call: "append", Fields: map[string]string{"text": "Kaart", "image": bottest.Any}}}},
			{Name: "album in one bubble", Message: bot.Message{Album: []bot.File{{Name: "a.png", Data: png, Alt: "A"}, {Name: "b.png", Data: png, Alt: "B"}}},
				Want: []bottest.Request{{Call: "append", Fields: map[string]string{"album": bottest.Any, "text": bottest.Absent}}}},
			{Name: "chat id not ours", Message: bot.Message{To: bot.Address{Channel: "web", ChatID: "../../x"}, Text: "Hallo"}, WantErr: bot.ErrPermanent},
			{Name: "button data over 200 bytes", Message: bot.Message{Text: "Kies", Choices: [][]bot.Choice{{{Label: "x", Data: strings.Repeat("d", 201)}}}},
				WantErr: bot.ErrPermanent},
		},
		Failures: []bottest.Failing{
			{Name: "redis down", Fail: bottest.Failure{Network: true}, Want: bottest.Class{Kind: bottest.Temporary}},
		},
	})
}
