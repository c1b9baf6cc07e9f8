package telegram

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/bot"
	"github.com/participatiebot/participatiebot/bot/telegram/telegramtest"
)

// A file_id Telegram no longer knows (another bot, or expired) falls back to an
// upload, and the new file_id replaces it.
func TestStaleFileIDUploadsAgain(t *testing.T) {
	ch, srv, png1 := photoChannel(t)
	ch.photos.Store("ab12", "photo-does-not-exist")
	m := bot.Message{To: bot.Address{Channel: "telegram", ChatID: "101"}, Image: &bot.File{Name: "a.png", Data: png1, Ref: "ab12"}}
	if err := ch.Send(t.Context(), m); err != nil {
		t.Fatalf("send with a stale file_id: %v", err)
	}
	msgs := srv.Chat(101)
	if len(msgs) != 1 || !msgs[0].Photo.Uploaded {
		t.Fatalf("got %+v, want one uploaded photo", msgs)
	}
	if id, _ := ch.photos.Load("ab12"); id != msgs[0].Photo.FileID {
		t.Errorf("cached file_id: got %v, want %s", id, msgs[0].Photo.FileID)
	}
}

// An album whose file_ids Telegram refuses is uploaded again, once, and the new
// file_ids replace the old.
func TestStaleAlbumFileIDsUploadAgain(t *testing.T) {
	ch, srv, png1 := photoChannel(t)
	ch.photos.Store("ab12", "photo-does-not-exist")
	album := []bot.File{{Name: "a.png", Data: png1, Ref: "ab12"}, {Name: "b.png", Data: png1, Ref: "cd34"}}
	m := bot.Message{To: bot.Address{Channel: "telegram", ChatID: "101"}, Album: album}
	if err := ch.Send(t.Context(), m); err != nil {
		t.Fatalf("send with a stale file_id: %v", err)
	}
	msgs := srv.Chat(101)
	if len(msgs) != 2 || !msgs[0].Photo.Uploaded || !msgs[1].Photo.Uploaded {
		t.Fatalf("got %+v, want two uploaded photos", msgs)
	}
	if got := len(srv.Calls("sendMediaGroup")); got != 2 {
		t.Errorf("got %d calls, want 2: the refused one and the upload", got)
	}
	for i, ref := range []string{"ab12", "cd34"} {
		if id, _ := ch.photos.Load(ref); id != msgs[i].Photo.FileID {
			t.Errorf("cached file_id of %s: got %v, want %s", ref, id, msgs[i].Photo.FileID)
		}
	}
}

// photoChannel is a channel on a fake Telegram, and a 1×1 PNG to send.
func photoChannel(t *testing.T) (*Channel, *telegramtest.Server, []byte) {
	t.Helper()
	const token = "7777777:AAH-secret-test-token-xyz"
	srv := telegramtest.NewServer(t, token)
	ch, err := New(Config{Token: token, APIEndpoint: srv.Endpoint(), PollTimeout: time.Second}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	return ch, srv, buf.Bytes()
}

// The file_ids are bounded: memory does not grow with the charts ever sent.
func TestFileIDsBounded(t *testing.T) {
	var ids fileIDs
	for i := range maxFileIDs + 10 {
		ids.Store(fmt.Sprintf("ref-%d", i), fmt.Sprintf("photo-%d", i))
	}
	if n := len(ids.ids); n > maxFileIDs {
		t.Errorf("got %d file_ids, want at most %d", n, maxFileIDs)
	}
	if id, ok := ids.Load(fmt.Sprintf("ref-%d", maxFileIDs+9)); !ok || id != fmt.Sprintf("photo-%d", maxFileIDs+9) {
		t.Errorf("newest: got %q %v, want it kept", id, ok)
	}
	ids.Store("", "photo-x")
	if _, ok := ids.Load(""); ok {
		t.Errorf("empty ref: got a file_id, want none")
	}
}

// Senders that send the same new chart at the same moment (the outbox's workers at
// the start of a results broadcast) upload it once: the others wait for its file_id.
func TestConcurrentSendsUploadOnce(t *testing.T) {
	ch, srv, png1 := photoChannel(t)
	album := []bot.File{{Name: "a.png", Data: png1, Ref: "ab12"}, {Name: "b.png", Data: png1, Ref: "cd34"}}
	const senders = 16
	var wg sync.WaitGroup
	errs := make(chan error, 2*senders)
	for i := range senders {
		wg.Add(2)
		go func() {
			defer wg.Done()
			errs <- ch.Send(t.Context(), bot.Message{To: bot.Address{Channel: "telegram", ChatID: fmt.Sprint(200 + i)}, Album: album})
		}()
		go func() { // a single image shares its ref with the album's first
			defer wg.Done()
			errs <- ch.Send(t.Context(), bot.Message{To: bot.Address{Channel: "telegram", ChatID: fmt.Sprint(300 + i)}, Image: &album[0]})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	uploads, sends := map[string]int{}, 0
	for i := range senders {
		for _, chat := range []int64{int64(200 + i), int64(300 + i)} {
			for _, m := range srv.Chat(chat) {
				sends++
				if m.Photo.Uploaded {
					uploads[m.Photo.FileID]++
				}
			}
		}
	}
	if sends != 3*senders || len(uploads) != 2 {
		t.Errorf("got %d photos sent with uploads %v, want %d sent and each image uploaded once", sends, uploads, 3*senders)
	}
	if len(ch.photos.uploading) != 0 {
		t.Errorf("uploads left marked as under way: %v", ch.photos.uploading)
	}
}
