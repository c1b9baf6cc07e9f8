package telegram_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/telegram/telegramtest"
)

// sent is the part of a telegramtest.Sent a rendering case looks at.
type sent struct {
	Method   string
	Text     string
	Keyboard [][]telegramtest.Button
	Edits    int
	File     string // name of the photo or document
}

func sentOf(s telegramtest.Sent) sent {
	out := sent{Method: s.Method, Text: s.Text, Keyboard: s.Keyboard, Edits: s.Edits}
	switch {
	case s.Photo != nil:
		out.File = s.Photo.Name
	case s.Document != nil:
		out.File = s.Document.Name
	}
	return out
}

func TestSendRenders(t *testing.T) {
	const chat = 701
	yesNo := [][]bot.Choice{{{Label: "Ja", Data: "c:yes"}, {Label: "Nee", Data: "c:no"}}, {{Label: "Later", Data: "c:later"}}}
	yesNoButtons := [][]telegramtest.Button{{{Text: "Ja", Data: "c:yes"}, {Text: "Nee", Data: "c:no"}}, {{Text: "Later", Data: "c:later"}}}
	// 100 lines of 60 characters; "ë" makes bytes and characters differ
	line := strings.Repeat("ë", 10) + strings.Repeat("x", 49) + "\n"
	long := strings.Repeat(line, 100)
	// no line breaks at all: cut hard at 4096 characters
	wall := strings.Repeat("ë", 5000)
	png := pngBytes(t)
	tests := []struct {
		name    string
		before  []bot.Message // sent first; EditRef "{last}" refers to the newest message
		msg     bot.Message
		want    []sent
		wantErr error
	}{
		{
			name: "plain text",
			msg:  bot.Message{To: to(chat), Text: "Hallo *Anna* <b>"},
			want: []sent{{Method: "sendMessage", Text: "Hallo *Anna* <b>"}},
		},
		{
			name: "keyboard rows as given",
			msg:  bot.Message{To: to(chat), Text: "Doet u mee?", Choices: yesNo},
			want: []sent{{Method: "sendMessage", Text: "Doet u mee?", Keyboard: yesNoButtons}},
		},
		{
			name:   "edit removes the keyboard",
			before: []bot.Message{{To: to(chat), Text: "Doet u mee?", Choices: yesNo}},
			msg:    bot.Message{To: to(chat), Text: "Doet u mee? Ja", EditRef: "{last}"},
			want:   []sent{{Method: "sendMessage", Text: "Doet u mee? Ja", Edits: 1}},
		},
		{
			name:   "edit keeps new choices",
			before: []bot.Message{{To: to(chat), Text: "Vraag 1"}},
			msg:    bot.Message{To: to(chat), Text: "Vraag 1 (bis)", EditRef: "{last}", Choices: yesNo},
			want:   []sent{{Method: "sendMessage", Text: "Vraag 1 (bis)", Keyboard: yesNoButtons, Edits: 1}},
		},
		{
			name:   "edit of a missing message sends anew",
			before: []bot.Message{{To: to(chat), Text: "Oud"}},
			msg:    bot.Message{To: to(chat), Text: "Nieuw", EditRef: "701:999999", Choices: yesNo},
			want: []sent{{Method: "sendMessage", Text: "Oud"},
				{Method: "sendMessage", Text: "Nieuw", Keyboard: yesNoButtons}},
		},
		{
			name: "long text split at line breaks, keyboard last",
			msg:  bot.Message{To: to(chat), Text: long, Choices: yesNo},
			want: []sent{{Method: "sendMessage", Text: strings.Repeat(line, 68)},
				{Method: "sendMessage", Text: strings.Repeat(line, 32), Keyboard: yesNoButtons}},
		},
		{
			name: "long text without line breaks",
			msg:  bot.Message{To: to(chat), Text: wall},
			want: []sent{{Method: "sendMessage", Text: strings.Repeat("ë", 4096)},
				{Method: "sendMessage", Text: strings.Repeat("ë", 904)}},
		},
		{
			name: "emoji count two units",
			msg:  bot.Message{To: to(chat), Text: strings.Repeat("😀", 3000)},
			want: []sent{{Method: "sendMessage", Text: strings.Repeat("😀", 2048)},
				{Method: "sendMessage", Text: strings.Repeat("😀", 952)}},
		},
		{
			name: "4095 units and an emoji",
			msg:  bot.Message{To: to(chat), Text: strings.Repeat("ë", 4095) + "😀"},
			want: []sent{{Method: "sendMessage", Text: strings.Repeat("ë", 4095)},
				{Method: "sendMessage", Text: "😀"}},
		},
		{
			name: "caption clipped in units",
			msg:  bot.Message{To: to(chat), Text: strings.Repeat("😀", 600), Image: &bot.File{Name: "kaart.png", Data: png}},
			want: []sent{{Method: "sendPhoto", Text: strings.Repeat("😀", 511) + "…", File: "kaart.png"}},
		},
		{
			name: "album in one call",
			msg: bot.Message{To: to(chat), Album: []bot.File{{Name: "a.png", Data: png, Alt: "Grafiek A"},
				{Name: "b.png", Data: png, Alt: "Grafiek B"}, {Name: "c.png", Data: png, Alt: strings.Repeat("🌳", 600)}}},
			want: []sent{{Method: "sendMediaGroup", Text: "Grafiek A", File: "a.png"}, {Method: "sendMediaGroup", Text: "Grafiek B", File: "b.png"},
				{Method: "sendMediaGroup", Text: strings.Repeat("🌳", 511) + "…", File: "c.png"}},
		},
		{
			name: "album of one is a photo",
			msg:  bot.Message{To: to(chat), Album: []bot.File{{Name: "a.png", Data: png, Alt: "Grafiek A"}}},
			want: []sent{{Method: "sendPhoto", Text: "Grafiek A", File: "a.png"}},
		},
		{
			name:    "album of eleven",
			msg:     bot.Message{To: to(chat), Album: make([]bot.File, 11)},
			wantErr: bot.ErrPermanent,
		},
		{
			name:    "album with text",
			msg:     bot.Message{To: to(chat), Text: "Grafieken", Album: []bot.File{{Name: "a.png", Data: png}, {Name: "b.png", Data: png}}},
			wantErr: bot.ErrPermanent,
		},
		{
			name: "text of exactly 4096 characters",
			msg:  bot.Message{To: to(chat), Text: strings.Repeat("ë", 4096)},
			want: []sent{{Method: "sendMessage", Text: strings.Repeat("ë", 4096)}},
		},
		{
			name: "button data over 64 bytes",
			msg: bot.Message{To: to(chat), Text: "Kies", Choices: [][]bot.Choice{{{Label: "Ja", Data: "a"},
				{Label: "Te lang", Data: strings.Repeat("d", 65)}}}},
			wantErr: bot.ErrPermanent,
		},
		{
			name: "button data of 64 bytes",
			msg:  bot.Message{To: to(chat), Text: "Kies", Choices: [][]bot.Choice{{{Label: "Net", Data: strings.Repeat("ë", 32)}}}},
			want: []sent{{Method: "sendMessage", Text: "Kies", Keyboard: [][]telegramtest.Button{{{Text: "Net", Data: strings.Repeat("ë", 32)}}}}},
		},
		{
			name:    "chat id not a number",
			msg:     bot.Message{To: bot.Address{Channel: "telegram", ChatID: "anna"}, Text: "Hallo"},
			wantErr: bot.ErrPermanent,
		},
		{
			name: "image with caption",
			msg:  bot.Message{To: to(chat), Text: "Het nieuwe plein", Image: &bot.File{Name: "plein.png", Data: png, Alt: "schets"}},
			want: []sent{{Method: "sendPhoto", Text: "Het nieuwe plein", File: "plein.png"}},
		},
		{
			name: "document with caption and keyboard",
			msg: bot.Message{To: to(chat), Text: "Uitslag", Choices: yesNo,
				Document: &bot.File{Name: "uitslag.csv", Data: []byte("kern,stemmen\nnoord,12\n")}},
			want: []sent{{Method: "sendDocument", Text: "Uitslag", File: "uitslag.csv", Keyboard: yesNoButtons}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, ch := newChannel(t)
			for _, m := range tt.before {
				if err := ch.Send(context.Background(), m); err != nil {
					t.Fatalf("send %q first: %v", m.Text, err)
				}
			}
			msg := tt.msg
			if msg.EditRef == "{last}" {
				msg.EditRef = to(chat).ChatID + ":" + strconv.Itoa(srv.Last(chat).MessageID)
			}
			err := ch.Send(context.Background(), msg)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			checkNoToken(t, err)
			var got []sent
			for _, s := range srv.Chat(chat) {
				got = append(got, sentOf(s))
			}
			if !equalSent(got, tt.want) {
				t.Errorf("got %s, want %s", describe(got), describe(tt.want))
			}
			for _, c := range srv.Calls("") {
				if p, ok := c.Params["parse_mode"]; ok {
					t.Errorf("%s sent parse_mode %q, want none", c.Method, p)
				}
				if n := utf8.RuneCountInString(c.Params["text"]); n > 4096 {
					t.Errorf("%s sent %d characters, want at most 4096", c.Method, n)
				}
			}
			if v := srv.Violations(); len(v) != 0 {
				t.Errorf("the fake refused %q, want no limit broken", v)
			}
			if tt.wantErr != nil {
				if n := len(srv.Calls("")) - len(srv.Calls("getMe")); n != 0 {
					t.Errorf("got %d calls after a refused message, want 0", n)
				}
			}
		})
	}
}

func equalSent(a, b []sent) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Method != b[i].Method || a[i].Text != b[i].Text || a[i].Edits != b[i].Edits ||
			a[i].File != b[i].File || !equalButtons(a[i].Keyboard, b[i].Keyboard) {
			return false
		}
	}
	return true
}

func equalButtons(a, b [][]telegramtest.Button) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

// describe prints messages briefly, long texts by length.
func describe(ss []sent) string {
	var b strings.Builder
	b.WriteString("[")
	for i, s := range ss {
		if i > 0 {
			b.WriteString(", ")
		}
		text := s.Text
		if n := utf8.RuneCountInString(text); n > 40 {
			text = string([]rune(text)[:20]) + "…(" + strconv.Itoa(n) + " chars)"
		}
		b.WriteString(s.Method + " " + strconv.Quote(text))
		if s.Keyboard != nil {
			b.WriteString(" keyboard " + strconv.Quote(flat(s.Keyboard)))
		}
		if s.Edits > 0 {
			b.WriteString(" edits " + strconv.Itoa(s.Edits))
		}
		if s.File != "" {
			b.WriteString(" file " + s.File)
		}
	}
	b.WriteString("]")
	return b.String()
}

func flat(kb [][]telegramtest.Button) string {
	var rows []string
	for _, r := range kb {
		var labels []string
		for _, b := range r {
			labels = append(labels, b.Text+"="+b.Data)
		}
		rows = append(rows, strings.Join(labels, " "))
	}
	return strings.Join(rows, " / ")
}

func TestSendPhotoUploadsBytes(t *testing.T) {
	const chat = 702
	srv, ch := newChannel(t)
	img := pngBytes(t)
	if err := ch.Send(context.Background(), bot.Message{To: to(chat), Text: "Schets",
		Image: &bot.File{Name: "schets.png", Data: img}}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.Last(chat).Photo
	if got == nil || !bytes.Equal(got.Bytes, img) {
		t.Errorf("got photo %+v, want the %d bytes uploaded", got, len(img))
	}
}
