package telegram_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/telegram"
	"github.com/participatiebot/participatiebot/bot/telegram/telegramtest"
	"github.com/participatiebot/participatiebot/internal/testlog"
	"github.com/participatiebot/participatiebot/internal/testwait"
)

// testSecret is the webhook's secret_token in these tests; distinctive, so a leak
// into the log is found.
const testSecret = "wh-secret_0123456789abcdefXYZ"

// webhookChannel is a channel in webhook mode whose handler is served on a test
// server; Telegram (the fake) posts to it once Run set the webhook.
type webhookChannel struct {
	srv  *telegramtest.Server
	ch   *telegram.Channel
	url  string // the webhook's URL
	logs *testlog.Buffer
}

func newWebhookChannel(t *testing.T) *webhookChannel {
	t.Helper()
	w := &webhookChannel{srv: telegramtest.NewServer(t, testToken), logs: &testlog.Buffer{}}
	mux := http.NewServeMux()
	hook := httptest.NewServer(mux)
	t.Cleanup(hook.Close)
	w.url = hook.URL + "/telegram/webhook"
	ch, err := telegram.New(telegram.Config{Token: testToken, APIEndpoint: w.srv.Endpoint(), PollTimeout: time.Second,
		WebhookURL: w.url, WebhookSecret: testSecret}, slog.New(slog.NewTextHandler(w.logs, nil)))
	if err != nil {
		t.Fatalf("telegram.New: %v", err)
	}
	w.ch = ch
	mux.Handle("/telegram/webhook", ch.WebhookHandler())
	t.Cleanup(func() {
		if strings.Contains(w.logs.String(), testSecret) {
			t.Errorf("the webhook secret appears in the log")
		}
	})
	return w
}

// start runs the channel and waits until the webhook is set.
func (w *webhookChannel) start(t *testing.T, h bot.Handler) {
	t.Helper()
	run(t, w.ch, h)
	w.srv.WaitFor(t, 5*time.Second, "the webhook set", func() bool { return w.srv.Webhook() == w.url })
}

// post sends body to the webhook as Telegram would, with the secret header when
// secret is not nil.
func (w *webhookChannel) post(t *testing.T, method string, secret *string, body string) int {
	t.Helper()
	req, err := http.NewRequest(method, w.url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != nil {
		req.Header.Set(telegramtest.SecretHeader, *secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func textUpdate(id int, uid int64, text string) string {
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1700000000,"chat":{"id":%d,"type":"private"},`+
		`"from":{"id":%d,"is_bot":false,"first_name":"Bewoner"},"text":%q}}`, id, id, uid, uid, text)
}

func ptr(s string) *string { return &s }

// TestWebhookSecret: only a request with exactly the secret is handled; every other
// one is answered 401, counted, and the handler sees nothing.
func TestWebhookSecret(t *testing.T) {
	w := newWebhookChannel(t)
	rec := &recorder{}
	w.start(t, rec)
	tests := []struct {
		name   string
		method string
		secret *string
		want   int
	}{
		{"no header", http.MethodPost, nil, http.StatusUnauthorized},
		{"empty", http.MethodPost, ptr(""), http.StatusUnauthorized},
		{"wrong, same length", http.MethodPost, ptr(strings.Repeat("x", len(testSecret))), http.StatusUnauthorized},
		{"one character off", http.MethodPost, ptr(testSecret[:len(testSecret)-1] + "W"), http.StatusUnauthorized},
		{"too short", http.MethodPost, ptr(testSecret[:len(testSecret)-1]), http.StatusUnauthorized},
		{"too long", http.MethodPost, ptr(testSecret + "Z"), http.StatusUnauthorized},
		{"GET", http.MethodGet, ptr(testSecret), http.StatusMethodNotAllowed},
		{"right", http.MethodPost, ptr(testSecret), http.StatusOK},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(rec.Events())
			if got := w.post(t, tt.method, tt.secret, textUpdate(900+i, 77, "hallo")); got != tt.want {
				t.Errorf("status: got %d, want %d", got, tt.want)
			}
			wantEvents := before
			if tt.want == http.StatusOK {
				wantEvents++
			}
			if got := len(rec.Events()); got != wantEvents {
				t.Errorf("events: got %d, want %d", got, wantEvents)
			}
		})
	}
	if got := w.ch.WebhookRefused(); got != 6 {
		t.Errorf("refused: got %d, want 6", got)
	}
	if logs := w.logs.String(); strings.Contains(logs, "xxxxxxxx") || strings.Contains(logs, testSecret[:len(testSecret)-1]) {
		t.Errorf("the log shows a refused guess:\n%s", logs)
	}
}

// TestWebhookDelivery: residents' updates come by webhook, concurrently, each once,
// with no getUpdates at all; setWebhook carried the secret, the update types the
// channel maps and max_connections.
func TestWebhookDelivery(t *testing.T) {
	w := newWebhookChannel(t)
	const residents = 6
	var inside atomic.Int32
	release := make(chan struct{})
	rec := &recorder{}
	h := handlerFunc(func(ctx context.Context, ev bot.Event) error {
		inside.Add(1)
		defer inside.Add(-1)
		<-release
		return rec.Handle(ctx, ev)
	})
	w.start(t, h)
	for uid := int64(1); uid <= residents; uid++ {
		w.srv.SendText(uid, "/start")
	}
	// all six are inside the handler at once: the requests are served concurrently
	testwait.Until(t, 5*time.Second, "six requests at once", func() (bool, string) {
		return inside.Load() == residents, fmt.Sprintf("%d inside", inside.Load())
	})
	close(release)
	w.srv.WaitFor(t, 5*time.Second, "all delivered", func() bool { return w.srv.Pending() == 0 })

	seen := map[string]int{}
	for _, ev := range rec.Events() {
		seen[ev.UpdateID]++
	}
	if len(seen) != residents {
		t.Errorf("got %d updates handled, want %d: %v", len(seen), residents, seen)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("update %s handled %d times, want once", id, n)
		}
	}
	if n := len(w.srv.Calls("getUpdates")); n != 0 {
		t.Errorf("getUpdates called %d times in webhook mode, want never", n)
	}
	set := w.srv.Calls("setWebhook")
	if len(set) != 1 {
		t.Fatalf("setWebhook calls: got %d, want 1", len(set))
	}
	p := set[0].Params
	if p["url"] != w.url || p["secret_token"] != testSecret || p["allowed_updates"] != `["message","callback_query"]` || p["max_connections"] != "40" {
		t.Errorf("setWebhook params: got %v", p)
	}
	if v := w.srv.Violations(); len(v) != 0 {
		t.Errorf("violations: %v", v)
	}
}

type handlerFunc func(ctx context.Context, ev bot.Event) error

func (f handlerFunc) Handle(ctx context.Context, ev bot.Event) error { return f(ctx, ev) }

// TestWebhookTemporaryFailure: a failed handling answers 500, Telegram redelivers the
// update, and the button press in it is answered once.
func TestWebhookTemporaryFailure(t *testing.T) {
	const uid = 504
	w := newWebhookChannel(t)
	rec := &recorder{fail: func(ev bot.Event, seen int) bool { return ev.Kind == bot.ChoiceEvent && seen < 2 }}
	w.start(t, rec)
	if err := w.ch.Send(context.Background(), bot.Message{To: to(uid), Text: "Doet u mee?",
		Choices: [][]bot.Choice{{{Label: "Ja", Data: "consent:yes"}}}}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	w.srv.Press(uid, w.srv.Last(uid).MessageID, "consent:yes")
	w.srv.WaitFor(t, 10*time.Second, "the press delivered", func() bool { return w.srv.Pending() == 0 })
	if got := len(rec.Events()); got != 3 {
		t.Errorf("handled: got %d times, want 3 (two failures, then taken)", got)
	}
	var statuses []int
	for _, d := range w.srv.Deliveries() {
		statuses = append(statuses, d.Status)
	}
	if got := fmt.Sprint(statuses); got != "[500 500 200]" {
		t.Errorf("deliveries: got %s, want [500 500 200]", got)
	}
	if n := w.srv.Redeliveries(); n != 2 {
		t.Errorf("redeliveries: got %d, want 2", n)
	}
	for id, n := range w.srv.CallbackAnswers() {
		if n != 1 {
			t.Errorf("callback query %s answered %d times, want 1", id, n)
		}
	}
}

// TestWebhookOutsideRun: before Run and after it the handler answers 503, so that
// Telegram tries again (on another replica) and nothing is lost.
func TestWebhookOutsideRun(t *testing.T) {
	w := newWebhookChannel(t)
	if got := w.post(t, http.MethodPost, ptr(testSecret), textUpdate(1, 5, "hallo")); got != http.StatusServiceUnavailable {
		t.Errorf("before Run: got %d, want 503", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.ch.Run(ctx, &recorder{}) }()
	w.srv.WaitFor(t, 5*time.Second, "the webhook set", func() bool { return w.srv.Webhook() == w.url })
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	if got := w.post(t, http.MethodPost, ptr(testSecret), textUpdate(2, 5, "hallo")); got != http.StatusServiceUnavailable {
		t.Errorf("after Run: got %d, want 503", got)
	}
	// the other replicas still take the webhook's requests
	if w.srv.Webhook() != w.url || len(w.srv.Calls("deleteWebhook")) != 0 {
		t.Errorf("after Run: webhook %q, %d deleteWebhook calls, want it left set", w.srv.Webhook(), len(w.srv.Calls("deleteWebhook")))
	}
}

// TestWebhookBadBody: a body that is no update, or too big, is refused and not handled.
func TestWebhookBadBody(t *testing.T) {
	w := newWebhookChannel(t)
	rec := &recorder{}
	w.start(t, rec)
	tests := []struct {
		name string
		body string
		want int
	}{
		{"not JSON", "hallo", http.StatusBadRequest},
		{"too big", `{"update_id":1,"message":{"text":"` + strings.Repeat("a", 2<<20) + `"}}`, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := w.post(t, http.MethodPost, ptr(testSecret), tt.body); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
	if n := len(rec.Events()); n != 0 {
		t.Errorf("handled %d, want none", n)
	}
}

// TestPollingDeletesWebhook: a bot that ran with a webhook and now polls deletes it
// first (getUpdates is refused while one is set), says so, and gets the updates that
// waited.
func TestPollingDeletesWebhook(t *testing.T) {
	srv := telegramtest.NewServer(t, testToken)
	logs := &testlog.Buffer{}
	ch := connect(t, srv.Endpoint(), time.Second, logs)
	srv.SetUpdatesBlocked(true) // nothing is posted to the old webhook, which is not there
	api, err := tgbotapi.NewBotAPIWithAPIEndpoint(testToken, srv.Endpoint())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.MakeRequest("setWebhook", tgbotapi.Params{"url": "https://bot.gemeente.nl/telegram/webhook"}); err != nil {
		t.Fatal(err)
	}
	id := srv.SendText(505, "hallo")
	rec := &recorder{}
	run(t, ch, rec)
	srv.WaitFor(t, 5*time.Second, "the webhook deleted", func() bool { return srv.Webhook() == "" })
	srv.SetUpdatesBlocked(false)
	srv.WaitFor(t, 5*time.Second, "the waiting update", func() bool {
		evs := rec.Events()
		return len(evs) == 1 && evs[0].UpdateID == fmt.Sprint(id)
	})
	if srv.Webhook() != "" || !strings.Contains(logs.String(), "switched from webhook to polling") {
		t.Errorf("webhook %q, log:\n%s\nwant it deleted and said", srv.Webhook(), logs.String())
	}
	if v := srv.Violations(); len(v) != 0 {
		t.Errorf("violations: %v", v)
	}
}

func TestConfigValidate(t *testing.T) {
	ok := telegram.Config{Token: testToken, WebhookURL: "https://bot.gemeente.nl/telegram/webhook", WebhookSecret: testSecret}
	tests := []struct {
		name string
		edit func(c *telegram.Config)
		want string // in the error; "" for none
	}{
		{"webhook", func(*telegram.Config) {}, ""},
		{"webhook on localhost over http", func(c *telegram.Config) { c.WebhookURL = "http://127.0.0.1:8080/hook" }, ""},
		{"webhook over http", func(c *telegram.Config) { c.WebhookURL = "http://bot.gemeente.nl/hook" }, "https"},
		{"webhook without secret", func(c *telegram.Config) { c.WebhookSecret = "" }, "secret"},
		{"secret with a slash", func(c *telegram.Config) { c.WebhookSecret = "a/b" }, "secret"},
		{"secret of 257", func(c *telegram.Config) { c.WebhookSecret = strings.Repeat("a", 257) }, "secret"},
		{"max connections 101", func(c *telegram.Config) { c.MaxConnections = 101 }, "max connections"},
		{"lease without replica", func(c *telegram.Config) { c.Lease = &cutStore{} }, "replica"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			err := c.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("got %v, want no error", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v, want an error about %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), testSecret) {
				t.Errorf("error shows the secret: %v", err)
			}
		})
	}
}
