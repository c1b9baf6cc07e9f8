package discord_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/bottest"
	"github.com/participatiebot/participatiebot/bot/discord"
	"github.com/participatiebot/participatiebot/bot/discord/discordtest"
	"github.com/participatiebot/participatiebot/internal/testlog"
)

// testToken is distinctive, so that a leak into an error or a log line is found.
const testToken = "MTAwMDAwMDAwMDAwMDAwMDAx.conformance.c2VjcmV0LXRva2Vu"

// resident is the member the outbound cases write to.
const resident = "200000000000000001"

// harness is the conformance suite's view of the channel on discordtest.
type harness struct {
	srv  *discordtest.Server
	ch   *discord.Channel
	chat string // the resident's DM channel
	skip int    // requests made before the case (opening the DM)
	logs *testlog.Buffer
}

func newHarness(t *testing.T) bottest.Harness {
	t.Helper()
	srv := discordtest.NewServer(t, testToken)
	srv.AddMember(resident, "Anna")
	logs := &testlog.Buffer{}
	ch, err := discord.New(discord.Config{Token: testToken, APIBase: srv.URL()}, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	// the resident's DM, opened as by the resident's first command
	chat := openDMs(t, srv, resident)[0]
	return &harness{srv: srv, ch: ch, chat: chat, skip: len(srv.Requests()), logs: logs}
}

// openDMs opens the DM channel of each of the fake's members users, as a member's
// first command in the server does, and returns their ids.
func openDMs(t *testing.T, srv *discordtest.Server, users ...string) []string {
	t.Helper()
	dg, err := discordgo.New("Bot " + testToken)
	if err != nil {
		t.Fatal(err)
	}
	dg.Client = &http.Client{Transport: srv.Transport(), Timeout: 10 * time.Second}
	var out []string
	for _, u := range users {
		dm, err := dg.UserChannelCreate(u)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, dm.ID)
	}
	return out
}

func (h *harness) Channel() bot.Channel { return h.ch }

// Start runs the channel until the test ends; it receives once it has
// registered its slash commands, after READY.
func (h *harness) Start(t *testing.T, hd bot.Handler) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.ch.Run(ctx, hd) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("Run did not return after cancel")
		}
	})
	h.srv.WaitFor(t, 10*time.Second, "the slash commands", func() bool { return len(h.srv.Commands("")) > 0 })
}

func (h *harness) Chat() string { return h.chat }

func (h *harness) Deliver(t *testing.T, payload string) {
	t.Helper()
	if _, err := h.srv.DeliverInteraction([]byte(payload)); err != nil {
		t.Fatal(err)
	}
}

func (h *harness) Fail(t *testing.T, f bottest.Failure) {
	n := max(f.Times, 1)
	if f.Network {
		h.srv.Drop(n)
		return
	}
	h.srv.FailNextWithHeaders(n, f.Status, f.Body, f.Header)
}

var messageID = regexp.MustCompile(`/messages/[0-9]+$`)

// Requests are the REST calls of the case, the gateway's and the slash
// commands' left out: "POST /channels/{chat}/messages" with the body's top-level
// fields (strings as they are, the rest as JSON) and "files".
func (h *harness) Requests() []bottest.Request {
	var out []bottest.Request
	for _, r := range h.srv.Requests()[h.skip:] {
		path := strings.TrimPrefix(r.Path, "/api/v9")
		if strings.HasPrefix(path, "/gateway") || strings.Contains(path, "/commands") {
			continue
		}
		path = strings.ReplaceAll(path, "/"+h.chat+"/", "/{chat}/")
		path = strings.TrimSuffix(path, "/"+h.chat)
		path = messageID.ReplaceAllString(path, "/messages/{message}")
		fields := map[string]string{}
		var body map[string]json.RawMessage
		if json.Unmarshal(r.Body, &body) == nil {
			for k, v := range body {
				var s string
				if json.Unmarshal(v, &s) == nil {
					fields[k] = s
				} else {
					fields[k] = string(v)
				}
			}
		}
		if len(r.Files) > 0 {
			fields["files"] = strings.Join(r.Files, ",")
		}
		out = append(out, bottest.Request{Call: r.Method + " " + path, Fields: fields})
	}
	return out
}

func (h *harness) Texts(chat string) []string {
	var out []string
	for _, m := range h.srv.Messages(chat) {
		out = append(out, m.Content)
	}
	return out
}

func (h *harness) Violations() []string { return h.srv.Violations() }
func (h *harness) Secrets() []string    { return []string{testToken} }
func (h *harness) Logs() string         { return h.logs.String() }

// interaction is a payload of testdata/interactions.json.
func interaction(t *testing.T, name string) string {
	t.Helper()
	raw, err := os.ReadFile("testdata/interactions.json")
	if err != nil {
		t.Fatal(err)
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	p, ok := all[name]
	if !ok {
		t.Fatalf("testdata/interactions.json has no %q", name)
	}
	return string(p)
}

// jsonError is an error answer as documented (discord.com/developers/docs/topics/opcodes-and-status-codes#json).
func jsonError(status, code int, message string) bottest.Failure {
	b, _ := json.Marshal(map[string]any{"message": message, "code": code})
	return bottest.Failure{Status: status, Body: string(b)}
}

// rateLimited is a 429 as documented (discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit).
func rateLimited(retryAfter string, global bool, header map[string]string) bottest.Failure {
	g := "false"
	if global {
		g = "true"
	}
	return bottest.Failure{Status: 429, Header: header,
		Body: `{"message": "You are being rate limited.", "retry_after": ` + retryAfter + `, "global": ` + g + `}`}
}

func TestConformance(t *testing.T) {
	png := bottest.PNG(4, 3)
	photo := bot.Message{Text: "Kaart van het plein", Image: &bot.File{Name: "kaart.png", Data: png}}
	album := bot.Message{Album: []bot.File{{Name: "a.png", Data: png, Alt: "Grafiek A"}, {Name: "b.png", Data: png, Alt: "Grafiek B"}}}
	event := func(ev bot.Event) *bot.Event {
		ev.Channel, ev.UserID, ev.ChatID = "discord", "42", bottest.Any
		return &ev
	}
	limited := func(d time.Duration) bottest.Class { return bottest.Class{Kind: bottest.RateLimited, RetryAfter: d} }
	// a route's 429 (one DM channel's messages) holds that chat only; a global one all
	chatLimited := func(d time.Duration) bottest.Class {
		return bottest.Class{Kind: bottest.RateLimited, RetryAfter: d, ChatOnly: true}
	}
	bottest.Run(t, bottest.Suite{
		New: newHarness,
		Inbound: []bottest.Inbound{
			{Name: "slash in a DM", Payload: interaction(t, "slash in a DM"), Want: event(bot.Event{Kind: bot.CommandEvent, Command: "start", Lang: "ar"})},
			{Name: "slash in the guild with an option", Payload: interaction(t, "slash in the guild with an option"),
				Want: event(bot.Event{Kind: bot.CommandEvent, Command: "uitslag", Args: "e2e-20261201-0900"})},
			{Name: "button", Payload: interaction(t, "button"),
				Want: event(bot.Event{Kind: bot.ChoiceEvent, Data: "a:abcdefg2:0:1", MessageRef: "55:77", Lang: "en-US"})},
			{Name: "select menu", Payload: interaction(t, "select menu"),
				Want: event(bot.Event{Kind: bot.ChoiceEvent, Data: "a:abcdefg2:0:30", MessageRef: "55:77"})},
			{Name: "modal submit", Payload: interaction(t, "modal submit"), Want: event(bot.Event{Kind: bot.TextEvent, Text: "Meer groen in de kern"})},
			{Name: "number where a string belongs", Payload: interaction(t, "number where a string belongs"),
				Want: event(bot.Event{Kind: bot.CommandEvent, Command: "open"})},
			{Name: "button that opens a modal", Payload: interaction(t, "button that opens a modal")},
			{Name: "a bot", Payload: interaction(t, "a bot")},
			{Name: "ping", Payload: interaction(t, "ping")},
		},
		Probe: bottest.Inbound{Payload: interaction(t, "slash in a DM"), Want: event(bot.Event{Kind: bot.CommandEvent, Command: "start", Lang: "ar"})},
		Outbound: []bottest.Outbound{
			{Name: "text without pings", Message: bot.Message{Text: "Stuur /start om mee te doen"},
				Want: []bottest.Request{{Call: "POST /channels/{chat}/messages", Fields: map[string]string{
					"content": "Stuur /deelnemen om mee te doen", "allowed_mentions": `{"parse":[],"replied_user":false}`}}}},
			{Name: "buttons", Message: bot.Message{Text: "Doet u mee?", Choices: [][]bot.Choice{{{Label: "Ja", Data: "c:ja"}, {Label: "Nee", Data: "c:nee"}}}},
				Want: []bottest.Request{{Call: "POST /channels/{chat}/messages", Fields: map[string]string{"content": "Doet u mee?",
					"components": `[{"type":1,"components":[{"type":2,"label":"Ja","style":1,"disabled":false,"custom_id":"c:ja"},
						{"type":2,"label":"Nee","style":1,"disabled":false,"custom_id":"c:nee"}]}]`}}}},
			{Name: "edit", Before: []bot.Message{{Text: "Vraag 1"}}, Message: bot.Message{Text: "Vraag 1 ✔ Ja", EditRef: "{last}"},
				Last: func(h bottest.Harness) string {
					hh := h.(*harness)
					msgs := hh.srv.Messages(hh.chat)
					return hh.chat + ":" + msgs[len(msgs)-1].ID
				},
				Want: []bottest.Request{{Call: "PATCH /channels/{chat}/messages/{message}", Fields: map[string]string{"content": "Vraag 1 ✔ Ja"}}}},
			{Name: "photo with its text", Message: photo,
				Want: []bottest.Request{{Call: "POST /channels/{chat}/messages", Fields: map[string]string{"content": "Kaart van het plein", "files": "kaart.png"}}}},
			{Name: "album as one message", Message: album,
				Want: []bottest.Request{{Call: "POST /channels/{chat}/messages", Fields: map[string]string{"files": "a.png,b.png", "content": bottest.Absent,
					"embeds": `[{"type":"rich","description":"Grafiek A","image":{"url":"attachment://a.png"}},
						{"type":"rich","description":"Grafiek B","image":{"url":"attachment://b.png"}}]`}}}},
			{Name: "long text in two", Message: bot.Message{Text: bottest.TextOf(discord.DefaultLimits, 3000)},
				Want: []bottest.Request{{Call: "POST /channels/{chat}/messages"}, {Call: "POST /channels/{chat}/messages"}}},
			{Name: "button data over 100 bytes", Message: bot.Message{Text: "Kies", Choices: [][]bot.Choice{{{Label: "x", Data: strings.Repeat("d", 101)}}}},
				WantErr: bot.ErrPermanent},
		},
		Pause: ptr(rateLimited("0.6", true, map[string]string{"X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"})),
		Failures: []bottest.Failing{
			{Name: "401 unauthorized", Fail: jsonError(401, 0, "401: Unauthorized"), Want: bottest.Class{Kind: bottest.Permanent}},
			{Name: "403 DMs closed (50007)", Fail: jsonError(403, 50007, "Cannot send messages to this user"), Want: bottest.Class{Kind: bottest.Gone}},
			{Name: "404 unknown channel (10003)", Fail: jsonError(404, 10003, "Unknown Channel"), Want: bottest.Class{Kind: bottest.Gone}},
			{Name: "403 missing access (50001)", Fail: jsonError(403, 50001, "Missing Access"), Want: bottest.Class{Kind: bottest.Permanent}},
			{Name: "400 invalid form body", Fail: jsonError(400, 50035, "Invalid Form Body"), Want: bottest.Class{Kind: bottest.Permanent}},
			{Name: "429 with Discord's headers", Fail: rateLimited("1.5", false, map[string]string{"Retry-After": "2",
				"X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "1.500", "X-RateLimit-Scope": "user",
				"X-RateLimit-Bucket": "abcd1234"}),
				Want: chatLimited(2 * time.Second)},
			{Name: "429 without headers keeps milliseconds", Fail: rateLimited("1.5", false, nil), Want: chatLimited(1500 * time.Millisecond)},
			{Name: "429 of 4 ms keeps its milliseconds", Fail: rateLimited("0.004", false, nil), Want: chatLimited(4 * time.Millisecond)},
			{Name: "429 of 0.4 ms is at least 1 ms", Fail: rateLimited("0.0004", false, nil), Want: chatLimited(time.Millisecond)},
			{Name: "429 never below the header", Fail: rateLimited("0.0004", false, map[string]string{"Retry-After": "1"}), Want: chatLimited(time.Second)},
			{Name: "429 reset after with milliseconds", Fail: rateLimited("0.2", false, map[string]string{"X-RateLimit-Reset-After": "0.350"}),
				Want: chatLimited(350 * time.Millisecond)},
			{Name: "429 shared resource", Fail: rateLimited("0.5", false, map[string]string{"X-RateLimit-Scope": "shared"}),
				Want: chatLimited(500 * time.Millisecond)},
			{Name: "429 global", Fail: rateLimited("2.5", true, map[string]string{"Retry-After": "3", "X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"}),
				Want: limited(3 * time.Second)},
			{Name: "429 global by its body alone", Fail: rateLimited("0.004", true, nil), Want: limited(4 * time.Millisecond)},
			{Name: "429 from a proxy without JSON", Fail: bottest.Failure{Status: 429, Body: "<html>Too Many Requests</html>", Header: map[string]string{"Retry-After": "4"}},
				Want: limited(4 * time.Second)},
			{Name: "429 on an album", Message: &album, Fail: rateLimited("0.75", false, nil), Want: chatLimited(750 * time.Millisecond)},
			{Name: "50007 on an album", Message: &album, Fail: jsonError(403, 50007, "Cannot send messages to this user"), Want: bottest.Class{Kind: bottest.Gone}},
			{Name: "500", Fail: jsonError(500, 0, "500: Internal Server Error"), Want: bottest.Class{Kind: bottest.Temporary}},
			{Name: "502 after discordgo's own retries", Fail: bottest.Failure{Status: 502, Body: `{"message": "502: Bad Gateway", "code": 0}`, Times: 4},
				Want: bottest.Class{Kind: bottest.Temporary}},
			{Name: "network error", Fail: bottest.Failure{Network: true}, Want: bottest.Class{Kind: bottest.Temporary}},
		},
	})
}

// A log of the channel never holds the token, also when the gateway is gone.
func TestLogsNoToken(t *testing.T) {
	h := newHarness(t).(*harness)
	h.Start(t, discardHandler{})
	h.srv.Disconnect(4000)
	h.srv.WaitFor(t, 10*time.Second, "a reconnect", func() bool { return h.srv.Identified()+h.srv.Resumed() >= 2 })
	bottest.CheckNoSecrets(t, h, nil)
}

type discardHandler struct{}

func (discardHandler) Handle(context.Context, bot.Event) error { return nil }

var _ io.Writer = (*testlog.Buffer)(nil)

func ptr[T any](v T) *T { return &v }
