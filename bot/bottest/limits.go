package bottest

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/participatiebot/participatiebot/bot"
)

// resultsLine is a line of a results message as residents get it, with the
// emoji and Dutch diacritics that make characters, bytes and UTF-16 units differ.
const resultsLine = "📊 Vraag 3 – ‘Wat vindt u van het plein in Nieuwleusen?’ ✅ Eens: 42% (één op de drie) 🌳🚲👩‍👧 café, reünie, ideeën\n"

// TextOf is a results text of exactly n units of l (Limits.Len), made of
// resultsLine: emoji, accented letters, line breaks.
func TextOf(l bot.Limits, n int) string {
	var b strings.Builder
	used := 0
	for used < n {
		for _, r := range resultsLine {
			u := l.Len(string(r))
			if used+u > n {
				for ; used < n; used++ {
					b.WriteString("ë") // one unit in every count
				}
				return b.String()
			}
			b.WriteRune(r)
			used += u
		}
	}
	return b.String()
}

// PNG is a small valid PNG image, w by h pixels.
func PNG(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, 0, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

// RunLimits holds the channel to its own Limits through the fake: texts full of
// emoji and diacritics just under, at and over MaxText (counted the platform's
// way) go out as valid messages, whole and in order; a caption over MaxCaption is
// clipped; an album of charts with long alt texts is one request; an album of
// more than bot.MaxAlbum images is refused before any request.
func RunLimits(t *testing.T, newHarness func(*testing.T) Harness, albumRequests func(n int) int) {
	if albumRequests == nil {
		albumRequests = func(int) int { return 1 }
	}
	t.Run("declared", func(t *testing.T) {
		l := newHarness(t).Channel().Limits()
		if l.MaxText <= 0 || l.MaxCaption <= 0 || l.MaxChoiceData <= 0 || l.PerSecond <= 0 || l.PerChatPerSecond <= 0 {
			t.Errorf("got limits %+v, want MaxText, MaxCaption, MaxChoiceData and the rates set", l)
		}
	})
	t.Run("texts", func(t *testing.T) {
		h := newHarness(t)
		l := h.Channel().Limits()
		texts := map[string]string{
			"just under":          TextOf(l, l.MaxText-1),
			"at the limit":        TextOf(l, l.MaxText),
			"just over":           TextOf(l, l.MaxText+1),
			"over twice":          TextOf(l, 2*l.MaxText+5),
			"emoji on the border": strings.Repeat("ë", l.MaxText-1) + "😀" + strings.Repeat("é", 10),
		}
		for _, name := range []string{"just under", "at the limit", "just over", "over twice", "emoji on the border"} {
			text := texts[name]
			before := len(h.Texts(h.Chat()))
			err := send(h, bot.Message{Text: text})
			CheckNoSecrets(t, h, err)
			if err != nil {
				t.Errorf("%s (%d units): %v", name, l.Len(text), err)
				continue
			}
			got := h.Texts(h.Chat())[before:]
			if strings.Join(got, "") != text {
				t.Errorf("%s (%d units): the %d messages sent do not add up to the text", name, l.Len(text), len(got))
			}
			for i, part := range got {
				if n := l.Len(part); n > l.MaxText {
					t.Errorf("%s: message %d has %d units, want at most %d", name, i, n, l.MaxText)
				}
			}
			if l.Len(text) <= l.MaxText && len(got) != 1 {
				t.Errorf("%s (%d units): got %d messages, want 1", name, l.Len(text), len(got))
			}
		}
		if v := h.Violations(); len(v) != 0 {
			t.Errorf("the fake refused %q, want every text within the limits", v)
		}
	})
	t.Run("caption", func(t *testing.T) {
		h := newHarness(t)
		l := h.Channel().Limits()
		caption := TextOf(l, l.MaxCaption+10)
		err := send(h, bot.Message{Text: caption, Image: &bot.File{Name: "kaart.png", Data: PNG(40, 30), Alt: "Kaart van het plein"}})
		CheckNoSecrets(t, h, err)
		if err != nil {
			t.Fatalf("image with a long caption: %v", err)
		}
		if v := h.Violations(); len(v) != 0 {
			t.Errorf("the fake refused %q, want the caption clipped", v)
		}
		for _, text := range h.Texts(h.Chat()) {
			if n := l.Len(text); n > l.MaxCaption {
				t.Errorf("caption of %d units, want at most %d", n, l.MaxCaption)
			}
		}
	})
	t.Run("album", func(t *testing.T) {
		for _, n := range []int{2, 5, bot.MaxAlbum} {
			t.Run(fmt.Sprint(n, " images"), func(t *testing.T) {
				h := newHarness(t)
				l := h.Channel().Limits()
				album := charts(l, n)
				before := len(h.Requests())
				err := send(h, bot.Message{Album: album})
				CheckNoSecrets(t, h, err)
				if err != nil {
					t.Fatalf("album: %v", err)
				}
				if got, want := h.Requests()[before:], albumRequests(n); len(got) != want {
					t.Errorf("got %d requests %v, want the album in %d", len(got), got, want)
				}
				if v := h.Violations(); len(v) != 0 {
					t.Errorf("the fake refused %q, want the album within the limits", v)
				}
			})
		}
		t.Run("too many", func(t *testing.T) {
			h := newHarness(t)
			before := len(h.Requests())
			err := send(h, bot.Message{Album: charts(h.Channel().Limits(), bot.MaxAlbum+1)})
			if !errors.Is(err, bot.ErrPermanent) {
				t.Errorf("album of %d: got %v, want ErrPermanent", bot.MaxAlbum+1, err)
			}
			if got := h.Requests()[before:]; len(got) != 0 {
				t.Errorf("got requests %v, want none", got)
			}
		})
	})
}

// charts are n chart images as the engine sends them, with alt texts longer
// than a caption may be.
func charts(l bot.Limits, n int) []bot.File {
	out := make([]bot.File, n)
	for i := range out {
		out[i] = bot.File{Name: fmt.Sprintf("vraag-%d.png", i+1), Data: PNG(20+i, 20), Ref: fmt.Sprintf("%064x", i+1),
			Alt: "Staafdiagram: " + TextOf(l, l.MaxCaption+50)}
	}
	return out
}
