package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
)

var (
	linkOnPage = regexp.MustCompile(`href="` + regexp.QuoteMeta(publicURL) + `/\?p=([^"]+)"`)
	switchCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	switchP    = regexp.MustCompile(`name="p" value="([^"]+)"`)
)

// linkOf is the personal link on a client's page.
func (h *harness) linkOf(c *client) string {
	h.t.Helper()
	m := linkOnPage.FindStringSubmatch(c.get("/").Body.String())
	if m == nil {
		h.t.Fatalf("page: got no personal link under %s, want one", publicURL)
	}
	return m[1]
}

// confirmation reads the switch form from a link's confirmation page.
func confirmation(t *testing.T, body string) url.Values {
	t.Helper()
	csrf, p := switchCSRF.FindStringSubmatch(body), switchP.FindStringSubmatch(body)
	if csrf == nil || p == nil {
		t.Fatalf("confirmation page: got no switch form in\n%s", body)
	}
	return url.Values{"csrf": {csrf[1]}, "p": {p[1]}}
}

func TestPersonalLinkAlwaysAsks(t *testing.T) {
	h := newHarness(t)
	owner, id := h.resident()
	h.send(id, bot.Message{Text: "Vraag 1"})
	link := h.linkOf(owner)
	if ownerID, exp, _ := strings.Cut(strings.TrimSuffix(link, link[strings.LastIndexByte(link, '.'):]), "."); ownerID != id || exp == "" {
		t.Fatalf("link %q: got id %q, want %q with an expiry", link, ownerID, id)
	}
	busy, busyID := h.resident()
	h.send(busyID, bot.Message{Text: "Ander gesprek"})
	tests := []struct {
		name     string
		client   *client
		path     string
		header   []string
		wantCode int
		wantText []string
		wantSame bool // the client keeps the id it had (false: a new visitor's id, never the link's)
	}{
		{"fresh device", h.client(), "/?p=" + link, nil, http.StatusOK,
			[]string{"Dit is een persoonlijke link", "Wilt u dit gesprek openen?", `action="/link"`}, false},
		{"fresh device via /link", h.client(), "/link?p=" + link, nil, http.StatusOK, []string{"Wilt u dit gesprek openen?"}, false},
		{"from another site", h.client(), "/?p=" + link, []string{"Sec-Fetch-Site", "cross-site", "Referer", "https://evil.example/"}, http.StatusOK,
			[]string{"via een andere website", "Wilt u dit gesprek openen?"}, false},
		{"over an ongoing conversation", busy, "/?p=" + link, nil, http.StatusOK,
			[]string{"Wilt u dit gesprek openen?", "Bewaar dan eerst de persoonlijke link"}, true},
		{"own conversation: nothing to switch", owner, "/?p=" + link, nil, http.StatusSeeOther, nil, true},
		{"tampered link", h.client(), "/?p=" + link[:len(link)-3] + "AAA", nil, http.StatusForbidden, []string{"ongeldig"}, false},
		{"other id under the signature", h.client(), "/?p=" + newID() + link[idLen:], nil, http.StatusForbidden, []string{"ongeldig"}, false},
		{"later expiry under the signature", h.client(), "/?p=" + id + ".9999999999" + link[strings.LastIndexByte(link, '.'):], nil,
			http.StatusForbidden, []string{"ongeldig"}, false},
		{"cookie used as link", h.client(), "/?p=" + h.ch.cookieValue(session{id: id, started: true}), nil, http.StatusForbidden, []string{"ongeldig"}, false},
		{"bare id", h.client(), "/?p=" + id, nil, http.StatusForbidden, []string{"ongeldig"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := tc.client.cookie
			req := httptestGet(tc.path, tc.header...)
			rec := tc.client.do(req)
			if rec.Code != tc.wantCode {
				t.Errorf("status: got %v, want %v", rec.Code, tc.wantCode)
			}
			for _, want := range tc.wantText {
				if !strings.Contains(rec.Body.String(), want) {
					t.Errorf("page: got no %q, want it", want)
				}
			}
			if tc.client.cookie == "" {
				return // refused before any identity was given
			}
			got := h.idOf(tc.client.cookie)
			if got == id && tc.client != owner {
				t.Errorf("cookie: got the link's identity, want it only after confirming")
			}
			if tc.wantSame && got != h.idOf(before) {
				t.Errorf("cookie: got %v, want the client's own %v", got, h.idOf(before))
			}
		})
	}
}

func httptestGet(path string, header ...string) *http.Request {
	req, _ := http.NewRequest(http.MethodGet, "http://example.com"+path, nil)
	req.Host = "example.com"
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return req
}

func TestPersonalLinkConfirmation(t *testing.T) {
	h := newHarness(t)
	owner, id := h.resident()
	h.send(id, bot.Message{Text: "Vraag 1 van het eigen gesprek"})
	link := h.linkOf(owner)
	// asked is a browser that opened the link and was shown the question
	asked := func(t *testing.T) (*client, url.Values) {
		c := h.client()
		rec := c.get("/?p=" + link)
		return c, confirmation(t, rec.Body.String())
	}
	refusals := []struct {
		name   string
		form   func(c *client, f url.Values) url.Values
		header []string
		want   string
	}{
		{"cross-site post", nil, []string{"Sec-Fetch-Site", "cross-site", "Origin", ""}, "niet van deze website"},
		{"Origin of another site", nil, []string{"Origin", "https://evil.example"}, "niet van deze website"},
		{"Referer of another site", nil, []string{"Origin", "", "Sec-Fetch-Site", "", "Referer", "https://evil.example/p"}, "niet van deze website"},
		{"no same-origin proof", nil, []string{"Origin", "", "Sec-Fetch-Site", ""}, "niet van deze website"},
		{"token shown to another browser", func(c *client, f url.Values) url.Values {
			_, other := asked(t)
			f.Set("csrf", other.Get("csrf"))
			return f
		}, nil, "niet konden controleren"},
		{"token of the page's forms", func(c *client, f url.Values) url.Values {
			f.Set("csrf", h.ch.csrfToken(h.idOf(c.cookie)))
			return f
		}, nil, "niet konden controleren"},
		{"other link under the token", func(c *client, f url.Values) url.Values {
			_, other := h.resident()
			f.Set("p", h.ch.sign(purposeLink, other+".9999999999"))
			return f
		}, nil, "niet konden controleren"},
		{"no cookie", func(c *client, f url.Values) url.Values { c.cookie = ""; return f }, nil, "niet konden controleren"},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			c, f := asked(t)
			if tc.form != nil {
				f = tc.form(c, f)
			}
			before := c.cookie
			rec := c.post("/link", f, tc.header...)
			if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), tc.want) {
				t.Errorf("got %v, want 403 saying %q", rec.Code, tc.want)
			}
			if c.cookie != before {
				t.Errorf("cookie: got changed, want it kept")
			}
		})
	}
	t.Run("confirmed on this site", func(t *testing.T) {
		for _, header := range [][]string{
			nil, // Origin and Sec-Fetch-Site same-origin
			{"Origin", "", "Sec-Fetch-Site", "", "Referer", "http://example.com/?p=" + link},
			{"Origin", publicURL, "Sec-Fetch-Site", ""}, // behind a proxy that rewrites Host
		} {
			c, f := asked(t)
			rec := c.post("/link", f, header...)
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/" {
				t.Fatalf("%v: got %v %q, want 303 to /", header, rec.Code, rec.Header().Get("Location"))
			}
			if got := h.idOf(c.cookie); got != id {
				t.Errorf("%v: cookie after confirming: got %v, want the link's %v", header, got, id)
			}
			if body := c.get("/").Body.String(); !strings.Contains(body, "Vraag 1 van het eigen gesprek") {
				t.Errorf("%v: page after confirming: got no owner's conversation", header)
			}
		}
	})
}

func TestPersonalLinkExpires(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.LinkTTL = 48 * time.Hour })
	owner, id := h.resident()
	h.send(id, bot.Message{Text: "Vraag 1"})
	link := h.linkOf(owner)
	c := h.client()
	f := confirmation(t, c.get("/?p="+link).Body.String())
	h.clock.add(48*time.Hour - time.Minute)
	if rec := h.client().get("/?p=" + link); rec.Code != http.StatusOK {
		t.Errorf("just before expiry: got %v, want %v", rec.Code, http.StatusOK)
	}
	h.clock.add(2 * time.Minute)
	for name, rec := range map[string]*httptest.ResponseRecorder{
		"open":    h.client().get("/?p=" + link),
		"confirm": c.post("/link", f),
	} {
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "verlopen") {
			t.Errorf("%s after expiry: got %v, want 403 saying it expired", name, rec.Code)
		}
	}
	if got := h.idOf(c.cookie); got == id {
		t.Errorf("cookie: got the expired link's identity, want none of it")
	}
	// the page shows a fresh link, with a new expiry
	if fresh := h.linkOf(owner); fresh == link || h.client().get("/?p="+fresh).Code != http.StatusOK {
		t.Errorf("fresh link: got the old one or refused, want a new working link")
	}
}

func TestLinksAndCookiesDieWithTheChat(t *testing.T) {
	h := newHarness(t)
	owner, id := h.resident()
	h.send(id, bot.Message{Text: "Vraag 1"})
	link := h.linkOf(owner)
	c := h.client()
	f := confirmation(t, c.get("/?p="+link).Body.String())
	// the engine forgets the chat at /stop and /vergeetmij, twice is no error
	for range 2 {
		if err := h.ch.Forget(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	checks := []struct {
		name string
		rec  *httptest.ResponseRecorder
		code int
		text string
	}{
		{"open the link", h.client().get("/?p=" + link), http.StatusForbidden, "bestaat niet meer"},
		{"confirm the link", c.post("/link", f), http.StatusForbidden, "bestaat niet meer"},
		{"the owner's cookie polls", owner.get("/updates?after=0"), http.StatusForbidden, "niet vinden"},
		{"the owner's cookie posts", owner.post("/send", h.form(id, "text", "hallo")), http.StatusForbidden, "niet konden controleren"},
	}
	for _, ck := range checks {
		if ck.rec.Code != ck.code || !strings.Contains(ck.rec.Body.String(), ck.text) {
			t.Errorf("%s: got %v, want %v saying %q", ck.name, ck.rec.Code, ck.code, ck.text)
		}
	}
	if rec := owner.get("/"); strings.Contains(rec.Body.String(), "Vraag 1") || h.idOf(owner.cookie) == id {
		t.Errorf("the owner's page: got the forgotten chat, want a new visitor's welcome")
	}
	// a late message of the engine to the forgotten chat brings nothing back
	if err := h.ch.Send(context.Background(), bot.Message{To: bot.Address{Channel: "web", ChatID: id}, Text: "U bent afgemeld."}); err != nil {
		t.Errorf("send to a forgotten chat: got %v, want it dropped without error", err)
	}
	if ok, _ := h.store.WebExists(context.Background(), id); ok {
		t.Errorf("chat after a late send: got stored again, want gone")
	}
}

func TestPersonalLinkFromPublicURL(t *testing.T) {
	h := newHarness(t)
	owner, id := h.resident()
	for _, path := range []string{"/", "/link"} {
		req := httptestGet(path, "X-Forwarded-Host", "evil.example", "Forwarded", "host=evil.example")
		req.Host = "evil.example"
		body := owner.do(req).Body.String()
		if strings.Contains(body, "evil.example") || !strings.Contains(body, publicURL+"/?p="+id+".") {
			t.Errorf("%s with a forged Host: got no link under %s (or one to evil.example), want %s/?p=…", path, publicURL, publicURL)
		}
	}
}
