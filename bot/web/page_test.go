package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
)

func TestNewVisitorGetsSignedCookieAndWelcome(t *testing.T) {
	h := newHarness(t)
	rec := h.client().get("/")
	if rec.Code != http.StatusOK {
		t.Fatalf("status: got %v, want %v", rec.Code, http.StatusOK)
	}
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("cookies: got %v, want 1", len(cookies))
	}
	ck := cookies[0]
	_, started, _, ok := h.ch.parseCookie(ck.Value)
	if !ok || started {
		t.Errorf("cookie %q: got signed %v started %v, want a signed new visitor's id", ck.Value, ok, started)
	}
	attrs := []struct {
		name      string
		got, want any
	}{
		{"name", ck.Name, cookieName},
		{"HttpOnly", ck.HttpOnly, true},
		{"SameSite", ck.SameSite, http.SameSiteLaxMode},
		{"Path", ck.Path, "/"},
		{"Secure", ck.Secure, false},
		{"MaxAge (a new visitor's: a day)", ck.MaxAge, int(freshVisitor / time.Second)},
	}
	for _, a := range attrs {
		if a.got != a.want {
			t.Errorf("cookie %s: got %v, want %v", a.name, a.got, a.want)
		}
	}
	body := rec.Body.String()
	for _, want := range []string{"Via deze chat denkt u mee", ">Beginnen</button>", `name="text" value="/start"`, `id="laatste"`,
		"Gemeente Dalfsen"} {
		if !strings.Contains(body, want) {
			t.Errorf("page: got no %q, want it", want)
		}
	}
	// nothing is stored for a visit, so there is no conversation to link to yet
	if !strings.Contains(body, `<section id="link" class="link" aria-labelledby="link-kop" hidden>`) || strings.Contains(body, "?p=") {
		t.Errorf("page of a new visitor: got a personal link, want its section hidden and empty")
	}
	if keys := h.store.Client().Keys(context.Background(), "*").Val(); len(keys) != 0 {
		t.Errorf("keys after a visit: got %v, want none", keys)
	}
	c, id := h.resident()
	body = c.get("/").Body.String()
	if !strings.Contains(body, `href="`+publicURL+`/?p=`+id+`.`) {
		t.Errorf("page of a resident: got no personal link to %s, want one", publicURL)
	}
}

func TestIdentityFromCookie(t *testing.T) {
	h := newHarness(t)
	_, id := h.resident()
	signed := h.ch.cookieValue(session{id: id, started: true})
	fresh := h.ch.newSession()
	stale := session{id: newID(), issued: h.clock.now().Add(-freshVisitor - time.Minute)}
	gone := newID() // a started chat that is no longer stored
	// the MAC is 32 bytes: 43 base64 characters, the last carrying 2 unused bits
	variant := signed[:len(signed)-1] + string(base64URL[strings.IndexByte(base64URL, signed[len(signed)-1])^1])
	tests := []struct {
		name   string
		cookie string
		wantID string // "": a new identity
	}{
		{"valid cookie keeps the id", signed, id},
		{"fresh new visitor keeps the id", h.ch.cookieValue(fresh), fresh.id},
		{"stale new visitor gets a new id", h.ch.cookieValue(stale), ""},
		{"started chat that is gone gets a new id", h.ch.cookieValue(session{id: gone, started: true}), ""},
		{"tampered signature", signed[:len(signed)-2] + "AA", ""},
		{"other encoding of the same signature", variant, ""},
		{"padded signature", signed + "=", ""},
		{"id swapped under a valid signature", newID() + signed[idLen:], ""},
		{"started flag forged", strings.Replace(h.ch.cookieValue(stale), ".n.", ".s.", 1), ""},
		{"link used as cookie", h.ch.sign(purposeLink, id+".9999999999"), ""},
		{"unsigned id", id, ""},
		{"garbage", "<script>", ""},
		{"upper-case id", strings.ToUpper(id) + signed[idLen:], ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := h.client()
			c.cookie = tc.cookie
			if rec := c.get("/"); rec.Code != http.StatusOK {
				t.Fatalf("status: got %v, want %v", rec.Code, http.StatusOK)
			}
			got := h.idOf(c.cookie)
			if tc.wantID != "" && got != tc.wantID || tc.wantID == "" && (got == id || got == fresh.id || got == stale.id || got == gone) {
				t.Errorf("identity: got %v, want %v", got, or(tc.wantID, "a new one"))
			}
		})
	}
}

const base64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

var inlineHandler = regexp.MustCompile(`(?i)\son[a-z]+\s*=`)

func TestPageAccessibilityBasics(t *testing.T) {
	h := newHarness(t)
	c, id := h.resident()
	h.send(id, bot.Message{Text: "Hoe tevreden bent u?", Choices: [][]bot.Choice{{{Label: "Tevreden", Data: "t"}}}})
	pages := []struct {
		name string
		path string
	}{
		{"empty chat", "/"},
		{"chat with buttons", "/"},
		{"personal link page", "/link"},
		{"not found", "/bestaat-niet"},
	}
	for i, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			cl := c
			if i == 0 {
				cl = h.client()
			}
			body := cl.get(p.path).Body.String()
			for _, want := range []string{`<html lang="nl">`, `<main id="inhoud"`, `class="skip" href="#inhoud"`,
				`name="viewport" content="width=device-width, initial-scale=1"`} {
				if !strings.Contains(body, want) {
					t.Errorf("got no %q, want it", want)
				}
			}
			if m := inlineHandler.FindString(body); m != "" {
				t.Errorf("inline event handler: got %q, want none", m)
			}
			if strings.Contains(body, "<script>") || strings.Contains(body, "style=") {
				t.Errorf("inline script or style: got one, want none (CSP allows neither)")
			}
		})
	}
	body := c.get("/").Body.String()
	for _, want := range []string{`<label for="tekst">Uw bericht</label>`, `id="tekst"`, `aria-live="polite"`,
		`>Tevreden</button>`, `autofocus`} {
		if !strings.Contains(body, want) {
			t.Errorf("chat page: got no %q, want it", want)
		}
	}
}

func TestFocusLandsOnNewestMessage(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name      string
		msgs      []bot.Message
		wantFocus string // the element with autofocus
	}{
		{"question with buttons last: the message, not its first button", []bot.Message{{Text: "a"}, {Text: "Vraag", Choices: [][]bot.Choice{{{Label: "Ja", Data: "j"}, {Label: "Nee", Data: "n"}}}}},
			`id="laatste" tabindex="-1" autofocus`},
		{"open question with buttons last: the text field", []bot.Message{{Text: "Wat gaat goed?", Ask: &bot.Ask{Label: "Uw antwoord", MaxLength: 200},
			Choices: [][]bot.Choice{{{Label: "◀ Vorige", Data: "b"}}}}},
			`<textarea id="tekst" name="text" rows="2" maxlength="4000" autocomplete="off" aria-describedby="tekst-uitleg" autofocus>`},
		{"text last", []bot.Message{{Text: "Vraag", Choices: [][]bot.Choice{{{Label: "Ja", Data: "j"}}}}, {Text: "Typ uw antwoord."}},
			`<textarea id="tekst" name="text" rows="2" maxlength="4000" autocomplete="off" aria-describedby="tekst-uitleg" autofocus>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, id := h.resident()
			for _, m := range tc.msgs {
				h.send(id, m)
			}
			body := c.get("/").Body.String()
			if n := strings.Count(body, "autofocus"); n != 1 {
				t.Errorf("autofocus: got %v, want %v", n, 1)
			}
			if !strings.Contains(body, tc.wantFocus) {
				t.Errorf("got no %q, want it", tc.wantFocus)
			}
		})
	}
}

// Every message keeps its buttons, as on Telegram: an invitation that arrives while
// a question is being answered leaves the question's buttons working.
func TestEveryMessageKeepsItsButtons(t *testing.T) {
	h := newHarness(t)
	c, id := h.resident()
	h.send(id, bot.Message{Text: "Vraag 1", Choices: [][]bot.Choice{{{Label: "Vraag-ja", Data: "q1:ja"}}}})
	h.send(id, bot.Message{Text: "Er staat een nieuwe vragenronde voor u klaar", Choices: [][]bot.Choice{{{Label: "Doe mee", Data: "go:abcdefgh"}}, {{Label: "Later", Data: "q2:nee"}}}})
	h.send(id, bot.Message{Text: "Tussendoor"})
	body := c.get("/").Body.String()
	checks := []struct {
		name string
		got  int
		want int
	}{
		{"button forms", strings.Count(body, `<form class="keuzes"`), 2},
		{"buttons", strings.Count(body, `name="data"`), 3},
		{"ref to the question", strings.Count(body, fmt.Sprintf(`name="ref" value="%s:0"`, id)), 1},
		{"ref to the invitation", strings.Count(body, fmt.Sprintf(`name="ref" value="%s:1"`, id)), 1},
		{"the question's button", strings.Count(body, ">Vraag-ja</button>"), 1},
		{"no button autofocused: the newest message has none", strings.Count(body, `tabindex="-1" autofocus`), 0},
	}
	for _, ck := range checks {
		if ck.got != ck.want {
			t.Errorf("%s: got %v, want %v", ck.name, ck.got, ck.want)
		}
	}
}

// A tick button shows its state as aria-pressed, its label without the glyph (the
// style sheet draws the box, in any font).
func TestTickButtons(t *testing.T) {
	h := newHarness(t)
	c, id := h.resident()
	h.send(id, bot.Message{Text: "Welke kansen ziet u?", Choices: [][]bot.Choice{
		{{Label: bot.TickGlyph[bot.TickOn] + "Meer groen", Data: "t:abcdefgh:1:0:0", Tick: bot.TickOn}},
		{{Label: bot.TickGlyph[bot.TickOff] + "Cultuur", Data: "t:abcdefgh:1:2:1", Tick: bot.TickOff}},
		{{Label: "Klaar", Data: "d:abcdefgh:1"}}}})
	body := c.get("/").Body.String()
	for _, want := range []string{
		`value="t:abcdefgh:1:0:0" class="vink" aria-pressed="true">Meer groen</button>`,
		`value="t:abcdefgh:1:2:1" class="vink" aria-pressed="false">Cultuur</button>`,
		`value="d:abcdefgh:1">Klaar</button>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page: got no %s in\n%s", want, body)
		}
	}
	if strings.Contains(body, "✅") || strings.Contains(body, "☐") {
		t.Errorf("page: got a tick glyph, want the state in aria-pressed only")
	}
}

func TestUpdates(t *testing.T) {
	h := newHarness(t)
	c, id := h.resident()
	h.send(id, bot.Message{Text: "Eerste"})
	h.send(id, bot.Message{Text: "De uitslag van de ronde"})
	get := func(path string) (int, updatesView) {
		rec := c.get(path)
		var v updatesView
		if rec.Code == http.StatusOK {
			if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
				t.Fatal(err)
			}
		}
		return rec.Code, v
	}
	_, all := get("/updates?after=0")
	tests := []struct {
		name     string
		path     string
		wantHTML bool
	}{
		{"grown", "/updates?after=1", true},
		{"no version given", "/updates?after=2", true},
		{"unchanged", "/updates?after=2&v=" + all.Version, false},
		{"edited (other version)", "/updates?after=2&v=0000", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, v := get(tc.path)
			if code != http.StatusOK || v.Len != 2 {
				t.Fatalf("got %v len %v, want 200 len 2", code, v.Len)
			}
			if got := strings.Contains(v.HTML, "De uitslag van de ronde"); got != tc.wantHTML {
				t.Errorf("html with the new message: got %v, want %v", got, tc.wantHTML)
			}
		})
	}
	if !strings.Contains(all.HTML, `id="laatste"`) || strings.Contains(all.HTML, "<html") {
		t.Errorf("html: got %q, want the list items only", all.HTML)
	}
	if code := h.client().get("/updates?after=0").Code; code != http.StatusForbidden {
		t.Errorf("without cookie: got %v, want %v", code, http.StatusForbidden)
	}
}

func TestStaticAndUnknownPaths(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name, path, wantType string
		wantCode             int
	}{
		{"script", "/static/chat.js?v=" + h.ch.static["chat.js"], "text/javascript; charset=utf-8", http.StatusOK},
		{"style", "/static/chat.css", "text/css; charset=utf-8", http.StatusOK},
		{"no directory listing", "/static/", "text/html; charset=utf-8", http.StatusNotFound},
		{"no listing of a directory below", "/static/templates/", "text/html; charset=utf-8", http.StatusNotFound},
		{"a file as a directory", "/static/chat.js/", "text/html; charset=utf-8", http.StatusNotFound},
		{"no listing via an encoded dot", "/static/%2e/", "text/html; charset=utf-8", http.StatusNotFound},
		{"unknown static", "/static/geheim.txt", "text/html; charset=utf-8", http.StatusNotFound},
		{"unknown page", "/admin", "text/html; charset=utf-8", http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := h.client().get(tc.path)
			if rec.Code != tc.wantCode || rec.Header().Get("Content-Type") != tc.wantType {
				t.Errorf("got %v %q, want %v %q", rec.Code, rec.Header().Get("Content-Type"), tc.wantCode, tc.wantType)
			}
			if rec.Header().Get("Content-Security-Policy") == "" {
				t.Errorf("Content-Security-Policy: got none, want one")
			}
			// "no-referrer" would make browsers post our own forms with "Origin: null"
			if got := rec.Header().Get("Referrer-Policy"); got != "same-origin" {
				t.Errorf("Referrer-Policy: got %v, want %v", got, "same-origin")
			}
		})
	}
}
