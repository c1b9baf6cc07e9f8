package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/participatiebot/participatiebot/storage"
)

// TestInbox: what the webhook stores is read once by one consumer, comes back to
// another when the first never acknowledges it, and is gone once acknowledged.
func TestInbox(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	if err := s.QueueInbox(ctx, "whatsapp", [][]byte{[]byte("een"), []byte("twee")}); err != nil {
		t.Fatal(err)
	}
	got, err := s.ReadInbox(ctx, "whatsapp", "r1", 10, 100*time.Millisecond)
	if err != nil || len(got) != 2 || string(got[0].Data) != "een" || string(got[1].Data) != "twee" {
		t.Fatalf("read: %+v %v", got, err)
	}
	if again, err := s.ReadInbox(ctx, "whatsapp", "r2", 10, 50*time.Millisecond); err != nil || len(again) != 0 {
		t.Fatalf("a second consumer read %+v (%v), want nothing: r1 has them", again, err)
	}
	if err := s.AckInbox(ctx, "whatsapp", got[0].ID); err != nil {
		t.Fatal(err)
	}
	// r1 dies holding "twee": after the idle time r2 takes it over
	if early, err := s.ClaimInbox(ctx, "whatsapp", "r2", time.Hour, 10); err != nil || len(early) != 0 {
		t.Fatalf("claimed %+v (%v) before its time", early, err)
	}
	time.Sleep(20 * time.Millisecond) // idle time passes; ClaimInbox measures it on Redis
	claimed, err := s.ClaimInbox(ctx, "whatsapp", "r2", 10*time.Millisecond, 10)
	if err != nil || len(claimed) != 1 || string(claimed[0].Data) != "twee" {
		t.Fatalf("claim: %+v %v", claimed, err)
	}
	if err := s.AckInbox(ctx, "whatsapp", claimed[0].ID); err != nil {
		t.Fatal(err)
	}
	if n, err := s.InboxLen(ctx, "whatsapp"); err != nil || n != 0 {
		t.Errorf("inbox holds %d (%v) after both acknowledged", n, err)
	}
	// claiming and reading before anything was ever queued on another channel works
	if got, err := s.ClaimInbox(ctx, "leeg", "r1", time.Second, 10); err != nil || len(got) != 0 {
		t.Errorf("claim on a new inbox: %+v %v", got, err)
	}
}

// TestHeldMessages: messages held for a chat come back in the order they were held,
// once each however often they were held, and are gone after Release.
func TestHeldMessages(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	now := time.Unix(1_765_000_000, 0)
	for i, id := range []string{"uitslag", "grafiek", "uitslag"} {
		if err := s.Hold(ctx, "chat1", id, []byte("bericht "+id), now.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	held, err := s.Held(ctx, "chat1")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(len(held)) != "2" || held[0].ID != "uitslag" || held[1].ID != "grafiek" || string(held[1].Data) != "bericht grafiek" ||
		held[0].At != now.UnixNano() {
		t.Fatalf("held: %+v", held)
	}
	first, err := s.Tell(ctx, "chat1", time.Hour)
	if err != nil || !first {
		t.Fatalf("tell: %v %v", first, err)
	}
	if again, _ := s.Tell(ctx, "chat1", time.Hour); again {
		t.Error("told twice")
	}
	if err := s.MarkReleased(ctx, "chat1", time.Minute); err != nil {
		t.Fatal(err)
	}
	if st, err := s.ChatStateOf(ctx, "chat1", "grafiek"); err != nil || st != (storage.ChatState{Held: 2, IsHeld: true, Releases: true}) {
		t.Errorf("chat state: %+v, err %v; want closed, 2 held, grafiek one of them, released", st, err)
	}
	for _, id := range []string{"uitslag", "grafiek"} {
		if err := s.Unhold(ctx, "chat1", id); err != nil {
			t.Fatal(err)
		}
	}
	if held, _ := s.Held(ctx, "chat1"); len(held) != 0 {
		t.Errorf("after unhold: %+v", held)
	}
	if err := s.Untell(ctx, "chat1"); err != nil {
		t.Fatal(err)
	}
	if first, _ := s.Tell(ctx, "chat1", time.Hour); !first {
		t.Error("after untell a new message cannot be told")
	}
}

// TestStatusesBeforeTheSendsAnswer: Meta may post a message's first statuses before
// the send's answer said which round it was; each counts once, then or later.
func TestStatusesBeforeTheSendsAnswer(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	for _, st := range []string{"sent", "delivered", "sent"} {
		if err := s.RecordStatus(ctx, "wamid.vroeg", st); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.MarkSent(ctx, "wamid.vroeg", "r9", "uitnodiging"); err != nil {
		t.Fatal(err)
	}
	for _, st := range []string{"delivered", "read", "read"} {
		if err := s.RecordStatus(ctx, "wamid.vroeg", st); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.MarkSent(ctx, "wamid.vroeg", "r9", "uitnodiging"); err != nil { // once more: nothing counts twice
		t.Fatal(err)
	}
	d, err := s.Deliveries(ctx, "r9")
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(d["uitnodiging"]); got != "map[delivered:1 read:1 sent:1]" {
		t.Errorf("counts %s, want sent, delivered and read once each", got)
	}
}

func TestWindowAndMedia(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	if open, err := s.WindowOpen(ctx, "c"); err != nil || open {
		t.Fatalf("window of a new chat: %v %v", open, err)
	}
	if err := s.OpenWindow(ctx, "c", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if open, _ := s.WindowOpen(ctx, "c"); !open {
		t.Error("window not open")
	}
	if err := s.OpenWindow(ctx, "d", time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if open, _ := s.WindowOpen(ctx, "d"); open {
		t.Error("a window that ended is open")
	}
	if err := s.CloseWindow(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	if open, _ := s.WindowOpen(ctx, "c"); open {
		t.Error("closed window open")
	}
	if mine, _ := s.LockUpload(ctx, "ref", time.Minute); !mine {
		t.Fatal("no upload lock")
	}
	if mine, _ := s.LockUpload(ctx, "ref", time.Minute); mine {
		t.Error("upload locked twice")
	}
	if err := s.SetMediaID(ctx, "ref", "1234"); err != nil {
		t.Fatal(err)
	}
	if id, err := s.MediaID(ctx, "ref"); err != nil || id != "1234" {
		t.Errorf("media id %q %v", id, err)
	}
	if err := s.ForgetMediaID(ctx, "ref"); err != nil {
		t.Fatal(err)
	}
	if id, _ := s.MediaID(ctx, "ref"); id != "" {
		t.Errorf("forgotten media id %q", id)
	}
}
