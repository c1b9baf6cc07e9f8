package whatsapp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/bottest"
	"github.com/participatiebot/participatiebot/bot/whatsapp"
	"github.com/participatiebot/participatiebot/bot/whatsapp/whatsapptest"
	"github.com/participatiebot/participatiebot/internal/testwait"
)

// conformance is the suite's view of the channel on whatsapptest: the rig of
// channel_test.go (the fake Cloud API, a private Redis, the webhook served), with
// the channel already running and Anna's 24-hour window open, as after her first
// message, so that what the suite sends goes out as it is and not as a template.
type conformance struct {
	r     *rig
	front *front

	mu       sync.Mutex
	handler  bot.Handler // the suite's, from Start
	warmup   int         // events before Start: Anna's first message
	injected []injection // FailNext's failures, which are no violations
}

// injection is a FailNext: the first n messages calls from the call with index
// from on are answered with code.
type injection struct {
	from, n, code int
}

func newConformance(t *testing.T) bottest.Harness {
	t.Helper()
	c := &conformance{}
	// every request goes through front, which answers what the fake cannot
	// (an HTTP status without a Graph error); everything else reaches the fake
	c.r = newRig(t, func(cfg *whatsapp.Config) {
		c.front = newFront(t, cfg.APIBase)
		cfg.APIBase = c.front.srv.URL
	})
	c.r.run(t, c)
	c.r.fake.SendText(anna, "Hallo")
	testwait.Until(t, 10*time.Second, "Anna's first message handled", func() (bool, string) {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.warmup > 0, fmt.Sprintf("%d events", c.warmup)
	})
	if !c.r.fake.WindowOpen(anna) {
		t.Fatal("Anna's window is not open at the fake")
	}
	if n := len(c.r.fake.Calls()); n != 0 {
		t.Fatalf("the channel made %d requests before the case, want none", n)
	}
	return c
}

// Handle passes the channel's events to the suite's handler once Start gave one.
func (c *conformance) Handle(ctx context.Context, ev bot.Event) error {
	c.mu.Lock()
	h := c.handler
	if h == nil {
		c.warmup++
	}
	c.mu.Unlock()
	if h == nil {
		return nil
	}
	return h.Handle(ctx, ev)
}

func (c *conformance) Channel() bot.Channel { return c.r.ch }

// Start hands the running channel's events to h from now on.
func (c *conformance) Start(_ *testing.T, h bot.Handler) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.handler = h
}

func (c *conformance) Chat() string { return anna }

// Deliver posts payload, a webhook notification, to the channel's webhook as Meta
// does: signed with the app secret in X-Hub-Signature-256.
func (c *conformance) Deliver(t *testing.T, payload string) {
	t.Helper()
	body := []byte(payload)
	req, err := http.NewRequest(http.MethodPost, c.r.hook.URL+whatsapp.WebhookPath, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(whatsapp.SignatureHeader, whatsapptest.Sign(appSecret, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("webhook answered %d %q, want 200", resp.StatusCode, answer)
	}
}

// Fail makes the next f.Times requests fail: a Graph error (its body's error.code)
// through the fake's FailNext, which answers it in its documented shape and status;
// an answer without a Graph error (a proxy's 500) from the front.
func (c *conformance) Fail(t *testing.T, f bottest.Failure) {
	t.Helper()
	n := max(f.Times, 1)
	if f.Network {
		t.Fatal("whatsapptest cannot drop a connection: leave network failures out of the WhatsApp suite")
	}
	var answer struct {
		Error *struct {
			Code int `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal([]byte(f.Body), &answer) == nil && answer.Error != nil && answer.Error.Code != 0 {
		c.mu.Lock()
		c.injected = append(c.injected, injection{from: len(c.r.fake.Calls()), n: n, code: answer.Error.Code})
		c.mu.Unlock()
		c.r.fake.FailNext(answer.Error.Code, n)
		return
	}
	c.front.failNext(f, n)
}

// Requests are the Cloud API calls the fake received, in order: "media" for an
// upload (field type, the MIME type) and "messages:<type>" for a message, with
// the fields of what the fake recorded of it (whatsapptest.Sent): to, text (the
// body or an interactive message's body), caption and media_id of an image or a
// document and a document's filename,
// interactive ("button" or "list"), buttons and rows as JSON, button (a list's),
// header, footer, reply_to, template, language, params and payloads; a refused
// call has error instead ("HTTP 400, (#100) Invalid parameter").
func (c *conformance) Requests() []bottest.Request {
	calls := c.r.fake.Calls()
	chats := map[string][]whatsapptest.Sent{}
	next := map[string]int{}
	var out []bottest.Request
	for _, call := range calls {
		fields := map[string]string{}
		name := call.Endpoint
		switch call.Endpoint {
		case "media":
			fields["type"] = call.Type
		case "messages":
			name = "messages:" + call.Type
			fields["to"] = call.To
		}
		if call.Status != http.StatusOK {
			fields["error"] = fmt.Sprintf("HTTP %d, %s", call.Status, call.Message)
			out = append(out, bottest.Request{Call: name, Fields: fields})
			continue
		}
		if call.Endpoint == "messages" {
			// the fake records accepted messages per resident in the order it
			// accepted them: the k-th accepted call to a resident is their k-th message
			if _, ok := chats[call.To]; !ok {
				chats[call.To] = c.r.fake.Chat(call.To)
			}
			if i := next[call.To]; i < len(chats[call.To]) {
				sentFields(fields, chats[call.To][i])
			}
			next[call.To]++
		}
		out = append(out, bottest.Request{Call: name, Fields: fields})
	}
	return out
}

type buttonJSON struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type rowJSON struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

// sentFields flattens an accepted message into fields.
func sentFields(fields map[string]string, s whatsapptest.Sent) {
	asJSON := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		return string(b)
	}
	set := func(k, v string) {
		if v != "" {
			fields[k] = v
		}
	}
	set("reply_to", s.ReplyTo)
	switch s.Type {
	case "text":
		fields["text"] = s.Text
	case "image", "document":
		set("caption", s.Text)
		set("media_id", s.MediaID)
		set("link", s.Link)
		set("filename", s.Filename)
	case "interactive":
		fields["interactive"] = s.Interactive
		fields["text"] = s.Text
		set("header", s.Header)
		set("footer", s.Footer)
		if s.Interactive == "button" {
			buttons := []buttonJSON{}
			for _, b := range s.Buttons {
				buttons = append(buttons, buttonJSON(b))
			}
			fields["buttons"] = asJSON(buttons)
		} else {
			rows := []rowJSON{}
			for _, r := range s.Rows() {
				rows = append(rows, rowJSON(r))
			}
			fields["rows"] = asJSON(rows)
			fields["button"] = s.ListButton
		}
	case "template":
		if t := s.Template; t != nil {
			fields["template"], fields["language"] = t.Name, t.Language
			fields["params"] = asJSON(t.BodyParams)
			var payloads []string
			for _, q := range t.QuickReplies {
				payloads = append(payloads, q.Payload)
			}
			fields["payloads"] = asJSON(payloads)
		}
	}
}

// Texts are the text, interactive body or caption of every message the fake
// accepted for chat.
func (c *conformance) Texts(chat string) []string {
	var out []string
	for _, s := range c.r.fake.Chat(chat) {
		out = append(out, s.Text)
	}
	return out
}

// Violations are the fake's refusals that the harness did not inject: a message
// over a documented limit (100, 131009, 131008), throttled (130429, 131056, also
// counted in LimitStats().Refused), outside the window (131047), a template not
// approved (132000, 132001), an upload refused (131053).
func (c *conformance) Violations() []string {
	c.mu.Lock()
	injected := append([]injection(nil), c.injected...)
	c.mu.Unlock()
	calls := c.r.fake.Calls()
	skip := map[int]bool{}
	for _, in := range injected {
		left := in.n
		for i := in.from; i < len(calls) && left > 0; i++ {
			if calls[i].Endpoint == "messages" && !skip[i] {
				if calls[i].Code == in.code {
					skip[i] = true
				}
				left--
			}
		}
	}
	var out []string
	for i, call := range calls {
		if call.Status != http.StatusOK && !skip[i] {
			out = append(out, fmt.Sprintf("%s %s to %q: HTTP %d, %s", call.Endpoint, call.Type, call.To, call.Status, call.Message))
		}
	}
	if st := c.r.fake.LimitStats(); st.Refused > 0 {
		throttled := 0
		for i, call := range calls {
			if !skip[i] && (call.Code == whatsapptest.CodeRateLimitHit || call.Code == whatsapptest.CodePairRateLimitHit) {
				throttled++
			}
		}
		if st.Refused != throttled {
			out = append(out, fmt.Sprintf("%d messages throttled (LimitStats), %d seen in the calls", st.Refused, throttled))
		}
	}
	return out
}

func (c *conformance) Secrets() []string {
	return []string{c.r.fake.Token(), appSecret, verifyToken, string(c.r.config(c.r.fake).Secret)}
}

func (c *conformance) Logs() string { return c.r.logs.String() }

// front stands between the channel and the fake, passing every request on except
// the next ones failNext names, which it answers itself: whatsapptest answers
// failures only as Graph errors (FailNext), not as the bare 500 of a proxy.
type front struct {
	srv *httptest.Server

	mu   sync.Mutex
	fail bottest.Failure
	left int
}

func newFront(t *testing.T, target string) *front {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	f := &front{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fail, ok := f.take(); ok {
			_, _ = io.Copy(io.Discard, r.Body)
			for k, v := range fail.Header {
				w.Header().Set(k, v)
			}
			w.WriteHeader(fail.Status)
			_, _ = io.WriteString(w, fail.Body)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *front) failNext(fail bottest.Failure, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail, f.left = fail, n
}

func (f *front) take() (bottest.Failure, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.left <= 0 {
		return bottest.Failure{}, false
	}
	f.left--
	return f.fail, true
}

// notification is a payload of testdata/notifications.json, shaped as in the
// messages webhook reference
// (developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages).
func notification(t *testing.T, name string) string {
	t.Helper()
	raw, err := os.ReadFile("testdata/notifications.json")
	if err != nil {
		t.Fatal(err)
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	p, ok := all[name]
	if !ok {
		t.Fatalf("testdata/notifications.json has no %q", name)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, p); err != nil {
		t.Fatal(err)
	}
	return compact.String()
}

// graphStatus is the HTTP status of each Graph error code the failure cases use,
// as the error-codes page gives it
// (developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes).
var graphStatus = map[int]int{
	100: 400, 190: 401, 80007: 429, 130429: 429, 131000: 500, 131026: 400, 131056: 429,
}

// graphError is a Graph API error answer in its documented shape.
func graphError(code int, title, details string) bottest.Failure {
	e := map[string]any{"message": fmt.Sprintf("(#%d) %s", code, title), "type": "OAuthException", "code": code,
		"fbtrace_id": "Az8or2yhqkZfEZ-_4Qn_Bam"}
	if details != "" {
		e["error_data"] = map[string]any{"messaging_product": "whatsapp", "details": details}
	}
	b, _ := json.Marshal(map[string]any{"error": e})
	return bottest.Failure{Status: graphStatus[code], Body: string(b)}
}

func TestConformance(t *testing.T) {
	png := bottest.PNG(4, 3)
	photo := bot.Message{Text: "Kaart van het plein", Image: &bot.File{Name: "kaart.png", Data: png}}
	album := bot.Message{Album: []bot.File{{Name: "a.png", Data: png, Alt: "Grafiek A"}, {Name: "b.png", Data: png, Alt: "Grafiek B"}}}
	doc := bot.Message{Text: "Verslag van de ronde", Document: &bot.File{Name: "verslag.md", Data: []byte("# Verslag\n\n42 inwoners deden mee.\n")}}
	html := bot.Message{Text: "Verslag", Document: &bot.File{Name: "verslag.html", Data: []byte("<!DOCTYPE html><html><body>Verslag</body></html>")}}
	likert := []string{"Helemaal mee eens", "Mee eens", "Niet mee eens, niet mee oneens", "Niet mee eens", "Helemaal niet mee eens"}
	fromAnna := func(ev bot.Event) *bot.Event {
		ev.Channel, ev.UserID, ev.ChatID = "whatsapp", anna, anna
		return &ev
	}
	limited := func(d time.Duration) bottest.Class { return bottest.Class{Kind: bottest.RateLimited, RetryAfter: d} }
	throughput := graphError(130429, "Rate limit hit", "Cloud API message throughput has been reached.")
	bottest.Run(t, bottest.Suite{
		// no album messages: each image is uploaded and sent alone
		AlbumRequests: func(n int) int { return 2 * n },
		New:           newConformance,
		Inbound: []bottest.Inbound{
			{Name: "text", Payload: notification(t, "text"), Want: fromAnna(bot.Event{Kind: bot.TextEvent,
				UpdateID: "wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQzQUZCMDhGMjU3MzY5QTJGMDEwMAA=",
				Text:     "Meer bankjes op het plein"})},
			{Name: "stop is a command", Payload: notification(t, "stop"), Want: fromAnna(bot.Event{Kind: bot.CommandEvent,
				UpdateID: "wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQzQUI5NzJEQ0U0RUIyMUY3MzIwMAA=", Command: "stop"})},
			{Name: "reply button", Payload: notification(t, "button reply"), Want: fromAnna(bot.Event{Kind: bot.ChoiceEvent,
				UpdateID: "wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQzQTdCNjE5RjBFMjg3QzM2RDhBMAA=",
				Data:     "a:k7Qp2x:0:1", MessageRef: "wamid.HBgLMzE2MTIzNDU2NzgVAgARGBI1QjQ2RjE3RTc4QkQ5QzA0MjIA"})},
			{Name: "list row", Payload: notification(t, "list reply"), Want: fromAnna(bot.Event{Kind: bot.ChoiceEvent,
				UpdateID: "wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQzQUQyRTk1QzQ0RjBBMTc3NkE1MAA=",
				Data:     "a:k7Qp2x:1:2", MessageRef: "wamid.HBgLMzE2MTIzNDU2NzgVAgARGBI5RTJDMDQ3QTFCNjNGODhEMjUA"})},
			{Name: "template quick reply", Payload: notification(t, "template quick reply"), Want: fromAnna(bot.Event{Kind: bot.ChoiceEvent,
				UpdateID: "wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQzQTFGODhCMjk0QzYwRDNFNTc3MAA=",
				Data:     "go:K7", MessageRef: "wamid.HBgLMzE2MTIzNDU2NzgVAgARGBIzRjc5QTBDMkQ4RTE0QjU2NzgA"})},
			{Name: "business-scoped user id without a wa_id", Payload: notification(t, "business-scoped user id only"),
				Want: &bot.Event{Kind: bot.TextEvent, Channel: "whatsapp", UserID: "NL.1502576394655843", ChatID: "NL.1502576394655843",
					UpdateID: "wamid.HBgTTkwuMTUwMjU3NjM5NDY1NTg0MxUCABIYFDNBNjY0RTJCQzA5MUQ3RjVBMTEwAA==",
					Text:     "Ik wil graag meedoen"}},
			{Name: "image is no event", Payload: notification(t, "image")},
			{Name: "reaction is no event", Payload: notification(t, "reaction")},
			{Name: "status only", Payload: notification(t, "status only")},
			{Name: "template status update", Payload: notification(t, "template status update")},
		},
		Probe: bottest.Inbound{Payload: notification(t, "text"), Want: fromAnna(bot.Event{Kind: bot.TextEvent,
			Text: "Meer bankjes op het plein"})},
		Outbound: []bottest.Outbound{
			{Name: "text as it is", Message: bot.Message{Text: "Hallo <b>Anna</b> *vet*"},
				Want: []bottest.Request{{Call: "messages:text", Fields: map[string]string{"to": anna, "text": "Hallo <b>Anna</b> *vet*"}}}},
			{Name: "two reply buttons", Message: bot.Message{Text: "Doet u mee?", Choices: [][]bot.Choice{{{Label: "Ja", Data: "c:ja"}, {Label: "Nee", Data: "c:nee"}}}},
				Want: []bottest.Request{{Call: "messages:interactive", Fields: map[string]string{"to": anna, "interactive": "button",
					"text": "Doet u mee?", "buttons": `[{"id":"c:ja","title":"Ja"},{"id":"c:nee","title":"Nee"}]`}}}},
			{Name: "wie van de drie and Vorige apart", Message: bot.Message{Text: "Wat vindt u het belangrijkst?",
				Choices: rows([]string{"Groen in het dorp", "Veilige fietspaden", "Een bruisend centrum"}, "◀ Vorige")},
				Want: []bottest.Request{
					{Call: "messages:interactive", Fields: map[string]string{"interactive": "button", "text": "Wat vindt u het belangrijkst?",
						"buttons": `[{"id":"a:r:1:0","title":"Groen in het dorp"},{"id":"a:r:1:1","title":"Veilige fietspaden"},{"id":"a:r:1:2","title":"Een bruisend centrum"}]`}},
					{Call: "messages:interactive", Fields: map[string]string{"interactive": "button", "text": "Of:",
						"buttons": `[{"id":"b:r:1:0","title":"◀ Vorige"}]`}}}},
			{Name: "likert as one list", Message: bot.Message{Text: "De gemeente luistert voldoende naar de inwoners.", Choices: rows(likert)},
				Want: []bottest.Request{{Call: "messages:interactive", Fields: map[string]string{"interactive": "list",
					"text": "De gemeente luistert voldoende naar de inwoners.", "button": "Kies een antwoord",
					"rows": `[{"id":"a:r:1:0","title":"Helemaal mee eens"},{"id":"a:r:1:1","title":"Mee eens"},
						{"id":"a:r:1:2","title":"Niet mee eens, niet mee…","description":"Niet mee eens, niet mee oneens"},
						{"id":"a:r:1:3","title":"Niet mee eens"},{"id":"a:r:1:4","title":"Helemaal niet mee eens"}]`}}}},
			{Name: "long text in two", Message: bot.Message{Text: bottest.TextOf(whatsapp.DefaultLimits, 5000)},
				Want: []bottest.Request{{Call: "messages:text"}, {Call: "messages:text"}}},
			{Name: "photo with caption", Message: photo,
				Want: []bottest.Request{{Call: "media", Fields: map[string]string{"type": "image/png"}},
					{Call: "messages:image", Fields: map[string]string{"to": anna, "caption": "Kaart van het plein", "media_id": bottest.Any}}}},
			{Name: "album as image messages", Message: album,
				Want: []bottest.Request{{Call: "media"}, {Call: "messages:image", Fields: map[string]string{"caption": "Grafiek A", "media_id": bottest.Any}},
					{Call: "media"}, {Call: "messages:image", Fields: map[string]string{"caption": "Grafiek B", "media_id": bottest.Any}}}},
			{Name: "document by media id", Message: doc,
				Want: []bottest.Request{{Call: "media", Fields: map[string]string{"type": "text/plain"}},
					{Call: "messages:document", Fields: map[string]string{"to": anna, "caption": "Verslag van de ronde",
						"filename": "verslag.md", "media_id": bottest.Any}}}},
			{Name: "HTML document refused", Message: html, WantErr: bot.ErrPermanent},
			{Name: "button data over 200 bytes", Message: bot.Message{Text: "Kies", Choices: [][]bot.Choice{{{Label: "x", Data: strings.Repeat("d", 201)}}}},
				WantErr: bot.ErrPermanent},
			{Name: "chat id not a WhatsApp id", Message: bot.Message{To: bot.Address{Channel: "whatsapp", ChatID: "Anna de Vries"}, Text: "Hallo"},
				WantErr: bot.ErrPermanent},
		},
		Pause: &throughput,
		Failures: []bottest.Failing{
			{Name: "131026 undeliverable", Fail: graphError(131026, "Message undeliverable", "Unable to deliver message."),
				Want: bottest.Class{Kind: bottest.Gone}},
			{Name: "130429 throughput", Fail: throughput, Want: limited(time.Second)},
			{Name: "131056 pair rate", Fail: graphError(131056, "(Business Account, Consumer Account) pair rate limit hit",
				"Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time."),
				Want: bottest.Class{Kind: bottest.RateLimited, RetryAfter: 6 * time.Second, ChatOnly: true}},
			{Name: "80007 account rate limit", Fail: graphError(80007, "Rate limit issues", "The WhatsApp Business Account has reached its rate limit."),
				Want: limited(time.Minute)},
			{Name: "131000 something went wrong", Fail: graphError(131000, "Something went wrong", "Message failed to send due to an unknown error."),
				Want: bottest.Class{Kind: bottest.Temporary}},
			{Name: "100 invalid parameter", Fail: graphError(100, "Invalid parameter", ""), Want: bottest.Class{Kind: bottest.Permanent}},
			{Name: "190 access token", Fail: graphError(190, "Invalid OAuth access token - Cannot parse access token", ""),
				Want: bottest.Class{Kind: bottest.Permanent}},
			{Name: "HTTP 500 without a Graph error", Fail: bottest.Failure{Status: 500, Body: "<html><body><h1>500 Internal Server Error</h1></body></html>"},
				Want: bottest.Class{Kind: bottest.Temporary}},
			{Name: "131026 on a photo", Message: &photo, Fail: graphError(131026, "Message undeliverable", "Unable to deliver message."),
				Want: bottest.Class{Kind: bottest.Gone}},
			{Name: "130429 on an album", Message: &album, Fail: throughput, Want: limited(time.Second)},
			{Name: "HTTP 500 on an upload", Message: &photo, Fail: bottest.Failure{Status: 500, Body: ""},
				Want: bottest.Class{Kind: bottest.Temporary}},
		},
	})
}

// TestConformanceEmptyChat: a message without a chat id is refused before any
// request (the suite's cases always get the harness's chat).
func TestConformanceEmptyChat(t *testing.T) {
	h := newConformance(t).(*conformance)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := h.Channel().Send(ctx, bot.Message{To: bot.Address{Channel: "whatsapp"}, Text: "Hallo"})
	if !errors.Is(err, bot.ErrPermanent) {
		t.Errorf("got %v, want ErrPermanent", err)
	}
	if got := h.Requests(); len(got) != 0 {
		t.Errorf("got requests %v, want none", got)
	}
	bottest.CheckNoSecrets(t, h, err)
}
