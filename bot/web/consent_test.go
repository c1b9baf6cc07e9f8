package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/storage"
)

// redisText is every key and value in the store, as text, for scanning.
func (h *harness) redisText() string {
	h.t.Helper()
	ctx := context.Background()
	rdb := h.store.Client()
	var b strings.Builder
	for _, k := range rdb.Keys(ctx, "*").Val() {
		b.WriteString(k + "\n")
		switch rdb.Type(ctx, k).Val() {
		case "string":
			b.WriteString(rdb.Get(ctx, k).Val())
		case "list":
			b.WriteString(strings.Join(rdb.LRange(ctx, k, 0, -1).Val(), "\n"))
		case "hash":
			fmt.Fprint(&b, rdb.HGetAll(ctx, k).Val())
		default:
			h.t.Fatalf("key %s of type %s: scan it too", k, rdb.Type(ctx, k).Val())
		}
		b.WriteString("\n")
	}
	return b.String()
}

// ttlOf is the lifetime left of the one key matching pattern.
func (h *harness) ttlOf(pattern string) time.Duration {
	h.t.Helper()
	ks := h.store.Client().Keys(context.Background(), pattern).Val()
	if len(ks) != 1 {
		h.t.Fatalf("keys %s: got %v, want one", pattern, ks)
	}
	return h.store.Client().PTTL(context.Background(), ks[0]).Val()
}

func TestNothingTypedStoredBeforeConsent(t *testing.T) {
	h := newHarness(t)
	c := h.client()
	c.get("/")
	id := h.idOf(c.cookie)
	const secret = "Ik woon op Kerkstraat 12 en vind het plan slecht"
	steps := []struct {
		name     string
		form     []string
		json     bool
		wantEcho string // what the transcript keeps of the input
		wantShow bool   // the response shows the typed text
	}{
		{"first post: the welcome button, shown as it says", []string{"text", "/start", "welkom", "1"}, false, "Beginnen", false},
		{"/start typed", []string{"text", "/start"}, false, "/start", false},
		{"typed text before consent", []string{"text", secret + " (1)"}, false, txtWithheld, true},
		{"typed text before consent, from chat.js", []string{"text", secret + " (2)"}, true, txtWithheld, true},
		{"a command with arguments", []string{"text", "/start " + secret + " (3)"}, false, txtWithheld, true},
		{"a known command with a name after @", []string{"text", "/help@" + "KerkstraatTwaalf"}, false, "/help", false},
		{"an unknown command", []string{"text", "/KerkstraatTwaalf"}, false, txtWithheld, true},
		{"a button: its label is ours", []string{"data", "q1:ja", "ref", id + ":1"}, false, "Ja", false},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			typed := ""
			for i := 0; i+1 < len(s.form); i += 2 {
				if s.form[i] == "text" {
					typed = s.form[i+1]
				}
			}
			header := []string{}
			if s.json {
				header = []string{"Accept", "application/json"}
			}
			rec := c.post("/send", h.form(id, s.form...), header...)
			body := rec.Body.String()
			if s.json {
				var v updatesView
				if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
					t.Fatal(err)
				}
				body = v.HTML
			}
			if rec.Code != http.StatusOK && rec.Code != http.StatusSeeOther {
				t.Fatalf("status: got %v, want 200 or 303", rec.Code)
			}
			if got := strings.Contains(body, typed) && strings.Contains(body, txtWithheldNote); typed != "" && got != s.wantShow {
				t.Errorf("response shows the typed text with the note: got %v, want %v", got, s.wantShow)
			}
			var echo *entry
			tr := h.transcript(id)
			for i := range tr {
				if tr[i].From == fromInwoner {
					echo = &tr[i]
				}
			}
			if echo == nil || echo.Text != s.wantEcho || echo.Withheld != (s.wantEcho == txtWithheld) {
				t.Errorf("kept: got %+v, want %q", echo, s.wantEcho)
			}
		})
	}
	if all := h.redisText(); strings.Contains(all, "Kerkstraat") || strings.Contains(all, id) {
		t.Errorf("redis: got the typed text or the raw web id in\n%s", all)
	}
	page := c.get("/").Body.String()
	if strings.Contains(page, "Kerkstraat") || strings.Count(page, txtWithheld) != 4 {
		t.Errorf("page after reload: got the typed text or not 4 placeholders, want only placeholders")
	}
	if ttl := h.ttlOf("pb:w:{*}:t"); ttl > storage.WebVisitorTTL {
		t.Errorf("transcript of a visitor who did not consent: got ttl %v, want at most %v", ttl, storage.WebVisitorTTL)
	}

	// consent (the engine's button; here a command of the fake engine) changes both
	c.post("/send", h.form(id, "text", "/ikdoemee"))
	if ttl := h.ttlOf("pb:w:{*}:t"); ttl <= storage.WebVisitorTTL {
		t.Errorf("transcript after consent: got ttl %v, want up to %v", ttl, storage.WebTranscriptTTL)
	}
	c.post("/send", h.form(id, "text", "Nu doe ik mee: meer bankjes"))
	if tr := h.transcript(id); tr[len(tr)-2].Text != "Nu doe ik mee: meer bankjes" {
		t.Errorf("typed after consent: got %q kept, want the text", tr[len(tr)-2].Text)
	}
	// a resident under 16 never consents: the engine says no, and nothing typed is kept
	h.eng.setConsent(id, false)
	c.post("/send", h.form(id, "text", "Kerkstraat opnieuw"))
	if all := h.redisText(); strings.Contains(all, "Kerkstraat") {
		t.Errorf("redis after withdrawal: got the typed text, want it withheld")
	}
	if ttl := h.ttlOf("pb:w:{*}:t"); ttl > storage.WebVisitorTTL {
		t.Errorf("transcript after withdrawal: got ttl %v, want at most %v", ttl, storage.WebVisitorTTL)
	}
}

func TestChatForgottenWhileHandled(t *testing.T) {
	h := newHarness(t)
	h.eng.mu.Lock()
	h.eng.reply = func(ev bot.Event) []bot.Message {
		if ev.Command == "vergeetmij" {
			if err := h.store.WebForget(context.Background(), ev.ChatID); err != nil {
				t.Error(err)
			}
		}
		return []bot.Message{{Text: "Uw gegevens zijn gewist."}}
	}
	h.eng.mu.Unlock()
	for _, asJSON := range []bool{false, true} {
		c, id := h.resident()
		c.post("/send", h.form(id, "text", "/start"))
		header := []string{}
		wantCode := http.StatusOK
		if asJSON {
			header, wantCode = []string{"Accept", "application/json"}, http.StatusGone
		}
		rec := c.post("/send", h.form(id, "text", "/vergeetmij"), header...)
		if rec.Code != wantCode || !strings.Contains(rec.Body.String(), "beëindigd") {
			t.Errorf("json %v: got %v %s, want %v saying the chat ended", asJSON, rec.Code, rec.Body, wantCode)
		}
		if c.cookie != "" {
			t.Errorf("json %v: cookie: got %q, want it cleared", asJSON, c.cookie)
		}
		if ok, _ := h.store.WebExists(context.Background(), id); ok {
			t.Errorf("json %v: chat: got stored, want gone", asJSON)
		}
	}
	if all := h.redisText(); strings.Contains(all, "pb:w:{") {
		t.Errorf("redis after erasure: got chat keys\n%s", all)
	}
}
