package telegramtest

import (
	"bytes"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func keyboardOf(rows ...[]string) tgbotapi.InlineKeyboardMarkup {
	var out [][]tgbotapi.InlineKeyboardButton
	for _, r := range rows {
		var row []tgbotapi.InlineKeyboardButton
		for _, label := range r {
			row = append(row, tgbotapi.NewInlineKeyboardButtonData(label, strings.ToLower(label)))
		}
		out = append(out, row)
	}
	return tgbotapi.InlineKeyboardMarkup{InlineKeyboard: out}
}

func TestSendMessageRecorded(t *testing.T) {
	s, bot := newBot(t)
	msg := tgbotapi.NewMessage(42, "<b>Stem</b> nu")
	msg.ParseMode = tgbotapi.ModeHTML
	msg.ReplyMarkup = keyboardOf([]string{"Ja", "Nee"}, []string{"Weet niet"})
	got, err := bot.Send(msg)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	second, err := bot.Send(tgbotapi.NewMessage(42, "Bedankt"))
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	last := s.Chat(42)[0]
	tests := []struct {
		name      string
		got, want any
	}{
		{"returned chat", got.Chat.ID, int64(42)},
		{"returned text is rendered", got.Text, "Stem nu"},
		{"returned keyboard", got.ReplyMarkup.InlineKeyboard[1][0].Text, "Weet niet"},
		{"returned from the bot", got.From.UserName, BotUsername},
		{"returned date", got.Date > 0, true},
		{"message ids increase", second.MessageID, got.MessageID + 1},
		{"recorded text as sent", last.Text, "<b>Stem</b> nu"},
		{"recorded parse mode", last.ParseMode, "HTML"},
		{"recorded buttons", len(last.Keyboard[0]), 2},
		{"recorded data", last.Keyboard[0][1].Data, "nee"},
		{"recorded method", last.Method, "sendMessage"},
		{"chat length", len(s.Chat(42)), 2},
		{"last", s.Last(42).Text, "Bedankt"},
		{"call chat id", s.Calls("sendMessage")[0].ChatID, int64(42)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestSendMessageRefused(t *testing.T) {
	tooLongData := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData("Ja", strings.Repeat("x", 65))))
	tests := []struct {
		name      string
		text      string
		parseMode string
		markup    any
		wantDesc  string // "" when the message must be accepted
	}{
		{"escaped HTML", "R&amp;D &lt;3 <i>ok</i>", "HTML", nil, ""},
		{"4096 characters", strings.Repeat("é", 4096), "", nil, ""},
		{"64 bytes of callback data", "ok", "", keyboardOf([]string{strings.Repeat("x", 64)}), ""},
		{"unescaped user input", "score <3", "HTML", nil, "Bad Request: can't parse entities"},
		{"unsupported tag", "regel<br>regel", "HTML", nil, "Unsupported start tag \"br\""},
		{"unclosed tag", "<b>vet", "HTML", nil, "Can't find end tag"},
		{"crossed tags", "<b><i>x</b></i>", "HTML", nil, "Unmatched end tag"},
		{"empty after markup", "<b> </b>", "HTML", nil, "Bad Request: message text is empty"},
		{"4097 characters", strings.Repeat("a", 4097), "", nil, "Bad Request: message is too long"},
		// Telegram counts UTF-16 code units: an emoji outside the BMP counts two
		{"2048 emoji", strings.Repeat("😀", 2048), "", nil, ""},
		{"2049 emoji", strings.Repeat("😀", 2049), "", nil, "Bad Request: message is too long"},
		{"4095 units and an emoji", strings.Repeat("ë", 4095) + "😀", "", nil, "Bad Request: message is too long"},
		{"65 bytes of callback data", "ok", "", tooLongData, "BUTTON_DATA_INVALID"},
		{"button without action", "ok", "", tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{{{Text: "Ja"}}}}, "Text buttons are unallowed"},
		{"null keyboard", "ok", "", tgbotapi.InlineKeyboardMarkup{}, "can't parse inline keyboard"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, bot := newBot(t)
			msg := tgbotapi.NewMessage(1, tt.text)
			msg.ParseMode = tt.parseMode
			msg.ReplyMarkup = tt.markup
			_, err := bot.Send(msg)
			if tt.wantDesc == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				if v := s.Violations(); len(v) != 0 {
					t.Errorf("violations: got %q, want none", v)
				}
				return
			}
			e := tgError(t, err)
			if e.Code != 400 || !strings.Contains(e.Message, tt.wantDesc) {
				t.Errorf("got %d %q, want 400 containing %q", e.Code, e.Message, tt.wantDesc)
			}
			if got := len(s.Chat(1)); got != 0 {
				t.Errorf("Chat: got %v messages, want 0", got)
			}
			if v := s.Violations(); len(v) != 1 || !strings.Contains(v[0], tt.wantDesc) {
				t.Errorf("violations: got %q, want the refusal counted once", v)
			}
		})
	}
}

func TestEdits(t *testing.T) {
	s, bot := newBot(t)
	orig := tgbotapi.NewMessage(3, "Vraag")
	orig.ReplyMarkup = keyboardOf([]string{"Ja", "Nee"})
	sent, err := bot.Send(orig)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	id := sent.MessageID
	kb := keyboardOf([]string{"Ja ✓", "Nee"})
	tests := []struct {
		name      string
		edit      tgbotapi.Chattable
		wantErr   string
		wantText  string
		wantKeys  int
		wantEdits int
	}{
		{"text and keyboard", tgbotapi.NewEditMessageTextAndMarkup(3, id, "Vraag (gestemd)", kb), "", "Vraag (gestemd)", 1, 1},
		{"same again is not modified", tgbotapi.NewEditMessageTextAndMarkup(3, id, "Vraag (gestemd)", kb), "message is not modified", "Vraag (gestemd)", 1, 1},
		{"keyboard only", tgbotapi.NewEditMessageReplyMarkup(3, id, keyboardOf([]string{"Opnieuw"})), "", "Vraag (gestemd)", 1, 2},
		{"text without markup drops the keyboard", tgbotapi.NewEditMessageText(3, id, "Gesloten"), "", "Gesloten", 0, 3},
		{"unknown message", tgbotapi.NewEditMessageText(3, id+10, "x"), "message to edit not found", "Gesloten", 0, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := bot.Send(tt.edit)
			if tt.wantErr == "" && err != nil {
				t.Fatalf("got %v, want no error", err)
			}
			if tt.wantErr != "" {
				if e := tgError(t, err); e.Code != 400 || !strings.Contains(e.Message, tt.wantErr) {
					t.Fatalf("got %d %q, want 400 containing %q", e.Code, e.Message, tt.wantErr)
				}
			}
			got := s.Last(3)
			if got.Text != tt.wantText || len(got.Keyboard) != tt.wantKeys || got.Edits != tt.wantEdits {
				t.Errorf("got %q, %d rows, %d edits, want %q, %d rows, %d edits", got.Text, len(got.Keyboard), got.Edits, tt.wantText, tt.wantKeys, tt.wantEdits)
			}
		})
	}
	if got := len(s.Chat(3)); got != 1 {
		t.Errorf("Chat: got %v messages, want 1", got)
	}
}

func TestAnswerCallbackQuery(t *testing.T) {
	s, bot := newBot(t)
	s.Press(8, 1, "ja")
	us, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(us) != 1 {
		t.Fatalf("GetUpdates: got %v, %v", updateIDs(us), err)
	}
	id := us[0].CallbackQuery.ID
	if got := us[0].CallbackQuery.Message.Date; got != 0 {
		t.Errorf("unknown message date: got %v, want 0 (inaccessible message)", got)
	}

	resp, err := bot.Request(tgbotapi.NewCallback(id, "Stem ontvangen"))
	if err != nil || string(resp.Result) != "true" {
		t.Fatalf("Request: got %v, %v, want true", resp, err)
	}
	// Send wants a Message and fails on the result true, after the call succeeded.
	if _, err := bot.Send(tgbotapi.NewCallback(id, "")); err == nil {
		t.Errorf("Send: got no error, want a JSON error on the result true")
	}
	_, err = bot.Request(tgbotapi.NewCallback("123", ""))
	if e := tgError(t, err); e.Code != 400 {
		t.Errorf("unknown query: got %v, want 400", e.Code)
	}
	if got := s.CallbackAnswers()[id]; got != 2 {
		t.Errorf("CallbackAnswers: got %v, want 2", got)
	}
	if got := s.Calls("answerCallbackQuery")[0].Params["text"]; got != "Stem ontvangen" {
		t.Errorf("answer text: got %v, want %v", got, "Stem ontvangen")
	}
}

func TestSendFiles(t *testing.T) {
	s, bot := newBot(t)
	img := pngBytes(t, 40, 30)
	csv := []byte("vraag,ja,nee\nbankjes,30,12\n")
	photo := tgbotapi.NewPhoto(4, tgbotapi.FileBytes{Name: "uitslag.png", Bytes: img})
	photo.Caption = "<b>Uitslag</b>"
	photo.ParseMode = tgbotapi.ModeHTML
	sentPhoto, err := bot.Send(photo)
	if err != nil {
		t.Fatalf("sendPhoto: %v", err)
	}
	doc := tgbotapi.NewDocument(4, tgbotapi.FileBytes{Name: "uitslag.csv", Bytes: csv})
	sentDoc, err := bot.Send(doc)
	if err != nil {
		t.Fatalf("sendDocument: %v", err)
	}
	again, err := bot.Send(tgbotapi.NewPhoto(5, tgbotapi.FileID(sentPhoto.Photo[0].FileID)))
	if err != nil {
		t.Fatalf("sendPhoto by file_id: %v", err)
	}
	chat := s.Chat(4)
	reused := s.Last(5).Photo
	tests := []struct {
		name      string
		got, want any
	}{
		{"photo bytes", bytes.Equal(chat[0].Photo.Bytes, img), true},
		{"photo name", chat[0].Photo.Name, "uitslag.png"},
		{"photo size", chat[0].Photo.Size, len(img)},
		{"caption as sent", chat[0].Text, "<b>Uitslag</b>"},
		{"returned caption", sentPhoto.Caption, "Uitslag"},
		{"returned width", sentPhoto.Photo[0].Width, 40},
		{"document bytes", bytes.Equal(chat[1].Document.Bytes, csv), true},
		{"document method", chat[1].Method, "sendDocument"},
		{"returned file name", sentDoc.Document.FileName, "uitslag.csv"},
		{"returned mime type", sentDoc.Document.MimeType, "text/csv"},
		{"reused by file_id", reused.Uploaded, false},
		{"reused bytes", bytes.Equal(reused.Bytes, img), true},
		{"reused id", again.Photo[0].FileID, sentPhoto.Photo[0].FileID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestSendFileRefused(t *testing.T) {
	tests := []struct {
		name     string
		send     tgbotapi.Chattable
		wantDesc string
	}{
		{"photo that is no image", tgbotapi.NewPhoto(1, tgbotapi.FileBytes{Name: "x.png", Bytes: []byte("not a png")}), "IMAGE_PROCESS_FAILED"},
		{"empty document", tgbotapi.NewDocument(1, tgbotapi.FileBytes{Name: "x.csv", Bytes: []byte{}}), "file must be non-empty"},
		{"unknown file_id", tgbotapi.NewDocument(1, tgbotapi.FileID("document-99")), "wrong file identifier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, bot := newBot(t)
			_, err := bot.Send(tt.send)
			// Upload errors come from tgbotapi's UploadFiles, which leaves Code at 0.
			if e := tgError(t, err); !strings.Contains(e.Message, tt.wantDesc) {
				t.Errorf("got %q, want it to contain %q", e.Message, tt.wantDesc)
			}
			if got := len(s.Chat(1)); got != 0 {
				t.Errorf("Chat: got %v messages, want 0", got)
			}
		})
	}
}
