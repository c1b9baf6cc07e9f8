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

// An album of shared charts is uploaded once, in one call; later albums send the
// file_ids Telegram gave, again in one call per resident.
func TestSharedAlbumUploadedOnce(t *testing.T) {
	srv, ch := newChannel(t)
	pic := pngBytes(t)
	album := []bot.File{
		{Name: "vraag-1.png", Data: pic, Ref: "aa01", Alt: "Staafdiagram vraag 1"},
		{Name: "vraag-2.png", Data: pic, Ref: "aa02", Alt: "Staafdiagram vraag 2"},
		{Name: "vraag-3.png", Data: pic, Ref: "aa03", Alt: "Staafdiagram vraag 3"},
	}
	for _, chat := range []string{"201", "202"} {
		if err := ch.Send(t.Context(), bot.Message{To: bot.Address{Channel: "telegram", ChatID: chat}, Album: album}); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(srv.Calls("sendMediaGroup")); got != 2 {
		t.Errorf("got %d sendMediaGroup calls, want 2 (one per resident)", got)
	}
	for i, chat := range []int64{201, 202} {
		msgs := srv.Chat(chat)
		if len(msgs) != len(album) {
			t.Fatalf("chat %d: got %d messages, want %d", chat, len(msgs), len(album))
		}
		for j, m := range msgs {
			if m.Photo == nil || m.Photo.Uploaded != (i == 0) || m.Text != album[j].Alt || m.MediaGroupID == "" || m.MediaGroupID != msgs[0].MediaGroupID {
				t.Errorf("chat %d item %d: got %+v, want %q uploaded %v in one album", chat, j, m, album[j].Alt, i == 0)
			}
		}
	}
}
