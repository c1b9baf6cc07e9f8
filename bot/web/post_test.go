package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
)

func TestSendRefusals(t *testing.T) {
	h := newHarness(t)
	c, id := h.resident()
	_, otherID := h.resident()
	tests := []struct {
		name     string
		client   *client
		form     url.Values
		header   []string
		wantCode int
		wantText string
	}{
		{"no CSRF token", c, url.Values{"nonce": {newID()}, "text": {"hallo"}}, nil, http.StatusForbidden, "niet konden controleren"},
		{"CSRF token of another participant", c, h.form(otherID, "text", "hallo"), nil, http.StatusForbidden, "niet konden controleren"},
		{"no cookie", h.client(), h.form(id, "text", "hallo"), nil, http.StatusForbidden, "niet konden controleren"},
		{"foreign Origin", c, h.form(id, "text", "hallo"), []string{"Origin", "https://evil.example"}, http.StatusForbidden, "niet van deze website"},
		{"Origin null", c, h.form(id, "text", "hallo"), []string{"Origin", "null"}, http.StatusForbidden, "niet van deze website"},
		{"Sec-Fetch-Site cross-site", c, h.form(id, "text", "hallo"), []string{"Sec-Fetch-Site", "cross-site", "Origin", ""}, http.StatusForbidden, "niet van deze website"},
		{"Sec-Fetch-Site same-site", c, h.form(id, "text", "hallo"), []string{"Sec-Fetch-Site", "same-site"}, http.StatusForbidden, "niet van deze website"},
		{"huge body", c, h.form(id, "text", strings.Repeat("a", 20000)), nil, http.StatusRequestEntityTooLarge, "te lang"},
		{"text over 4000 characters", c, h.form(id, "text", strings.Repeat("a", 4001)), nil, http.StatusRequestEntityTooLarge, "4000 tekens"},
		{"no nonce", c, url.Values{"csrf": {h.ch.csrfToken(id)}, "text": {"hallo"}}, nil, http.StatusBadRequest, "niet compleet"},
		{"button on another participant's message", c, h.form(id, "data", "q1:ja", "ref", otherID+":0"), nil, http.StatusBadRequest, "niet compleet"},
		{"button without ref", c, h.form(id, "data", "q1:ja"), nil, http.StatusBadRequest, "niet compleet"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(h.eng.seen())
			rec := tc.client.post("/send", tc.form, tc.header...)
			if rec.Code != tc.wantCode {
				t.Errorf("status: got %v, want %v", rec.Code, tc.wantCode)
			}
			if body := rec.Body.String(); !strings.Contains(body, tc.wantText) || !strings.Contains(body, `lang="nl"`) {
				t.Errorf("page: got %q, want a Dutch page saying %q", body, tc.wantText)
			}
			if got := len(h.eng.seen()) - before; got != 0 {
				t.Errorf("handler calls: got %v, want %v", got, 0)
			}
		})
	}
	if got := h.transcript(id); len(got) != 0 {
		t.Errorf("transcript after refusals: got %v, want none", got)
	}
}

func TestSendEvents(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name string
		text string
		want bot.Event // Kind, Command, Args, Text
		echo string    // in the transcript, when not the text as typed
	}{
		{"start", "/start", bot.Event{Kind: bot.CommandEvent, Command: "start"}, ""},
		// what follows /start may be a letter's invitation code: never kept
		{"command with args", "/start K7QM-X3VD-R9TC", bot.Event{Kind: bot.CommandEvent, Command: "start", Args: "K7QM-X3VD-R9TC"}, "/start"},
		{"capitalised by a phone", "/Status", bot.Event{Kind: bot.CommandEvent, Command: "status"}, ""},
		{"bot name suffix", "/help@participatiebot", bot.Event{Kind: bot.CommandEvent, Command: "help"}, ""},
		{"text", "  Meer bankjes\r\nin het park  ", bot.Event{Kind: bot.TextEvent, Text: "Meer bankjes\nin het park"}, ""},
		{"slash then space is text", "/ niet", bot.Event{Kind: bot.TextEvent, Text: "/ niet"}, ""},
		{"path-like text", "/a-b", bot.Event{Kind: bot.TextEvent, Text: "/a-b"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, id := h.resident()
			h.eng.setConsent(id, true) // takes part: what they type is kept as typed
			form := h.form(id, "text", tc.text)
			rec := c.post("/send", form)
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/#laatste" {
				t.Fatalf("got %v %q, want 303 to /#laatste", rec.Code, rec.Header().Get("Location"))
			}
			evs := h.eng.seen()
			ev := evs[len(evs)-1]
			want := tc.want
			want.Channel, want.UpdateID, want.UserID, want.ChatID = "web", form.Get("nonce"), id, id
			if ev != want {
				t.Errorf("got %+v, want %+v", ev, want)
			}
			tr := h.transcript(id)
			if len(tr) != 2 || tr[0].From != fromInwoner || tr[1].From != "" {
				t.Fatalf("transcript: got %+v, want the resident's input and the reply", tr)
			}
			wantEcho := strings.TrimSpace(strings.ReplaceAll(tc.text, "\r\n", "\n"))
			if tc.echo != "" {
				wantEcho = tc.echo
			}
			if tr[0].Text != wantEcho {
				t.Errorf("echo: got %q, want %q", tr[0].Text, wantEcho)
			}
		})
	}
}

func TestSameNonceTwice(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name string
		kv   []string
	}{
		{"typed text", []string{"text", "/start"}},
		{"pressed button", []string{"data", "q1:ja"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, id := h.resident()
			h.send(id, bot.Message{Text: "Vraag 1", Choices: [][]bot.Choice{{{Label: "Ja", Data: "q1:ja"}}}})
			form := h.form(id, append(tc.kv, "ref", id+":0")...)
			before := len(h.eng.seen())
			for range 2 {
				if rec := c.post("/send", form); rec.Code != http.StatusSeeOther {
					t.Fatalf("status: got %v, want %v", rec.Code, http.StatusSeeOther)
				}
			}
			evs := h.eng.seen()[before:]
			if len(evs) != 2 || evs[0].UpdateID != evs[1].UpdateID || evs[0].UpdateID != form.Get("nonce") {
				t.Fatalf("events: got %+v, want two with UpdateID %v", evs, form.Get("nonce"))
			}
			echoes := 0
			for _, e := range h.transcript(id) {
				if e.From == fromInwoner {
					echoes++
				}
			}
			if echoes != 1 {
				t.Errorf("echoes of the input: got %v, want %v", echoes, 1)
			}
		})
	}
}

// A tick changes the question in place: no bubble for the tap, and the question
// edited where it is, also with a newer message below it.
func TestTickInPlace(t *testing.T) {
	h := newHarness(t)
	h.eng.reply = func(ev bot.Event) []bot.Message {
		return []bot.Message{{Text: "Welke kansen ziet u?\nGekozen (1 van max. 2): Meer groen", EditRef: ev.MessageRef,
			Choices: [][]bot.Choice{{{Label: "✅ Meer groen", Data: "t:abcdefgh:1:0:0", Tick: bot.TickOn}}}}}
	}
	c, id := h.resident()
	h.send(id, bot.Message{Text: "Welke kansen ziet u?", Choices: [][]bot.Choice{{{Label: "☐ Meer groen", Data: "t:abcdefgh:1:0:1", Tick: bot.TickOff}}}})
	h.send(id, bot.Message{Text: "Er staat een nieuwe vragenronde voor u klaar"})
	if rec := c.post("/send", h.form(id, "data", "t:abcdefgh:1:0:1", "ref", id+":0")); rec.Code != http.StatusSeeOther {
		t.Fatalf("status: got %v, want %v", rec.Code, http.StatusSeeOther)
	}
	tr := h.transcript(id)
	texts := make([]string, len(tr))
	for i, e := range tr {
		texts[i] = e.From + ":" + strings.ReplaceAll(e.Text, "\n", " ")
	}
	want := ":Welke kansen ziet u? Gekozen (1 van max. 2): Meer groen|:Er staat een nieuwe vragenronde voor u klaar"
	if got := strings.Join(texts, "|"); got != want {
		t.Errorf("transcript: got %v, want %v", got, want)
	}
}

func TestButtonPress(t *testing.T) {
	h := newHarness(t)
	c, id := h.resident()
	c.post("/send", h.form(id, "text", "/start")) // echo at 0, question at 1
	page := c.get("/").Body.String()
	if !strings.Contains(page, `name="ref" value="`+id+`:1"`) || !strings.Contains(page, `value="q1:ja">Ja</button>`) {
		t.Fatalf("page: got %s, want the question's buttons", page)
	}
	form := h.form(id, "data", "q1:ja", "ref", id+":1")
	if rec := c.post("/send", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("status: got %v, want %v", rec.Code, http.StatusSeeOther)
	}
	evs := h.eng.seen()
	want := bot.Event{Kind: bot.ChoiceEvent, Channel: "web", UpdateID: form.Get("nonce"), UserID: id, ChatID: id,
		Data: "q1:ja", MessageRef: id + ":1"}
	if got := evs[len(evs)-1]; got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	tr := h.transcript(id)
	texts := make([]string, len(tr))
	for i, e := range tr {
		texts[i] = e.From + ":" + strings.ReplaceAll(e.Text, "\n", " ")
	}
	wantTexts := "inwoner:/start|:Vraag 1 Woont u in Dalfsen? ✔ q1:ja|inwoner:Ja|:Vraag 2"
	if got := strings.Join(texts, "|"); got != wantTexts {
		t.Errorf("transcript: got %v, want %v", got, wantTexts)
	}

	stale := []struct {
		name string
		form url.Values
	}{
		{"button no longer on the message", h.form(id, "data", "q1:nee", "ref", id+":1")},
		{"data that was never a button", h.form(id, "data", "admin:close", "ref", id+":3")},
		{"ref past the end", h.form(id, "data", "q2:eens", "ref", id+":99")},
		{"ref to the resident's own message", h.form(id, "data", "q2:eens", "ref", id+":2")},
	}
	for _, tc := range stale {
		t.Run(tc.name, func(t *testing.T) {
			before := len(h.eng.seen())
			rec := c.post("/send", tc.form)
			if rec.Code != http.StatusSeeOther {
				t.Errorf("status: got %v, want %v", rec.Code, http.StatusSeeOther)
			}
			if got := len(h.eng.seen()) - before; got != 0 {
				t.Errorf("handler calls: got %v, want %v", got, 0)
			}
		})
	}
}

func TestSendFromScript(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name     string
		form     func(id string) url.Values
		wantCode int
		wantKey  string
	}{
		{"answer", func(id string) url.Values { return h.form(id, "text", "/start") }, http.StatusOK, "html"},
		{"refusal", func(id string) url.Values { return url.Values{"text": {"/start"}} }, http.StatusForbidden, "error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, id := h.resident()
			rec := c.post("/send", tc.form(id), "Accept", "application/json")
			var got map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("body %q: %v", rec.Body, err)
			}
			if rec.Code != tc.wantCode || got[tc.wantKey] == nil {
				t.Errorf("got %v %v, want %v with %q", rec.Code, got, tc.wantCode, tc.wantKey)
			}
			if tc.wantCode == http.StatusOK && (got["len"] != 2.0 || !validID(got["nonce"].(string))) {
				t.Errorf("got len %v nonce %v, want 2 and a fresh nonce", got["len"], got["nonce"])
			}
			// the page, loaded before the chat started, learns its personal link
			if link, _ := got["link"].(string); tc.wantCode == http.StatusOK && !strings.HasPrefix(link, publicURL+"/?p="+id+".") {
				t.Errorf("link: got %q, want the personal link under %s", link, publicURL)
			}
		})
	}
}

func TestReplyWait(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name     string
		delay    time.Duration // before the engine's reply arrives; 0: never
		wantLen  int
		minTaken time.Duration
	}{
		{"reply arrives later", 100 * time.Millisecond, 2, 100 * time.Millisecond},
		{"no reply: give up after ReplyWait", 0, 1, h.ch.cfg.ReplyWait},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.eng.mu.Lock()
			h.eng.reply = func(ev bot.Event) []bot.Message {
				if tc.delay > 0 {
					time.AfterFunc(tc.delay, func() {
						m := bot.Message{To: bot.Address{Channel: "web", ChatID: ev.ChatID}, Text: "Later"}
						_ = h.ch.Send(context.Background(), m)
					})
				}
				return nil
			}
			h.eng.mu.Unlock()
			defer func() { h.eng.mu.Lock(); h.eng.reply = nil; h.eng.mu.Unlock() }()
			c, id := h.resident()
			start := time.Now()
			c.post("/send", h.form(id, "text", "hallo"))
			if taken := time.Since(start); taken < tc.minTaken {
				t.Errorf("post took %v, want at least %v", taken, tc.minTaken)
			}
			if got := len(h.transcript(id)); got != tc.wantLen {
				t.Errorf("messages at redirect: got %v, want %v", got, tc.wantLen)
			}
		})
	}
}

func TestSendBeforeRun(t *testing.T) {
	h := newHarness(t)
	c, id := h.resident()
	h.ch.handler.Store(nil)
	if rec := c.post("/send", h.form(id, "text", "/start")); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("status: got %v, want %v", rec.Code, http.StatusServiceUnavailable)
	}
}
