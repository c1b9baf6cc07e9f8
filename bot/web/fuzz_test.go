package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/storage"
)

// fuzzChannel is a channel without Redis: signing and parsing need none.
func fuzzChannel(f *testing.F) *Channel {
	ch, err := New(Config{Secret: []byte("0123456789abcdef-fuzz-secret"), PublicURL: publicURL},
		storage.New(nil), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		f.Fatal(err)
	}
	return ch
}

// FuzzVerify: signed ids, cookies, links and tokens are accepted only exactly as sign
// made them, and sign then open gives the payload back.
func FuzzVerify(f *testing.F) {
	ch := fuzzChannel(f)
	id := "0123456789abcdef0123456789abcdef"
	cookie := ch.cookieValue(session{id: id, started: true})
	link := ch.sign(purposeLink, id+".1900000000")
	for _, s := range []string{cookie, link, ch.csrfToken(id), cookie + "=", cookie[:len(cookie)-1] + "B",
		id, "", ".", "..", id + ".s.1.", strings.ToUpper(cookie), link + "\x00"} {
		f.Add(s)
	}
	purposes := []string{purposeCookie, purposeLink, purposeCSRF, purposeSwitch}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range purposes {
			if payload, ok := ch.open(p, s); ok && ch.sign(p, payload) != s {
				t.Fatalf("open(%s, %q): accepted %q, which sign does not make", p, s, payload)
			}
			if payload, ok := ch.open(p, ch.sign(p, s)); !ok || payload != s {
				t.Fatalf("open(sign(%s, %q)): got %q %v, want it back", p, s, payload, ok)
			}
		}
		if got, started, issued, ok := ch.parseCookie(s); ok {
			kind := map[bool]string{true: "s", false: "n"}[started]
			if want := ch.sign(purposeCookie, got+"."+kind+"."+strconv.FormatInt(issued.Unix(), 10)); want != s || !validID(got) {
				t.Fatalf("parseCookie(%q): accepted, but sign makes %q", s, want)
			}
		}
		if got, st := ch.parseLink(s); st == linkOK && !validID(got) {
			t.Fatalf("parseLink(%q): accepted id %q", s, got)
		}
		if ch.checkCSRF(id, s) != (s == ch.csrfToken(id)) {
			t.Fatalf("checkCSRF(%q): got %v, want true only for the token itself", s, !(s == ch.csrfToken(id)))
		}
	})
}

// FuzzInput: any form fields give either a refusal or a well-formed event.
func FuzzInput(f *testing.F) {
	id, nonce := "0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"
	f.Add(false, "/start", "", "")
	f.Add(false, "  Meer bankjes\r\nin het park  ", "", "")
	f.Add(false, "/help@participatiebot extra", "", "")
	f.Add(false, "\xff\xfe", "", "")
	f.Add(true, "", "q1:ja", id+":1")
	f.Add(true, "", "q1:ja", id+":01")
	f.Add(true, "", strings.Repeat("d", 201), id+":1")
	f.Add(true, "", "\xff", id+":1")
	f.Fuzz(func(t *testing.T, pressed bool, text, data, ref string) {
		form := url.Values{"text": {text}}
		if pressed {
			form.Set("data", data)
			form.Set("ref", ref)
		}
		ev, typed, code := input(form, id, nonce)
		switch code {
		case 0:
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			return
		default:
			t.Fatalf("code: got %v, want 0, 400 or 413", code)
		}
		if ev.Channel != "web" || ev.UserID != id || ev.ChatID != id || ev.UpdateID != nonce {
			t.Fatalf("event: got %+v, want it addressed to %s with update %s", ev, id, nonce)
		}
		switch ev.Kind {
		case 0:
			if typed != "" {
				t.Fatalf("no event for %q, want one", typed)
			}
		case bot.ChoiceEvent:
			ref, ok := parseRef(ev.MessageRef)
			if !ok || ref.chat != id || ev.Data == "" || len(ev.Data) > DefaultLimits.MaxChoiceData || !utf8.ValidString(ev.Data) {
				t.Fatalf("choice: got %+v, want data of 1–%d bytes of UTF-8 on a ref of this chat", ev, DefaultLimits.MaxChoiceData)
			}
		case bot.CommandEvent:
			if ev.Command == "" || strings.ContainsFunc(ev.Command, func(r rune) bool { return !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '_') }) ||
				!utf8.ValidString(ev.Args) || strings.TrimSpace(ev.Args) != ev.Args {
				t.Fatalf("command: got %+v, want a lower-case word and trimmed UTF-8 arguments", ev)
			}
		case bot.TextEvent:
			if ev.Text != typed || ev.Text == "" || !utf8.ValidString(ev.Text) || strings.TrimSpace(ev.Text) != ev.Text ||
				utf8.RuneCountInString(ev.Text) > maxText || strings.Contains(ev.Text, "\r\n") {
				t.Fatalf("text: got %+v, want trimmed UTF-8 of at most %d characters", ev, maxText)
			}
			if _, _, isCmd := command(ev.Text); isCmd {
				t.Fatalf("text %q: is a command", ev.Text)
			}
		default:
			t.Fatalf("kind: got %v, want choice, command or text", ev.Kind)
		}
	})
}

// FuzzParseRef: a message reference is accepted only in the form String writes.
func FuzzParseRef(f *testing.F) {
	id := "0123456789abcdef0123456789abcdef"
	for _, s := range []string{id + ":0", id + ":12", id + ":012", id + ":+1", id + ":-1", id + ":", ":1",
		id + ":99999999999999999999", strings.ToUpper(id) + ":1", id + ":1:2", id + ": 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ref, ok := parseRef(s)
		if !ok {
			return
		}
		if ref.String() != s || !validID(ref.chat) || ref.id < 0 {
			t.Fatalf("parseRef(%q): got %+v, which String writes as %q", s, ref, ref.String())
		}
	})
}
