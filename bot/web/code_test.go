package web

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/bot"
)

// welcomeValue is the value of the welcome's "Beginnen" button on a page.
var welcomeValue = regexp.MustCompile(`<button type="submit" name="text" value="([^"]*)" autofocus>Beginnen</button>`)

// TestLetterCodeParameter: a lottery letter's link (?code=) makes the welcome's
// "Beginnen" send "/start <code>", without JavaScript; anything that cannot be a
// code is dropped without a word.
func TestLetterCodeParameter(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name, query, want string
	}{
		{"a code", "?code=K7QM-X3VD-R9TC", "/start K7QM-X3VD-R9TC"},
		{"compact, lower case", "?code=k7qmx3vdr9tc", "/start k7qmx3vdr9tc"},
		{"none", "", "/start"},
		{"markup", "?code=%3Cscript%3Ealert(1)%3C/script%3E", "/start"},
		{"a space", "?code=K7QM%20X3VD", "/start"},
		{"too long", "?code=" + strings.Repeat("A", 33), "/start"},
		{"32 characters", "?code=" + strings.Repeat("A", 32), "/start " + strings.Repeat("A", 32)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := h.client().get("/" + tc.query)
			if rec.Code != http.StatusOK {
				t.Fatalf("status: got %v, want 200", rec.Code)
			}
			m := welcomeValue.FindStringSubmatch(rec.Body.String())
			if m == nil {
				t.Fatalf("page: got no welcome button in %q", rec.Body.String())
			}
			if got := html.UnescapeString(m[1]); got != tc.want {
				t.Errorf("welcome button: got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestLetterCodeNotKept: "Beginnen" with a letter's code hands the engine the code
// and keeps "Beginnen" in the transcript, never the code; a chat that has begun gets
// "/start <code>" in its text field, and the code is not kept after consent either.
func TestLetterCodeNotKept(t *testing.T) {
	h := newHarness(t)
	const code = "K7QM-X3VD-R9TC"
	c := h.client()
	page := c.get("/?code=" + code).Body.String()
	if !strings.Contains(page, "/start "+code) {
		t.Fatalf("page: got no /start %s in %q", code, page)
	}
	id := h.idOf(c.cookie)
	c.post("/send", h.form(id, "text", "/start "+code, "welkom", "1"))
	evs := h.eng.seen()
	if len(evs) != 1 || evs[0].Kind != bot.CommandEvent || evs[0].Command != "start" || evs[0].Args != code {
		t.Fatalf("events: got %+v, want one /start with the code", evs)
	}
	if tr := h.transcript(id); len(tr) == 0 || tr[0].From != fromInwoner || tr[0].Text != txtBegin {
		t.Errorf("transcript: got %+v, want %q first", tr, txtBegin)
	}

	// consented, with a transcript: the link puts the code in the text field
	h.eng.setConsent(id, true)
	page = c.get("/?code=" + code).Body.String()
	if !strings.Contains(page, ">/start "+code+"</textarea>") {
		t.Errorf("page of a chat that has begun: got no /start %s in the text field", code)
	}
	c.post("/send", h.form(id, "text", "/start "+code))
	tr := h.transcript(id)
	var echoes []string
	for _, e := range tr {
		if e.From == fromInwoner {
			echoes = append(echoes, e.Text)
		}
	}
	if len(echoes) != 2 || echoes[1] != "/start" {
		t.Errorf("echoes: got %q, want %q then /start", echoes, txtBegin)
	}
	if all := h.redisText(); strings.Contains(all, "K7QM") {
		t.Errorf("redis: got the code in\n%s", all)
	}
}
