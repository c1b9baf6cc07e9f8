package telegramtest

import (
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// photos are n album items uploading distinct PNGs, captioned "Grafiek 1", ….
func photos(t *testing.T, n int) []interface{} {
	t.Helper()
	var out []interface{}
	for i := range n {
		p := tgbotapi.NewInputMediaPhoto(tgbotapi.FileBytes{Name: "grafiek.png", Bytes: pngBytes(t, 10+i, 10)})
		p.Caption = "Grafiek " + string(rune('1'+i))
		out = append(out, p)
	}
	return out
}

func TestSendMediaGroup(t *testing.T) {
	s, bot := newBot(t)
	var messages atomic.Int64
	s.SetHook(func(r *Request) Action {
		messages.Store(int64(r.Messages))
		return Proceed
	})
	const chat = 8
	sent, err := bot.SendMediaGroup(tgbotapi.NewMediaGroup(chat, photos(t, 5)))
	if err != nil {
		t.Fatalf("SendMediaGroup: %v", err)
	}
	if len(sent) != 5 {
		t.Fatalf("got %d messages back, want 5", len(sent))
	}
	group := sent[0].MediaGroupID
	for i, m := range sent {
		if m.MediaGroupID == "" || m.MediaGroupID != group || len(m.Photo) == 0 || m.Caption != "Grafiek "+string(rune('1'+i)) {
			t.Errorf("message %d: got group %q photo %v caption %q, want group %q, a photo, caption %d", i, m.MediaGroupID, m.Photo, m.Caption, group, i+1)
		}
	}
	chatMsgs := s.Chat(chat)
	if len(chatMsgs) != 5 {
		t.Fatalf("Chat: got %d messages, want 5", len(chatMsgs))
	}
	for i, m := range chatMsgs {
		if m.Method != "sendMediaGroup" || m.MediaGroupID != group || m.Photo == nil || !m.Photo.Uploaded || m.MessageID != sent[i].MessageID {
			t.Errorf("Chat[%d]: got %+v, want an uploaded photo of album %s", i, m, group)
		}
	}
	if got := len(s.Calls("sendMediaGroup")); got != 1 {
		t.Errorf("calls: got %d, want 1 (an album is one request)", got)
	}
	if got := s.MaxRate(chat, time.Minute); got != 1 {
		t.Errorf("MaxRate: got %d, want 1", got)
	}
	if got := s.MaxMessageRate(chat, time.Minute); got != 5 {
		t.Errorf("MaxMessageRate: got %d, want 5 (each item a message)", got)
	}
	if got := messages.Load(); got != 5 {
		t.Errorf("hook: got Messages %d, want 5", got)
	}

	// the same photos again by file_id: nothing is uploaded
	var again []interface{}
	for _, m := range sent {
		again = append(again, tgbotapi.NewInputMediaPhoto(tgbotapi.FileID(m.Photo[len(m.Photo)-1].FileID)))
	}
	if _, err := bot.SendMediaGroup(tgbotapi.NewMediaGroup(chat, again)); err != nil {
		t.Fatalf("SendMediaGroup by file_id: %v", err)
	}
	for i, m := range s.Chat(chat)[5:] {
		if m.Photo == nil || m.Photo.Uploaded || m.Photo.FileID != chatMsgs[i].Photo.FileID || m.MediaGroupID == group {
			t.Errorf("resent %d: got %+v, want photo %s by file_id in a new album", i, m.Photo, chatMsgs[i].Photo.FileID)
		}
	}
	if v := s.Violations(); len(v) != 0 {
		t.Errorf("violations: got %q, want none", v)
	}
}

func TestSendMediaGroupRefused(t *testing.T) {
	captioned := func(caption string) []interface{} {
		items := photos(t, 2)
		p := items[1].(tgbotapi.InputMediaPhoto)
		p.Caption = caption
		items[1] = p
		return items
	}
	broken := photos(t, 2)
	broken[0] = tgbotapi.NewInputMediaPhoto(tgbotapi.FileBytes{Name: "kapot.png", Bytes: []byte("geen png")})
	mixed := append(photos(t, 1), tgbotapi.NewInputMediaDocument(tgbotapi.FileBytes{Name: "verslag.md", Bytes: []byte("# verslag")}))
	unknown := append(photos(t, 1), tgbotapi.NewInputMediaPhoto(tgbotapi.FileID("photo-999")))
	tests := []struct {
		name      string
		media     []interface{}
		wantDesc  string
		violation bool // a documented limit, counted in Violations
	}{
		{"one item", photos(t, 1), "media must include 2-10 items", true},
		{"eleven items", photos(t, 11), "too many messages to send as an album", true},
		{"caption of 1024 UTF-16 units", captioned(strings.Repeat("😀", 512)), "", false},
		{"caption of 513 emoji", captioned(strings.Repeat("😀", 513)), "message caption is too long", true},
		{"document with a photo", mixed, "document can't be mixed with other media types", true},
		{"not an image", broken, "IMAGE_PROCESS_FAILED", true},
		{"unknown file_id", unknown, "wrong file identifier/HTTP URL specified", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, bot := newBot(t)
			_, err := bot.SendMediaGroup(tgbotapi.NewMediaGroup(9, tt.media))
			if tt.wantDesc == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantDesc) {
				t.Fatalf("got %v, want %q", err, tt.wantDesc)
			}
			if got := len(s.Chat(9)); got != 0 {
				t.Errorf("Chat: got %d messages, want none from a refused album", got)
			}
			if got := len(s.Violations()); got != map[bool]int{true: 1}[tt.violation] {
				t.Errorf("violations: got %q, want %v", s.Violations(), tt.violation)
			}
		})
	}
}

// TestSendMediaGroupWire posts the form fields themselves, as the documentation
// describes them, for what the library never sends.
func TestSendMediaGroupWire(t *testing.T) {
	tests := []struct {
		name     string
		form     url.Values
		wantDesc string
	}{
		{"no media", url.Values{"chat_id": {"5"}}, `parameter "media" is required`},
		{"not JSON", url.Values{"chat_id": {"5"}, "media": {"[{"}}, "can't parse media JSON object"},
		{"empty", url.Values{"chat_id": {"5"}, "media": {"[]"}}, "there are no messages to send"},
		{"missing part", url.Values{"chat_id": {"5"}, "media": {`[{"type":"photo","media":"attach://file-0"},{"type":"photo","media":"attach://file-1"}]`}},
			"can't parse InputMedia: media not found"},
		{"video", url.Values{"chat_id": {"5"}, "media": {`[{"type":"video","media":"https://x.test/a.mp4"},{"type":"photo","media":"https://x.test/b.png"}]`}},
			`type "video" is unsupported`},
		{"keyboard", url.Values{"chat_id": {"5"}, "reply_markup": {`{"inline_keyboard":[[{"text":"Ja","callback_data":"j"}]]}`},
			"media": {`[{"type":"photo","media":"https://x.test/a.png"},{"type":"photo","media":"https://x.test/b.png"}]`}},
			"reply markup is not allowed"},
		{"by URL", url.Values{"chat_id": {"5"}, "media": {`[{"type":"photo","media":"https://x.test/a.png"},{"type":"photo","media":"https://x.test/b.png","caption_entities":null}]`}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewServer(t, testToken)
			resp, err := http.PostForm(s.URL()+"/bot"+testToken+"/sendMediaGroup", tt.form)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got := s.Calls("sendMediaGroup")[0]
			if tt.wantDesc == "" {
				if got.Status != http.StatusOK || len(s.Chat(5)) != 2 {
					t.Errorf("got %d %q and %d messages, want 200 and 2", got.Status, got.Description, len(s.Chat(5)))
				}
				return
			}
			if got.Status != http.StatusBadRequest || !strings.Contains(got.Description, tt.wantDesc) {
				t.Errorf("got %d %q, want 400 %q", got.Status, got.Description, tt.wantDesc)
			}
		})
	}
}
