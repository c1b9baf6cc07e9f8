package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/bot"
)

// langGet is a GET of path by client c with an Accept-Language and the language
// cookie taal ("" for none); it returns the page and the language cookie it set.
func langGet(c *client, path, accept, taal string) (body, setTaal string) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if accept != "" {
		req.Header.Set("Accept-Language", accept)
	}
	if taal != "" {
		req.AddCookie(&http.Cookie{Name: langCookie, Value: taal})
	}
	rec := c.do(req)
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == langCookie {
			setTaal = ck.Value
		}
	}
	return rec.Body.String(), setTaal
}

func htmlTag(body string) string {
	i := strings.Index(body, "<html")
	if i < 0 {
		return ""
	}
	return body[i : i+strings.Index(body[i:], ">")+1]
}

// The page's language: the latest message of the engine's > ?taal= > Accept-Language > Dutch.
func TestPageLanguagePrecedence(t *testing.T) {
	h := newHarness(t)

	t.Run("Dutch without a hint", func(t *testing.T) {
		body, _ := langGet(h.client(), "/", "", "")
		if got := htmlTag(body); got != `<html lang="nl">` {
			t.Errorf("html: got %s, want <html lang=\"nl\">", got)
		}
	})
	t.Run("Dutch for a language we do not offer", func(t *testing.T) {
		body, _ := langGet(h.client(), "/", "de-DE,de;q=0.9", "")
		if got := htmlTag(body); got != `<html lang="nl">` {
			t.Errorf("html: got %s, want <html lang=\"nl\">", got)
		}
	})
	t.Run("Accept-Language", func(t *testing.T) {
		body, _ := langGet(h.client(), "/", "ar-EG,ar;q=0.9,en;q=0.8", "")
		if got := htmlTag(body); got != `<html lang="ar" dir="rtl">` {
			t.Errorf("html: got %s, want <html lang=\"ar\" dir=\"rtl\">", got)
		}
	})

	t.Run("?taal= beats Accept-Language and is remembered for the chat", func(t *testing.T) {
		c := h.client()
		body, taal := langGet(c, "/?taal=en", "ar", "")
		if got := htmlTag(body); got != `<html lang="en">` {
			t.Errorf("html with ?taal=en: got %s, want <html lang=\"en\">", got)
		}
		if taal == "" {
			t.Fatal("got no language cookie, want one")
		}
		body, _ = langGet(c, "/", "ar", taal)
		if got := htmlTag(body); got != `<html lang="en">` {
			t.Errorf("html after ?taal=en: got %s, want <html lang=\"en\">", got)
		}
		// the choice belongs to that chat: with another chat's cookie it counts for nothing
		body, _ = langGet(h.client(), "/", "ar", taal)
		if got := htmlTag(body); got != `<html lang="ar" dir="rtl">` {
			t.Errorf("html of another chat with that cookie: got %s, want Accept-Language's", got)
		}
		// an unknown ?taal= is no choice
		body, set := langGet(h.client(), "/?taal=xx", "tr", "")
		if got := htmlTag(body); got != `<html lang="tr">` || set != "" {
			t.Errorf("?taal=xx: got %s and cookie %q, want Accept-Language's and none", got, set)
		}
	})

	t.Run("the latest message's language beats ?taal=", func(t *testing.T) {
		c, id := h.resident()
		_, taal := langGet(c, "/?taal=en", "", "")
		h.send(id, bot.Message{Text: "Welkom", Lang: "en"})
		h.send(id, bot.Message{Text: "Hoş geldiniz", Lang: "tr"})
		body, _ := langGet(c, "/?taal=en", "ar", taal)
		if got := htmlTag(body); got != `<html lang="tr">` {
			t.Errorf("html: got %s, want the latest message's <html lang=\"tr\">", got)
		}
		// the earlier message, in another language than the page, says so itself
		if !strings.Contains(body, `<li class="bericht bot" lang="en" dir="ltr" data-h=`) {
			t.Errorf("the English message: got no lang and dir of its own in\n%s", body)
		}
		if strings.Contains(body, `lang="tr" dir=`) {
			t.Errorf("a message in the page's language: got a lang of its own, want none")
		}
		// a Dutch message (Lang "") makes the chat Dutch again
		h.send(id, bot.Message{Text: "Welkom terug"})
		body, _ = langGet(c, "/", "ar", taal)
		if got := htmlTag(body); got != `<html lang="nl">` {
			t.Errorf("html after a Dutch message: got %s, want <html lang=\"nl\">", got)
		}
		// and chat.js hears of it
		req := httptest.NewRequest(http.MethodGet, "/updates?after=0&v=x", nil)
		h.send(id, bot.Message{Text: "مرحبا", Lang: "ar"})
		if got := c.do(req).Body.String(); !strings.Contains(got, `"lang":"ar"`) || !strings.Contains(got, `dir=\"ltr\"`) {
			t.Errorf("updates: got %s, want the chat's language ar and the Dutch messages marked ltr", got)
		}
	})

	t.Run("Arabic page chrome is printed right to left, the resident's words keep dir=auto", func(t *testing.T) {
		c, id := h.resident()
		h.send(id, bot.Message{Text: "سؤال", Lang: "ar", Choices: [][]bot.Choice{{{Label: "◀ السابق", Data: "b"}}}})
		body, _ := langGet(c, "/", "", "")
		for _, want := range []string{`<html lang="ar" dir="rtl">`, `class="vorige">السابق</button>`, `<p class="tekst" dir="auto">سؤال</p>`} {
			if !strings.Contains(body, want) {
				t.Errorf("got no %s", want)
			}
		}
	})
}

// Every post tells the engine the resident's language: the ?taal= choice, else the
// browser's Accept-Language.
func TestEventLang(t *testing.T) {
	h := newHarness(t)
	post := func(c *client, accept, taal string) bot.Event {
		t.Helper()
		id := h.idOf(c.cookie)
		req := httptest.NewRequest(http.MethodPost, "/send", strings.NewReader(h.form(id, "text", "hallo").Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "http://example.com")
		req.Header.Set("Accept", "application/json")
		if accept != "" {
			req.Header.Set("Accept-Language", accept)
		}
		if taal != "" {
			req.AddCookie(&http.Cookie{Name: langCookie, Value: taal})
		}
		if rec := c.do(req); rec.Code != http.StatusOK {
			t.Fatalf("post: got %d %s", rec.Code, rec.Body)
		}
		evs := h.eng.seen()
		return evs[len(evs)-1]
	}
	c := h.client()
	c.get("/")
	if ev := post(c, "ar-EG,ar;q=0.9", ""); ev.Lang != "ar-EG,ar;q=0.9" {
		t.Errorf("Event.Lang: got %q, want the Accept-Language", ev.Lang)
	}
	if ev := post(c, "", ""); ev.Lang != "" {
		t.Errorf("Event.Lang without a hint: got %q, want none", ev.Lang)
	}
	_, taal := langGet(c, "/?taal=uk", "ar", "")
	if ev := post(c, "ar", taal); ev.Lang != "uk" {
		t.Errorf("Event.Lang after ?taal=uk: got %q, want uk", ev.Lang)
	}
	if ev := post(c, strings.Repeat("en-GB,", 100)+"en", ""); ev.Lang != "en" {
		t.Errorf("Event.Lang of a huge Accept-Language: got %q, want its match en", ev.Lang)
	}
}

// The channel's own errors speak the chat's language too, also to chat.js.
func TestErrorsInTheChatsLanguage(t *testing.T) {
	h := newHarness(t)
	body, _ := langGet(h.client(), "/bestaat-niet", "pl", "")
	if !strings.HasPrefix(htmlTag(body), `<html lang="pl"`) {
		t.Errorf("404 page: got %s, want Polish", htmlTag(body))
	}
	c, id := h.resident()
	h.send(id, bot.Message{Text: "مرحبا", Lang: "ar"})
	body, _ = langGet(c, "/bestaat-niet", "", "")
	if htmlTag(body) != `<html lang="ar" dir="rtl">` {
		t.Errorf("404 page of an Arabic chat: got %s, want Arabic", htmlTag(body))
	}
	for _, path := range []string{"/privacy", "/mijngegevens", "/vergeetmij", "/link"} {
		body, _ = langGet(c, path, "", "")
		if htmlTag(body) != `<html lang="ar" dir="rtl">` {
			t.Errorf("%s of an Arabic chat: got %s, want Arabic", path, htmlTag(body))
		}
	}
}
