package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/discord/discordtest"
	"github.com/participatiebot/participatiebot/internal/redistest"
	"github.com/participatiebot/participatiebot/storage"
	"github.com/redis/go-redis/v9"
)

// TestDataRightsOnEveryChannel: a resident on each channel answers, asks /mijngegevens
// (the document lists exactly their answers), then /vergeetmij; afterwards no key or
// value in Redis holds their pseudonym, chat id or what they typed, and the round's
// tallies are those without them.
func TestDataRightsOnEveryChannel(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in short mode")
	}
	h := newHarness(t)
	dc := discordtest.NewServer(t, "discord-test-token")
	h.env["DISCORD_TOKEN"], h.env["DISCORD_API_BASE"] = "discord-test-token", dc.URL()
	h.serve()
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: h.redis.Addr})
	defer rdb.Close()
	st := storage.New(rdb)
	pseudonym := bot.NewEngine(bot.EngineConfig{Secret: []byte(h.env["PSEUDONYM_KEY"])}, st, nil, nil, nil).Pseudonym

	// one resident joins on each channel, then the round opens
	tg := h.resident(7401)
	if err := tg.join(ageLabels[1], "Dalfsen"); err != nil {
		t.Fatal(err)
	}
	dc.WaitFor(t, 10*time.Second, "the gateway connection", dc.Connected)
	m := &member{dc: dc, id: "300000000000000077"}
	dc.AddMember(m.id, "lid")
	_ = m.made(dc.Slash(m.id, "deelnemen", false, nil), nil)
	for _, s := range [][2]string{{"hoe oud bent u", ageLabels[2]}, {"Gaat u akkoord", "Ja, ik doe mee"}, {"In welke kern woont u", kernen[1]}} {
		if err := m.step(s[0], s[1]); err != nil {
			t.Fatal(err)
		}
	}
	w := newWebClient(t, h.baseURL())
	w.get("/")
	w.press("Beginnen")
	w.press("45 – 64 jaar")
	w.press("Ja, ik doe mee")
	w.press(kernen[2])
	rid := strings.Fields(h.cli("rounds", "open", "e2e"))[1]
	before, err := st.Tallies(ctx, rid)
	if err != nil {
		t.Fatal(err)
	}

	// each answers the first question
	if _, err := tg.step("Er staat een nieuwe vragenronde", "Doe mee"); err != nil {
		t.Fatal(err)
	}
	if _, err := tg.step("Vraag 1 van 7", posities[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := tg.await("Vraag 2 van 7"); err != nil {
		t.Fatal(err)
	}

	for _, s := range [][2]string{{"Er staat een nieuwe vragenronde", "Doe mee"}, {"Vraag 1 van 7", posities[1]}} {
		if err := m.step(s[0], s[1]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := m.await("Vraag 2 van 7"); err != nil {
		t.Fatal(err)
	}
	h.tg.WaitFor(t, 20*time.Second, "the invitation in the web chat", func() bool {
		return strings.Contains(w.get("/"), "Er staat een nieuwe vragenronde")
	})
	w.press("Doe mee")
	w.press(posities[2])
	if !strings.Contains(w.page, "Vraag 2 van 7") {
		t.Fatalf("web chat after answering: want question 2; page:\n%s", w.page)
	}
	webID, _, _ := strings.Cut(w.cookie("pb_web"), ".")

	residents := []struct {
		channel, user, chat, answer string
		mijn                        func() []byte // asks /mijngegevens, returns the JSON file
		vergeet                     func()        // asks /vergeetmij and confirms
	}{
		{"telegram", "7401", "7401", posities[0], func() []byte {
			h.tg.SendText(tg.uid, "/mijngegevens")
			if _, err := tg.await("Dit hebben we van u opgeslagen"); err != nil {
				t.Fatal(err)
			}
			var doc []byte
			h.tg.WaitFor(t, 10*time.Second, "the data file", func() bool {
				for _, s := range h.tg.Chat(tg.uid) {
					if s.Document != nil && s.Document.Name == "mijn-gegevens.json" {
						doc = s.Document.Bytes
					}
				}
				return doc != nil
			})
			return doc
		}, func() {
			h.tg.SendText(tg.uid, "/vergeetmij")
			if _, err := tg.step("Wissen kan niet ongedaan worden gemaakt", "Ja, wis alles"); err != nil {
				t.Fatal(err)
			}
			if _, err := tg.await("Alles wat we van u hadden is gewist"); err != nil {
				t.Fatal(err)
			}
		}},
		{"discord", m.id, dc.DMChannel(m.id), posities[1], func() []byte {
			_ = m.made(dc.Slash(m.id, "mijngegevens", false, nil), nil)
			if _, err := m.await("Dit hebben we van u opgeslagen"); err != nil {
				t.Fatal(err)
			}
			var doc []byte
			dc.WaitFor(t, 10*time.Second, "the data file", func() bool {
				for _, msg := range m.messages() {
					for _, f := range msg.Files {
						if f.Name == "mijn-gegevens.json" {
							doc = f.Bytes
						}
					}
				}
				return doc != nil
			})
			return doc
		}, func() {
			_ = m.made(dc.Slash(m.id, "vergeetmij", false, nil), nil)
			if err := m.step("Wissen kan niet ongedaan worden gemaakt", "Ja, wis alles"); err != nil {
				t.Fatal(err)
			}
			if _, err := m.await("Alles wat we van u hadden is gewist"); err != nil {
				t.Fatal(err)
			}
		}},
		{"web", webID, webID, posities[2], func() []byte {
			w.get("/mijngegevens")
			for _, want := range []string{"Uw gegevens", posities[2], kernen[2], "Toestemming gegeven op", "Dit gesprek"} {
				if !strings.Contains(w.page, html.EscapeString(want)) {
					t.Errorf("web data page: no %q in\n%s", want, w.page)
				}
			}
			return []byte(w.get("/mijngegevens.json"))
		}, func() {
			w.get("/vergeetmij")
			w.submit("Ja, wis alles")
			if !strings.Contains(w.page, "Alles is gewist") {
				t.Errorf("web erasure: got page\n%s", w.page)
			}
		}},
	}
	for _, r := range residents {
		raw := r.mijn()
		var doc bot.MyData
		if r.channel == "web" {
			var wrapped struct {
				Data       *bot.MyData `json:"gegevens"`
				Transcript []struct{ Van, Tekst string }
			}
			if err := json.Unmarshal(raw, &wrapped); err != nil || wrapped.Data == nil {
				t.Fatalf("web data file: %v\n%s", err, raw)
			}
			doc = *wrapped.Data
		} else if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s data file: %v\n%s", r.channel, err, raw)
		}
		var answers []string
		for _, mr := range doc.Rounds {
			for _, a := range mr.Answers {
				answers = append(answers, mr.Round+": "+a.Answer)
			}
		}
		if want := []string{rid + ": " + r.answer}; !slices.Equal(answers, want) {
			t.Errorf("%s: the data file lists %q, want exactly %q", r.channel, answers, want)
		}
		if doc.Pseudonym != pseudonym(r.channel, r.user) {
			t.Errorf("%s: pseudonym %s, want %s", r.channel, doc.Pseudonym, pseudonym(r.channel, r.user))
		}
	}
	for _, r := range residents {
		r.vergeet()
	}
	settle(t, h, nil)
	// what the answers added is gone again; the invitations sent stay counted
	delete(before, "invited")
	got, err := st.Tallies(ctx, rid)
	if err != nil {
		t.Fatal(err)
	}
	delete(got, "invited")
	if fmt.Sprint(got) != fmt.Sprint(before) {
		t.Errorf("tallies after the erasures: got %v, want %v", got, before)
	}
	var needles []string
	for _, r := range residents {
		chat, _ := json.Marshal(r.chat)
		needles = append(needles, pseudonym(r.channel, r.user), `"chat_id":`+string(chat))
	}
	needles = append(needles, webID, m.id)
	if found := redistest.Find(t, rdb, needles...); len(found) > 0 {
		t.Errorf("after the erasures Redis still holds:\n%s", strings.Join(found, "\n"))
	}
}

// webClient is a browser without JavaScript: it follows the chat's forms.
type webClient struct {
	t    *testing.T
	base string
	c    *http.Client
	page string
	// from, when set, is the address a trusted proxy says the request came from
	// (X-Forwarded-For), so that residents behind one test machine are apart
	from string
}

func newWebClient(t *testing.T, base string) *webClient {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &webClient{t: t, base: strings.TrimRight(base, "/"), c: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

func (w *webClient) cookie(name string) string {
	u, _ := url.Parse(w.base)
	for _, c := range w.c.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	w.t.Fatalf("no cookie %s", name)
	return ""
}

func (w *webClient) do(req *http.Request) string {
	w.t.Helper()
	if w.from != "" {
		req.Header.Set("X-Forwarded-For", w.from)
	}
	resp, err := w.c.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		w.t.Fatalf("%s %s: %d\n%s", req.Method, req.URL, resp.StatusCode, b)
	}
	return string(b)
}

func (w *webClient) get(path string) string {
	w.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, w.base+path, nil)
	body := w.do(req)
	if !strings.HasSuffix(path, ".json") {
		w.page = body
	}
	return body
}

var (
	formRe   = regexp.MustCompile(`(?s)<form[^>]*action="(/[a-z]+)"[^>]*>(.*?)</form>`)
	hiddenRe = regexp.MustCompile(`<input type="hidden" name="([a-z]+)" value="([^"]*)">`)
	buttonRe = regexp.MustCompile(`<button type="submit"(?: name="([a-z]+)")?(?: dir="auto")?(?: value="([^"]*)")?(?: class="vink" aria-pressed="(true|false)")?[^>]*>([^<]*)</button>`)
)

// press submits the newest form with a button labelled label, as a browser does.
func (w *webClient) press(label string) {
	w.t.Helper()
	forms := formRe.FindAllStringSubmatch(w.page, -1)
	for i := len(forms) - 1; i >= 0; i-- {
		for _, b := range buttonRe.FindAllStringSubmatch(forms[i][2], -1) {
			if shownLabel(b) != label {
				continue
			}
			form := url.Values{}
			for _, hv := range hiddenRe.FindAllStringSubmatch(forms[i][2], -1) {
				form.Set(hv[1], html.UnescapeString(hv[2]))
			}
			if b[1] != "" {
				form.Set(b[1], html.UnescapeString(b[2]))
			}
			req, _ := http.NewRequest(http.MethodPost, w.base+forms[i][1], strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", w.base)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			w.page = w.do(req)
			if forms[i][1] == "/send" && !strings.Contains(w.page, "id=\"gesprek\"") {
				w.t.Fatalf("after pressing %q: not the chat page:\n%s", label, w.page)
			}
			return
		}
	}
	w.t.Fatalf("no button %q on the page:\n%s", label, w.page)
}

// submit is press for a form whose button has no name.
func (w *webClient) submit(label string) { w.press(label) }

// shownLabel is a button's label (a buttonRe match) as the engine wrote it: a tick
// button's state, which the page shows with aria-pressed, as its glyph.
func shownLabel(b []string) string {
	label := html.UnescapeString(b[4])
	switch b[3] {
	case "true":
		return bot.TickGlyph[bot.TickOn] + label
	case "false":
		return bot.TickGlyph[bot.TickOff] + label
	}
	return label
}
