package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/bot"
)

func TestSendWritesTranscript(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	tests := []struct {
		name    string
		msg     func(chat string) bot.Message
		wantErr error
		want    string // the transcript's texts after sending onto "Vraag" (0) and "Tussendoor" (1)
	}{
		{"new message", func(chat string) bot.Message { return bot.Message{Text: "Nieuw"} },
			nil, "Vraag|Tussendoor|Nieuw"},
		{"edit replaces the message", func(chat string) bot.Message { return bot.Message{Text: "Vraag ✔ Ja", EditRef: chat + ":0"} },
			nil, "Vraag ✔ Ja|Tussendoor"},
		{"edit of a missing message appends", func(chat string) bot.Message { return bot.Message{Text: "Opnieuw", EditRef: chat + ":7"} },
			nil, "Vraag|Tussendoor|Opnieuw"},
		{"edit of another chat's message appends", func(chat string) bot.Message { return bot.Message{Text: "Eigen", EditRef: newID() + ":0"} },
			nil, "Vraag|Tussendoor|Eigen"},
		{"malformed edit ref appends", func(chat string) bot.Message { return bot.Message{Text: "Toch", EditRef: "12345:0"} },
			nil, "Vraag|Tussendoor|Toch"},
		{"chat id of another platform", func(chat string) bot.Message { return bot.Message{To: bot.Address{ChatID: "12345"}, Text: "x"} },
			bot.ErrPermanent, "Vraag|Tussendoor"},
		{"button data too long", func(chat string) bot.Message {
			return bot.Message{Text: "x", Choices: [][]bot.Choice{{{Label: "a", Data: strings.Repeat("d", 201)}}}}
		}, bot.ErrPermanent, "Vraag|Tussendoor"},
		{"empty button data", func(chat string) bot.Message {
			return bot.Message{Text: "x", Choices: [][]bot.Choice{{{Label: "a"}}}}
		}, bot.ErrPermanent, "Vraag|Tussendoor"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			chat := newID()
			h.start(chat)
			h.send(chat, bot.Message{Text: "Vraag", Choices: [][]bot.Choice{{{Label: "Ja", Data: "j"}}}})
			h.send(chat, bot.Message{Text: "Tussendoor"})
			m := tc.msg(chat)
			if m.To.ChatID == "" {
				m.To = bot.Address{Channel: "web", ChatID: chat}
			}
			if err := h.ch.Send(ctx, m); !errors.Is(err, tc.wantErr) {
				t.Fatalf("got %v, want %v", err, tc.wantErr)
			}
			var texts []string
			for _, e := range h.transcript(chat) {
				texts = append(texts, e.Text)
			}
			if got := strings.Join(texts, "|"); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func pngOf(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestAttachments(t *testing.T) {
	h := newHarness(t)
	pic := pngOf(t)
	tests := []struct {
		name    string
		msg     bot.Message
		want    []string
		notWant []string
	}{
		{"image inline with alt and caption",
			bot.Message{Text: "Uitslag ronde 3", Image: &bot.File{Name: "uitslag.png", Data: pic, Alt: "Staafdiagram: 62% eens"}},
			[]string{`<img src="data:image/png;base64,`, `alt="Staafdiagram: 62% eens"`, "Uitslag ronde 3"}, nil},
		{"image too large",
			bot.Message{Text: "Grafiek", Image: &bot.File{Name: "groot.png", Data: append(pic, make([]byte, maxAttachment)...)}},
			[]string{"(bijlage te groot)", "Grafiek"}, []string{"<img"}},
		{"document as download",
			bot.Message{Text: "De cijfers", Document: &bot.File{Name: "uitslag.csv", Data: []byte("kern;aantal\nDalfsen;12\n")}},
			[]string{`href="data:application/octet-stream;base64,`, `download="uitslag.csv"`, "uitslag.csv downloaden (23 bytes)"}, nil},
		{"SVG image is offered, not shown",
			bot.Message{Image: &bot.File{Name: "x.svg", Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)}},
			[]string{`download="x.svg"`}, []string{"<img", "image/svg"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, id := h.resident()
			h.send(id, tc.msg)
			body := c.get("/").Body.String()
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("got no %q, want it", w)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(body, w) {
					t.Errorf("got %q, want none", w)
				}
			}
		})
	}
}

// hostile are texts that must come out as text, whoever wrote them: in bot messages,
// button labels and data, and what the resident types.
var hostile = []struct {
	name, text, escaped string
	typedCode           int // the answer to typing it
}{
	{"script tag", `<script>alert(1)</script>`, `&lt;script&gt;alert(1)&lt;/script&gt;`, http.StatusSeeOther},
	{"attribute breakout", `"><img src=x onerror=alert(1)>`, `&#34;&gt;&lt;img src=x onerror=alert(1)&gt;`, http.StatusSeeOther},
	{"10,000 characters", strings.Repeat("lang", 2500), strings.Repeat("lang", 2500), http.StatusRequestEntityTooLarge},
	{"emoji with skin tone", "Duim 👍🏽 omhoog", "Duim 👍🏽 omhoog", http.StatusSeeOther},
	{"right-to-left", "مرحبا بالعالم", "مرحبا بالعالم", http.StatusSeeOther},
}

func TestHostileTextIsEscaped(t *testing.T) {
	h := newHarness(t)
	for _, tc := range hostile {
		t.Run(tc.name, func(t *testing.T) {
			c, id := h.resident()
			h.eng.setConsent(id, true) // what a participating resident types is kept and shown
			data := tc.text
			if len(data) > DefaultLimits.MaxChoiceData {
				data = "lang"
			}
			h.send(id, bot.Message{Text: "ouder " + tc.text, Choices: [][]bot.Choice{{{Label: "oud " + tc.text, Data: "o"}}}})
			h.send(id, bot.Message{Text: tc.text, Choices: [][]bot.Choice{{{Label: tc.text, Data: data}}}})
			shown := c.get("/").Body.String() // the hostile button, still pressable
			if strings.Contains(shown, "<script>") || strings.Contains(shown, "<img src=x") || !strings.Contains(shown, `>`+tc.escaped+`</button>`) {
				t.Errorf("button: got raw markup or no escaped label, want the label escaped")
			}
			if code := c.post("/send", h.form(id, "text", tc.text)).Code; code != tc.typedCode {
				t.Errorf("typed: got %v, want %v", code, tc.typedCode)
			}
			if code := c.post("/send", h.form(id, "data", data, "ref", id+":1")).Code; code != http.StatusSeeOther {
				t.Errorf("pressed: got %v, want %v", code, http.StatusSeeOther)
			}
			page := c.get("/").Body.String()
			var upd updatesView
			if err := json.Unmarshal(c.get("/updates?after=0").Body.Bytes(), &upd); err != nil {
				t.Fatal(err)
			}
			// the older message's text and label, the pressed label, the typed text and
			// the data in the fake engine's edit (neither when too long)
			want := 5
			if tc.typedCode != http.StatusSeeOther {
				want = 3
			}
			for name, out := range map[string]string{"page": page, "updates": upd.HTML} {
				if strings.Contains(out, "<script>") || strings.Contains(out, "<img src=x") {
					t.Errorf("%s: got raw markup, want it escaped", name)
				}
				if n := strings.Count(out, tc.escaped); n != want {
					t.Errorf("%s: got the escaped text %v times, want %v", name, n, want)
				}
			}
		})
	}
}

// A chart shared by many chats is kept once in storage: the transcript holds its
// reference, the page points at /bijlage/<ref>, and that serves the PNG.
func TestSharedAttachment(t *testing.T) {
	h := newHarness(t)
	pic := pngOf(t)
	ref, err := h.store.PutBlob(t.Context(), pic)
	if err != nil {
		t.Fatal(err)
	}
	c, id := h.resident()
	h.send(id, bot.Message{Text: "Staafdiagram: Waar moet de ingang komen?", Image: &bot.File{Name: "vraag-ingang.png", Data: pic, Ref: ref, Alt: "Staafdiagram: Aan de voorkant 62,5%"}})
	tr := h.transcript(id)
	if img := tr[len(tr)-1].Image; img == nil || img.Ref != ref || len(img.Data) != 0 {
		t.Fatalf("transcript: got %+v, want the reference without the bytes", img)
	}
	body := c.get("/").Body.String()
	if !strings.Contains(body, `<img src="bijlage/`+ref+`" alt="Staafdiagram: Aan de voorkant 62,5%">`) {
		t.Errorf("page: no image by reference in\n%s", body)
	}
	w := c.get("/bijlage/" + ref)
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/png" || !bytes.Equal(w.Body.Bytes(), pic) ||
		w.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("attachment: got %d %s, want the PNG", w.Code, w.Header().Get("Content-Type"))
	}
	svg, err := h.store.PutBlob(t.Context(), []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{strings.Repeat("0", 64), "../../etc/passwd", strings.ToUpper(ref), svg} {
		if w := c.get("/bijlage/" + bad); w.Code == http.StatusOK || bytes.Contains(w.Body.Bytes(), []byte("<svg")) {
			t.Errorf("attachment %q: got %d, want it refused", bad, w.Code)
		}
	}
}

// An album is one bubble: each chart by reference, with its alt text as alt and
// as a visible caption (hidden from screen readers, which read the alt), escaped.
func TestAlbumInOneBubble(t *testing.T) {
	h := newHarness(t)
	pic := pngOf(t)
	var album []bot.File
	for i, alt := range []string{"Staafdiagram: Aan de voorkant 62,5%", "Taartdiagram <b>vet</b>", ""} {
		ref, err := h.store.PutBlob(t.Context(), append(pic, byte(i))) // three different blobs
		if err != nil {
			t.Fatal(err)
		}
		album = append(album, bot.File{Name: fmt.Sprintf("vraag-%d.png", i+1), Data: append(pic, byte(i)), Ref: ref, Alt: alt})
	}
	c, id := h.resident()
	before := len(h.transcript(id))
	h.send(id, bot.Message{Album: album})
	tr := h.transcript(id)
	if len(tr) != before+1 || len(tr[before].Album) != 3 {
		t.Fatalf("transcript: got %d new entries %+v, want one with three images", len(tr)-before, tr[before:])
	}
	for i, a := range tr[before].Album {
		if a.Ref != album[i].Ref || len(a.Data) != 0 || a.Alt != album[i].Alt {
			t.Errorf("image %d: got %+v, want the reference %s without bytes", i, a, album[i].Ref)
		}
	}
	body := c.get("/").Body.String()
	for _, want := range []string{
		`<figure><img src="bijlage/` + album[0].Ref + `" alt="Staafdiagram: Aan de voorkant 62,5%"><details class="als-tekst"><summary>Toon als tekst</summary><p dir="auto">Staafdiagram: Aan de voorkant 62,5%</p></details></figure>`,
		`alt="Taartdiagram &lt;b&gt;vet&lt;/b&gt;"><details class="als-tekst"><summary>Toon als tekst</summary><p dir="auto">Taartdiagram &lt;b&gt;vet&lt;/b&gt;</p></details>`,
		`<img src="bijlage/` + album[2].Ref + `" alt="vraag-3.png">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page: no %s in\n%s", want, body)
		}
	}
	if err := h.ch.Send(t.Context(), bot.Message{To: bot.Address{Channel: "web", ChatID: id}, Text: "Grafieken", Album: album}); !errors.Is(err, bot.ErrPermanent) {
		t.Errorf("album with text: got %v, want ErrPermanent", err)
	}
}

// A text over the web chat's own limit goes in bubbles, the buttons on the last.
func TestLongTextInBubbles(t *testing.T) {
	h := newHarness(t)
	_, id := h.resident()
	text := strings.Repeat("Meer groen in Nieuwleusen, één ideeën-café 🌳\n", 500) // 23,000 characters
	h.send(id, bot.Message{Text: text, Choices: [][]bot.Choice{{{Label: "Verder", Data: "v"}}}})
	tr := h.transcript(id)
	var joined strings.Builder
	for i, e := range tr {
		joined.WriteString(e.Text)
		if n := utf8.RuneCountInString(e.Text); n > DefaultLimits.MaxText {
			t.Errorf("bubble %d: %d characters, want at most %d", i, n, DefaultLimits.MaxText)
		}
		if (len(e.Choices) > 0) != (i == len(tr)-1) {
			t.Errorf("bubble %d of %d: buttons %v, want them on the last only", i, len(tr), e.Choices)
		}
	}
	if len(tr) != 2 || joined.String() != text {
		t.Errorf("got %d bubbles, want 2 holding the whole text", len(tr))
	}
}
