package telegram_test

import (
	"testing"

	"github.com/participatiebot/participatiebot/bot"
)

// A chart shared by many residents (File.Ref) is uploaded once; later sends use
// the file_id Telegram gave it. Images without a Ref are always uploaded.
func TestSharedPhotoUploadedOnce(t *testing.T) {
	srv, ch := newChannel(t)
	pic := pngBytes(t)
	chart := &bot.File{Name: "vraag-ingang.png", Data: pic, Ref: "ab12", Alt: "Staafdiagram"}
	for _, chat := range []string{"101", "102", "103"} {
		if err := ch.Send(t.Context(), bot.Message{To: bot.Address{Channel: "telegram", ChatID: chat}, Text: "Staafdiagram", Image: chart}); err != nil {
			t.Fatal(err)
		}
	}
	if err := ch.Send(t.Context(), bot.Message{To: bot.Address{Channel: "telegram", ChatID: "104"}, Image: &bot.File{Name: "eigen.png", Data: pic}}); err != nil {
		t.Fatal(err)
	}
	for i, chat := range []int64{101, 102, 103, 104} {
		msgs := srv.Chat(chat)
		if len(msgs) != 1 || msgs[0].Photo == nil || string(msgs[0].Photo.Bytes) != string(pic) {
			t.Fatalf("chat %d: got %+v, want the photo", chat, msgs)
		}
		if wantUpload := i == 0 || chat == 104; msgs[0].Photo.Uploaded != wantUpload {
			t.Errorf("chat %d: uploaded %v, want %v", chat, msgs[0].Photo.Uploaded, wantUpload)
		}
	}
}
