package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/bot"
)

func TestPostRateLimits(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.PostsPerMinute, c.PostsPerMinuteAddress = 3, 5 })
	check := func(t *testing.T, rec interface {
		Result() *http.Response
	}, body string, asJSON bool) {
		t.Helper()
		res := rec.Result()
		secs, err := strconv.Atoi(res.Header.Get("Retry-After"))
		if res.StatusCode != http.StatusTooManyRequests || err != nil || secs < 1 || secs > 60 {
			t.Fatalf("got %v Retry-After %q, want 429 within a minute", res.StatusCode, res.Header.Get("Retry-After"))
		}
		if asJSON {
			var v map[string]string
			if err := json.Unmarshal([]byte(body), &v); err != nil || !strings.Contains(v["error"], "Wacht") {
				t.Errorf("json: got %s, want a Dutch error", body)
			}
		} else if !strings.Contains(body, "veel berichten verstuurd") || !strings.Contains(body, `lang="nl"`) {
			t.Errorf("page: got %s, want a Dutch page", body)
		}
	}
	t.Run("per participant", func(t *testing.T) {
		c, id := h.resident()
		for i := range 3 {
			if rec := c.post("/send", h.form(id, "text", fmt.Sprint("bericht ", i))); rec.Code != http.StatusSeeOther && rec.Code != http.StatusOK {
				t.Fatalf("post %d: got %v, want it handled", i, rec.Code)
			}
		}
		before := len(h.eng.seen())
		c.addr = "198.51.100.1:1" // another address does not help
		rec := c.post("/send", h.form(id, "text", "nog een"))
		check(t, rec, rec.Body.String(), false)
		rec = c.post("/send", h.form(id, "text", "nog een"), "Accept", "application/json")
		check(t, rec, rec.Body.String(), true)
		rec = c.post("/link", h.form(id, "p", "x"))
		check(t, rec, rec.Body.String(), false)
		if got := len(h.eng.seen()) - before; got != 0 {
			t.Errorf("handler calls over the limit: got %v, want 0", got)
		}
	})
	t.Run("per address", func(t *testing.T) {
		const addr = "203.0.113.9:4000"
		for i := range 6 {
			c, id := h.resident()
			c.addr = addr
			rec := c.post("/send", h.form(id, "text", "hallo"))
			if i < 5 && rec.Code == http.StatusTooManyRequests {
				t.Fatalf("post %d from the address: got 429, want it handled", i)
			}
			if i == 5 {
				check(t, rec, rec.Body.String(), false)
			}
		}
	})
}

func TestTranscriptCap(t *testing.T) {
	h := newHarness(t)
	c, id := h.resident()
	for i := range 520 {
		h.send(id, bot.Message{Text: fmt.Sprint("Bericht ", i)})
	}
	h.send(id, bot.Message{Text: "Vraag 1", Choices: [][]bot.Choice{{{Label: "Ja", Data: "q1:ja"}}}})
	body := c.get("/").Body.String()
	if n := strings.Count(body, `<li class="bericht`); n != 500 {
		t.Errorf("messages on the page: got %v, want 500", n)
	}
	if strings.Contains(body, ">Bericht 20<") || !strings.Contains(body, ">Bericht 21<") {
		t.Errorf("page: got the oldest 21 or not the 22nd, want the oldest 21 trimmed")
	}
	ref := id + ":520" // ids stay those the messages were given
	if !strings.Contains(body, `name="ref" value="`+ref+`"`) {
		t.Fatalf("page: got no button form for %s", ref)
	}
	if rec := c.post("/send", h.form(id, "data", "q1:ja", "ref", ref)); rec.Code != http.StatusSeeOther {
		t.Fatalf("press: got %v, want %v", rec.Code, http.StatusSeeOther)
	}
	evs := h.eng.seen()
	if ev := evs[len(evs)-1]; ev.Kind != bot.ChoiceEvent || ev.MessageRef != ref {
		t.Errorf("event: got %+v, want the press on %s", ev, ref)
	}
	tr := h.transcript(id)
	if len(tr) != 500 || tr[len(tr)-3].Text != "Vraag 1\nWoont u in Dalfsen?\n✔ q1:ja" {
		t.Errorf("transcript: got %d messages, the edit %q, want 500 with message 520 edited", len(tr), tr[len(tr)-3].Text)
	}
}
