package telegram_test

import (
	"encoding/json"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/bottest"
	"github.com/participatiebot/participatiebot/bot/telegram"
	"github.com/participatiebot/participatiebot/bot/telegram/telegramtest"
	"github.com/participatiebot/participatiebot/internal/testlog"
)

// harness is the conformance suite's view of the channel on telegramtest.
type harness struct {
	srv  *telegramtest.Server
	ch   *telegram.Channel
	logs *testlog.Buffer
}

const conformanceChat = 601

func newHarness(t *testing.T) bottest.Harness {
	srv := telegramtest.NewServer(t, testToken)
	logs := &testlog.Buffer{}
	return &harness{srv: srv, ch: connect(t, srv.Endpoint(), time.Second, logs), logs: logs}
}

func (h *harness) Channel() bot.Channel { return h.ch }

func (h *harness) Start(t *testing.T, hd bot.Handler) { run(t, h.ch, hd) }

func (h *harness) Chat() string { return strconv.Itoa(conformanceChat) }

func (h *harness) Deliver(t *testing.T, payload string) {
	t.Helper()
	if _, err := h.srv.Deliver([]byte(payload)); err != nil {
		t.Fatal(err)
	}
}

// Fail answers the next Times send-type calls with the failure, then lets calls
// through.
func (h *harness) Fail(t *testing.T, f bottest.Failure) {
	left := atomic.Int32{}
	left.Store(int32(max(f.Times, 1)))
	h.srv.SetHook(func(*telegramtest.Request) telegramtest.Action {
		if left.Add(-1) < 0 {
			return telegramtest.Proceed
		}
		if f.Network {
			return telegramtest.Drop
		}
		return telegramtest.FailRaw(f.Status, f.Body)
	})
}

// Requests are the Bot API calls besides getMe and getUpdates, with their form
// parameters.
func (h *harness) Requests() []bottest.Request {
	var out []bottest.Request
	for _, c := range h.srv.Calls("") {
		if c.Method == "getMe" || c.Method == "getUpdates" {
			continue
		}
		out = append(out, bottest.Request{Call: c.Method, Fields: c.Params})
	}
	return out
}

func (h *harness) Texts(chat string) []string {
	id, _ := strconv.ParseInt(chat, 10, 64)
	var out []string
	for _, m := range h.srv.Chat(id) {
		out = append(out, m.Text)
	}
	return out
}

func (h *harness) Violations() []string { return h.srv.Violations() }
func (h *harness) Secrets() []string    { return []string{testToken} }
func (h *harness) Logs() string         { return h.logs.String() }

// update is one update of testdata/updates.json, shaped as in
// core.telegram.org/bots/api#update, as raw JSON.
func update(t *testing.T, id int) string {
	t.Helper()
	raw, err := os.ReadFile("testdata/updates.json")
	if err != nil {
		t.Fatal(err)
	}
	var resp struct {
		Result []json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(raw, &resp); err != nil {
		t.Fatal(err)
	}
	for _, u := range resp.Result {
		var head struct {
			UpdateID int `json:"update_id"`
		}
		if json.Unmarshal(u, &head) == nil && head.UpdateID == id {
			return string(u)
		}
	}
	t.Fatalf("testdata/updates.json has no update %d", id)
	return ""
}

// apiError is an error answer as documented (core.telegram.org/bots/api#making-requests).
func apiError(code int, description string) bottest.Failure {
	b, _ := json.Marshal(map[string]any{"ok": false, "error_code": code, "description": description})
	return bottest.Failure{Status: code, Body: string(b)}
}

func TestConformance(t *testing.T) {
	png := bottest.PNG(4, 3)
	photo := bot.Message{Text: "Kaart van het plein", Image: &bot.File{Name: "kaart.png", Data: png}}
	album := bot.Message{Album: []bot.File{{Name: "a.png", Data: png, Alt: "Grafiek A"}, {Name: "b.png", Data: png, Alt: "Grafiek B"}}}
	doc := bot.Message{Text: "Verslag", Document: &bot.File{Name: "verslag.md", Data: []byte("# Verslag")}}
	chat := strconv.Itoa(conformanceChat)
	event := func(ev bot.Event) *bot.Event {
		ev.Channel = "telegram"
		return &ev
	}
	bottest.Run(t, bottest.Suite{
		New: newHarness,
		Inbound: []bottest.Inbound{
			{Name: "command with argument", Payload: update(t, 100), Want: event(bot.Event{Lang: "nl", Kind: bot.CommandEvent,
				UserID: "1111111", ChatID: "1111111", Command: "start", Args: "uitnodiging"})},
			{Name: "text", Payload: update(t, 101), Want: event(bot.Event{Lang: "en-GB", Kind: bot.TextEvent,
				UserID: "1111111", ChatID: "1111111", Text: "Meer bankjes op het plein"})},
			{Name: "button press", Payload: update(t, 102), Want: event(bot.Event{Lang: "ar", Kind: bot.ChoiceEvent,
				UserID: "1111111", ChatID: "1111111", Data: "consent:yes", MessageRef: "1111111:1367"})},
			{Name: "command addressed to the bot", Payload: update(t, 108), Want: event(bot.Event{Kind: bot.CommandEvent,
				UserID: "1111111", ChatID: "1111111", Command: "start"})},
			{Name: "supergroup command ignored", Payload: update(t, 103)},
			{Name: "group text ignored", Payload: update(t, 104)},
			{Name: "group button press ignored", Payload: update(t, 105)},
			{Name: "edited message ignored", Payload: update(t, 106)},
			{Name: "message from a bot ignored", Payload: update(t, 107)},
		},
		Probe: bottest.Inbound{Payload: update(t, 101), Want: event(bot.Event{Lang: "en-GB", Kind: bot.TextEvent,
			UserID: "1111111", ChatID: "1111111", Text: "Meer bankjes op het plein"})},
		Outbound: []bottest.Outbound{
			{Name: "text without parse mode", Message: bot.Message{Text: "Hallo <b>Anna</b> *vet*"},
				Want: []bottest.Request{{Call: "sendMessage", Fields: map[string]string{"chat_id": chat, "text": "Hallo <b>Anna</b> *vet*", "parse_mode": bottest.Absent}}}},
			{Name: "buttons", Message: bot.Message{Text: "Doet u mee?", Choices: [][]bot.Choice{{{Label: "Ja", Data: "c:ja"}, {Label: "Nee", Data: "c:nee"}}}},
				Want: []bottest.Request{{Call: "sendMessage", Fields: map[string]string{"text": "Doet u mee?",
					"reply_markup": `{"inline_keyboard":[[{"text":"Ja","callback_data":"c:ja"},{"text":"Nee","callback_data":"c:nee"}]]}`}}}},
			{Name: "edit", Before: []bot.Message{{Text: "Vraag 1"}}, Message: bot.Message{Text: "Vraag 1 ✔ Ja", EditRef: "{last}"},
				Last: func(h bottest.Harness) string {
					return chat + ":" + strconv.Itoa(h.(*harness).srv.Last(conformanceChat).MessageID)
				},
				Want: []bottest.Request{{Call: "editMessageText", Fields: map[string]string{"chat_id": chat, "message_id": bottest.Any, "text": "Vraag 1 ✔ Ja", "reply_markup": bottest.Absent}}}},
			{Name: "photo with caption", Message: photo,
				Want: []bottest.Request{{Call: "sendPhoto", Fields: map[string]string{"chat_id": chat, "caption": "Kaart van het plein"}}}},
			{Name: "document", Message: doc,
				Want: []bottest.Request{{Call: "sendDocument", Fields: map[string]string{"chat_id": chat, "caption": "Verslag"}}}},
			{Name: "album as one media group", Message: album,
				Want: []bottest.Request{{Call: "sendMediaGroup", Fields: map[string]string{"chat_id": chat, "media": `[
					{"type":"photo","media":"attach://file-0","caption":"Grafiek A","caption_entities":null},
					{"type":"photo","media":"attach://file-1","caption":"Grafiek B","caption_entities":null}]`}}}},
			{Name: "long text in two", Message: bot.Message{Text: bottest.TextOf(telegram.DefaultLimits, 5000)},
				Want: []bottest.Request{{Call: "sendMessage"}, {Call: "sendMessage"}}},
			{Name: "button data over 64 bytes", Message: bot.Message{Text: "Kies", Choices: [][]bot.Choice{{{Label: "x", Data: string(make([]byte, 65))}}}},
				WantErr: bot.ErrPermanent},
			{Name: "chat id not a number", Message: bot.Message{To: bot.Address{Channel: "telegram", ChatID: "anna"}, Text: "Hallo"},
				WantErr: bot.ErrPermanent},
		},
		Pause: &bottest.Failure{Status: 429,
			Body: `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}`},
		Failures: []bottest.Failing{
			{Name: "401 unauthorized", Fail: apiError(401, "Unauthorized"), Want: bottest.Class{Kind: bottest.Permanent}},
			{Name: "403 blocked", Fail: apiError(403, "Forbidden: bot was blocked by the user"), Want: bottest.Class{Kind: bottest.Gone}},
			{Name: "403 deactivated", Fail: apiError(403, "Forbidden: user is deactivated"), Want: bottest.Class{Kind: bottest.Gone}},
			{Name: "400 chat not found", Fail: apiError(400, "Bad Request: chat not found"), Want: bottest.Class{Kind: bottest.Gone}},
			{Name: "400 other", Fail: apiError(400, "Bad Request: message text is empty"), Want: bottest.Class{Kind: bottest.Permanent}},
			{Name: "429 with retry_after", Fail: bottest.Failure{Status: 429,
				Body: `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}`},
				Want: bottest.Class{Kind: bottest.RateLimited, RetryAfter: 7 * time.Second}},
			{Name: "429 without parameters", Fail: apiError(429, "Too Many Requests: retry after 3"),
				Want: bottest.Class{Kind: bottest.RateLimited, RetryAfter: 3 * time.Second}},
			{Name: "429 on a photo upload", Message: &photo, Fail: bottest.Failure{Status: 429,
				Body: `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}`},
				Want: bottest.Class{Kind: bottest.RateLimited, RetryAfter: 5 * time.Second}},
			{Name: "429 on an album", Message: &album, Fail: bottest.Failure{Status: 429,
				Body: `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 9","parameters":{"retry_after":9}}`},
				Want: bottest.Class{Kind: bottest.RateLimited, RetryAfter: 9 * time.Second}},
			{Name: "403 on an album", Message: &album, Fail: apiError(403, "Forbidden: bot was blocked by the user"), Want: bottest.Class{Kind: bottest.Gone}},
			{Name: "500", Fail: apiError(500, "Internal Server Error"), Want: bottest.Class{Kind: bottest.Temporary}},
			{Name: "502", Fail: apiError(502, "Bad Gateway"), Want: bottest.Class{Kind: bottest.Temporary}},
			{Name: "network error", Fail: bottest.Failure{Network: true}, Want: bottest.Class{Kind: bottest.Temporary}},
			{Name: "network error on an upload", Message: &photo, Fail: bottest.Failure{Network: true}, Want: bottest.Class{Kind: bottest.Temporary}},
		},
	})
}
